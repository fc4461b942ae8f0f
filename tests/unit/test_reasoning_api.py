"""Reasoning models through the client, over real HTTP to the test server: every dialect of
thoughts gives the same thoughts-then-answer, each server gets its own effort field, and a
server that refuses the field gets the request again without it."""

from __future__ import annotations

import asyncio
import contextlib
import random

import pytest

from desktop_chat.api import (
    Adjusted,
    ChatClient,
    ChatRequest,
    Endpoint,
    ReasoningDelta,
    StreamEnd,
    StreamEvent,
    TextDelta,
    ThoughtsMoved,
)
from desktop_chat.api.reasoning import ThinkSplitter, efforts_for
from desktop_chat.domain import ReasoningEffort
from tests.conftest import TEST_API_KEY
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply
from tests.unit.test_api import collect

THOUGHTS = "The user asks about **Lisbon**.\n\nIt is the capital of Portugal."
ANSWER = "Lisbon is the capital of Portugal."
QUESTION = [{"role": "user", "content": "Capital of Portugal?"}]


def _stream(
    server: FakeOpenAIServer, *, preset: str = "", model: str = "test-model", **request: object
) -> list[StreamEvent]:
    endpoint = Endpoint(base_url=server.base_url, api_key=TEST_API_KEY, preset=preset)
    client = ChatClient(endpoint, retry_delays=(0.01,))
    arguments = {"model": model, "messages": QUESTION} | request
    return asyncio.run(collect(client, ChatRequest(**arguments)))  # type: ignore[arg-type]


def _split(events: list[StreamEvent]) -> tuple[str, str]:
    """(thoughts, answer) as a reader of the events ends up with them."""
    thoughts, answer = "", ""
    for event in events:
        if isinstance(event, ReasoningDelta):
            thoughts += event.text
        elif isinstance(event, TextDelta):
            answer += event.text
        elif isinstance(event, ThoughtsMoved):
            thoughts += event.thoughts
            answer = answer[: len(answer) - event.chars]
    return thoughts, answer


@pytest.mark.parametrize(
    "dialect",
    [
        "reasoning_content",
        "reasoning",
        "reasoning_details",
        "openrouter",
        "think",
        "think_unopened",
    ],
)
@pytest.mark.parametrize("chunk_chars", [0, 3])
def test_every_dialect_gives_the_same_thoughts_then_answer(
    openai_server: FakeOpenAIServer, dialect: str, chunk_chars: int
) -> None:
    openai_server.enqueue(
        ScriptedReply(text=ANSWER, reasoning=THOUGHTS, dialect=dialect, chunk_chars=chunk_chars)
    )
    events = _stream(openai_server)
    thoughts, answer = _split(events)
    assert thoughts.strip() == THOUGHTS
    assert answer == ANSWER
    # Thoughts never reach the answer and the tags are gone.
    assert "think>" not in answer
    end = events[-1]
    assert isinstance(end, StreamEnd) and not end.thoughts_unclosed


