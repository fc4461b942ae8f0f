"""Reasoning models in the real window, against the test server speaking each dialect:
the live "Thinking…" block, its folding and unfolding, the duration, the file, the exports,
the effort choice, Stop and Retry while thinking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_chat.domain import MessageStatus, ReasoningEffort
from desktop_chat.export import ExportFormat, render
from desktop_chat.storage import decode
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply
from tests.helpers.views import click_link, shown_lines
from tests.ui.test_faults import links

THOUGHTS = (
    "The user asks for the capital of **Portugal**.\n\n"
    "Lisbon has been the capital since the thirteenth century, so that is the answer."
)
ANSWER = "The capital of Portugal is **Lisbon**."
TOGGLE = "desktop-chat:toggle-thoughts/"


def _send(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.panel.composer.edit, text)
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)


def _saved(data_dir: Path, conversation_id: str) -> dict:  # type: ignore[type-arg]
    path = data_dir / "conversations" / f"{conversation_id}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _saved_reply(data_dir: Path, conversation_id: str) -> dict:  # type: ignore[type-arg]
    messages = _saved(data_dir, conversation_id).get("messages") or [{}]
    return messages[-1]


def _last_streamed(server: FakeOpenAIServer) -> dict:  # type: ignore[type-arg]
    """The body of the last reply asked for (not a title's request)."""
    return [r.body for r in server.chat_requests() if r.body and r.body.get("stream")][-1]


def _text(chat) -> str:  # type: ignore[no-untyped-def]
    return chat.window.panel.message_view.toPlainText()


@pytest.mark.parametrize(
    "dialect", ["reasoning_content", "reasoning", "reasoning_details", "openrouter", "think"]
)
def test_thoughts_stream_live_then_fold_and_are_kept_and_exported(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path, dialect: str
) -> None:
    openai_server.enqueue(
        ScriptedReply(
            text=ANSWER, reasoning=THOUGHTS, dialect=dialect, chunk_chars=12, hold_after_chunks=5
        )
    )
    chat = launch()
    window = chat.window
    _send(qtbot, window, "Capital of Portugal?")
    conversation = chat.service.conversation(window.conversation_id)
    reply = conversation.messages[-1]
    # Thinking: the thoughts so far show live under "Thinking… N s", no answer yet.
    qtbot.waitUntil(lambda: "capital of" in _text(chat))
    lines = shown_lines(window.panel.message_view)
    assert any(line.startswith("▾ Thinking… ") and line.endswith(" s") for line in lines)
    assert reply.content == "" and reply.reasoning.startswith("The user asks")
    assert "<think>" not in _text(chat)
    openai_server.release()
    qtbot.waitUntil(lambda: reply.status is MessageStatus.COMPLETE)
    # Answered: the thoughts fold away to "Thought for N s"; the answer is the reply.
    qtbot.waitUntil(lambda: "Lisbon" in _text(chat) and "Thought for" in _text(chat))
    assert "thirteenth century" not in _text(chat)
    assert reply.content == ANSWER
    assert reply.reasoning == THOUGHTS
    assert reply.reasoning_seconds is not None and reply.reasoning_seconds >= 0
    # Unfolded by a click: the thoughts as Markdown (bold rendered, not starred).
    click_link(window.panel.message_view, TOGGLE)
    qtbot.waitUntil(lambda: "thirteenth century" in _text(chat))
    assert "**Portugal**" not in _text(chat)
    click_link(window.panel.message_view, TOGGLE)
    qtbot.waitUntil(lambda: "thirteenth century" not in _text(chat))
    # Kept apart in the file, with the duration.
    qtbot.waitUntil(lambda: _saved_reply(data_dir, conversation.id).get("status") == "complete")
    saved = _saved_reply(data_dir, conversation.id)
    assert saved["content"] == ANSWER
    assert saved["reasoning"]["text"] == THOUGHTS
    assert saved["reasoning"]["seconds"] == reply.reasoning_seconds
    # Exported: HTML as a closed details block, Markdown as a labelled quote.
    raw = (data_dir / "conversations" / f"{conversation.id}.json").read_bytes()
    stored = decode(raw, conversation_id=conversation.id)
    page = render(stored, ExportFormat.HTML).decode()
    thoughts = page.split('<details class="reasoning"><summary>Thought for')[1]
    assert "thirteenth century" in thoughts.split("</details>")[0]
    markdown = render(stored, ExportFormat.MARKDOWN).decode()
    assert "> **Thought for" in markdown and "> Lisbon has been the capital" in markdown
    # The thoughts are never sent back as part of the answer.
    _send(qtbot, window, "And of Spain?")
    qtbot.waitUntil(lambda: conversation.messages[-1].status is MessageStatus.COMPLETE)
    sent = _last_streamed(openai_server)
    assistant = [m for m in sent["messages"] if m["role"] == "assistant"]
    assert assistant == [{"role": "assistant", "content": ANSWER}]


def test_a_template_that_opened_the_thoughts_in_the_prompt_moves_them_out_of_the_answer(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    openai_server.enqueue(
        ScriptedReply(text=ANSWER, reasoning=THOUGHTS, dialect="think_unopened", chunk_chars=7)
    )
    chat = launch()
    _send(qtbot, chat.window, "Capital of Portugal?")
    reply = chat.service.conversation(chat.window.conversation_id).messages[-1]
    qtbot.waitUntil(lambda: reply.status is MessageStatus.COMPLETE)
    assert reply.content == ANSWER and reply.reasoning == THOUGHTS
    qtbot.waitUntil(lambda: "Thought for" in _text(chat) and "</think>" not in _text(chat))
    assert "thirteenth century" not in _text(chat)


def test_openai_hides_its_thoughts_but_the_reply_says_how_long_and_how_many_tokens(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    openai_server.enqueue(
        ScriptedReply(
            text=ANSWER,
            reasoning=THOUGHTS,
            dialect="hidden",
            reasoning_tokens=384,
            delay_before_headers=0.3,
        )
    )
    chat = launch()
    _send(qtbot, chat.window, "Capital of Portugal?")
    conversation = chat.service.conversation(chat.window.conversation_id)
    reply = conversation.messages[-1]
    qtbot.waitUntil(lambda: "Thinking… " in _text(chat))
    qtbot.waitUntil(lambda: reply.status is MessageStatus.COMPLETE)
    qtbot.waitUntil(lambda: "384 reasoning tokens" in _text(chat))
    assert "Reasoned for " in _text(chat)
    assert reply.reasoning == "" and reply.usage is not None
    assert reply.usage.reasoning_tokens == 384
    assert reply.reasoning_seconds is not None and reply.reasoning_seconds >= 0.2
    assert not any(h.startswith(TOGGLE) for h in links(chat))  # nothing to unfold
    qtbot.waitUntil(lambda: "reasoning" in _saved_reply(data_dir, conversation.id))
    saved = _saved_reply(data_dir, conversation.id)
    assert saved["reasoning"] == {"text": "", "seconds": reply.reasoning_seconds}
    assert saved["usage"]["reasoning_tokens"] == 384


def test_stop_while_thinking_keeps_the_thoughts_and_retry_keeps_them_as_a_version(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    openai_server.enqueue(
        ScriptedReply(text=ANSWER, reasoning=THOUGHTS, chunk_chars=12, hold_after_chunks=3),
        ScriptedReply(text="Lisbon.", reasoning="Short thought.", chunk_chars=12),
    )
    chat = launch()
    window = chat.window
    _send(qtbot, window, "Capital of Portugal?")
    conversation = chat.service.conversation(window.conversation_id)
    reply = conversation.messages[-1]
    qtbot.waitUntil(lambda: len(reply.reasoning) >= 24)
    window.panel.composer.button.click()  # Stop
    qtbot.waitUntil(lambda: reply.status is MessageStatus.PARTIAL)
    kept = reply.reasoning
    assert kept and THOUGHTS.startswith(kept) and reply.content == ""
    assert reply.reasoning_seconds is not None
    qtbot.waitUntil(lambda: _saved_reply(data_dir, conversation.id).get("status") == "partial")
    assert _saved_reply(data_dir, conversation.id)["reasoning"]["text"] == kept
    # Retry: a new version; the stopped one keeps its thoughts among the versions.
    qtbot.waitUntil(lambda: any(h.startswith("desktop-chat:retry/") for h in links(chat)))
    click_link(window.panel.message_view, "desktop-chat:retry/")
    qtbot.waitUntil(lambda: conversation.messages[-1].status is MessageStatus.COMPLETE)
    assert conversation.messages[-1].reasoning == "Short thought."
    [branch] = conversation.branches
    assert branch.messages[0].reasoning == kept


def test_the_effort_is_chosen_per_chat_offered_only_where_the_model_takes_it_and_sent(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    chat = launch()
    window = chat.window
    header = window.panel.header
    # The test server is a "custom" one: any model may reason.
    assert header.effort.isVisible()
    names = [header.effort.itemText(i) for i in range(header.effort.count())]
    assert names == ["Default", "None", "Minimal", "Low", "Medium", "High"]
    header.effort.setFocus()
    index = header.effort.findData(ReasoningEffort.HIGH.value)
    header.effort.setCurrentIndex(index)
    header.effort.activated.emit(index)
    _send(qtbot, window, "Think hard: capital of Portugal?")
    conversation = chat.service.conversation(window.conversation_id)
    qtbot.waitUntil(lambda: conversation.messages[-1].status is MessageStatus.COMPLETE)
    assert _last_streamed(openai_server)["reasoning_effort"] == "high"
    # The title is asked for without the chat's effort; and, on a server whose reasoning
    # field is only guessed, without asking for none either (a refusal would be remembered).
    qtbot.waitUntil(
        lambda: any(not (r.body or {}).get("stream") for r in openai_server.chat_requests())
    )
    titles = [
        r.body or {} for r in openai_server.chat_requests() if not (r.body or {}).get("stream")
    ]
    assert all("reasoning_effort" not in body for body in titles)
    qtbot.waitUntil(
        lambda: (
            _saved(data_dir, conversation.id).get("settings", {}).get("reasoning_effort") == "high"
        )
    )
    # A server that refuses it: asked again without it, the user told once, no longer offered.
    openai_server.refused_fields = {"reasoning_effort"}
    _send(qtbot, window, "Again?")
    qtbot.waitUntil(lambda: len(conversation.messages) == 4)
    reply = conversation.messages[-1]
    qtbot.waitUntil(lambda: reply.status is not MessageStatus.STREAMING)
    assert reply.status is MessageStatus.COMPLETE, reply.error
    assert "reasoning_effort" not in _last_streamed(openai_server)
    qtbot.waitUntil(lambda: not header.effort.isVisible())
    notices = window.panel.notices
    assert "reasoning_effort" in (notices.text_of("adjusted:gpt-5.4-mini") or "")


def test_the_thoughts_fold_and_unfold_from_the_keyboard(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.enqueue(ScriptedReply(text=ANSWER, reasoning=THOUGHTS, chunk_chars=20))
    chat = launch()
    _send(qtbot, chat.window, "Capital of Portugal?")
    reply = chat.service.conversation(chat.window.conversation_id).messages[-1]
    qtbot.waitUntil(lambda: reply.status is MessageStatus.COMPLETE)
    view = chat.window.panel.message_view
    qtbot.waitUntil(lambda: "Thought for" in _text(chat))
    view.setFocus()
    # Tab moves between the links of the conversation; Enter follows the focused one.
    for _ in range(10):
        if view.textCursor().charFormat().anchorHref().startswith(TOGGLE) or (
            view.textCursor().selectedText() and "Thought for" in view.textCursor().selectedText()
        ):
            break
        view.focusNextPrevChild(True)
    assert "Thought for" in view.textCursor().selectedText()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "thirteenth century" in _text(chat))
