"""Every network fault, through the app's own code and window: a clear message in the
conversation, what arrived kept and marked, a Retry action, no traceback, nothing lost."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_chat.domain import MessageStatus
from tests.conftest import TEST_API_KEY
from tests.helpers.openai_server import (
    BlackHole,
    FakeOpenAIServer,
    ScriptedReply,
    SilentServer,
    answer_for,
    unused_port_url,
)
from tests.helpers.views import offered, press_action, version_shown

QUESTION = "Tell me about chatbots"


def _status(status: int, message: str, code: str | None = None, **headers: str) -> ScriptedReply:
    body = {"message": message, "type": "error", "param": None, "code": code}
    return ScriptedReply(status=status, error={"error": body}, headers=headers)


def make_fast(chat, *, timeout: float = 0.4) -> None:  # type: ignore[no-untyped-def]
    """Retries and timeouts in milliseconds instead of seconds."""
    chat.client.retry_delays = (0.01, 0.01, 0.01)
    chat.client.endpoint = dataclasses.replace(
        chat.client.endpoint, connect_timeout=timeout, read_timeout=timeout
    )


def ask(qtbot, chat, text: str = QUESTION):  # type: ignore[no-untyped-def]
    """Send a question and wait for the reply to end; returns the reply."""
    edit = chat.window.panel.composer.edit
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    conversation_id = chat.window.conversation_id
    qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation_id), timeout=15_000)
    reply = chat.service.conversation(conversation_id).messages[-1]
    # The view is at most a frame behind the reply.
    qtbot.waitUntil(lambda: reply.status is not MessageStatus.STREAMING)
    return reply


def links(chat) -> list[str]:  # type: ignore[no-untyped-def]
    """The links in the conversation, then the actions its bar of buttons offers."""
    return offered(chat.window.panel.message_view)


def click_action(chat, action: str) -> None:  # type: ignore[no-untyped-def]
    press_action(chat.window.panel.message_view, action)


@dataclasses.dataclass
class Fault:
    script: Callable[[FakeOpenAIServer], None] = lambda server: None
    base_url: Callable[[FakeOpenAIServer], str] | None = None
    says: str = ""
    kept: str = ""
    """The part of the reply that arrived before the fault."""
    retry_fixes_it: bool = True


FAULTS = {
    "401 bad key": Fault(
        lambda s: s.enqueue(
            _status(
                401,
                f"Incorrect API key provided: {TEST_API_KEY[:6]}***{TEST_API_KEY[-4:]}.",
                "invalid_api_key",
            )
        ),
        says="rejected the API key (401). Check the key",
    ),
    "403": Fault(
        lambda s: s.enqueue(_status(403, "Project lacks access")),
        says="not allowed to use this model or endpoint (403)",
    ),
    "404 unknown model": Fault(
        lambda s: s.enqueue(_status(404, "The model `gpt-9` does not exist", "model_not_found")),
        says="does not know this model, or the base URL is wrong (404)",
    ),
    "400 context too long": Fault(
        lambda s: s.enqueue(
            *[
                _status(
                    400,
                    "This model's maximum context length is 8192 tokens.",
                    "context_length_exceeded",
                )
            ]
            * 2
        ),
        says="too long for this model's context window (400)",
    ),
    "429 out of quota": Fault(
        lambda s: s.enqueue(_status(429, "You exceeded your current quota", "insufficient_quota")),
        says="run out of credit or reached its spending limit (429)",
    ),
    "429 rate limit, long Retry-After": Fault(
        lambda s: s.enqueue(
            _status(429, "Slow down", "rate_limit_exceeded", **{"retry-after": "300"})
        ),
        says="rate limiting requests (429). Retry in about 5 min",
    ),
    "500": Fault(
        lambda s: s.enqueue(*[_status(500, "Internal error")] * 4),
        says="had a problem (500). Retry in a moment",
    ),
    "503": Fault(
        lambda s: s.enqueue(*[_status(503, "Overloaded")] * 4),
        says="had a problem (503). Retry in a moment",
    ),
    "connection refused": Fault(
        base_url=lambda s: unused_port_url(),
        says="Nothing is answering at 127.0.0.1",
        retry_fixes_it=False,
    ),
    "DNS failure": Fault(
        base_url=lambda s: "http://llm.no-such-host.invalid/v1",
        says="Could not find the server llm.no-such-host.invalid",
        retry_fixes_it=False,
    ),
    "read timeout before any answer": Fault(
        lambda s: s.enqueue(*[ScriptedReply(delay_before_headers=3)] * 4),
        says="did not answer in time",
    ),
    "connection dropped mid-stream": Fault(
        lambda s: s.enqueue(ScriptedReply(text="Chatbots are programs that", drop_after_chunks=3)),
        says="connection dropped while the reply was arriving",
        kept="Chatbots are programs ",
    ),
    "server silent mid-stream": Fault(
        lambda s: s.enqueue(ScriptedReply(text="Chatbots are programs", hold_after_chunks=2)),
        says="stopped sending in the middle of the reply",
        kept="Chatbots are ",
    ),
    "stream ends without [DONE] or finish reason": Fault(
        lambda s: s.enqueue(
            ScriptedReply(text="Chatbots are", finish_reason=None, send_done=False)
        ),
        says="stopped before the reply was finished",
        kept="Chatbots are",
    ),
    "malformed chunk": Fault(
        lambda s: s.enqueue(ScriptedReply(text="Chatbots are programs", malformed_after_chunks=2)),
        says="sent something this app could not read",
        kept="Chatbots are ",
    ),
    "error event mid-stream": Fault(
        lambda s: s.enqueue(
            ScriptedReply(text="Chatbots are programs", error_event_after_chunks=1)
        ),
        says="reported an error while answering: The model crashed",
        kept="Chatbots ",
    ),
    "length limit": Fault(
        lambda s: s.enqueue(ScriptedReply(text="Chatbots are", finish_reason="length")),
        says="reached its length limit",
        kept="Chatbots are",
    ),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_each_fault_is_explained_keeps_what_arrived_and_offers_retry(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path, name: str
) -> None:
    fault = FAULTS[name]
    env = {"OPENAI_API_KEY": TEST_API_KEY, "OPENAI_BASE_URL": openai_server.base_url}
    if fault.base_url is not None:
        env["OPENAI_BASE_URL"] = fault.base_url(openai_server)
    fault.script(openai_server)
    chat = launch(env=env)
    make_fast(chat)

    reply = ask(qtbot, chat)

    view = chat.window.panel.message_view
    # The view is up to a frame behind: wait until it shows the ending, Retry and all.
    qtbot.waitUntil(lambda: any(h.startswith("desktop-chat:retry/") for h in links(chat)))
    assert fault.says in view.toPlainText()
    assert reply.content == fault.kept
    assert reply.status is (MessageStatus.PARTIAL if fault.kept else MessageStatus.ERROR)
    assert fault.kept.strip() in view.toPlainText()
    assert bool(fault.kept) == any(h.startswith("desktop-chat:continue/") for h in links(chat))
    shown = view.toPlainText()
    assert "Traceback" not in shown
    assert TEST_API_KEY not in shown and TEST_API_KEY[-4:] not in shown
    path = data_dir / "conversations" / f"{chat.window.conversation_id}.json"
    qtbot.waitUntil(
        lambda: (
            path.exists()
            and json.loads(path.read_text())["messages"][-1]["status"] == reply.status.value
        )
    )
    saved = json.loads(path.read_text(encoding="utf-8"))["messages"]
    assert [m["content"] for m in saved] == [QUESTION, fault.kept]
    assert fault.says in saved[-1]["error"]

    if fault.retry_fixes_it:
        click_action(chat, "retry")
        conversation = chat.service.conversation(chat.window.conversation_id)
        qtbot.waitUntil(
            lambda: conversation.messages[-1].status is MessageStatus.COMPLETE, timeout=10_000
        )
        assert conversation.messages[-1].content == answer_for(QUESTION)
        qtbot.waitUntil(lambda: "desktop-chat:retry" not in " ".join(links(chat)))
        # What arrived before the fault is still there, as the turn's other version.
        kept = [m.content for b in conversation.branches for m in b.messages]
        assert kept == ([fault.kept] if fault.kept else [])


def test_a_passing_rate_limit_is_waited_out_and_says_so_meanwhile(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.enqueue(
        _status(429, "Slow down", "rate_limit_exceeded", **{"retry-after-ms": "600"})
    )
    chat = launch()
    view = chat.window.panel.message_view
    qtbot.keyClicks(chat.window.panel.composer.edit, QUESTION)
    qtbot.keyClick(chat.window.panel.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "rate limiting requests (429)" in view.toPlainText())
    assert "rate limiting requests (429). Trying again in 1 s…" in view.toPlainText()
    assert "Retry in" not in view.toPlainText()  # no advice to do what the app is doing
    conversation_id = chat.window.conversation_id
    qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation_id), timeout=10_000)
    reply = chat.service.conversation(conversation_id).messages[-1]
    assert reply.status is MessageStatus.COMPLETE
    assert reply.error is None
    qtbot.waitUntil(lambda: "rate limiting" not in view.toPlainText())
    assert len(openai_server.chat_requests()) >= 2


def test_stop_during_a_retry_wait_ends_at_once(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.enqueue(_status(429, "Slow down", "rate_limit_exceeded", **{"retry-after": "30"}))
    chat = launch()
    qtbot.keyClicks(chat.window.panel.composer.edit, QUESTION)
    qtbot.keyClick(chat.window.panel.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Trying again in 30 s" in chat.window.panel.message_view.toPlainText())
    qtbot.keyClick(chat.window.panel.composer.edit, Qt.Key.Key_Escape)
    conversation_id = chat.window.conversation_id
    qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation_id), timeout=2000)
    assert chat.service.conversation(conversation_id).messages[-1].status is MessageStatus.PARTIAL
    assert len(openai_server.chat_requests()) == 1


def test_a_server_without_a_models_list_gets_the_models_in_use(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    from tests.helpers.async_helpers import run_async

    chat = launch()
    assert run_async(qtbot, chat.service.models()) == (
        ["gpt-4.1", "gpt-5.4-mini", "test-model"],
        True,
    )
    openai_server.models = None
    chat.settings.connection_changed.emit()  # as saving another server does: asked again
    models, from_server = run_async(qtbot, chat.service.models())
    assert not from_server
    assert models == ["gpt-5.4-mini"]  # the models in use: here the new chat's default


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    hole = BlackHole()
    yield hole
    hole.close()


def test_a_connect_timeout_is_explained(qtbot, launch, black_hole: BlackHole) -> None:
    chat = launch(env={"OPENAI_API_KEY": TEST_API_KEY, "OPENAI_BASE_URL": black_hole.base_url})
    make_fast(chat, timeout=0.2)
    reply = ask(qtbot, chat)
    assert reply.status is MessageStatus.ERROR
    qtbot.waitUntil(
        lambda: "did not answer in time" in chat.window.panel.message_view.toPlainText()
    )


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_closing_while_the_model_list_loads_ends_it_quietly(
    qtbot, launch, silent: SilentServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Shutdown ends the service's requests before it closes their connections."""
    import asyncio

    from tests.helpers.async_helpers import run_async

    chat = launch(env={"OPENAI_API_KEY": TEST_API_KEY, "OPENAI_BASE_URL": silent.base_url})
    listing = asyncio.get_running_loop().create_task(chat.service.models())
    qtbot.waitUntil(lambda: silent.connections > 0)  # the request is under way
    run_async(qtbot, chat.shutdown())
    qtbot.waitUntil(listing.done)
    assert listing.cancelled()
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    with pytest.raises(asyncio.CancelledError):  # and nothing new starts
        run_async(qtbot, chat.service.models())


