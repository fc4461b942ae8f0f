"""The settings file (`settings.json` in the config folder): read with care, written atomically.

A file that cannot be read at all is moved aside, untouched, and the defaults are used; a
file with some invalid entries keeps the valid ones. Either way the caller gets a notice to
show, never an exception. The file holds no secret (keys are in the OS keyring).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..i18n import translate
from ..settings import SETTINGS_VERSION, Settings
from .files import move_without_overwriting, write_atomic
from .interface_choices import SETTINGS_FILE_NAME

log = logging.getLogger(__name__)

DAMAGED_NAME = "settings.damaged.json"


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    explain: Callable[[], str] | None = None
    """Words for what the user should know about how the file was read, put when they are
    shown: the interface's language is only known once the file has been read."""
    read_only: bool = False
    """Written by a newer version: used as far as understood, but never overwritten."""

    @property
    def notice(self) -> str | None:
        """What the user should know (reset entries, a damaged file moved aside), in the
        interface's language; None when all was well."""
        return self.explain() if self.explain else None


class SettingsFile:
    def __init__(self, config_dir: Path) -> None:
        self.path = config_dir / SETTINGS_FILE_NAME

    def __repr__(self) -> str:
        return f"SettingsFile({str(self.path)!r})"

    def load(self) -> LoadedSettings:
        """The settings in the file; the defaults when it is missing or unreadable."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return LoadedSettings(Settings())
        except OSError as exc:
            log.warning("Could not read %s: %s", self.path, exc)
            reason = exc.strerror or exc
            return LoadedSettings(
                Settings(),
                lambda: translate(
                    "SettingsFile",
                    "Your settings could not be read ({reason}); the defaults are used for now.",
                ).format(reason=reason),
                read_only=True,
            )
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except (UnicodeDecodeError, ValueError) as exc:
            return self._set_aside(str(exc))
        version = data.get("version")
        newer = isinstance(version, int) and version > SETTINGS_VERSION
        settings, invalid = Settings.from_dict(data)
        explain = None
        if invalid:
            log.warning("Settings reset to their defaults: %s", ", ".join(invalid))
            explain = lambda: translate(  # noqa: E731
                "SettingsFile",
                "Some settings were not valid and are back to their defaults: {names}.",
            ).format(names=", ".join(invalid))
        if newer:
            explain = lambda: translate(  # noqa: E731
                "SettingsFile",
                "Your settings were saved by a newer version of Desktop Chat. They are used "
                "as far as this version understands them, and it will not change them.",
            )
        return LoadedSettings(settings, explain, read_only=newer)

    def save(self, settings: Settings) -> None:
        """Replace the file atomically. Raises OSError (a full disk, a read-only folder)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(settings.to_dict(), ensure_ascii=False, indent=1) + "\n"
        write_atomic(self.path, data.encode("utf-8"))

    def _set_aside(self, reason: str) -> LoadedSettings:
        log.warning("The settings file is damaged (%s); using the defaults", reason)
        try:
            moved = move_without_overwriting(self.path, self.path.parent, DAMAGED_NAME)
        except OSError as exc:
            log.warning("Could not move the damaged settings file aside: %s", exc)
            return LoadedSettings(
                Settings(),
                lambda: translate(
                    "SettingsFile",
                    "Your settings file is damaged, so the defaults are used for now.",
                ),
                read_only=True,
            )
        return LoadedSettings(
            Settings(),
            lambda: translate(
                "SettingsFile",
                "Your settings file was damaged, so the defaults are used. It was kept as {file}.",
            ).format(file=moved),
        )
