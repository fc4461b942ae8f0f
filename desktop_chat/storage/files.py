"""File operations that never leave a half-written or overwritten file behind."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"
# write_atomic's temporary files: ".<target name>.<random>.tmp", in the target's folder.
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$")


def write_atomic(path: Path, data: bytes, *, sync_folder: bool = True) -> None:
    """Replace `path` with `data` so that a reader sees the old file or the new one, never a mix.

    The bytes go to a temporary file in the same folder, are flushed to disk, then renamed
    over the target; the folder entry itself is flushed last so the rename survives a crash.
    On any failure the temporary file is removed and the old file is untouched.
    `sync_folder=False` leaves that last flush to the caller, who writes many files into
    one folder and flushes it once at the end.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    tmp = Path(tmp_name)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if sync_folder:
        fsync_folder(path.parent)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; its rename is durable.
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move_without_overwriting(source: Path, folder: Path, name: str | None = None) -> Path:
    """Move `source` into `folder`, adding " (2)", " (3)"… to the name if it is taken."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = Path(name or source.name)
    target = folder / wanted.name
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{wanted.stem} ({number}){wanted.suffix}"
    source.replace(target)
    fsync_folder(folder)
    fsync_folder(source.parent)
    return target


def is_leftover_temp_file(name: str) -> bool:
    """A temporary file of `write_atomic` (one a crash left behind, if no save is running)."""
    return bool(_TEMP_NAME.match(name))


def remove_files(paths: list[Path]) -> int:
    removed = 0
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def read_with_stat(path: Path) -> tuple[bytes, int, int]:
    """The file's bytes with the modification time and size of exactly those bytes."""
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        return handle.read(), stat.st_mtime_ns, stat.st_size


def count_files(folder: Path) -> int:
    with contextlib.suppress(FileNotFoundError):
        return sum(1 for entry in os.scandir(folder) if entry.is_file())
    return 0
