"""Replies beyond the happy path: several at once, long conversations, Continue, titles."""

from __future__ import annotations

import logging
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_chat.context import UNKNOWN_MODEL_CONTEXT
from desktop_chat.domain import Message, MessageStatus, Role
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply, answer_for
from tests.helpers.views import listed_titles
from tests.ui.test_faults import click_action, links


def _send(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.panel.composer.edit, text)
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)


def test_two_replies_stream_at_once_each_into_its_own_conversation(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.enqueue(
        ScriptedReply(text="alpha one alpha two alpha three", hold_after_chunks=2),
        ScriptedReply(text="beta one beta two", delay=0.01),
    )
    chat = launch()
    window = chat.window
    _send(qtbot, window, "First question")
    first = window.conversation_id
    first_reply = chat.service.conversation(first).messages[-1]
    qtbot.waitUntil(lambda: first_reply.content == "alpha one ")

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # new chat
    assert window.conversation_id != first
    assert window.panel.composer.button.text() == "Send"  # this chat is not streaming
    _send(qtbot, window, "Second question")
    second = window.conversation_id
    second_reply = chat.service.conversation(second).messages[-1]
    qtbot.waitUntil(lambda: second_reply.status is MessageStatus.COMPLETE)
    assert chat.service.is_streaming(first)

    window.open_conversation(first)  # switch back while it still streams
    qtbot.waitUntil(lambda: window.conversation_id == first)
    assert window.panel.composer.button.text() == "Stop"
    openai_server.release()
    qtbot.waitUntil(lambda: first_reply.status is MessageStatus.COMPLETE)
    qtbot.waitUntil(lambda: "alpha three" in window.panel.message_view.toPlainText())
    assert first_reply.content == "alpha one alpha two alpha three"
    assert second_reply.content == "beta one beta two"
    assert "beta" not in window.panel.message_view.toPlainText()


def test_a_long_conversation_is_trimmed_to_fit_and_the_user_is_told(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    conversation = chat.service.conversation(chat.window.conversation_id)
    conversation.settings.model = "some-local-model"  # unknown: a modest context window
    conversation.settings.max_output_tokens = 1000
    long_turn = "word " * 2000  # ~2,500 tokens by the estimate
    for number in range(8):
        conversation.messages.append(Message(role=Role.USER, content=f"Q{number} {long_turn}"))
        conversation.messages.append(Message(role=Role.ASSISTANT, content=f"A{number}"))
    chat.window.open_conversation(conversation.id)
    _send(qtbot, chat.window, "The newest question")
    reply = conversation.messages[-1]
    qtbot.waitUntil(lambda: reply.status is MessageStatus.COMPLETE)

    sent = openai_server.chat_requests()[0].body
    assert sent is not None
    messages = sent["messages"]
    assert messages[0]["role"] == "system"
    assert messages[-1]["content"] == "The newest question"
    assert messages[1]["role"] == "user"  # never starts with a reply whose question is gone
    kept = len(messages) - 1
    assert kept < 17
    assert reply.context_omitted == 17 - kept
    assert sum(len(m["content"]) for m in messages) / 4 < UNKNOWN_MODEL_CONTEXT
    qtbot.waitUntil(
        lambda: (
            "were left out to fit the model's context window"
            in chat.window.panel.message_view.toPlainText()
        )
    )


def test_a_long_paste_is_sent_after_the_typed_question_or_removed(qtbot, launch) -> None:
    chat = launch()
    composer = chat.window.panel.composer
    pasted = "\n".join(["line of a long log"] * 10_000)
    qtbot.keyClicks(composer.edit, "What went wrong here?")
    QApplication.clipboard().setText(pasted)
    qtbot.keyClick(composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert composer.edit.toPlainText() == "What went wrong here?"
    assert composer.text() == "What went wrong here?\n\n" + pasted
    qtbot.mouseClick(composer.pasted.remove, Qt.MouseButton.LeftButton)
    assert not composer.pasted.isVisible()
    assert composer.text() == "What went wrong here?"
    QApplication.clipboard().setText(pasted)
    qtbot.keyClick(composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    conversation = chat.service.conversation(chat.window.conversation_id)
    assert conversation.messages[0].content == "What went wrong here?\n\n" + pasted
    assert composer.text() == ""


def test_a_5_mb_paste_is_refused_with_a_clear_message_before_sending(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    edit = chat.window.panel.composer.edit
    QApplication.clipboard().setText("x" * 5_000_000)  # one line: the worst case for layout
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    # Kept beside the box, not laid out in it.
    assert edit.toPlainText() == ""
    assert chat.window.panel.composer.pasted.isVisible()
    assert "5,000,000 characters" in chat.window.panel.composer.pasted.label.text()
    assert len(chat.window.panel.composer.text()) == 5_000_000
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not chat.window.panel.composer.pasted.isVisible()
    conversation = chat.service.conversation(chat.window.conversation_id)
    reply = conversation.messages[-1]
    qtbot.waitUntil(lambda: reply.status is MessageStatus.ERROR)
    assert re.search(
        r"This message is too long for the model: about 1,25\d,\d{3} tokens, and "
        r"the model takes about [\d,]+\.",
        reply.error or "",
    )
    assert conversation.messages[0].content == "x" * 5_000_000  # the text is kept
    assert openai_server.chat_requests() == []
    # Asking again can only fail the same way: no Retry is offered.
    qtbot.waitUntil(
        lambda: "too long for the model" in chat.window.panel.message_view.toPlainText()
    )
    assert not [h for h in links(chat) if h.startswith("desktop-chat:retry/")]
    assert not chat.service.can_retry(conversation.id)
    qtbot.waitUntil(
        lambda: (
            "Showing the first 50,000 of 5,000,000 characters"
            in chat.window.panel.message_view.toPlainText()
        )
    )


def test_continue_asks_for_the_rest_and_appends_it(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.enqueue(
        ScriptedReply(text="The first half", finish_reason="length"),
        ScriptedReply(text=" and the second half."),
    )
    chat = launch()
    _send(qtbot, chat.window, "Tell me everything")
    reply = chat.service.conversation(chat.window.conversation_id).messages[-1]
    qtbot.waitUntil(lambda: any(h.startswith("desktop-chat:continue/") for h in links(chat)))
    assert reply.status is MessageStatus.PARTIAL
    click_action(chat, "continue")
    qtbot.waitUntil(lambda: reply.status is MessageStatus.COMPLETE)
    assert reply.content == "The first half and the second half."
    sent = openai_server.chat_requests()[1].body
    assert sent is not None
    assert sent["messages"][-2] == {"role": "assistant", "content": "The first half"}
    assert "Continue exactly where" in sent["messages"][-1]["content"]
    conversation = chat.service.conversation(chat.window.conversation_id)
    assert len(conversation.messages) == 2  # no extra message for the continuation


def test_the_model_titles_the_chat_after_the_first_reply(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    _send(qtbot, chat.window, "How do vaccines work?")
    model = chat.window.sidebar.conversation_model
    qtbot.waitUntil(lambda: listed_titles(model) == ["How do vaccines work? (titled)"])
    title_request = openai_server.chat_requests()[-1].body
    assert title_request is not None and not title_request.get("stream")
    assert "How do vaccines work?" in title_request["messages"][-1]["content"]
    assert answer_for("How do vaccines work?")[:40] in title_request["messages"][-1]["content"]


def test_retry_is_offered_for_a_long_question_once_a_model_that_takes_it_is_chosen(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    window = chat.window
    picker = window.panel.header.model
    qtbot.waitUntil(lambda: picker.count() == 3)
    picker.setCurrentIndex(picker.findText("test-model"))  # unknown: a small context assumed
    picker.activated.emit(picker.currentIndex())
    QApplication.clipboard().setText("word " * 40_000)  # ~50,000 tokens
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)
    reply = chat.service.conversation(window.conversation_id).messages[-1]
    qtbot.waitUntil(lambda: reply.status is MessageStatus.ERROR)
    qtbot.waitUntil(lambda: "too long for the model" in window.panel.message_view.toPlainText())
    assert not [h for h in links(chat) if h.startswith("desktop-chat:retry/")]

    picker.setCurrentIndex(picker.findText("gpt-4.1"))  # a million tokens
    picker.activated.emit(picker.currentIndex())
    openai_server.enqueue(ScriptedReply(text="Read it all."))
    qtbot.waitUntil(lambda: any(h.startswith("desktop-chat:retry/") for h in links(chat)))
    click_action(chat, "retry")
    qtbot.waitUntil(lambda: reply.status is MessageStatus.COMPLETE, timeout=10_000)
    assert openai_server.chat_requests()[-1].body["model"] == "gpt-4.1"  # type: ignore[index]


def test_titles_show_plain_words_whether_the_model_or_the_question_wrote_them(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.enqueue(ScriptedReply(), ScriptedReply(text="**Cache** _comparison_"))
    chat = launch()
    model = chat.window.sidebar.conversation_model
    _send(qtbot, chat.window, "Here is a **comparison** of caches:")
    qtbot.waitUntil(lambda: listed_titles(model) == ["Cache comparison"])
    body = {"error": {"message": "Overloaded", "type": "server_error"}}
    openai_server.enqueue(ScriptedReply(), ScriptedReply(status=503, error=body))
    chat.window.panel.new_chat()
    _send(qtbot, chat.window, "Why is `lru_cache` **fast**?")
    qtbot.waitUntil(lambda: len(openai_server.chat_requests()) == 4)
    qtbot.waitUntil(lambda: "Why is lru_cache fast?" in listed_titles(model))


def test_without_a_title_from_the_model_the_question_stays_the_title(
    qtbot, launch, openai_server: FakeOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="desktop_chat")
    body = {"error": {"message": "Overloaded", "type": "server_error"}}
    openai_server.enqueue(ScriptedReply(), ScriptedReply(status=503, error=body))
    chat = launch()
    _send(qtbot, chat.window, "How do vaccines work?")
    qtbot.waitUntil(lambda: len(openai_server.chat_requests()) == 2)
    conversation = chat.service.conversation(chat.window.conversation_id)
    qtbot.waitUntil(
        lambda: any("No title from the model" in r.getMessage() for r in caplog.records)
    )
    assert conversation.title == "How do vaccines work?"
    assert chat.window.panel.notices.keys() == []  # nothing to bother the user with
