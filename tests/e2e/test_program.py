"""The real program, started as a user starts it, in a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_chat import __version__
from tests.helpers.processes import app_log, wait_for

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINT = Path(sys.executable).with_name("desktop-chat")


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


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
    assert result.stdout.split() == ["first-paint", "ready"]
    assert "Traceback" not in result.stderr
    assert (data / "conversations").is_dir()
    log = (data / "logs" / "desktop-chat.log").read_text(encoding="utf-8")
    assert "Main window painted" in log
    assert "Desktop Chat ready" in log
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
        wait_for(lambda: log.exists() and "Desktop Chat ready" in log.read_text("utf-8"))
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "stopped cleanly" in log.read_text(encoding="utf-8")


def test_quitting_with_a_200000_character_reply_on_screen_ends_the_process_at_once(
    tmp_path: Path,
) -> None:
    """It kept the process alive ~30 s, re-rendering the whole reply as the palette changed
    during shutdown, still holding the data folder's lock."""
    import time

    from PySide6.QtCore import QSettings

    from tests.bench.bench_ui import seed_big_reply

    data = tmp_path / "data"
    big = seed_big_reply(data)
    (data / "config").mkdir(parents=True, exist_ok=True)
    state = QSettings(str(data / "config" / "desktop-chat.ini"), QSettings.Format.IniFormat)
    state.setValue("window/conversation", big)  # it opens as the app starts
    state.sync()
    process = _start(data)
    try:
        wait_for(lambda: "Desktop Chat ready" in app_log(data))
        time.sleep(0.5)  # the chat is open and its reply being written
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
        elapsed = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "stopped cleanly" in app_log(data)
    assert elapsed < 5, f"{elapsed:.1f} s to quit"  # ~0.1 s here; 2 s is the promise


