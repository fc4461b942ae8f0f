"""Refresh the translations and the compiled resources after a change to the UI's strings.

    .venv/bin/python resources/translations/update.py

1. pyside6-lupdate reads every `tr()` / `QCoreApplication.translate()` in desktop_chat/, and
   every `translate()` of desktop_chat.i18n (the messages of the layers below the UI), and
   updates desktop_chat_<lang>.ts here (new strings appear as unfinished; strings no longer
   used are dropped). Context and source must be literal strings, not f-strings.
2. Translate the unfinished ones (Qt Linguist: `pyside6-linguist resources/translations/…ts`).
3. Run this again: pyside6-lrelease compiles each .ts to .qm (with qt_extra_<lang>.ts, the
   few strings of Qt's own that Qt's catalogue lacks), and pyside6-rcc compiles
   resources/resources.qrc (icon, translations) into desktop_chat/resources_rc.py.

tests/unit/test_translations.py fails while a string is untranslated or a file is stale.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LANGUAGES = ("es",)
BIN = Path(sys.executable).parent


GENERATED = {"resources_rc.py"}
"""Compiled resources: no strings, and megabytes of data that make lupdate crash."""


def sources() -> list[str]:
    return sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "desktop_chat").rglob("*.py")
        if p.name not in GENERATED
    )


def ts_file(language: str) -> Path:
    return HERE / f"desktop_chat_{language}.ts"


def lupdate(target: Path, language: str) -> None:
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            *sources(),
            "-ts",
            str(target),
            "-source-language",
            "en",
            "-target-language",
            language,
            "-no-obsolete",
            "-locations",
            "none",
            "-silent",
        ],
        cwd=ROOT,
        check=True,
    )


def lrelease(source: Path, target: Path) -> None:
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), "-silent", str(source), "-qm", str(target)], check=True
    )


def rcc() -> None:
    subprocess.run(
        [
            str(BIN / "pyside6-rcc"),
            "--no-compress",
            "resources/resources.qrc",
            "-o",
            "desktop_chat/resources_rc.py",
        ],
        cwd=ROOT,
        check=True,
    )


def qt_extra_file(language: str) -> Path:
    """Qt's own strings that Qt's catalogue for `language` lacks (written by hand)."""
    return HERE / f"qt_extra_{language}.ts"


def main() -> None:
    for language in LANGUAGES:
        lupdate(ts_file(language), language)
        lrelease(ts_file(language), HERE / f"desktop_chat_{language}.qm")
        lrelease(qt_extra_file(language), HERE / f"qt_extra_{language}.qm")
    rcc()


if __name__ == "__main__":
    main()
