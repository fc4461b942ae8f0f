"""The API key goes to the keyring and to the server, and nowhere else: no file, no export,
no log line, no error message, no repr()."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop_chat.app import configure_logging
from desktop_chat.cli import parse_arguments
from desktop_chat.commands import run_command
from desktop_chat.domain import MessageStatus
from desktop_chat.paths import AppPaths
from desktop_chat.service import KeyChange, KeySource
from desktop_chat.settings import Profile, Settings
from desktop_chat.storage.settings_file import SettingsFile
from tests.conftest import quit_app
from tests.helpers.async_helpers import run_async
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply

KEY = "sk-proj-hygiene-Q7w3e9r1t5y2u8i4o6p0aSdFgHjKlZxCvBnM"
# What must never appear: the key, and the part of it a server's masked echo leaves out.
SECRETS = (KEY, KEY[8:-4])


@pytest.fixture
def log_file(data_dir: Path) -> Iterator[Path]:
    """The app's own log file, at DEBUG so that even the libraries' chatter is searched."""
    paths = AppPaths.resolve(data_dir, {})
    paths.create()
    root = logging.getLogger()
    before = list(root.handlers), root.level
    configure_logging([paths.log_dir])
    root.setLevel(logging.DEBUG)
    yield paths.log_dir / "desktop-chat.log"
    for handler in root.handlers[:]:
        if handler not in before[0]:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(before[1])


def _leaks(text: str) -> bool:
    return any(secret in text for secret in SECRETS)


def test_after_saving_chatting_failing_and_exporting_the_key_is_only_in_the_keyring(
    qtbot,
    launch,
    openai_server: FakeOpenAIServer,
    data_dir: Path,
    tmp_path: Path,
    system_keyring: Any,
    log_file: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    openai_server.api_key = KEY
    profile = Profile(id="work", name="Work", base_url=openai_server.base_url, needs_key=True)
    SettingsFile(data_dir / "config").save(
        replace(Settings().with_profile(profile), active_profile="work")
    )
    chat = launch(env={})
    qtbot.waitUntil(lambda: chat.window.panel.stack.currentWidget() is chat.window.panel.welcome)
    welcome = chat.window.panel.welcome

    # Save through the welcome page: a test first, then the keyring.
    qtbot.keyClicks(welcome.key.edit, KEY)
    qtbot.mouseClick(welcome.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "It works" in welcome.result.text())
    qtbot.mouseClick(welcome.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chat.settings.key_source is KeySource.KEYRING)
    assert system_keyring.get_password("desktop-chat", "work") == KEY

    # Chat.
    edit = chat.window.panel.composer.edit
    qtbot.keyClicks(edit, "Hello")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    conversation = chat.service.conversation(chat.window.conversation_id)
    qtbot.waitUntil(lambda: conversation.messages[-1].status is MessageStatus.COMPLETE)
    # The title is asked for next: let it take its reply before the scripted ones.
    qtbot.waitUntil(lambda: len(openai_server.chat_requests()) == 2)

    # A server that quotes the key in its errors: every retry, then the failure.
    quoting = ScriptedReply(
        status=500,
        error={"error": {"message": f"Internal error handling key {KEY}", "type": "server"}},
    )
    chat.client.retry_delays = (0.01, 0.01, 0.01)
    openai_server.enqueue(quoting, quoting, quoting, quoting)
    qtbot.keyClicks(edit, "Again")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: conversation.messages[-1].status is MessageStatus.ERROR)
    assert not _leaks(conversation.messages[-1].error or "")
    assert not _leaks(chat.window.panel.message_view.toPlainText())
    # A 401 echoing the key, masked, as OpenAI does.
    openai_server.api_key = "sk-proj-some-other-key-000000000000000000"
    chat.service.retry(chat.window.conversation_id)
    qtbot.waitUntil(lambda: not chat.service.is_streaming(chat.window.conversation_id))
    assert "rejected the API key" in (conversation.messages[-1].error or "")
    assert not _leaks(conversation.messages[-1].error or "")

    # Exports, in every format, of the chat that failed.
    exports = tmp_path / "exports"
    for fmt in ("md", "html", "pdf", "json", "txt"):
        report = run_async(
            qtbot,
            chat.library.export(
                [conversation.id],
                fmt,
                exports / f"chat.{fmt}",
                lambda d, t: None,
                threading.Event(),
            ),
        )
        assert len(report.written) == 1

    # Everything a user or a support request could show.
    for shown in (
        chat.settings,
        chat.settings.settings,
        chat.keys,
        chat.client,
        chat.client.endpoint,
        KeyChange(KEY),
    ):
        assert not _leaks(repr(shown)), repr(shown)
        assert not _leaks(str(shown)), str(shown)
    report = io.StringIO()
    quit_app(qtbot, chat)
    run_command(parse_arguments(["doctor"]), AppPaths.resolve(data_dir, {}), report, report)
    assert not _leaks(report.getvalue())

    # Every file the app wrote (conversations, settings, index, drafts, logs) and every
    # file under the home folder (Qt's own settings, caches).
    assert log_file.stat().st_size > 0
    written = [p for folder in (data_dir, tmp_path / "home", exports) for p in folder.rglob("*")]
    assert len([p for p in written if p.parent == exports]) == 5
    leaking = [p for p in written if p.is_file() and _leaks(p.read_bytes().decode("latin-1"))]
    assert leaking == []
    assert [r.getMessage() for r in caplog.records if _leaks(r.getMessage())] == []
    assert chat.settings.key_source is KeySource.KEYRING
