"""What only a real X11 display shows (window geometry): run on Xvfb by
tests/e2e/test_on_x11.py, skipped on the offscreen platform the other UI tests use."""

from __future__ import annotations

import os

import pytest

from tests.ui.test_settings import _open_settings, _save

pytestmark = pytest.mark.skipif(
    os.environ.get("QT_QPA_PLATFORM") != "xcb", reason="runs on X11 (tests/e2e/test_on_x11.py)"
)


def test_switching_the_language_keeps_the_window_exactly_where_it_was(qtbot, launch) -> None:
    chat = launch()
    old = chat.window
    old.setGeometry(0, 0, 700, 500)
    qtbot.waitUntil(lambda: old.geometry().topLeft().isNull())
    dialog = _open_settings(qtbot, chat)
    dialog.interface.language.setCurrentIndex(dialog.interface.language.findData("es"))
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: chat.window is not old)
    window = chat.window
    qtbot.waitUntil(window.isVisible)
    assert window.geometry() == old.geometry()
    assert (window.x(), window.y(), window.width(), window.height()) == (0, 0, 700, 500)
