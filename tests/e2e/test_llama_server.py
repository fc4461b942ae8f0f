"""Against a real server: llama.cpp's `llama-server` running a real small model
(SmolLM2-135M) made to think, started by ../shared/tools/llama-server.sh.

It streams `reasoning_content`, then the answer; with thinking switched off
(`chat_template_kwargs.enable_thinking: false`) its template no longer opens `<think>`,
so the thoughts arrive in the content and end with `</think>` — the other dialect. Runs
when the server is built (`llama-server.sh install`, which .ci/test does), else skips.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_chat.api import (
    ChatClient,
    ChatRequest,
    Endpoint,
    ReasoningDelta,
    TextDelta,
    ThoughtsMoved,
)
from desktop_chat.domain import MessageStatus, ReasoningEffort

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT.parent / "shared" / "tools" / "llama-server.sh"
HOME = Path(
    os.environ.get("LLAMA_SERVER_HOME")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "llama-server-smollm2"
)
MODEL = "smollm2-135m-think"


def _built() -> bool:
    # The tests run with a temporary HOME: look where the real one keeps the build.
    return SCRIPT.exists() and (HOME / "build" / "bin" / "llama-server").exists()


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    if not _built():
        pytest.skip("llama-server is not built (../shared/tools/llama-server.sh install)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, LLAMA_SERVER_HOME=str(HOME))
    started = subprocess.run(
        ["bash", str(SCRIPT), str(port), "think"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    pid = int(started.stdout.strip())
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


def test_the_window_shows_a_real_models_thoughts_then_its_answer(
    qtbot, launch, llama_server: str, data_dir: Path
) -> None:
    chat = launch(env={"OPENAI_BASE_URL": llama_server})
    window = chat.window
    window.panel.header.model.setCurrentText(MODEL)
    window.panel.header.model_chosen.emit(MODEL)
    seen_thinking: list[bool] = []
    qtbot.keyClicks(window.panel.composer.edit, "What is the capital of France?")
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)
    conversation = chat.service.conversation(window.conversation_id)
    reply = conversation.messages[-1]
    events = chat.service.events(conversation.id)
    events.message_changed.connect(
        lambda _id: seen_thinking.append(bool(reply.reasoning) and not reply.content)
    )
    qtbot.waitUntil(lambda: reply.status is not MessageStatus.STREAMING, timeout=60_000)
    assert reply.status is MessageStatus.COMPLETE, reply.error
    assert reply.reasoning.strip() and reply.content.strip()
    assert "think>" not in reply.content and "think>" not in reply.reasoning
    assert reply.reasoning_seconds is not None
    assert any(seen_thinking)  # the thoughts came first, on their own
    view = window.panel.message_view
    qtbot.waitUntil(lambda: "▸ Thought for" in view.toPlainText())  # folded


def test_thinking_switched_off_still_keeps_the_thoughts_out_of_the_answer(
    llama_server: str,
) -> None:
    client = ChatClient(Endpoint(base_url=llama_server, preset="llama-cpp"))
    request = ChatRequest(
        model=MODEL,
        messages=[{"role": "user", "content": "Name a colour."}],
        reasoning_effort=ReasoningEffort.NONE,
        max_output_tokens=400,
    )

    async def run() -> tuple[str, str, bool]:
        thoughts = answer = ""
        moved_any = False
        async with contextlib.aclosing(client.stream_reply(request)) as stream:
            async for event in stream:
                if isinstance(event, ReasoningDelta):
                    thoughts += event.text
                elif isinstance(event, TextDelta):
                    answer += event.text
                elif isinstance(event, ThoughtsMoved):
                    thoughts += event.thoughts
                    answer = answer[: len(answer) - event.chars]
                    moved_any = True
        await client.aclose()
        return thoughts, answer, moved_any

    thoughts, answer, moved = asyncio.run(run())
    assert moved  # the server sent the thoughts as content, closed by </think>
    assert thoughts.strip() and answer.strip()
    assert "</think>" not in answer
