"""Where the app keeps its files.

By default the platform's folders (XDG on Linux, AppData on Windows, Application Support
on macOS). `--data-dir DIR` or `DESKTOP_CHAT_DATA_DIR` puts everything the app writes
(conversations, settings, logs) under DIR instead: one folder a user can back up, move or
keep on a USB stick.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths

APP_DIR_NAME = "desktop-chat"
DATA_DIR_ENV = "DESKTOP_CHAT_DATA_DIR"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def conversations_dir(self) -> Path:
        return self.data_dir / "conversations"

    @property
    def recovery_dirs(self) -> list[Path]:
        """Where conversations the data folder could not take are kept when the app must
        quit (first the user's cache folder, then the temporary folder): other places
        than the data folder, often other disks."""
        import tempfile  # here: start-up reads the paths before its first paint

        cache = _standard(QStandardPaths.StandardLocation.GenericCacheLocation)
        user = getattr(os, "getuid", lambda: 0)()
        temporary = Path(tempfile.gettempdir()) / f"{APP_DIR_NAME}-{user}"
        return recovery_folders(self.data_dir, [cache, temporary])

    @classmethod
    def resolve(
        cls, data_dir: str | os.PathLike[str] | None, environ: Mapping[str, str]
    ) -> AppPaths:
        """The paths for an explicit data folder, else the environment's, else the platform's."""
        chosen = data_dir or environ.get(DATA_DIR_ENV) or None
        if chosen:
            root = Path(chosen).expanduser().resolve()
            return cls(data_dir=root, config_dir=root / "config", log_dir=root / "logs")
        return cls(
            data_dir=_standard(QStandardPaths.StandardLocation.GenericDataLocation),
            config_dir=_standard(QStandardPaths.StandardLocation.GenericConfigLocation),
            log_dir=_standard(QStandardPaths.StandardLocation.GenericStateLocation) / "logs",
        )

    def create(self) -> None:
        for folder in (self.data_dir, self.conversations_dir, self.config_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)


def recovery_folders(data_dir: Path, bases: list[Path]) -> list[Path]:
    """A folder of `data_dir`'s own (named after it) under each of `bases`."""
    import hashlib

    key = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return [base / "recovery" / key for base in bases]


def _standard(location: QStandardPaths.StandardLocation) -> Path:
    base = QStandardPaths.writableLocation(location)
    if not base:
        base = str(Path.home())
    return Path(base) / APP_DIR_NAME
