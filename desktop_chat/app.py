"""The composition root: the only place that builds the app's objects and wires them.

Start-up order matters: the window is shown and painted before anything slow (the
`openai` import, most of all) is loaded.
"""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from . import __version__, feature_scan  # noqa: F401  (first: it speeds up the rest)
from .api import ChatClient, Endpoint
from .cli import parse_arguments
from .instance import InstanceLock
from .main_thread_gc import MainThreadCollector
from .paths import AppPaths
from .secrets import KeyStore
from .service import ChatService, SettingsService
from .storage import ConversationStore
from .storage.key_file import PlaintextKeyFile
from .storage.settings_file import SettingsFile
from .ui.code_highlight import CodeHighlighter
from .ui.language import Language
from .ui.main_window import MainWindow
from .ui.theme import Theme

APP_NAME = "desktop-chat"
APP_DISPLAY_NAME = "Desktop Chat"
APP_ID = "io.github.desktopchat.DesktopChat"
"""The desktop file's name (resources/linux/) and the Wayland app id."""
ICON = ":/desktop-chat/icon.svg"
LOG_FILE_NAME = "desktop-chat.log"

log = logging.getLogger(__name__)


class DesktopChat(QObject):
    """Every long-lived object of one running app, built and connected."""

    window_replaced = Signal()
    """The main window was rebuilt (in another language); `window` is the new one."""

    def __init__(
        self,
        paths: AppPaths,
        environ: Mapping[str, str],
        collector: MainThreadCollector | None = None,
    ) -> None:
        super().__init__()
        self._collector = collector
        self.paths = paths
        self.store = ConversationStore(paths.data_dir)
        self.client = ChatClient(
            Endpoint(), system_proxy=lambda url: system_proxy_for(url, environ)
        )
        self.keys = KeyStore(plaintext=PlaintextKeyFile(paths.config_dir))
        self.settings = SettingsService(
            SettingsFile(paths.config_dir), self.keys, self.client, environ
        )
        self.language = Language()
        self._language_choice = self.settings.settings.language
        self.language.apply(self._language_choice)  # before any widget exists
        self.theme = Theme()
        self._theme_choice = self.settings.settings.theme
        self.theme.apply(self._theme_choice)
        self.settings.changed.connect(self._follow_interface_settings)
        self.service = ChatService(self.store, self.client, self.settings)
        self.ui_state = QSettings(
            str(paths.config_dir / "desktop-chat.ini"), QSettings.Format.IniFormat
        )
        self.window = MainWindow(self.service, self.settings, paths.data_dir, self.ui_state)
        self.startup: list[asyncio.Future[Any]] = []
        """Start-up work begun by `start()`, for whoever needs it finished."""

    def _follow_interface_settings(self) -> None:
        if self.settings.settings.theme != self._theme_choice:
            self._theme_choice = self.settings.settings.theme
            self.theme.apply(self._theme_choice)  # live: widgets follow the palette
        if self.settings.settings.language != self._language_choice:
            self._language_choice = self.settings.settings.language
            # After the Settings dialog has closed: it belongs to the window replaced.
            QTimer.singleShot(0, self._switch_language)

    def _switch_language(self) -> None:
        """Use the new language now: the window is built again in it, showing the same
        chat, draft and layout; the conversations, replies and service are untouched."""
        self.language.apply(self._language_choice)
        old = self.window
        conversation_id = old.conversation_id
        old.hide_for_replacement()  # its draft and layout saved: the new one restores them
        self.window = MainWindow(self.service, self.settings, self.paths.data_dir, self.ui_state)
        self.window.show()
        self.window.activateWindow()
        if self.service.is_loaded(conversation_id):
            self.window.open_conversation(conversation_id)
        old.close()  # and freed with its last reference, when this method returns
        self.window.start_after_replacement()
        self.window_replaced.emit()

    def start(self) -> None:
        """Once the window is painted: open the store, load the network stack and the
        code highlighter off the UI thread; then take start-up's objects out of GC."""
        loop = asyncio.get_running_loop()
        self.service.warm_up()
        opening = loop.create_task(self.service.start())
        preloading = loop.run_in_executor(None, CodeHighlighter.preload)
        self.window.message_view.highlighter.wait_for(preloading)
        self.startup = [opening, preloading, loop.create_task(self.service.network_ready())]
        self.startup.append(loop.create_task(self._settle(list(self.startup))))

    async def _settle(self, startup: list[asyncio.Future[Any]]) -> None:
        await asyncio.gather(*startup, return_exceptions=True)
        if self._collector is not None:
            self._collector.freeze_long_lived()

    def bring_forward(self) -> None:
        """Another launch wants this window."""
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    async def shutdown(self) -> None:
        """Stop replies (keeping what arrived), save everything, close connections."""
        await self.service.shutdown()
        await asyncio.gather(*self.startup, return_exceptions=True)
        self.language.remove()
        self.theme.restore()


