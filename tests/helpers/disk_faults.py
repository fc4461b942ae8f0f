"""Disk failures at the operating system boundary, for tests."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REQUIRED_ENV = "DESKTOP_CHAT_REQUIRE_KEYRING"
"""Set by CI (root on a fresh machine): a filesystem that cannot be mounted fails the test."""


@contextmanager
def disk_full_under(folder: Path) -> Iterator[list[int]]:
    """Fail every os.write into files under `folder` with ENOSPC, as a full disk does.

    Yields the list of refused writes (their file descriptors).
    """
    real_write = os.write
    refused: list[int] = []

    def write(fd: int, data: object) -> int:
        if str(Path(f"/proc/self/fd/{fd}").readlink()).startswith(str(folder)):
            refused.append(fd)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)  # type: ignore[arg-type]

    os.write = write  # type: ignore[assignment]
    try:
        yield refused
    finally:
        os.write = real_write


@contextmanager
def file_size_limit(max_bytes: int) -> Iterator[None]:
    """Make the kernel itself refuse writes past `max_bytes` (EFBIG)."""
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)


class SmallDisk:
    """A real filesystem of its own (tmpfs), small enough to fill."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._filler = folder / ".filler"

    def fill(self) -> None:
        """Take every free byte: writes then fail with ENOSPC, as on a full disk."""
        descriptor = os.open(self._filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            for size in (1 << 20, 1 << 12, 1):
                while True:
                    try:
                        os.write(descriptor, b"\0" * size)
                    except OSError as exc:
                        if exc.errno != errno.ENOSPC:
                            raise
                        break
        finally:
            os.close(descriptor)

    def free(self) -> None:
        self._filler.unlink(missing_ok=True)


@contextmanager
def small_disk(folder: Path, size: str = "4m") -> Iterator[SmallDisk]:
    """Mount a tmpfs of `size` at `folder` (needs root, as on CI); unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        if os.environ.get(REQUIRED_ENV):
            pytest.fail(f"could not mount a small filesystem: {mounted.stderr.strip()}")
        pytest.skip("mounting a small filesystem needs root")
    try:
        yield SmallDisk(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


@contextmanager
def read_only_disk(folder: Path, fill: Callable[[Path], object]) -> Iterator[Path]:
    """A filesystem of its own at `folder`, filled by `fill(folder)`, then made read-only
    (as a disk that went read-only: EROFS even for root). Needs root, as on CI."""
    with small_disk(folder, "16m"):
        fill(folder)
        remounted = subprocess.run(
            ["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True
        )
        if remounted.returncode != 0:
            pytest.fail(f"could not make it read-only: {remounted.stderr.strip()}")
        yield folder
