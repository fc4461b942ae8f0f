"""Start-up in two steps: the window's frame painted first, in the user's language and
colours, then the rest of the app attached to it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop_chat.composition import DesktopChat
from desktop_chat.instance import InstanceLock
from desktop_chat.interface import Interface
from desktop_chat.paths import AppPaths
from desktop_chat.settings import Settings
from desktop_chat.startup import show_and_wait_for_paint
from desktop_chat.storage.settings_file import SettingsFile
from desktop_chat.ui.theme import is_dark
from tests.conftest import quit_app


def _paths(data_dir: Path) -> AppPaths:
    paths = AppPaths.resolve(data_dir, {})
    paths.create()
    return paths


def _painted_frame(qtbot, paths: AppPaths) -> Interface:  # type: ignore[no-untyped-def]
    """What `main()` shows before the rest of the app loads."""
    interface = Interface.prepare(paths)
    qtbot.addWidget(interface.window)
    assert show_and_wait_for_paint(interface.window)
    return interface


def test_a_chosen_theme_and_language_are_there_from_the_first_paint(
    qtbot, event_loop, data_dir: Path, server_env: dict[str, str]
) -> None:
    paths = _paths(data_dir)
    SettingsFile(paths.config_dir).save(Settings(theme="dark", language="es"))

    interface = _painted_frame(qtbot, paths)
    assert interface.language.code == "es"
    assert interface.theme.applied and is_dark(QApplication.palette())
    middle = interface.window.rect().center()
    assert interface.window.grab().toImage().pixelColor(middle).lightness() < 128

    chat = DesktopChat(paths, server_env, interface=interface)
    try:
        assert chat.window is interface.window and chat.window.attached
        assert chat.window.sidebar.new_chat_button.text() == "Nuevo chat"
        assert is_dark(QApplication.palette())
    finally:
        quit_app(qtbot, chat)


def test_the_system_theme_is_checked_once_the_frame_is_on_screen(
    qtbot, event_loop, data_dir: Path, server_env: dict[str, str]
) -> None:
    paths = _paths(data_dir)
    interface = _painted_frame(qtbot, paths)
    assert not interface.theme.applied  # the platform's own look, as "system" means

    chat = DesktopChat(paths, server_env, interface=interface)
    try:
        assert chat.theme.applied and chat.theme.choice == "system"
    finally:
        quit_app(qtbot, chat)


def test_start_up_reads_the_language_and_theme_the_full_settings_read_would_keep(
    qtbot, event_loop, data_dir: Path, server_env: dict[str, str]
) -> None:
    paths = _paths(data_dir)
    (paths.config_dir / "settings.json").write_text(
        '{"version": 1, "language": "fr", "theme": "sepia"}', encoding="utf-8"
    )
    interface = Interface.prepare(paths)
    qtbot.addWidget(interface.window)
    assert interface.language_choice == "system"
    assert not interface.theme.applied

    chat = DesktopChat(paths, server_env, interface=interface)
    try:
        assert chat.settings.settings.language == "system"
        assert chat.settings.settings.theme == "system"
        # The full read still says what it reset.
        assert "language" in (chat.window.panel.notices.text_of("settings") or "")
    finally:
        quit_app(qtbot, chat)


SECOND_LAUNCH = """
import sys, time
from PySide6.QtCore import QCoreApplication
from desktop_chat import instance

class Clock:
    monotonic = staticmethod(time.monotonic)

    @staticmethod
    def sleep(seconds):
        print("retrying", flush=True)  # the first app is not listening yet
        Clock.sleep = staticmethod(time.sleep)
        time.sleep(seconds)

instance.time = Clock
app = QCoreApplication([])
lock = instance.InstanceLock(instance.Path(sys.argv[1]))
assert not lock.try_acquire()
print("answered" if lock.ask_running_app_to_activate(timeout_ms=20_000) else "gave up", flush=True)
"""


def test_a_second_launch_waits_for_a_first_one_still_starting(qtbot, tmp_path: Path) -> None:
    """The first app paints its window before it listens for other launches: a second
    launch in that moment tries again instead of giving up."""
    first = InstanceLock(tmp_path)
    assert first.try_acquire()
    second = subprocess.Popen(
        [sys.executable, "-c", SECOND_LAUNCH, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        assert second.stdout is not None
        assert second.stdout.readline().strip() == "retrying"
        woken: list[bool] = []
        first.listen_for_activation(lambda: woken.append(True))
        qtbot.waitUntil(lambda: woken == [True], timeout=20_000)
        assert second.stdout.readline().strip() == "answered"
        assert second.wait(timeout=20) == 0
    finally:
        if second.poll() is None:
            second.kill()
        first.release()
