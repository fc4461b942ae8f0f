"""The welcome page, the Settings dialog and the key: real window, real HTTP, real files,
and (where marked) a real Secret Service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import KeyringLocked
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QPushButton

from desktop_chat.domain import MessageStatus
from desktop_chat.service import KeySource
from desktop_chat.settings import Profile, ProxyMode, SendKey, Settings
from desktop_chat.storage.settings_file import SETTINGS_FILE_NAME, SettingsFile
from tests.conftest import TEST_API_KEY, quit_app
from tests.helpers.forward_proxy import ForwardProxy
from tests.helpers.openai_server import FakeOpenAIServer
from tests.helpers.views import activate

KEY = "sk-proj-welcome-0123456789abcdefghijklmnopqrstuv"
WRONG_KEY = "sk-proj-wrong-9876543210zyxwvutsrqponmlkjihgfe"


def _write_settings(data_dir: Path, settings: Settings) -> None:
    SettingsFile(data_dir / "config").save(settings)


def _server_profile(server: FakeOpenAIServer, *, needs_key: bool = True) -> Profile:
    return Profile(id="work", name="Work server", base_url=server.base_url, needs_key=needs_key)


def _with_active(profile: Profile, **changes: Any) -> Settings:
    return replace(Settings().with_profile(profile), active_profile=profile.id, **changes)


def _welcome_for_a_server_needing_a_key(qtbot, launch, server, data_dir):  # type: ignore[no-untyped-def]
    """A first launch whose active profile is the test server, which wants `KEY`."""
    server.api_key = KEY
    _write_settings(data_dir, _with_active(_server_profile(server)))
    chat = launch(env={})
    qtbot.waitUntil(lambda: chat.window.panel.stack.currentWidget() is chat.window.panel.welcome)
    return chat, chat.window.panel.welcome


def _key_looked_up(qtbot, chat) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: chat.settings.key_source is not KeySource.UNKNOWN)


def _ask(qtbot, chat, question: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(chat.window.panel.composer.edit, question)
    qtbot.keyClick(chat.window.panel.composer.edit, Qt.Key.Key_Return)


def _last_reply(chat):  # type: ignore[no-untyped-def]
    return chat.service.conversation(chat.window.conversation_id).messages[-1]


def _open_settings(qtbot, chat):  # type: ignore[no-untyped-def]
    activate(qtbot, chat.window)
    qtbot.keyClick(chat.window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = chat.window.settings_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: "Looking" not in dialog.key_status.text())
    return dialog


def _save(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )


def _files_containing(folder: Path, secret: str) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and secret.encode() in path.read_bytes()
    ]


# --- the first launch -------------------------------------------------------------------


def test_a_first_launch_without_a_key_welcomes_and_keeps_the_draft(qtbot, launch) -> None:
    chat = launch(env={})
    window = chat.window
    qtbot.waitUntil(lambda: window.panel.stack.currentWidget() is window.panel.welcome)
    welcome = window.panel.welcome
    assert welcome.use_openai.isChecked()
    assert "https://platform.openai.com/api-keys" in welcome.key_link.text()
    assert welcome.key.edit.echoMode() is QLineEdit.EchoMode.Password
    qtbot.waitUntil(lambda: QApplication.focusWidget() is welcome.key.edit)
    # No Secret Service here: the page says so and offers this session, or (warned) a file.
    qtbot.waitUntil(welcome.storage.isVisible)
    assert "No system keyring" in welcome.storage.explanation.text()
    assert welcome.storage.session.isChecked()
    # The banner would repeat the page; the composer waits for a key, keeping what is typed.
    assert window.panel.notices.text_of("setup") is None
    assert not window.panel.composer.button.isEnabled()
    _ask(qtbot, chat, "Hello?")
    assert window.panel.composer.text() == "Hello?"
    assert window.sidebar.conversation_model.rowCount() == 0


def test_the_welcome_tests_a_key_then_keeps_it_for_the_session_without_a_keyring(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    chat, welcome = _welcome_for_a_server_needing_a_key(qtbot, launch, openai_server, data_dir)
    assert welcome.use_server.isChecked()
    assert welcome.base_url.text() == openai_server.base_url

    qtbot.mouseClick(welcome.test_button, Qt.MouseButton.LeftButton)
    assert "Enter your API key" in welcome.result.text()
    qtbot.keyClicks(welcome.key.edit, WRONG_KEY)
    qtbot.mouseClick(welcome.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "rejected the API key" in welcome.result.text())
    assert "✗" in welcome.result.text()
    assert WRONG_KEY[-4:] not in welcome.result.text()  # the server echoed it; we do not

    welcome.key.clear()
    qtbot.keyClicks(welcome.key.edit, KEY)
    qtbot.mouseClick(welcome.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "It works" in welcome.result.text())
    assert "offers 3 models" in welcome.result.text() or "offers" in welcome.result.text()

    qtbot.waitUntil(welcome.storage.isVisible)  # no keyring: session only, as chosen
    qtbot.mouseClick(welcome.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: chat.window.panel.stack.currentWidget() is chat.window.panel.empty_state
    )
    assert chat.settings.key_source is KeySource.SESSION
    _ask(qtbot, chat, "Are you there?")
    qtbot.waitUntil(lambda: _last_reply(chat).status is MessageStatus.COMPLETE)
    assert openai_server.chat_requests()[-1].headers["authorization"] == f"Bearer {KEY}"

    quit_app(qtbot, chat)
    assert _files_containing(data_dir, KEY) == []
    again = launch(env={})
    _key_looked_up(qtbot, again)
    assert again.settings.key_source is KeySource.NONE
    # The last chat comes back, saying what is missing; a new one welcomes again.
    qtbot.waitUntil(
        lambda: again.window.panel.stack.currentWidget() is again.window.panel.message_view
    )
    assert "No API key is set for Work server" in (
        again.window.panel.notices.text_of("setup") or ""
    )
    again.window.panel.new_chat()
    assert again.window.panel.stack.currentWidget() is again.window.panel.welcome


def test_nothing_under_the_pointer_moves_when_the_welcome_says_something(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    chat, welcome = _welcome_for_a_server_needing_a_key(qtbot, launch, openai_server, data_dir)
    qtbot.waitUntil(welcome.storage.isVisible)  # the keyring's warning has appeared
    window = chat.window

    def where() -> tuple[int, int]:
        welcome.layout().activate()
        point = welcome.test_button.mapTo(window, welcome.test_button.rect().center())
        return point.x(), point.y()

    before = where()
    qtbot.keyClicks(welcome.key.edit, WRONG_KEY)
    qtbot.mouseClick(welcome.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "rejected the API key" in welcome.result.text())
    assert where() == before
    welcome.storage.set_problem(None)  # the keyring works again: its warning goes
    assert welcome.storage.isHidden()
    assert where() == before
    welcome.storage.set_problem("The keyring is locked.")
    assert where() == before


def test_a_plaintext_file_is_used_only_when_chosen_and_says_so(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    chat, welcome = _welcome_for_a_server_needing_a_key(qtbot, launch, openai_server, data_dir)
    qtbot.waitUntil(welcome.storage.isVisible)
    assert "not encrypted" in welcome.storage.plaintext.text()
    welcome.storage.plaintext.setChecked(True)
    qtbot.keyClicks(welcome.key.edit, KEY)
    qtbot.keyClick(welcome.key.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: chat.settings.key_source is KeySource.FILE)
    key_file = data_dir / "config" / "api-keys.json"
    assert key_file.stat().st_mode & 0o777 == 0o600
    quit_app(qtbot, chat)
    again = launch(env={})
    _key_looked_up(qtbot, again)
    assert again.settings.key_source is KeySource.FILE
    assert again.window.panel.stack.currentWidget() is again.window.panel.empty_state
    dialog = _open_settings(qtbot, again)
    assert "plain-text file" in dialog.key_status.text()


# --- the Settings dialog and the system keyring -----------------------------------------


def test_a_key_saved_in_settings_is_kept_in_the_keyring_across_restarts_and_removed(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path, system_keyring: Any
) -> None:
    openai_server.api_key = KEY
    _write_settings(data_dir, _with_active(_server_profile(openai_server)))
    chat = launch(env={})
    qtbot.waitUntil(lambda: chat.window.panel.stack.currentWidget() is chat.window.panel.welcome)
    dialog = _open_settings(qtbot, chat)
    assert dialog.storage.isHidden()  # the keyring works: nothing to choose
    assert "No key is saved" in dialog.key_status.text()
    qtbot.keyClicks(dialog.key.edit, KEY)
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert system_keyring.get_password("desktop-chat", "work") == KEY
    assert chat.settings.key_source is KeySource.KEYRING
    qtbot.waitUntil(
        lambda: chat.window.panel.stack.currentWidget() is chat.window.panel.empty_state
    )
    quit_app(qtbot, chat)

    restarted = launch(env={})
    _key_looked_up(qtbot, restarted)
    assert restarted.settings.key_source is KeySource.KEYRING
    assert restarted.window.panel.stack.currentWidget() is restarted.window.panel.empty_state
    _ask(qtbot, restarted, "Still there?")
    qtbot.waitUntil(lambda: _last_reply(restarted).status is MessageStatus.COMPLETE)
    assert openai_server.chat_requests()[-1].headers["authorization"] == f"Bearer {KEY}"

    restarted.window.panel.new_chat()
    dialog = _open_settings(qtbot, restarted)
    assert "system keyring" in dialog.key_status.text()
    assert dialog.key.edit.text() == ""  # the stored key is never put back on screen
    qtbot.mouseClick(dialog.remove_key_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "No key is saved" in dialog.key_status.text())
    assert system_keyring.get_password("desktop-chat", "work") is None
    qtbot.waitUntil(lambda: restarted.window.panel.welcome.isVisible())
    assert _files_containing(data_dir, KEY) == []


def test_the_environment_key_wins_and_settings_says_so(
    qtbot, launch, openai_server: FakeOpenAIServer, server_env: dict[str, str]
) -> None:
    openai_server.api_key = TEST_API_KEY
    chat = launch()
    _key_looked_up(qtbot, chat)
    assert chat.settings.key_source is KeySource.ENVIRONMENT
    dialog = _open_settings(qtbot, chat)
    assert "environment (OPENAI_API_KEY)" in dialog.key_status.text()
    assert dialog.url_note.isVisible()
    assert openai_server.base_url in dialog.url_note.text()
    assert not dialog.remove_key_button.isEnabled()


def test_a_bad_base_url_is_explained_and_not_saved(
    qtbot, launch, data_dir: Path, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    dialog = _open_settings(qtbot, chat)
    dialog.base_url.clear()
    qtbot.keyClicks(dialog.base_url, "localhost:11434/v1")
    assert dialog.url_problem.isVisible()
    assert "http://" in dialog.url_problem.text()
    _save(qtbot, dialog)
    qtbot.waitUntil(dialog.problem.isVisible)
    assert "http://" in dialog.problem.text()
    assert dialog.isVisible()
    assert not (data_dir / "config" / SETTINGS_FILE_NAME).exists()
    dialog.base_url.clear()
    qtbot.keyClicks(dialog.base_url, "http://localhost:11434/v1")
    assert dialog.url_problem.isHidden()


def test_adding_profiles_offers_only_what_is_missing_and_names_each_apart(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    dialog = _open_settings(qtbot, chat)
    menu = dialog.add_button.menu()

    def offered() -> list[str]:
        # What Qt does as the menu opens (a real popup would grab the keyboard offscreen).
        menu.aboutToShow.emit()
        return [a.text() for a in menu.actions() if a.isVisible()]

    def add(name: str) -> None:
        next(a for a in menu.actions() if a.text() == name).trigger()

    # Without a usable keyring, where to keep a key is asked: for OpenAI, which needs one.
    qtbot.waitUntil(lambda: dialog.storage.problem is not None)
    assert dialog.storage.isVisible()
    assert "OpenAI" not in offered()  # already a profile
    assert "Ollama" in offered()
    add("Ollama")
    assert dialog.name.text() == "Ollama"
    assert dialog.storage.isHidden()  # no key to keep for a local server
    assert "Ollama" not in offered()
    add("Other server…")
    add("Other server…")
    assert [p.name for p in dialog.profile_model.profiles] == [
        "OpenAI",
        "Ollama",
        "My server",
        "My server 2",
    ]
    assert dialog.storage.isHidden()
    qtbot.keyClicks(dialog.key.edit, "sk-typed-for-a-server-that-takes-one")
    assert dialog.storage.isVisible()  # a key typed is a key to keep


def test_the_dialog_works_by_keyboard_alone(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path, system_keyring: Any
) -> None:
    _write_settings(data_dir, _with_active(_server_profile(openai_server)))
    chat = launch(env={})
    dialog = _open_settings(qtbot, chat)
    # A mnemonic reaches the key field; Enter saves; the dialog closes.
    qtbot.keyClick(dialog, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.key.edit)
    qtbot.keyClicks(QApplication.focusWidget(), KEY)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert system_keyring.get_password("desktop-chat", "work") == KEY
    # Tab visits every control of the connection page, and Escape cancels.
    dialog = _open_settings(qtbot, chat)
    wanted = {dialog.profile_list, dialog.name, dialog.base_url, dialog.key.edit}
    wanted |= {dialog.key.reveal, dialog.test_button}
    seen = set()
    dialog.profile_list.setFocus()
    for _ in range(30):
        seen.add(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert wanted <= seen, wanted - seen
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_chat_defaults_apply_to_new_chats_and_the_send_key_follows_the_setting(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    chat = launch()
    dialog = _open_settings(qtbot, chat)
    dialog.tabs.setCurrentIndex(1)
    dialog.chat.default_model.setCurrentText("")
    qtbot.keyClicks(dialog.chat.default_model, "my-local-model")
    dialog.chat.server_temperature.setChecked(False)
    dialog.chat.temperature.setValue(0.5)
    dialog.chat.max_tokens.setValue(0)
    assert dialog.chat.max_tokens.text() == "No limit"
    dialog.chat.send_key.setCurrentIndex(dialog.chat.send_key.findData(SendKey.CTRL_ENTER.value))
    dialog.chat.system_prompt.setPlainText("Answer like a pirate.")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    saved = json.loads((data_dir / "config" / SETTINGS_FILE_NAME).read_text())
    assert saved["default_model"] == "my-local-model"
    assert saved["send_key"] == "ctrl+enter"
    assert chat.window.panel.header.model.currentText() == "my-local-model"
    edit = chat.window.panel.composer.edit
    assert "Ctrl+Enter" in edit.placeholderText()
    qtbot.keyClicks(edit, "Hi")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert chat.window.panel.composer.text() == "Hi\n"
    assert openai_server.chat_requests() == []
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(openai_server.chat_requests()) >= 1)
    body = openai_server.chat_requests()[0].body
    assert body is not None
    assert body["model"] == "my-local-model"
    assert body["temperature"] == 0.5
    assert "max_tokens" not in body and "max_completion_tokens" not in body
    assert body["messages"][0] == {"role": "system", "content": "Answer like a pirate."}
    qtbot.waitUntil(lambda: not chat.service.is_streaming(chat.window.conversation_id))


def test_a_manual_proxy_carries_the_requests(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    proxy = ForwardProxy().start()
    try:
        profile = _server_profile(openai_server, needs_key=False)
        _write_settings(
            data_dir,
            _with_active(profile, proxy_mode=ProxyMode.MANUAL, proxy_url=proxy.url),
        )
        chat = launch(env={})
        _ask(qtbot, chat, "Through the proxy?")
        qtbot.waitUntil(lambda: _last_reply(chat).status is MessageStatus.COMPLETE)
        assert any(url.endswith("/v1/chat/completions") for url in proxy.seen)
    finally:
        proxy.stop()


def test_a_damaged_settings_file_gives_a_notice_and_the_defaults(
    qtbot, launch, data_dir: Path, openai_server: FakeOpenAIServer
) -> None:
    config = data_dir / "config"
    config.mkdir(parents=True)
    (config / SETTINGS_FILE_NAME).write_bytes(b"\x00\x01 not json")
    chat = launch()
    notice = chat.window.panel.notices.text_of("settings") or ""
    assert "damaged" in notice and "settings.damaged.json" in notice
    _ask(qtbot, chat, "Hi")
    qtbot.waitUntil(lambda: _last_reply(chat).status is MessageStatus.COMPLETE)


class _LockableKeyring(KeyringBackend):
    """A keyring that refuses everything while locked, as a locked login keyring does."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.locked = True
        self.passwords: dict[tuple[str, str], str] = {}

    def _check(self) -> None:
        if self.locked:
            raise KeyringLocked("the collection is locked")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        self.passwords.pop((service, username), None)


