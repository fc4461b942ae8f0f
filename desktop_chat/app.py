"""Start-up: from the command line to a window on screen, then the rest of the app.

Order matters, and so does what is imported when. Before the first paint: the command
line, the data folder's lock, the language and theme (read from the settings file), and
the main window's frame (`interface`). After it: the event loop, the store, the network stack and
the window's contents (`composition`), ~100 ms the window need not wait for; and only
once the filled window is painted, the slow parts (`openai`, the keyring, the index).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from . import __version__, feature_scan  # noqa: F401  (first: it speeds up the rest)
from .cli import parse_arguments
from .instance import InstanceLock
from .interface import Interface
from .paths import AppPaths
from .startup import show_and_wait_for_paint, since_start_ms

APP_NAME = "desktop-chat"
APP_DISPLAY_NAME = "Desktop Chat"
APP_ID = "io.github.desktopchat.DesktopChat"
"""The desktop file's name (resources/linux/) and the Wayland app id."""
ICON = ":/desktop-chat/icon.svg"
LOG_FILE_NAME = "desktop-chat.log"

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    paths = AppPaths.resolve(args.data_dir, os.environ)
    try:
        paths.create()
        read_only = not _can_write(paths.data_dir)
    except OSError as exc:
        if not paths.conversations_dir.is_dir():  # nothing there to read either
            print(
                f"desktop-chat: cannot use the data folder {paths.data_dir}: {exc}",
                file=sys.stderr,
            )
            return 2
        read_only = True
    if args.command:
        from .commands import run_command

        configure_logging(log_dirs(paths))
        return run_command(args, paths)
    # The log file opens once the window is painted (its module alone costs ~5 ms); what
    # is logged before then is held for it.
    hold_log_records()
    try:
        return _start(paths, quit_when_ready=args.quit_after_first_paint, read_only=read_only)
    finally:
        configure_logging(log_dirs(paths))  # after a start that failed before the paint


def _can_write(folder: Path) -> bool:
    """Whether files can be made in `folder` (not a read-only disk or folder)."""
    probe = folder / f".desktop-chat-write-test-{os.getpid()}"
    try:
        probe.touch()
        probe.unlink()
    except OSError:
        return False
    return True


def log_dirs(paths: AppPaths) -> list[Path]:
    """Where the log may go: the data folder's logs, else (a read-only data folder) a
    folder beside the recovery files."""
    return [paths.log_dir, *(folder.parent / "logs" for folder in paths.recovery_dirs[:1])]


def _start(paths: AppPaths, *, quit_when_ready: bool, read_only: bool = False) -> int:
    log.info("Desktop Chat %s starting; data in %s", __version__, paths.data_dir)
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    from . import resources_rc  # noqa: F401  (registers the icon, translations, styles)

    app.setWindowIcon(QIcon(ICON))
    # qasync: the last window closing must not stop the loop under coroutines still
    # cleaning up; run_app ends the loop itself once shutdown is complete.
    app.setQuitOnLastWindowClosed(False)

    if read_only:
        # Nothing will be written: no lock to take (nor could one be), and two readers
        # cannot undo each other's saves.
        log.warning("The data folder %s cannot be written: opening it read-only", paths.data_dir)
        return _run(app, paths, None, quit_when_ready=quit_when_ready)
    lock = InstanceLock(paths.data_dir)
    took_over: int | None = None
    if not lock.try_acquire():
        owner = lock.owner_pid()
        if not lock.held_by_another_app or lock.ask_running_app_to_activate():
            return _defer_to_running_app(lock, paths)
        if not lock.take_over():
            return _refuse_to_start(
                f"Desktop Chat found a lock on its data folder {paths.data_dir} (process "
                f"{owner}) that does not answer as Desktop Chat, and could not take it over.",
                exit_code=1,
            )
        took_over = owner
        log.warning(
            "The data folder's lock named process %s, which did not answer as Desktop Chat "
            "(a stale lock whose process id another program now has); took it over",
            owner,
        )
    try:
        return _run(app, paths, lock, quit_when_ready=quit_when_ready, took_over=took_over)
    finally:
        lock.release()


