"""Disk failures at the operating system boundary, for tests."""

from __future__ import annotations

import errno
import os
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