@pytest.fixture
def locked_keyring() -> Iterator[_LockableKeyring]:
    backend = _LockableKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(fail.Keyring())


def test_a_locked_keyring_is_explained_retried_and_can_be_bypassed_for_the_session(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path, locked_keyring
) -> None:
    openai_server.api_key = KEY
    _write_settings(data_dir, _with_active(_server_profile(openai_server)))
    chat = launch(env={})
    _key_looked_up(qtbot, chat)
    window = chat.window
    notice = window.panel.notices.text_of("setup") or ""
    assert "locked" in notice and "Work server" in notice
    assert window.panel.stack.currentWidget() is window.panel.empty_state  # not a first launch

    # Saving while locked says why, keeps what was typed, and offers the session instead.
    dialog = _open_settings(qtbot, chat)
    assert "locked" in dialog.key_status.text()
    qtbot.keyClicks(dialog.key.edit, KEY)
    _save(qtbot, dialog)
    qtbot.waitUntil(dialog.problem.isVisible)
    assert "locked" in dialog.problem.text()
    assert dialog.isVisible() and dialog.key.text() == KEY
    assert dialog.storage.isVisible() and dialog.storage.session.isChecked()
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert chat.settings.key_source is KeySource.SESSION
    assert window.panel.notices.text_of("setup") is None
    _ask(qtbot, chat, "Hi")
    qtbot.waitUntil(lambda: _last_reply(chat).status is MessageStatus.COMPLETE)
    quit_app(qtbot, chat)

    # Unlocked later, with the key in it: "Try again" finds it without a restart.
    again = launch(env={})
    _key_looked_up(qtbot, again)
    assert "locked" in (again.window.panel.notices.text_of("setup") or "")
    locked_keyring.locked = False
    locked_keyring.passwords[("desktop-chat", "work")] = KEY
    retry = next(b for b in again.window.panel.notices.findChildren(QPushButton, "noticeAction"))
    assert retry.text() == "Try again"
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.settings.key_source is KeySource.KEYRING)
    assert again.window.panel.notices.text_of("setup") is None
    assert again.window.panel.composer.button.isEnabled()


