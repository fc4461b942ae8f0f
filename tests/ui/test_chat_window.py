"""The walking skeleton, driven like a user: real window, real HTTP, real files."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_chat.domain import MessageStatus
from desktop_chat.storage import SCHEMA_VERSION
from tests.conftest import quit_app
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply, answer_for
from tests.helpers.views import listed_titles


def _type_and_press_enter(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a user would (Shift+Enter between lines), then press Enter."""
    edit = window.panel.composer.edit
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyClicks(edit, line)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def _last_reply(chat):  # type: ignore[no-untyped-def]
    return chat.service.conversation(chat.window.conversation_id).messages[-1]


def _saved_files(data_dir: Path) -> list[dict]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((data_dir / "conversations").glob("*.json"))
    ]


def test_starts_on_an_empty_chat_with_examples_and_the_composer_focused(qtbot, launch) -> None:
    chat = launch()
    window = chat.window
    assert window.panel.stack.currentWidget() is window.panel.empty_state
    questions = [b.text() for b in window.panel.empty_state.buttons]
    assert "What is a chatbot?" in questions
    assert "Can machines learn?" in questions
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.panel.composer.edit)
    assert window.sidebar.conversation_model.rowCount() == 0
    assert window.panel.notices.isHidden()


def test_enter_sends_and_the_reply_streams_in_as_markdown(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    openai_server.delay = 0.005
    chat = launch()
    window = chat.window
    _type_and_press_enter(qtbot, window, "What is a chatbot?")

    assert window.panel.composer.text() == ""
    assert window.panel.stack.currentWidget() is window.panel.message_view
    # Seen while streaming: a part of the reply, not yet the whole of it.
    qtbot.waitUntil(lambda: "You asked" in window.panel.message_view.toPlainText())
    assert window.panel.composer.button.text() == "Stop"
    qtbot.waitUntil(lambda: not chat.service.is_streaming(window.conversation_id))

    reply = _last_reply(chat)
    assert reply.content == answer_for("What is a chatbot?")
    assert reply.status is MessageStatus.COMPLETE
    # The view renders at most once a frame, so the end shows up a frame later.
    qtbot.waitUntil(
        lambda: "hello from the test server')" in window.panel.message_view.toPlainText()
    )
    shown = window.panel.message_view.toPlainText()
    assert "You asked: What is a chatbot?" in shown  # **bold** rendered, not raw
    assert "**" not in shown
    assert "print('hello from the test server')" in shown
    assert window.panel.composer.button.text() == "Send"

    # Saving runs in the background; the model's title for the chat arrives after the reply.
    qtbot.waitUntil(lambda: _saved_files(data_dir)[0]["title"] == "What is a chatbot? (titled)")
    saved = _saved_files(data_dir)
    assert len(saved) == 1
    assert saved[0]["schema"] == SCHEMA_VERSION
    assert [m["content"] for m in saved[0]["messages"]] == [
        "What is a chatbot?",
        answer_for("What is a chatbot?"),
    ]
    sent = openai_server.chat_requests()[0].body
    assert sent is not None and sent["messages"][0]["role"] == "system"
    assert sent["stream"] is True


def test_shift_enter_adds_a_new_line_and_does_not_send(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    edit = chat.window.panel.composer.edit
    qtbot.keyClicks(edit, "first line")
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(edit, "second line")
    assert chat.window.panel.composer.text() == "first line\nsecond line"
    assert openai_server.chat_requests() == []
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(openai_server.chat_requests()) >= 1)
    sent = openai_server.chat_requests()[0].body
    assert sent is not None and sent["messages"][-1]["content"] == "first line\nsecond line"
    qtbot.waitUntil(lambda: not chat.service.is_streaming(chat.window.conversation_id))


def test_clicking_an_example_question_sends_it(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    button = next(
        b for b in chat.window.panel.empty_state.buttons if b.text() == "Can machines learn?"
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Can machines learn?" in chat.window.panel.message_view.toPlainText())
    qtbot.waitUntil(lambda: not chat.service.is_streaming(chat.window.conversation_id))
    assert _last_reply(chat).content == answer_for("Can machines learn?")


def test_stop_ends_a_long_reply_and_keeps_what_arrived(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    openai_server.enqueue(ScriptedReply(text="one two three four five six", hold_after_chunks=3))
    chat = launch()
    window = chat.window
    _type_and_press_enter(qtbot, window, "Tell me a long story")
    qtbot.waitUntil(lambda: "one two three" in window.panel.message_view.toPlainText())

    qtbot.mouseClick(window.panel.composer.button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not chat.service.is_streaming(window.conversation_id))
    assert openai_server.client_disconnected.wait(5), "the server should see the hang-up"
    reply = _last_reply(chat)
    assert reply.content == "one two three "
    assert reply.status is MessageStatus.PARTIAL
    qtbot.waitUntil(lambda: "incomplete" in window.panel.message_view.toPlainText())
    assert "one two three" in window.panel.message_view.toPlainText()
    assert window.panel.composer.button.text() == "Send"
    qtbot.waitUntil(
        lambda: _saved_files(data_dir)[0]["messages"][-1]["content"] == "one two three "
    )


def test_escape_stops_the_reply(qtbot, launch, openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(ScriptedReply(text="a b c d", hold_after_chunks=1))
    chat = launch()
    _type_and_press_enter(qtbot, chat.window, "Go")
    qtbot.waitUntil(lambda: _last_reply(chat).content == "a ")
    qtbot.keyClick(chat.window.panel.composer.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: _last_reply(chat).status is MessageStatus.PARTIAL)


def test_after_a_restart_the_chat_is_listed_with_its_title_and_reopened(
    qtbot, launch, data_dir: Path
) -> None:
    first = launch()
    _type_and_press_enter(qtbot, first.window, "Can machines learn?\nI wonder.")
    model = first.window.sidebar.conversation_model
    qtbot.waitUntil(lambda: listed_titles(model) == ["Can machines learn? (titled)"])
    quit_app(qtbot, first)

    second = launch()
    window = second.window
    assert listed_titles(window.sidebar.conversation_model) == ["Can machines learn? (titled)"]
    # The conversation open at quit is open again, selected in the list.
    qtbot.waitUntil(lambda: window.panel.stack.currentWidget() is window.panel.message_view)
    shown = window.panel.message_view.toPlainText()
    assert "Can machines learn?\nI wonder." in shown
    assert "You asked" in shown
    assert window.sidebar.conversation_list.currentIndex().data() == "Can machines learn? (titled)"

    window.panel.new_chat()
    assert window.panel.stack.currentWidget() is window.panel.empty_state
    index = window.sidebar.conversation_list.model().index(
        window.sidebar.conversation_model.row_of(next(iter(second.service.summaries())).id), 0
    )
    rect = window.sidebar.conversation_list.visualRect(index)
    qtbot.mouseClick(
        window.sidebar.conversation_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    qtbot.waitUntil(lambda: window.panel.stack.currentWidget() is window.panel.message_view)


def test_quitting_mid_reply_keeps_the_partial_reply_on_disk(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    openai_server.enqueue(ScriptedReply(text="alpha beta gamma delta", hold_after_chunks=2))
    chat = launch()
    _type_and_press_enter(qtbot, chat.window, "Question")
    qtbot.waitUntil(lambda: _last_reply(chat).content == "alpha beta ")
    quit_app(qtbot, chat)
    saved = _saved_files(data_dir)[0]["messages"][-1]
    assert saved["content"] == "alpha beta "
    assert saved["status"] == "partial"


def test_a_local_server_needs_no_key(qtbot, launch, openai_server: FakeOpenAIServer) -> None:
    chat = launch(env={"OPENAI_BASE_URL": openai_server.base_url})
    assert chat.window.panel.notices.isHidden()
    _type_and_press_enter(qtbot, chat.window, "Hi")
    qtbot.waitUntil(lambda: _last_reply(chat).status is MessageStatus.COMPLETE)


def test_a_failed_reply_says_what_happened_in_the_conversation(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.api_key = "sk-another-key-entirely-000000000000"
    chat = launch()
    _type_and_press_enter(qtbot, chat.window, "Hi")
    qtbot.waitUntil(lambda: _last_reply(chat).status is MessageStatus.ERROR)
    qtbot.waitUntil(lambda: "rejected the API key" in chat.window.panel.message_view.toPlainText())
    assert chat.window.panel.composer.button.text() == "Send"


def test_a_reply_ending_in_a_table_looks_the_same_streamed_and_after_switching_back(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    """The header row and separator arrive last; the window must not care how it arrived."""
    import re

    table = "Here:\n\n| col a | col b |\n| --- | ---: |\n| 1 | 2 |\n\n- a list\n- after\n"
    openai_server.enqueue(ScriptedReply(text=table, chunk_chars=2))
    chat = launch()
    window = chat.window
    _type_and_press_enter(qtbot, window, "A table, please")
    conversation_id = window.conversation_id
    qtbot.waitUntil(lambda: _last_reply(chat).status is MessageStatus.COMPLETE)
    view = window.panel.message_view

    def shown() -> str:
        view.highlighter.finish()
        return re.sub(r"<head>.*?</head>", "", view.document().toHtml(), flags=re.DOTALL)

    qtbot.waitUntil(lambda: "10 tokens in" in view.toPlainText())  # the last frame is drawn
    streamed = shown()
    assert "<th" in streamed or "font-weight:600" in streamed  # a real table, header bold
    window.panel.new_chat()
    window.open_conversation(conversation_id)
    qtbot.waitUntil(lambda: view.conversation_id == conversation_id)
    assert shown() == streamed