class CrashReporter:
    """Unexpected exceptions (in a Qt slot, an event-loop callback or a background action)
    are logged with their traceback and shown once in a dialog that says where the log is.
    The app carries on: conversations are saved as they change, and Quit saves the rest."""

    def __init__(self, log_file: Path, window: Callable[[], QWidget | None]) -> None:
        self.log_file = log_file
        self._window = window
        self.dialog: Any = None
        self.reported = 0

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        sys.excepthook = self.excepthook
        loop.set_exception_handler(self.loop_exception)

    def excepthook(self, kind: type[BaseException], error: BaseException, trace: Any) -> None:
        log.critical("Unexpected error", exc_info=(kind, error, trace))
        self._tell()

    def loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if isinstance(error, (asyncio.CancelledError, KeyboardInterrupt)):
            return
        log.critical(
            "Unexpected error: %s",
            context.get("message", "in the event loop"),
            exc_info=error if isinstance(error, BaseException) else None,
        )
        self._tell()

    def _tell(self) -> None:
        self.reported += 1
        if self.dialog is not None and self.dialog.isVisible():
            return  # one dialog at a time; the log has every error
        from .ui.crash_dialog import CrashDialog

        window = self._window()
        self.dialog = CrashDialog(self.log_file, window)
        if window is not None:
            self.dialog.quit_button.clicked.connect(window.close)
        self.dialog.open()  # not exec(): no nested event loop


class FirstPaintWatcher(QObject):
    """Emits `painted` once, right after the watched widget has been painted the first time."""

    painted = Signal()

    def __init__(self, widget: QObject) -> None:
        super().__init__(widget)
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            # The filter runs before the paint; report once the paint has been delivered.
            QTimer.singleShot(0, self.painted.emit)
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    paths = AppPaths.resolve(args.data_dir, os.environ)
    try:
        paths.create()
    except OSError as exc:
        print(f"desktop-chat: cannot use the data folder {paths.data_dir}: {exc}", file=sys.stderr)
        return 2
    configure_logging(paths.log_dir)
    if args.command:
        from .commands import run_command

        return run_command(args, paths)
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

    lock = InstanceLock(paths.data_dir)
    if not lock.try_acquire():
        return _defer_to_running_app(lock, paths)
    collector = MainThreadCollector(app)  # before any worker thread starts

    from .event_loop import EventLoop

    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    loop.install_asyncgen_hooks()
    windows: list[QWidget] = []
    reporter = CrashReporter(paths.log_dir / LOG_FILE_NAME, lambda: windows[0] if windows else None)
    reporter.install(loop)
    try:
        return loop.run_until_complete(
            run_app(
                app,
                paths,
                os.environ,
                lock=lock,
                collector=collector,
                quit_after_first_paint=args.quit_after_first_paint,
                windows=windows,
            )
        )
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        collector.stop()
        lock.release()