def _run(
    app: QApplication,
    paths: AppPaths,
    lock: InstanceLock | None,
    *,
    quit_when_ready: bool,
    took_over: int | None = None,
) -> int:
    interface = Interface.prepare(paths)
    painted = show_and_wait_for_paint(interface.window)
    painted_ms = since_start_ms()
    if painted and quit_when_ready:
        print("first-paint", flush=True)
    log_file = configure_logging(log_dirs(paths))
    if painted:
        log.info("Main window painted %.0f ms after start-up began", painted_ms)
    if not interface.window.isVisible():
        log.info("Closed while starting")
        return 0

    import asyncio

    from .composition import CrashReporter, run_app
    from .event_loop import EventLoop
    from .main_thread_gc import MainThreadCollector

    collector = MainThreadCollector(app)  # before any worker thread starts
    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    loop.install_asyncgen_hooks()
    windows: list[QWidget] = []
    reporter = CrashReporter(
        log_file or paths.log_dir / LOG_FILE_NAME, lambda: windows[0] if windows else None
    )
    reporter.install(loop)
    try:
        return loop.run_until_complete(
            run_app(
                app,
                paths,
                os.environ,
                lock=lock,
                read_only=lock is None,
                took_over_lock_of=took_over,
                collector=collector,
                interface=interface,
                quit_when_ready=quit_when_ready,
                windows=windows,
            )
        )
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        collector.stop()


def _defer_to_running_app(lock: InstanceLock, paths: AppPaths) -> int:
    """A second launch on the same data folder (the first was woken), or a lock that cannot
    be used at all: say so."""
    if not lock.held_by_another_app:
        message = (
            f"Desktop Chat cannot write to its data folder {paths.data_dir}. Check that the "
            "folder exists and is writable, or choose another one with --data-dir."
        )
        return _refuse_to_start(message, exit_code=2)
    log.info("Desktop Chat is already running with this data folder; brought it forward")
    print(
        "desktop-chat: already running with this data folder; brought its window forward.",
        file=sys.stderr,
    )
    return 0


def _refuse_to_start(message: str, exit_code: int) -> int:
    log.error(message)
    print(f"desktop-chat: {message}", file=sys.stderr)
    if QApplication.platformName() in ("offscreen", "minimal"):
        return exit_code  # no screen: nobody could read or close a dialog
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, APP_DISPLAY_NAME, message)
    box.open()
    # Not exec(): a dialog nobody can see (no display) must not keep the process forever.
    QTimer.singleShot(60_000, box.reject)
    box.finished.connect(QApplication.quit)
    QApplication.exec()
    return exit_code


class _HeldRecords(logging.Handler):
    """Keeps what is logged before the log file is open."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def hold_log_records() -> None:
    root = logging.getLogger()
    root.addHandler(_HeldRecords())
    root.setLevel(logging.INFO)


def configure_logging(log_dirs: Sequence[Path]) -> Path | None:
    """Log to a rotating file in the first of `log_dirs` that takes one, starting with any
    records held until now; returns the file (None: no folder could take it, and the log
    goes to the standard error). Once per process: later calls change nothing."""
    import logging.handlers

    root = logging.getLogger()
    for existing in root.handlers:
        if isinstance(existing, logging.handlers.RotatingFileHandler):
            return Path(existing.baseFilename)
        if getattr(existing, "_desktop_chat_fallback", False):
            return None
    handler: logging.Handler | None = None
    path: Path | None = None
    for folder in log_dirs:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / LOG_FILE_NAME
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
            break
        except OSError:
            path = None
    if handler is None:
        handler = logging.StreamHandler()
        handler._desktop_chat_fallback = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for held in [h for h in root.handlers if isinstance(h, _HeldRecords)]:
        root.removeHandler(held)
        for record in held.records:
            handler.handle(record)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
