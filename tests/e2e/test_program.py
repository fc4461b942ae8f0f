"""The real program, started as a user starts it, in a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_chat import __version__

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINT = Path(sys.executable).with_name("desktop-chat")


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def _wait_for(predicate, timeout_s: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def test_version_from_the_module_and_the_installed_command() -> None:
    for command in ([sys.executable, "-m", "desktop_chat"], [str(ENTRY_POINT)]):
        result = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, check=True, env=_env()
        )
        assert result.stdout.strip() == f"desktop-chat {__version__}"


def test_starts_paints_and_quits_cleanly_with_its_data_in_the_chosen_folder(
    tmp_path: Path,
) -> None:
    data = tmp_path / "my data"
    result = subprocess.run(
        [str(ENTRY_POINT), "--data-dir", str(data), "--quit-after-first-paint"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "first-paint"
    assert "Traceback" not in result.stderr
    assert (data / "conversations").is_dir()
    log = (data / "logs" / "desktop-chat.log").read_text(encoding="utf-8")
    assert "Main window painted" in log
    assert "stopped cleanly" in log


def test_the_data_folder_can_come_from_the_environment(tmp_path: Path) -> None:
    data = tmp_path / "from-env"
    result = subprocess.run(
        [sys.executable, "-m", "desktop_chat", "--quit-after-first-paint"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=_env(DESKTOP_CHAT_DATA_DIR=str(data)),
    )
    assert result.returncode == 0, result.stderr
    assert (data / "conversations").is_dir()


def test_a_termination_signal_closes_the_app_cleanly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    log = data / "logs" / "desktop-chat.log"
    process = subprocess.Popen(
        [str(ENTRY_POINT), "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        _wait_for(lambda: log.exists() and "Main window painted" in log.read_text("utf-8"))
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "stopped cleanly" in log.read_text(encoding="utf-8")
