"""An unexpected error is logged and shown once, with the log's location; the app goes on."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow

from desktop_chat.composition import CrashReporter
from tests.helpers.processes import app_log, wait_for

ROOT = Path(__file__).resolve().parents[2]


def _raise() -> tuple[type[BaseException], BaseException, object]:
    try:
        raise ZeroDivisionError("division by zero in a slot")
    except ZeroDivisionError as error:
        return type(error), error, error.__traceback__


@pytest.mark.expect_error_log
def test_an_unexpected_error_is_logged_and_shown_once(
    qtbot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    log_file = tmp_path / "logs" / "desktop-chat.log"
    reporter = CrashReporter(log_file, lambda: window)
    with caplog.at_level(logging.CRITICAL):
        reporter.excepthook(*_raise())  # type: ignore[arg-type]
        reporter.excepthook(*_raise())  # type: ignore[arg-type]
    dialog = reporter.dialog
    assert dialog is not None and dialog.isVisible()
    assert str(log_file) in dialog.informativeText()
    assert "conversations are saved" in dialog.informativeText()
    assert reporter.reported == 2  # both logged, one dialog
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [ZeroDivisionError] * 2
    dialog.quit_button.click()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_the_program_does_not_vanish_on_a_bug_in_a_slot(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from PySide6.QtCore import QTimer\n"
        "import desktop_chat.app as app\n"
        "import desktop_chat.composition as composition\n"
        "start = composition.DesktopChat.start\n"
        "def buggy_start(self):\n"
        "    start(self)\n"
        "    QTimer.singleShot(50, lambda: 1 / 0)\n"
        "composition.DesktopChat.start = buggy_start\n"
        f"sys.exit(app.main(['--data-dir', {str(data)!r}]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        wait_for(
            lambda: "ZeroDivisionError" in app_log(data) or process.poll() is not None,
            "the error to be logged",
        )
        assert process.poll() is None, process.communicate()
        assert "Unexpected error" in app_log(data)
        # Still running and answering: a second launch is answered and brings it forward.
        second = subprocess.run(
            [sys.executable, "-m", "desktop_chat", "--data-dir", str(data)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 0, second.stderr
        assert "brought its window forward" in second.stderr
        assert process.poll() is None
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert "stopped cleanly" in app_log(data)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
