"""Test set-up shared by every test.

Every user directory (home, XDG folders) points into the test's tmp_path, the keyring is
the `fail` backend unless a test sets up a throwaway Secret Service, and Qt runs offscreen.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# As the app does first thing: PySide6's scan of every imported module, off (it can break
# an import running on another thread: desktop_chat/feature_scan.py).
import desktop_chat.feature_scan  # noqa: F401
from tests.helpers.async_helpers import run_async
from tests.helpers.logfail import fail_on_error_log  # noqa: F401  (an autouse fixture)
from tests.helpers.openai_server import FakeOpenAIServer

TEST_API_KEY = "sk-test-0123456789abcdefghijklmnopqrstuvwxyz"

_SCRUBBED_VARIABLES = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "DESKTOP_CHAT_DATA_DIR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


@pytest.fixture(scope="session", autouse=True)
def garbage_collected_on_the_main_thread(qapp):  # type: ignore[no-untyped-def]
    """As in the app: a Qt object freed by the cycle collector on a worker thread leaves
    its timers behind, and the process later crashes (see desktop_chat/main_thread_gc.py)."""
    from desktop_chat.main_thread_gc import MainThreadCollector

    collector = MainThreadCollector()
    yield collector
    collector.stop()


@pytest.fixture(scope="session", autouse=True)
def english_locale() -> None:
    """Dates and numbers follow the locale; the tests read them in one known locale."""
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale("en_US"))


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    folders = {
        "HOME": home,
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_STATE_HOME": home / ".local" / "state",
        "XDG_RUNTIME_DIR": tmp_path / "runtime",
    }
    for variable, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(variable, str(folder))
    (tmp_path / "runtime").chmod(0o700)
    for variable in _SCRUBBED_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return home


@pytest.fixture
def event_loop(qapp):  # type: ignore[no-untyped-def]
    """A qasync loop that runs whenever pytest-qt processes Qt events (qtbot.waitUntil...)."""
    from desktop_chat.event_loop import EventLoop

    loop = EventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    hooks = loop.install_asyncgen_hooks()
    yield loop
    leftover = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in leftover:
        task.cancel()
    deadline = time.monotonic() + 5
    while not all(task.done() for task in leftover) and time.monotonic() < deadline:
        qapp.processEvents()
    asyncio.events._set_running_loop(None)
    # Not loop.stop(): it calls QApplication.exit(), which sets Qt's sticky "quit now" flag,
    # and from then on every QEventLoop.exec() (pytest-qt's waits) returns at once.
    loop._QEventLoop__is_running = False
    loop.close()
    asyncio.set_event_loop(None)
    sys.set_asyncgen_hooks(*hooks)
    assert not leftover, f"tasks still running after the test: {leftover}"


@pytest.fixture
def system_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A real Secret Service (GNOME Keyring on a private D-Bus, data in tmp_path), made the
    keyring that `keyring` uses in this process; the `fail` backend again afterwards."""
    import keyring
    from keyring.backends import fail

    from tests.helpers import secret_service

    if not secret_service.available():
        if os.environ.get(secret_service.REQUIRED_ENV):
            pytest.fail("gnome-keyring and dbus are required here (see .ci/test)")
        pytest.skip("needs gnome-keyring and dbus-daemon")
    with secret_service.secret_service(tmp_path / "keyring") as env:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        from keyring.backends.SecretService import Keyring

        backend = Keyring()
        keyring.set_keyring(backend)
        try:
            yield backend
        finally:
            keyring.set_keyring(fail.Keyring())


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    server = FakeOpenAIServer().start()
    yield server
    server.stop()


@pytest.fixture
def server_env(openai_server: FakeOpenAIServer) -> dict[str, str]:
    """The environment a user would set to point the app at the test server."""
    return {"OPENAI_BASE_URL": openai_server.base_url, "OPENAI_API_KEY": TEST_API_KEY}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


Launcher = Callable[..., "DesktopChat"]  # noqa: F821


@pytest.fixture
def launch(qtbot, event_loop, data_dir: Path, server_env: dict[str, str]):  # type: ignore[no-untyped-def]
    """Start the real app (composition root, window shown) the way `main()` does.

    `launch(env=...)` overrides the environment, other keywords go to `DesktopChat`
    (`save_retry_delays=(0.05,)`); `quit_app(chat)` shuts one down as
    closing the window would, so a later `launch()` on the same data folder is a restart.
    """
    from desktop_chat.composition import DesktopChat
    from desktop_chat.interface import Interface
    from desktop_chat.paths import AppPaths
    from desktop_chat.startup import show_and_wait_for_paint

    running: list[DesktopChat] = []

    def _launch(
        env: Mapping[str, str] | None = None, *, read_only: bool = False, **options: Any
    ) -> DesktopChat:
        paths = AppPaths.resolve(data_dir, {})
        if not read_only:
            paths.create()
        # In two steps, as `main()` does: the frame painted, then the rest attached to it.
        interface = Interface.prepare(paths)
        qtbot.addWidget(interface.window)
        assert show_and_wait_for_paint(interface.window)
        chat = DesktopChat(
            paths,
            server_env if env is None else env,
            interface=interface,
            read_only=read_only,
            **options,
        )
        running.append(chat)
        chat.start()
        qtbot.waitUntil(lambda: chat.service.is_ready)
        return chat

    yield _launch
    for chat in running:
        quit_app(qtbot, chat)


def quit_app(qtbot, chat) -> None:  # type: ignore[no-untyped-def]
    """What happens when the user closes the window: replies stop and are saved."""
    import shiboken6

    # pytest-qt closes (and disposes of) the test's widgets before fixtures end.
    if shiboken6.isValid(chat.window) and chat.window.isVisible():
        chat.window.close()
    run_async(qtbot, chat.shutdown())
