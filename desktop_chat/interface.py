"""What start-up puts on screen before anything slow loads: the language and theme read
from the settings file and applied, and the main window's frame built.

Everything this module imports is cheap, and must stay so: it runs before the first paint.
No `asyncio`, no store, no network, and no `Qt` namespace (PySide6 builds its hundred
enums, ~20 ms, the first time anything touches one of them).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings

from .paths import AppPaths
from .storage.interface_choices import read_interface_choices
from .ui import language as languages
from .ui.language import Language
from .ui.main_window import MainWindow
from .ui.theme import SYSTEM, THEMES, Theme

UI_STATE_FILE_NAME = "desktop-chat.ini"
"""Window geometry, splitter sizes, the last conversation: Qt's own INI file."""


@dataclass
class Interface:
    language_choice: str
    """The language as the settings file had it at start-up ("system", "en", "es")."""
    language: Language
    theme: Theme
    state: QSettings
    window: MainWindow
    """The frame, not yet attached to the service."""

    @classmethod
    def prepare(cls, paths: AppPaths) -> Interface:
        language_choice, theme_choice = read_interface_choices(paths.config_dir)
        if language_choice not in (languages.SYSTEM, *languages.LANGUAGES):
            language_choice = languages.SYSTEM  # as the full read of the settings will have it
        language = Language()
        language.apply(language_choice)  # before any widget exists
        theme = Theme()
        if theme_choice in THEMES and theme_choice != SYSTEM:
            # A chosen scheme is there from the first paint. "System" is what the
            # platform shows already; the check that it follows its own colour scheme
            # (which costs the `Qt` enums) waits until the window is on screen.
            theme.apply(theme_choice)
        state = QSettings(str(paths.config_dir / UI_STATE_FILE_NAME), QSettings.Format.IniFormat)
        return cls(language_choice, language, theme, state, MainWindow(state))
