"""Resources reach the app through the compiled Qt resource module, the same way from a
checkout, a wheel and the bundle; and the Linux desktop files are valid."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QFile, QIODevice
from PySide6.QtGui import QIcon

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "resources" / "linux"
APP_ID = "io.github.desktopchat.DesktopChat"
REQUIRED_ENV = "DESKTOP_CHAT_REQUIRE_DESKTOP_TOOLS"


def _embedded(path: str) -> bytes:
    resource = QFile(path)
    assert resource.open(QIODevice.OpenModeFlag.ReadOnly), path
    return bytes(resource.readAll().data())


def test_the_compiled_resources_match_their_sources(qapp) -> None:
    """Fails when resources/ changed without `pyside6-rcc --no-compress
    resources/resources.qrc -o desktop_chat/resources_rc.py`."""
    import desktop_chat.resources_rc  # noqa: F401

    source = (ROOT / "resources" / "icons" / "desktop-chat.svg").read_bytes()
    assert _embedded(":/desktop-chat/icon.svg") == source
    icon = QIcon(":/desktop-chat/icon.svg")
    assert not icon.isNull() and not icon.pixmap(64, 64).isNull()


def test_the_app_id_is_the_same_everywhere() -> None:
    from desktop_chat import app

    assert app.APP_ID == APP_ID
    assert (LINUX / f"{APP_ID}.desktop").exists()
    metainfo = (LINUX / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    assert f"<id>{APP_ID}</id>" in metainfo
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in metainfo
    assert f"Icon={APP_ID}" in (LINUX / f"{APP_ID}.desktop").read_text(encoding="utf-8")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get(REQUIRED_ENV):
            pytest.fail(f"{name} is required here (see .ci/test)")
        pytest.skip(f"needs {name}")
    return path


def test_the_desktop_entry_is_valid() -> None:
    result = subprocess.run(
        [_tool("desktop-file-validate"), str(LINUX / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_appstream_metadata_is_valid() -> None:
    result = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
