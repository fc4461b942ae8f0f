"""Every string of the interface is translated, and the compiled files are up to date.
After changing UI strings: `.venv/bin/python resources/translations/update.py`."""

from __future__ import annotations

import importlib.util
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QFile, QIODevice

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "resources" / "translations" / "update.py"


def _update_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("update_translations", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {
        (context.findtext("name") or "", message.findtext("source") or ""): message
        for context in root.findall("context")
        for message in context.findall("message")
    }


def test_every_string_is_translated() -> None:
    update = _update_module()
    for language in update.LANGUAGES:
        messages = _messages(update.ts_file(language))
        assert len(messages) > 200
        unfinished = [
            source
            for (_context, source), message in messages.items()
            if message.find("translation").get("type") or not message.findtext("translation")
        ]
        assert unfinished == [], f"untranslated ({language}): {unfinished}"


def test_the_translation_files_are_not_stale(tmp_path: Path) -> None:
    """lupdate over the code finds exactly the strings the .ts files hold."""
    update = _update_module()
    for language in update.LANGUAGES:
        fresh = tmp_path / f"{language}.ts"
        shutil.copy(update.ts_file(language), fresh)
        update.lupdate(fresh, language)
        assert _messages(fresh).keys() == _messages(update.ts_file(language)).keys(), (
            "run resources/translations/update.py"
        )


def test_the_compiled_translations_are_the_ones_in_the_app(qapp, tmp_path: Path) -> None:
    import desktop_chat.resources_rc  # noqa: F401

    update = _update_module()
    for language in update.LANGUAGES:
        for source, name in (
            (update.ts_file(language), f"desktop_chat_{language}"),
            (update.qt_extra_file(language), f"qt_extra_{language}"),
        ):
            compiled = tmp_path / f"{name}.qm"
            update.lrelease(source, compiled)
            embedded = QFile(f":/desktop-chat/translations/{name}.qm")
            assert embedded.open(QIODevice.OpenModeFlag.ReadOnly)
            assert bytes(embedded.readAll().data()) == compiled.read_bytes(), (
                "run resources/translations/update.py"
            )
