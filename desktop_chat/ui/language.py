"""The interface's language: English (the source) or Spanish, chosen in Settings or taken
from the system. Qt's own strings (standard buttons, file dialogs) follow, and so do dates
and numbers (the locale)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from .. import i18n

log = logging.getLogger(__name__)

LANGUAGES = {"en": "English", "es": "Español"}
"""The languages the interface is complete in, by code, each named in itself."""
SYSTEM = "system"


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language code to use for a Settings choice ("system", "en", "es")."""
    if choice in LANGUAGES:
        return choice
    for name in (system or QLocale.system()).uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


class Language:
    """Installs the translators for one language, and takes them out again."""

    def __init__(self) -> None:
        self._translators: list[QTranslator] = []
        self._previous_locale: QLocale | None = None
        self.code = "en"

    def apply(self, choice: str) -> str:
        """Use the language `choice` names; returns its code."""
        self.remove()
        self.code = resolve(choice)
        if choice != SYSTEM and QLocale().language() != QLocale(self.code).language():
            # Dates and numbers in the chosen language (the system's locale otherwise).
            self._previous_locale = QLocale()
            QLocale.setDefault(QLocale(self.code))
        # The messages of the layers below the interface (network, storage…) follow too.
        i18n.use(None if self.code == "en" else QCoreApplication.translate, _locale_number)
        if self.code == "en":
            return self.code
        from .. import resources_rc  # noqa: F401  (registers the compiled .qm files)

        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        # Installed last, searched first: our own fills what Qt's catalogue lacks.
        for name, folder in (
            (f"desktop_chat_{self.code}", ":/desktop-chat/translations"),
            (f"qtbase_{self.code}", qt_folder),
            (f"qt_extra_{self.code}", ":/desktop-chat/translations"),
        ):
            translator = QTranslator()
            if translator.load(name, folder):
                QCoreApplication.installTranslator(translator)
                self._translators.append(translator)
            else:
                log.warning("No translation %s in %s", name, folder)
        return self.code

    def remove(self) -> None:
        i18n.use(None)
        for translator in self._translators:
            QCoreApplication.removeTranslator(translator)
        self._translators.clear()
        if self._previous_locale is not None:
            QLocale.setDefault(self._previous_locale)
            self._previous_locale = None


def _locale_number(value: float, decimals: int = 0) -> str:
    if decimals:
        return QLocale().toString(float(value), "f", decimals)
    return QLocale().toString(round(value))
