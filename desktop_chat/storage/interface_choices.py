"""The two settings the first window is painted in, read on their own: the language and
the theme.

Start-up reads these before the first paint, and the whole settings file, with every check
(`settings_file`), just after it: the settings model's imports cost ~15 ms the window need
not wait for. This reads without changing anything; a damaged file is left for the full
read to set aside and report.
"""

from __future__ import annotations

import json
from pathlib import Path

SETTINGS_FILE_NAME = "settings.json"
SYSTEM = "system"


def read_interface_choices(config_dir: Path) -> tuple[str, str]:
    """The language and the theme the settings file names, as written there: "system" for
    either when it is missing or not text, or when the file cannot be read. Which values
    are usable is the caller's to check."""
    try:
        data = json.loads((config_dir / SETTINGS_FILE_NAME).read_bytes())
    except (OSError, ValueError):  # missing, unreadable, not JSON, not UTF-8
        return SYSTEM, SYSTEM
    if not isinstance(data, dict):
        return SYSTEM, SYSTEM

    def choice(name: str) -> str:
        value = data.get(name)
        return value if isinstance(value, str) else SYSTEM

    return choice("language"), choice("theme")
