"""The window's own actions: model and system prompt per chat, editing, regenerating,
switching versions, drafts, and coming back to the window as it was left."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop_chat.domain import MessageStatus
from tests.conftest import quit_app
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply
from tests.helpers.views import click_link, offers, shown_lines, version_shown


def _send(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.panel.composer.edit, text)
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)


def _wait_for_reply(qtbot, chat):  # type: ignore[no-untyped-def]
    conversation_id = chat.window.conversation_id
    qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation_id), timeout=10_000)
    return chat.service.conversation(conversation_id)


def _click(view, href_start: str) -> None:  # type: ignore[no-untyped-def]
    click_link(view, href_start)


def _saved(data_dir: Path, conversation_id: str) -> dict:
    path = data_dir / "conversations" / f"{conversation_id}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_model_picker_lists_the_servers_models_and_sets_this_chats_model(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    picker = chat.window.panel.header.model
    qtbot.waitUntil(lambda: picker.count() == 3)
    assert [picker.itemText(i) for i in range(3)] == ["gpt-4.1", "gpt-5.4-mini", "test-model"]
    picker.setCurrentIndex(0)
    picker.activated.emit(0)
    _send(qtbot, chat.window, "Which model are you?")
    conversation = _wait_for_reply(qtbot, chat)
    assert openai_server.chat_requests()[0].body["model"] == "gpt-4.1"  # type: ignore[index]
    assert conversation.settings.model == "gpt-4.1"
    assert conversation.messages[-1].model == "gpt-4.1"


def test_new_chats_take_a_model_the_server_offers_and_remember_the_last_one_used(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    openai_server.models = ("qwen3-0.6b", "smollm2-135m-instruct")
    openai_server.answers_as = "smollm2-135m-instruct-q8"  # llama.cpp names its own file
    chat = launch()
    window = chat.window
    picker = window.panel.header.model
    # The default (gpt-5.4-mini) is not offered here: the picker says what is used instead.
    qtbot.waitUntil(lambda: picker.currentText() == "qwen3-0.6b")
    note = window.panel.notices.text_of("model") or ""
    assert "does not offer gpt-5.4-mini" in note and "qwen3-0.6b" in note
    picker.setCurrentIndex(1)
    picker.activated.emit(1)
    _send(qtbot, window, "Which model are you?")
    conversation = _wait_for_reply(qtbot, chat)
    assert openai_server.chat_requests()[0].body["model"] == "smollm2-135m-instruct"  # type: ignore[index]
    # The reply names the model that answered, as the server said.
    assert conversation.messages[-1].model == "smollm2-135m-instruct-q8"
    qtbot.waitUntil(lambda: "smollm2-135m-instruct-q8" in window.panel.message_view.toPlainText())

    window.panel.new_chat()
    assert window.conversation_id != conversation.id
    assert picker.currentText() == "smollm2-135m-instruct"
    quit_app(qtbot, chat)
    settings = json.loads((data_dir / "config" / "settings.json").read_text(encoding="utf-8"))
    assert settings["profiles"][0]["model"] == "smollm2-135m-instruct"
    again = launch()
    qtbot.waitUntil(lambda: again.window.panel.header.model.count() == 2)
    assert again.window.panel.header.model.currentText() == "smollm2-135m-instruct"
    assert again.service.conversation(again.window.conversation_id).settings.model == (
        "smollm2-135m-instruct"
    )


def test_the_system_prompt_is_edited_per_chat_and_sent(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    chat = launch()
    header = chat.window.panel.header
    qtbot.mouseClick(header.prompt_button, Qt.MouseButton.LeftButton)
    dialog = header.prompt_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.editor.setPlainText("Answer like a pirate.")
    dialog.accept()
    _send(qtbot, chat.window, "Hello")
    conversation = _wait_for_reply(qtbot, chat)
    sent = openai_server.chat_requests()[0].body
    assert sent is not None
    assert sent["messages"][0] == {"role": "system", "content": "Answer like a pirate."}
    qtbot.waitUntil(
        lambda: (
            _saved(data_dir, conversation.id)["settings"]["system_prompt"]
            == "Answer like a pirate."
        )
    )
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_regenerate_keeps_the_first_reply_as_another_version(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    openai_server.enqueue(
        ScriptedReply(text="First answer."), ScriptedReply(), ScriptedReply(text="Second answer.")
    )
    chat = launch()
    _send(qtbot, chat.window, "Tell me something")
    conversation = _wait_for_reply(qtbot, chat)
    view = chat.window.panel.message_view
    qtbot.waitUntil(lambda: offers(view, "regenerate"))
    _click(view, "desktop-chat:regenerate/")
    qtbot.waitUntil(lambda: conversation.messages[-1].content == "Second answer.")
    qtbot.waitUntil(lambda: version_shown(view) == "2/2")
    assert "First answer." not in shown_lines(view)
    qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation.id))

    _click(view, "desktop-chat:previous-version/")
    qtbot.waitUntil(lambda: "First answer." in shown_lines(view))
    assert version_shown(view) == "1/2"
    # The file from before the regenerate also ends with "First answer.": wait for the one
    # that holds the other version too.
    qtbot.waitUntil(lambda: bool(_saved(data_dir, conversation.id)["branches"]))
    qtbot.waitUntil(
        lambda: _saved(data_dir, conversation.id)["messages"][-1]["content"] == "First answer."
    )
    saved = _saved(data_dir, conversation.id)
    assert [b["messages"][0]["content"] for b in saved["branches"]] == ["Second answer."]


def test_editing_an_earlier_question_resends_it_and_keeps_the_old_turns(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    window = chat.window
    _send(qtbot, window, "What is a cat?")
    _wait_for_reply(qtbot, chat)
    _send(qtbot, window, "And a dog?")
    conversation = _wait_for_reply(qtbot, chat)
    first_question = conversation.messages[0]
    qtbot.waitUntil(lambda: offers(window.panel.message_view, "edit"))

    _click(window.panel.message_view, f"desktop-chat:edit/{first_question.id}")
    assert window.panel.composer.text() == "What is a cat?"
    assert window.panel.notices.text_of("editing") is not None
    window.panel.composer.edit.selectAll()
    qtbot.keyClicks(window.panel.composer.edit, "What is a tiger?")
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)
    conversation = _wait_for_reply(qtbot, chat)
    assert conversation.messages[0].content == "What is a tiger?"
    assert len(conversation.messages) == 2
    assert window.panel.notices.text_of("editing") is None
    assert chat.service.versions(conversation.id, 0) == (1, 2)
    chat.service.show_version(conversation.id, 0, 0)
    assert [m.content for m in conversation.messages][::2] == ["What is a cat?", "And a dog?"]


def test_escape_leaves_editing_without_changing_anything(qtbot, launch) -> None:
    chat = launch()
    _send(qtbot, chat.window, "Keep me")
    conversation = _wait_for_reply(qtbot, chat)
    qtbot.waitUntil(lambda: offers(chat.window.panel.message_view, "edit"))
    _click(chat.window.panel.message_view, "desktop-chat:edit/")
    qtbot.keyClick(chat.window.panel.composer.edit, Qt.Key.Key_Escape)
    assert chat.window.panel.composer.text() == ""
    assert chat.window.panel.notices.text_of("editing") is None
    assert conversation.messages[0].content == "Keep me"
    assert conversation.messages[-1].status is MessageStatus.COMPLETE


def test_editing_a_message_gives_back_the_draft_it_replaced_in_the_box(qtbot, launch) -> None:
    chat = launch()
    window = chat.window
    _send(qtbot, window, "What is a cat?")
    conversation = _wait_for_reply(qtbot, chat)
    qtbot.keyClicks(window.panel.composer.edit, "a half-written follow-up")
    qtbot.waitUntil(lambda: offers(window.panel.message_view, "edit"))

    _click(window.panel.message_view, "desktop-chat:edit/")
    assert window.panel.composer.text() == "What is a cat?"
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Escape)
    assert window.panel.composer.text() == "a half-written follow-up"

    _click(window.panel.message_view, "desktop-chat:edit/")
    window.panel.composer.edit.selectAll()
    qtbot.keyClicks(window.panel.composer.edit, "What is a tiger?")
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)
    _wait_for_reply(qtbot, chat)
    assert conversation.messages[0].content == "What is a tiger?"
    assert window.panel.composer.text() == "a half-written follow-up"


def test_drafts_are_kept_per_chat_and_across_a_restart(qtbot, launch) -> None:
    chat = launch()
    window = chat.window
    _send(qtbot, window, "First chat")
    first = _wait_for_reply(qtbot, chat).id
    qtbot.keyClicks(window.panel.composer.edit, "half-written thought")
    window.panel.new_chat()
    assert window.panel.composer.text() == ""
    qtbot.keyClicks(window.panel.composer.edit, "draft in a new chat")
    window.open_conversation(first)
    qtbot.waitUntil(lambda: window.panel.composer.text() == "half-written thought")
    quit_app(qtbot, chat)

    again = launch()
    qtbot.waitUntil(lambda: again.window.panel.composer.text() == "half-written thought")
    assert again.window.conversation_id == first
    again.window.panel.new_chat()
    assert again.window.panel.composer.text() == "draft in a new chat"


def test_window_size_and_splitter_come_back(qtbot, launch) -> None:
    chat = launch()
    chat.window.resize(720, 540)  # within the offscreen screen (800 x 600)
    chat.window.splitter.setSizes([300, 420])
    sizes = chat.window.splitter.sizes()
    quit_app(qtbot, chat)
    again = launch()
    assert (again.window.width(), again.window.height()) == (720, 540)
    assert again.window.splitter.sizes() == sizes


def test_a_damaged_window_state_file_is_ignored(qtbot, launch, data_dir: Path) -> None:
    config = data_dir / "config"
    config.mkdir(parents=True)
    (config / "desktop-chat.ini").write_bytes(b"\x00\xff[window]\ngeometry=@ByteArray(garbage)\n")
    chat = launch()
    assert chat.window.isVisible()
    assert chat.window.width() > 300


def test_a_draft_survives_a_crash_written_a_moment_after_typing_stops(
    qtbot, launch, data_dir: Path, tmp_path: Path
) -> None:
    """`kill -9` runs no shutdown: what is on disk then is all there is."""
    import shutil

    chat = launch()
    window = chat.window
    _send(qtbot, window, "First chat")
    conversation_id = _wait_for_reply(qtbot, chat).id
    long_question = "A long question, typed with care: " + "words " * 200
    window.panel.composer.set_text(long_question)
    drafts = data_dir / "drafts.json"
    qtbot.waitUntil(
        lambda: drafts.exists() and long_question in drafts.read_text(encoding="utf-8"),
        timeout=5_000,
    )
    window.panel.new_chat()  # a switch keeps the new chat's draft at once, too
    qtbot.keyClicks(window.panel.composer.edit, "in the new chat")
    qtbot.waitUntil(lambda: "in the new chat" in drafts.read_text(encoding="utf-8"))
    crashed = tmp_path / "as the crash left it"
    shutil.copytree(data_dir, crashed)  # the files at the moment of the crash

    from desktop_chat.composition import DesktopChat
    from desktop_chat.interface import Interface
    from desktop_chat.paths import AppPaths
    from desktop_chat.startup import show_and_wait_for_paint
    from tests.conftest import quit_app as close

    paths = AppPaths.resolve(crashed, {})
    interface = Interface.prepare(paths)
    qtbot.addWidget(interface.window)
    assert show_and_wait_for_paint(interface.window)
    again = DesktopChat(paths, {}, interface=interface)
    again.start()
    try:
        qtbot.waitUntil(lambda: again.service.is_ready)
        qtbot.waitUntil(lambda: again.window.panel.composer.text() == "in the new chat")
        again.window.open_conversation(conversation_id)
        qtbot.waitUntil(lambda: again.window.panel.composer.text() == long_question)
    finally:
        close(qtbot, again)
