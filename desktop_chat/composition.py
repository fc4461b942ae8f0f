"""The composition root: builds the app's objects and wires them, once the window's frame
is on screen (see `app` for what comes before)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from .api import ChatClient, Endpoint
from .images import ImageThread
from .instance import InstanceLock
from .interface import Interface
from .main_thread_gc import MainThreadCollector
from .paths import AppPaths
from .render.math import Formulas
from .secrets import KeyStore
from .service import (
    SAVE_RETRY_DELAYS_S,
    AttachmentService,
    ChatService,
    LibraryService,
    SettingsService,
    StoreThread,
)
from .startup import PAINT_TIMEOUT_MS, FirstPaintWatcher, since_start_ms
from .storage import ConversationStore
from .storage.key_file import PlaintextKeyFile
from .storage.recovery import RecoveryFiles
from .storage.settings_file import SettingsFile
from .ui.conversation.code_highlight import CodeHighlighter
from .ui.main_window import MainWindow

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
        interface: Interface | None = None,
        *,
        read_only: bool = False,
        save_retry_delays: Sequence[float] = SAVE_RETRY_DELAYS_S,
    ) -> None:
        """`interface`: what start-up has already shown (built here when None).
        `read_only`: the data folder cannot be written; its chats are shown, never saved.
        `save_retry_delays`: how long a save that failed waits before each new try."""
        super().__init__()
        self._collector = collector
        self.paths = paths
        interface = interface or Interface.prepare(paths)
        self.language = interface.language
        self.theme = interface.theme
        self.ui_state = interface.state
        self.store = ConversationStore(paths.data_dir, read_only=read_only)
        self.client = ChatClient(
            Endpoint(), system_proxy=lambda url: system_proxy_for(url, environ)
        )
        self.keys = KeyStore(plaintext=PlaintextKeyFile(paths.config_dir))
        self.settings = SettingsService(
            SettingsFile(paths.config_dir), self.keys, self.client, environ
        )
        self._language_choice = self.settings.settings.language
        if self._language_choice != interface.language_choice:
            self.language.apply(self._language_choice)  # the file changed since start-up read it
        self._theme_choice = self.settings.settings.theme
        if not self.theme.applied or self.theme.choice != self._theme_choice:
            self.theme.apply(self._theme_choice)
        self.settings.changed.connect(self._follow_interface_settings)
        self.images = ImageThread()
        """Every picture decoded, scaled or encoded: on this one thread (see `images`)."""
        self.attachments = AttachmentService(self.store.attachments, self.images)
        store_thread = StoreThread(self.store)
        self.service = ChatService(
            store_thread,
            self.client,
            self.settings,
            self.attachments,
            save_retry_delays=save_retry_delays,
            recovery=RecoveryFiles(paths.recovery_dirs),
        )
        self.library = LibraryService(store_thread, self.service, self.images)
        self._math = _typesetter()
        self.formulas = Formulas(self._math)
        """Formulas typeset once for every window (a new language's window too), in a
        process of their own, started with the first formula."""
        self.window = interface.window
        self._attach_window()
        self.startup: list[asyncio.Future[Any]] = []
        """Start-up work begun by `start()`, for whoever needs it finished."""

    def _attach_window(self) -> None:
        self.window.attach(
            self.service,
            self.library,
            self.attachments,
            self.settings,
            self.paths.data_dir,
            self.formulas,
        )

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
        self.window = MainWindow(self.ui_state)
        self._attach_window()
        # Exactly where the old one was: restoring saved geometry on X11 adds a guess at
        # the window frame (it moved by (1, 25) each time).
        self.window.setGeometry(old.geometry())
        self.window.setWindowState(old.windowState())
        self.window.show()
        self.window.activateWindow()
        if self.service.is_loaded(conversation_id):
            self.window.open_conversation(conversation_id)
        old.close_without_asking()  # freed with its last reference, as this method returns
        self.window.start_after_replacement()
        self.window_replaced.emit()

    def start(self) -> None:
        """Once the filled window is painted: open the store, load the network stack, the
        code highlighter and the Markdown parser off the UI thread; then take start-up's
        objects out of GC."""
        loop = asyncio.get_running_loop()
        self.service.warm_up()
        opening = loop.create_task(self.service.start())
        preloading = loop.run_in_executor(None, _preload_rendering)
        self.window.panel.message_view.highlighter.wait_for(preloading)
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
        self.images.shutdown()
        self.formulas.stop()
        self._math.shutdown(wait=False, cancel_futures=True)
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
        from .ui.dialogs.crash_dialog import CrashDialog

        window = self._window()
        self.dialog = CrashDialog(self.log_file, window)
        if window is not None:
            self.dialog.quit_button.clicked.connect(window.close)
        self.dialog.open()  # not exec(): no nested event loop


async def run_app(
    app: QApplication,
    paths: AppPaths,
    environ: Mapping[str, str],
    *,
    lock: InstanceLock | None = None,
    read_only: bool = False,
    took_over_lock_of: int | None = None,
    collector: MainThreadCollector | None = None,
    interface: Interface | None = None,
    quit_when_ready: bool = False,
    windows: list[QWidget] | None = None,
) -> int:
    """Fill the window (`interface`'s, already on screen, or a new one) and run until it is
    closed, then shut down cleanly. The window is added to `windows` for whoever needs to
    find it (the crash reporter)."""
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    chat = DesktopChat(paths, environ, collector, interface, read_only=read_only)
    if windows is not None:
        windows.append(chat.window)
        chat.window_replaced.connect(lambda: windows.__setitem__(0, chat.window))
    if lock is not None:
        lock.listen_for_activation(chat.bring_forward)
    if took_over_lock_of is not None:
        chat.window.tell_lock_taken_over(took_over_lock_of)
    # No one to ask at a logout or a `kill`: what cannot be saved is kept elsewhere.
    _close_on_termination_signals(lambda: chat.window.close_without_asking())
    watcher = FirstPaintWatcher(chat.window)
    watcher.painted.connect(
        lambda: log.info("Desktop Chat ready %.0f ms after start-up began", since_start_ms())
    )
    started: list[bool] = []

    def start_once() -> None:
        if not started:
            started.append(True)
            chat.start()

    if quit_when_ready:
        watcher.painted.connect(lambda: print("ready", flush=True))
        watcher.painted.connect(chat.window.close)
    else:
        watcher.painted.connect(start_once)
        # A window the platform does not paint (started minimised) still gets its chats.
        QTimer.singleShot(PAINT_TIMEOUT_MS, start_once)
    if chat.window.isVisible():
        chat.window.update()  # the filled window's first paint is the watcher's
    else:
        chat.window.show()
        # A freshly launched app takes the keyboard, so shortcuts work without a first click.
        chat.window.activateWindow()
    await closed.wait()
    started.append(False)  # too late to start now
    await chat.shutdown()
    log.info("Desktop Chat stopped cleanly")
    return 0


def _typesetter() -> ProcessPoolExecutor:
    import multiprocessing

    # Spawned, not forked: a fork of a process running Qt and threads is not safe.
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


def _preload_rendering() -> None:
    """Import Pygments and build the Markdown parser (~40 ms each) on a worker thread, so
    the first reply drawn does not wait for them on the UI thread."""
    from .markdown import parser

    CodeHighlighter.preload()
    # A first parse compiles the autolinker's patterns and loads the plugins' rules.
    parser().parse("A *first* parse: see www.example.com, $x^2$ and\n\n| a |\n| - |\n")


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