def _start(data: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(ENTRY_POINT), "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )


def test_a_second_launch_on_the_same_data_folder_wakes_the_first_and_exits(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    first = _start(data)
    try:
        wait_for(lambda: "Desktop Chat ready" in app_log(data))
        second = subprocess.run(
            [str(ENTRY_POINT), "--data-dir", str(data)],
            capture_output=True,
            text=True,
            timeout=30,
            env=_env(),
            check=False,
        )
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stderr
        wait_for(lambda: "Another launch asked for this window" in app_log(data))
        assert first.poll() is None, "the first app keeps running"
        assert app_log(data).count("Main window painted") == 1
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=20)
        assert first.returncode == 0
    finally:
        if first.poll() is None:
            first.kill()


def test_a_lock_left_by_a_crashed_app_does_not_block_the_next_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    crashed = _start(data)
    wait_for(lambda: "Desktop Chat ready" in app_log(data))
    crashed.kill()
    crashed.communicate(timeout=20)
    assert (data / "desktop-chat.lock").exists()
    result = subprocess.run(
        [str(ENTRY_POINT), "--data-dir", str(data), "--quit-after-first-paint"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["first-paint", "ready"]


def test_a_stale_lock_whose_process_id_another_program_has_is_taken_over(
    tmp_path: Path,
) -> None:
    """The lock of a crashed app names a process id that a new program now has: it does not
    answer as Desktop Chat, so the lock is taken over (it blocked start-up until that program
    ended, with a message that did not mention the lock)."""
    data = tmp_path / "data"
    (data / "conversations").mkdir(parents=True)
    # Another program, alive, run by the same interpreter (so Qt's own check, which
    # compares the process's executable, takes it for the owner).
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        wait_for(lambda: Path(f"/proc/{other.pid}/exe").exists())
        executable = Path(f"/proc/{other.pid}/exe").resolve().name
        (data / "desktop-chat.lock").write_text(
            f"{other.pid}\n{executable}\n{os.uname().nodename}\n", encoding="utf-8"
        )
        result = subprocess.run(
            [str(ENTRY_POINT), "--data-dir", str(data), "--quit-after-first-paint"],
            capture_output=True, text=True, timeout=60, env=_env(), check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["first-paint", "ready"]
        log = app_log(data)
        assert f"lock named process {other.pid}" in log and "took it over" in log
        assert other.poll() is None  # the other program is left alone
    finally:
        other.kill()
        other.wait()


def _doctor(data: Path, *, before: bool = False) -> subprocess.CompletedProcess[str]:
    arguments = (
        ["--data-dir", str(data), "doctor"] if before else ["doctor", "--data-dir", str(data)]
    )
    return subprocess.run(
        [str(ENTRY_POINT), *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        check=False,
    )


def test_doctor_on_a_healthy_folder_counts_and_rebuilds_the_index(tmp_path: Path) -> None:
    from desktop_chat.storage import ConversationStore
    from tests.helpers.conversations import make_conversation

    data = tmp_path / "data"
    store = ConversationStore(data)
    store.open()
    for number in range(3):
        store.save(make_conversation(title=f"Chat {number}", turns=2))
    store.close()
    (data / "index.sqlite3").unlink()

    result = _doctor(data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Files checked: 3" in result.stdout
    assert "Conversations: 3" in result.stdout
    assert "Messages: 12" in result.stdout
    assert "Problems: 0" in result.stdout
    assert "Index: rebuilt" in result.stdout
    assert (data / "index.sqlite3").exists()


def test_doctor_quarantines_what_it_cannot_read_and_fails(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "conversations").mkdir(parents=True)
    (data / "conversations" / "torn.json").write_text('{"schema": 2, "ti', encoding="utf-8")

    result = _doctor(data, before=True)
    assert result.returncode == 1
    assert "Problems: 1" in result.stdout
    assert "unreadable: torn.json: not valid JSON" in result.stdout
    assert (data / "quarantine" / "torn.json").exists()

    again = _doctor(data)
    assert again.returncode == 0, again.stdout
    assert "Already in quarantine from earlier: 1" in again.stdout


def test_doctor_refuses_while_the_app_runs_on_the_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = _start(data)
    try:
        wait_for(lambda: "Desktop Chat ready" in app_log(data))
        result = _doctor(data)
        assert result.returncode == 3
        assert "is running" in result.stderr
        assert "Close it" in result.stderr
    finally:
        app.send_signal(signal.SIGTERM)
        app.communicate(timeout=20)


def test_a_data_folder_it_cannot_lock_is_reported_not_mistaken_for_a_running_app(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    (data / "desktop-chat.lock").mkdir(parents=True)  # a lock file that cannot be created
    result = subprocess.run(
        [str(ENTRY_POINT), "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=30,
        env=_env(),
        check=False,
    )
    assert result.returncode == 2
    assert "cannot write to its data folder" in result.stderr
    assert "already running" not in result.stderr


def test_a_window_the_platform_never_paints_still_gets_its_chats(tmp_path: Path) -> None:
    """Start-up's last step waits for the filled window's first paint; a window that is
    never painted (started minimised) must not keep the chats from loading."""
    data = tmp_path / "data"
    code = (
        "import logging, sys\n"
        "from PySide6.QtCore import QObject, Signal\n"
        "import desktop_chat.app as app\n"
        "import desktop_chat.composition as composition\n"
        "class NeverPainted(QObject):\n"
        "    painted = Signal()\n"
        "    def __init__(self, widget):\n"
        "        super().__init__(widget)\n"
        "composition.FirstPaintWatcher = NeverPainted\n"
        "start = composition.DesktopChat.start\n"
        "def logged_start(self):\n"
        "    logging.getLogger('test').info('Starting the chats')\n"
        "    start(self)\n"
        "composition.DesktopChat.start = logged_start\n"
        f"sys.exit(app.main(['--data-dir', {str(data)!r}]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        wait_for(lambda: "Starting the chats" in app_log(data), "the chats to load")
        assert "Desktop Chat ready" not in app_log(data)  # it really was never painted
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
        assert process.returncode == 0, stderr
        assert "stopped cleanly" in app_log(data)
    finally:
        if process.poll() is None:
            process.kill()


def test_a_read_only_data_folder_opens_read_only_and_an_empty_one_is_refused_cleanly(
    tmp_path: Path,
) -> None:
    """A data folder on a disk that went read-only crashed start-up with a traceback (the
    log file could not be opened)."""
    from tests.helpers.conversations import make_conversation, save_conversations
    from tests.helpers.disk_faults import read_only_disk

    lisbon = make_conversation(title="Trip to Lisbon", answer="Take tram 28 to Alfama.")
    data = tmp_path / "data"
    with read_only_disk(data, lambda folder: save_conversations(folder, lisbon)):
        result = subprocess.run(
            [str(ENTRY_POINT), "--data-dir", str(data), "--quit-after-first-paint"],
            capture_output=True, text=True, timeout=60, env=_env(), check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["first-paint", "ready"]
        assert "Traceback" not in result.stderr
        cache = Path(os.environ["XDG_CACHE_HOME"]) / "desktop-chat"
        log = next(cache.glob("**/desktop-chat.log")).read_text(encoding="utf-8")
        assert "opening it read-only" in log and "stopped cleanly" in log
        listed = subprocess.run(
            [str(ENTRY_POINT), "--data-dir", str(data), "search", "tram"],
            capture_output=True, text=True, timeout=60, env=_env(), check=False,
        )  # fmt: skip
        assert listed.returncode == 0, listed.stderr
        assert "Trip to Lisbon" in listed.stdout
        doctor = subprocess.run(
            [str(ENTRY_POINT), "--data-dir", str(data), "doctor"],
            capture_output=True, text=True, timeout=60, env=_env(), check=False,
        )  # fmt: skip
        assert doctor.returncode == 2 and "read-only disk" in doctor.stderr
        assert "Traceback" not in doctor.stderr

    empty = tmp_path / "empty"
    with read_only_disk(empty, lambda folder: None):
        result = subprocess.run(
            [str(ENTRY_POINT), "--data-dir", str(empty)],
            capture_output=True, text=True, timeout=60, env=_env(), check=False,
        )  # fmt: skip
        assert result.returncode == 2
        assert "cannot use the data folder" in result.stderr and "Traceback" not in result.stderr