def test_the_profile_list_model_is_a_well_behaved_qt_model(qtmodeltester) -> None:
    from desktop_chat.ui.dialogs.profile_list import ProfileListModel

    other = Profile(id="b", name="Ollama", base_url="http://localhost:11434/v1", needs_key=False)
    model = ProfileListModel([Settings().active, other], active="b")
    qtmodeltester.check(model)
    assert model.index(1, 0).data() == "Ollama (in use)"
    model.set_active("openai")
    model.add(replace(other, id="c", name="Third"))
    model.remove(0)
    qtmodeltester.check(model)
    # The profile in use was removed: the first one left takes its place.
    assert [p.id for p in model.profiles] == ["b", "c"]
    assert model.active == "b"
    assert model.index(0, 0).data() == "Ollama (in use)"


def test_the_interface_in_spanish(qtbot, launch, data_dir: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox as Buttons

    _write_settings(data_dir, replace(Settings(), language="es"))
    chat = launch()
    window = chat.window
    assert window.sidebar.new_chat_button.text() == "Nuevo chat"
    assert [b.text() for b in window.panel.empty_state.buttons][:2] == [
        "¿Qué es un chatbot?",  # the tutorial's own example questions
        "¿Pueden aprender las máquinas?",
    ]
    assert "Intro para enviar" in window.panel.composer.edit.placeholderText()
    assert window.menuBar().actions()[0].text() == "&Archivo"
    dialog = _open_settings(qtbot, chat)
    assert dialog.windowTitle() == "Ajustes"
    assert dialog.tabs.tabText(0) == "Co&nexión"
    assert dialog.buttons.button(Buttons.StandardButton.Cancel).text() == "Cancelar"  # Qt's own
    dialog.reject()
    quit_app(qtbot, chat)
    # The next launch in English: nothing of the Spanish session is left behind.
    _write_settings(data_dir, replace(Settings(), language="en"))
    english = launch()
    assert english.window.sidebar.new_chat_button.text() == "New chat"


def test_the_language_switches_at_run_time_keeping_the_chat_and_the_draft(
    qtbot, launch, data_dir: Path, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    _ask(qtbot, chat, "Hello")
    qtbot.waitUntil(lambda: _last_reply(chat).status is MessageStatus.COMPLETE)
    conversation_id = chat.window.conversation_id
    qtbot.keyClicks(chat.window.panel.composer.edit, "half-written")
    old = chat.window
    dialog = _open_settings(qtbot, chat)
    dialog.interface.language.setCurrentIndex(dialog.interface.language.findData("es"))
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: chat.window is not old)
    window = chat.window
    qtbot.waitUntil(window.isVisible)
    assert window.sidebar.new_chat_button.text() == "Nuevo chat"
    assert window.menuBar().actions()[0].text() == "&Archivo"
    assert window.conversation_id == conversation_id
    qtbot.waitUntil(lambda: window.panel.message_view.conversation_id == conversation_id)
    assert "Tú" in window.panel.message_view.toPlainText()  # "You", re-rendered in Spanish
    assert window.panel.composer.text() == "half-written"
    # The new window works: a question asked in it gets its reply.
    window.panel.composer.set_text("")
    _ask(qtbot, chat, "¿Y ahora?")
    qtbot.waitUntil(lambda: _last_reply(chat).status is MessageStatus.COMPLETE)
    assert "Asistente" in window.panel.message_view.toPlainText()