def test_retry_keeps_what_arrived_as_a_version_however_often_it_fails(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    """Drop mid-reply, Retry while the server is down, Retry once it is back: the text that
    arrived first is never lost, and both replies are versions of the turn."""
    openai_server.enqueue(
        ScriptedReply(text="Chatbots are programs that", drop_after_chunks=3), ScriptedReply()
    )
    chat = launch()
    make_fast(chat)
    first = ask(qtbot, chat)
    assert first.content == "Chatbots are programs "
    conversation_id = chat.window.conversation_id
    view = chat.window.panel.message_view
    qtbot.waitUntil(lambda: any(h.startswith("desktop-chat:retry/") for h in links(chat)))

    # The server goes away; Retry fails to connect.
    port = openai_server.port
    openai_server.stop()
    click_action(chat, "retry")
    conversation = chat.service.conversation(conversation_id)
    qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation_id), timeout=10_000)
    qtbot.waitUntil(lambda: "Nothing is answering" in view.toPlainText())
    assert conversation.messages[-1].status is MessageStatus.ERROR
    qtbot.waitUntil(lambda: version_shown(view) == "2/2")
    path = data_dir / "conversations" / f"{conversation_id}.json"

    def saved_texts() -> list[str]:
        saved = json.loads(path.read_text(encoding="utf-8"))
        return [m["content"] for b in saved["branches"] for m in b["messages"]] + [
            m["content"] for m in saved["messages"]
        ]

    qtbot.waitUntil(lambda: "Chatbots are programs " in saved_texts())

    # Back up: Retry gets the whole answer; the first text is still a version.
    back = FakeOpenAIServer(port=port).start()
    try:
        qtbot.waitUntil(lambda: any(h.startswith("desktop-chat:retry/") for h in links(chat)))
        click_action(chat, "retry")
        qtbot.waitUntil(
            lambda: conversation.messages[-1].status is MessageStatus.COMPLETE, timeout=10_000
        )
        assert conversation.messages[-1].content == answer_for(QUESTION)
        qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation_id))
        qtbot.waitUntil(lambda: "desktop-chat:retry" not in " ".join(links(chat)))
        qtbot.waitUntil(lambda: answer_for(QUESTION) in saved_texts())
        assert "Chatbots are programs " in saved_texts()
        assert version_shown(view) == "2/2"

        click_action(chat, "previous-version")
        qtbot.waitUntil(lambda: "Chatbots are programs" in view.toPlainText())
        assert version_shown(view) == "1/2"
        assert conversation.messages[-1].content == "Chatbots are programs "
    finally:
        back.stop()