def test_thoughts_never_closed_are_thoughts_and_the_end_says_so(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue(
        ScriptedReply(text="", reasoning=THOUGHTS, dialect="think_unclosed", chunk_chars=5)
    )
    events = _stream(openai_server)
    thoughts, answer = _split(events)
    assert thoughts.strip() == THOUGHTS and answer == ""
    end = events[-1]
    assert isinstance(end, StreamEnd) and end.thoughts_unclosed


def test_openai_hides_the_thoughts_but_counts_them(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(
        ScriptedReply(text=ANSWER, reasoning=THOUGHTS, dialect="hidden", reasoning_tokens=384)
    )
    events = _stream(openai_server)
    assert _split(events) == ("", ANSWER)
    end = events[-1]
    assert isinstance(end, StreamEnd) and end.usage is not None
    assert end.usage.reasoning_tokens == 384


def test_an_answer_about_the_tags_is_left_alone() -> None:
    splitter = ThinkSplitter()
    text = "Models write <think> first, then </think> and the answer."
    pieces = [p for c in range(0, len(text), 4) for p in splitter.feed(text[c : c + 4])]
    rest, unclosed = splitter.finish()
    pieces += rest
    assert "".join(p.text for p in pieces if not p.thought) == text
    assert not any(p.thought or p.moved for p in pieces) and not unclosed


@pytest.mark.parametrize("seed", range(40))
def test_inline_thoughts_split_alike_wherever_the_stream_is_cut(seed: int) -> None:
    rng = random.Random(seed)
    opened = rng.random() < 0.5
    text = ("  <think>\n" if opened else "") + THOUGHTS + "\n</think>\n\n" + ANSWER
    cuts = sorted(rng.sample(range(1, len(text)), rng.randint(1, 25)))
    splitter = ThinkSplitter()
    thoughts, answer = "", ""
    for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
        for piece in splitter.feed(text[start:end]):
            if piece.moved:
                thoughts += piece.text
                answer = answer[: len(answer) - piece.moved]
            elif piece.thought:
                thoughts += piece.text
            else:
                answer += piece.text
    assert thoughts.strip() == THOUGHTS
    assert answer == ANSWER


E = ReasoningEffort
SWITCH = "chat_template_kwargs"
EFFORT_BODIES = [
    ("openai", "gpt-5.4-mini", E.LOW, {"reasoning_effort": "low"}),
    ("azure", "o4-mini", E.HIGH, {"reasoning_effort": "high"}),
    ("openrouter", "deepseek/deepseek-r1", E.MEDIUM, {"reasoning": {"effort": "medium"}}),
    ("openrouter", "deepseek/deepseek-r1", E.NONE, {"reasoning": {"enabled": False}}),
    ("llama-cpp", "qwen3-8b", E.NONE, {SWITCH: {"enable_thinking": False}}),
    ("vllm", "Qwen/Qwen3-8B", E.MEDIUM, {SWITCH: {"enable_thinking": True}}),
    ("ollama", "qwen3:8b", E.NONE, {"think": False}),
    ("ollama", "gpt-oss:20b", E.HIGH, {"think": "high"}),
    ("lm-studio", "openai/gpt-oss-20b", E.LOW, {"reasoning_effort": "low"}),
    ("custom", "some-model", E.MINIMAL, {"reasoning_effort": "minimal"}),
]


@pytest.mark.parametrize(("preset", "model", "effort", "fields"), EFFORT_BODIES)
def test_each_server_is_asked_for_the_effort_in_its_own_words(
    openai_server: FakeOpenAIServer,
    preset: str,
    model: str,
    effort: ReasoningEffort,
    fields: dict[str, object],
) -> None:
    _stream(openai_server, preset=preset, model=model, reasoning_effort=effort)
    body = openai_server.chat_requests()[-1].body
    assert body is not None
    for name, value in fields.items():
        assert body[name] == value
    others = {"reasoning_effort", "reasoning", "chat_template_kwargs", "think"} - set(fields)
    assert not others & set(body)


def test_no_effort_sends_nothing_and_a_model_that_does_not_reason_is_not_asked(
    openai_server: FakeOpenAIServer,
) -> None:
    _stream(openai_server, preset="openai", model="gpt-5.4-mini")
    _stream(openai_server, preset="openai", model="gpt-4.1", reasoning_effort=ReasoningEffort.HIGH)
    for request in openai_server.chat_requests():
        assert request.body is not None and "reasoning_effort" not in request.body
    assert efforts_for("openai", "gpt-4.1") == ()
    assert ReasoningEffort.NONE in efforts_for("openai", "gpt-5.4-mini")
    assert ReasoningEffort.MINIMAL in efforts_for("openai", "gpt-5-mini")


def test_a_server_that_refuses_the_effort_is_asked_again_without_it_and_remembered(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.refused_fields = {"reasoning_effort"}
    endpoint = Endpoint(base_url=openai_server.base_url, api_key=TEST_API_KEY, preset="custom")
    client = ChatClient(endpoint, retry_delays=(0.01,))
    request = ChatRequest(
        model="plain-model", messages=QUESTION, reasoning_effort=ReasoningEffort.HIGH
    )

    async def run() -> list[list[StreamEvent]]:
        runs = []
        for _ in range(2):
            async with contextlib.aclosing(client.stream_reply(request)) as stream:
                runs.append([event async for event in stream])
        await client.aclose()
        return runs

    first, second = asyncio.run(run())
    assert Adjusted("reasoning_effort") in first
    assert not any(isinstance(e, Adjusted) for e in second)  # told once
    assert _split(second)[1] == _split(first)[1] != ""
    bodies = [r.body or {} for r in openai_server.chat_requests()]
    assert ["reasoning_effort" in body for body in bodies] == [True, False, False]
    assert client.efforts_for("plain-model") == ()  # no longer offered


def test_a_whole_reply_asked_at_once_has_its_inline_thoughts_removed_and_the_effort_sent(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue(ScriptedReply(text="<think>\nA title, then.\n</think>\n\nLisbon trip"))
    endpoint = Endpoint(base_url=openai_server.base_url, api_key=TEST_API_KEY, preset="llama-cpp")
    client = ChatClient(endpoint, retry_delays=(0.01,))
    request = ChatRequest(model="qwen3", messages=QUESTION, reasoning_effort=E.NONE)

    async def run() -> str:
        try:
            return await client.complete(request)
        finally:
            await client.aclose()

    assert asyncio.run(run()) == "Lisbon trip"
    body = openai_server.chat_requests()[-1].body
    assert body is not None and body[SWITCH] == {"enable_thinking": False}