def _defer_to_running_app(lock: InstanceLock, paths: AppPaths) -> int:
    """A second launch on the same data folder: wake the first, or say why we cannot start."""
    if not lock.held_by_another_app:
        message = (
            f"Desktop Chat cannot write to its data folder {paths.data_dir}. Check that the "
            "folder exists and is writable, or choose another one with --data-dir."
        )
        return _refuse_to_start(message, exit_code=2)
    if lock.ask_running_app_to_activate():
        log.info("Desktop Chat is already running with this data folder; brought it forward")
        print(
            "desktop-chat: already running with this data folder; brought its window forward.",
            file=sys.stderr,
        )
        return 0
    message = (
        f"Desktop Chat is already running with the data folder {paths.data_dir} "
        f"(process {lock.owner_pid()}), and it did not answer. Close it, or start this one "
        "with another --data-dir."
    )
    return _refuse_to_start(message, exit_code=1)


def _refuse_to_start(message: str, exit_code: int) -> int:
    log.error(message)
    print(f"desktop-chat: {message}", file=sys.stderr)
    if QApplication.platformName() in ("offscreen", "minimal"):
        return exit_code  # no screen: nobody could read or close a dialog
    box = QMessageBox(QMessageBox.Icon.Warning, APP_DISPLAY_NAME, message)
    box.open()
    # Not exec(): a dialog nobody can see (no display) must not keep the process forever.
    QTimer.singleShot(60_000, box.reject)
    box.finished.connect(QApplication.quit)
    QApplication.exec()
    return exit_code


async def run_app(
    app: QApplication,
    paths: AppPaths,
    environ: Mapping[str, str],
    *,
    lock: InstanceLock | None = None,
    collector: MainThreadCollector | None = None,
    quit_after_first_paint: bool = False,
    windows: list[QWidget] | None = None,
) -> int:
    """Show the window and run until it is closed, then shut down cleanly. The window is
    added to `windows` for whoever needs to find it (the crash reporter)."""
    started = time.perf_counter()
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    chat = DesktopChat(paths, environ, collector)
    if windows is not None:
        windows.append(chat.window)
        chat.window_replaced.connect(lambda: windows.__setitem__(0, chat.window))
    if lock is not None:
        lock.listen_for_activation(chat.bring_forward)
    _close_on_termination_signals(lambda: chat.window.close())  # the window of the moment
    watcher = FirstPaintWatcher(chat.window)
    watcher.painted.connect(
        lambda: log.info(
            "Main window painted %.0f ms after the app started",
            (time.perf_counter() - started) * 1000,
        )
    )
    if quit_after_first_paint:
        watcher.painted.connect(lambda: print("first-paint", flush=True))
        watcher.painted.connect(chat.window.close)
    else:
        watcher.painted.connect(chat.start)
    chat.window.show()
    # A freshly launched app takes the keyboard, so shortcuts work without a first click.
    chat.window.activateWindow()
    await closed.wait()
    await chat.shutdown()
    log.info("Desktop Chat stopped cleanly")
    return 0


PROXY_VARIABLES = (
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "ALL_PROXY",
    "https_proxy",
    "http_proxy",
    "all_proxy",
)


def system_proxy_for(url: str, environ: Mapping[str, str]) -> str | None:
    """The HTTP proxy the system settings give for `url` (Windows, macOS), as a URL.

    Environment variables, which the HTTP client honours itself, take precedence.
    """
    if any(environ.get(name) for name in PROXY_VARIABLES):
        return None
    from PySide6.QtCore import QUrl
    from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory, QNetworkProxyQuery

    for proxy in QNetworkProxyFactory.systemProxyForQuery(QNetworkProxyQuery(QUrl(url))):
        kind = proxy.type()
        if kind == QNetworkProxy.ProxyType.NoProxy:
            return None
        if kind == QNetworkProxy.ProxyType.HttpProxy:
            login = ""
            if proxy.user():
                login = f"{quote(proxy.user(), safe='')}:{quote(proxy.password(), safe='')}@"
            return f"http://{login}{proxy.hostName()}:{proxy.port()}"
        log.warning("Ignoring a system proxy of a kind this app cannot use: %s", kind)
    return None


def _close_on_termination_signals(close: Callable[[], object]) -> None:
    """A logout or `kill` closes the window the normal way, so replies are saved."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, close)
        except (NotImplementedError, RuntimeError):  # Windows has no such handlers
            return


def configure_logging(log_dir: Path) -> None:
    handler = logging.handlers.RotatingFileHandler(
        log_dir / LOG_FILE_NAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
