"""Start-up time: process start to the first painted main window, offscreen.

Prints `name: value unit` lines (medians of several runs):
  app_start_ms        the app, from source, with --quit-after-first-paint: to the main
                      window's first paint (its frame, before the rest of the app loads)
  app_ready_ms        the same run, to the first paint of the filled window (the list,
                      a new chat, the composer), when it answers input; the saved chats
                      are listed just after, as the store opens
  bundle_start_ms     app_start_ms from the onedir bundle, when dist/desktop-chat/ is built
  bundle_ready_ms     app_ready_ms from the bundle
  minimal_window_ms   a QMainWindow holding one QTextBrowser, shown, painted, quit
  start_ratio         app_start_ms / minimal_window_ms

Usage: python tests/bench/bench_startup.py [--runs N] [--conversations N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = (
    ROOT / "dist" / "desktop-chat" / ("desktop-chat.exe" if os.name == "nt" else "desktop-chat")
)
MINIMAL_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser

class Watcher(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, done)
        return False

def done():
    print("first-paint", flush=True)
    app.quit()

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QTextBrowser())
watcher = Watcher()
window.installEventFilter(watcher)
window.resize(1100, 720)
window.show()
app.exec()
"""


def time_to_paints(command: list[str], env: dict[str, str]) -> list[float]:
    """Milliseconds from spawning `command` until each line it prints: `first-paint`, and
    for the app `ready` after it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert process.stdout is not None
    lines, times = [], []
    for line in process.stdout:
        times.append((time.perf_counter() - started) * 1000)
        lines.append(line.strip())
    process.wait(timeout=60)
    if not lines or lines[0] != "first-paint" or process.returncode != 0:
        raise RuntimeError(f"{command[0]} did not report a first paint (exit {process.returncode})")
    return times


def seed_conversations(data_dir: Path, count: int) -> None:
    """Saved conversations, so start-up reads a realistic data folder."""
    from desktop_chat.domain import Conversation, Message, Role
    from desktop_chat.storage import ConversationStore

    store = ConversationStore(data_dir)
    store.open()
    for number in range(count):
        conversation = Conversation(title=f"Conversation {number}")
        for turn in range(10):
            conversation.messages.append(Message(role=Role.USER, content=f"Question {turn}?"))
            conversation.messages.append(
                Message(role=Role.ASSISTANT, content=f"Answer {turn} " + "lorem ipsum " * 40)
            )
        store.save(conversation)
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--conversations", type=int, default=0)
    args = parser.parse_args()

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # As installed (pip compiles on install; the bundle holds bytecode): the unmeasured
    # first run below writes the .pyc files, which this variable would forbid.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as temp:
        data_dir = Path(temp) / "data"
        seed_conversations(data_dir, args.conversations)
        app = [
            sys.executable,
            "-m",
            "desktop_chat",
            "--data-dir",
            str(data_dir),
            "--quit-after-first-paint",
        ]
        minimal = [sys.executable, "-c", MINIMAL_WINDOW]
        bundle = None
        if BUNDLE.exists():
            bundle = [str(BUNDLE), "--data-dir", str(data_dir), "--quit-after-first-paint"]
        app_times, minimal_times, bundle_times = [], [], []
        time_to_paints(app, env)  # warm the OS file cache once, not measured
        time_to_paints(minimal, env)
        if bundle:
            time_to_paints(bundle, env)
        for _ in range(args.runs):
            app_times.append(time_to_paints(app, env))
            minimal_times.append(time_to_paints(minimal, env)[0])
            if bundle:
                bundle_times.append(time_to_paints(bundle, env))

    app_ms = statistics.median(t[0] for t in app_times)
    minimal_ms = statistics.median(minimal_times)
    print(f"app_start_ms: {app_ms:.0f} ms")
    print(f"app_ready_ms: {statistics.median(t[-1] for t in app_times):.0f} ms")
    if bundle_times:
        print(f"bundle_start_ms: {statistics.median(t[0] for t in bundle_times):.0f} ms")
        print(f"bundle_ready_ms: {statistics.median(t[-1] for t in bundle_times):.0f} ms")
    print(f"minimal_window_ms: {minimal_ms:.0f} ms")
    print(f"start_ratio: {app_ms / minimal_ms:.2f} x")


if __name__ == "__main__":
    main()
