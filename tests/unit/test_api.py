"""The client against the test server over real HTTP, on a plain asyncio loop: streaming,
retries, refused parameters, every network fault, models, proxies."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import pytest

from desktop_chat import errors
from desktop_chat.api import (
    Adjusted,
    ChatClient,
    ChatRequest,
    Endpoint,
    Retrying,
    StreamEnd,
    StreamEvent,
    TextDelta,
)
from desktop_chat.api.failures import retry_after_seconds
from tests.conftest import TEST_API_KEY
from tests.helpers.forward_proxy import ForwardProxy
from tests.helpers.openai_server import (
    BlackHole,
    FakeOpenAIServer,
    ScriptedReply,
    answer_for,
    unused_port_url,
)

QUESTION = [{"role": "user", "content": "What is a chatbot?"}]
FAST_RETRIES = (0.01, 0.01, 0.01)


def _client(
    base_url: str, key: str | None = TEST_API_KEY, *, timeout: float = 5.0, **options: object
) -> ChatClient:
    endpoint = Endpoint(
        base_url=base_url, api_key=key, connect_timeout=timeout, read_timeout=timeout
    )
    return ChatClient(endpoint, retry_delays=FAST_RETRIES, **options)  # type: ignore[arg-type]


async def collect(client: ChatClient, request: ChatRequest) -> list[StreamEvent]:
    """Every event of one streamed reply; the client is closed after."""
    events: list[StreamEvent] = []
    try:
        async with contextlib.aclosing(client.stream_reply(request)) as stream:
            async for event in stream:
                events.append(event)
    finally:
        await client.aclose()
    return events


def stream(client: ChatClient, **request: object) -> list[StreamEvent]:
    arguments = {"model": "test-model", "messages": QUESTION} | request
    return asyncio.run(collect(client, ChatRequest(**arguments)))  # type: ignore[arg-type]


def failure(client: ChatClient, **request: object) -> tuple[errors.ChatError, list[StreamEvent]]:
    events: list[StreamEvent] = []

    async def run() -> None:
        arguments = {"model": "test-model", "messages": QUESTION} | request
        try:
            async with contextlib.aclosing(
                client.stream_reply(ChatRequest(**arguments))  # type: ignore[arg-type]
            ) as stream:
                async for event in stream:
                    events.append(event)
        finally:
            await client.aclose()

    with pytest.raises(errors.ChatError) as caught:
        asyncio.run(run())
    return caught.value, events


def text_of(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


# --- streaming ---------------------------------------------------------------------------


def test_a_reply_streams_as_deltas_then_ends_with_reason_and_usage(
    openai_server: FakeOpenAIServer,
) -> None:
    events = stream(_client(openai_server.base_url))
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 5, "the reply should arrive in many pieces"
    assert text_of(events) == answer_for("What is a chatbot?")
    end = events[-1]
    assert isinstance(end, StreamEnd)
    assert end.finish_reason == "stop"
    assert end.usage is not None and end.usage.completion_tokens > 0


def test_the_request_carries_model_messages_limits_usage_option_and_key(
    openai_server: FakeOpenAIServer,
) -> None:
    stream(_client(openai_server.base_url), model="gpt-x", max_output_tokens=2000, temperature=0.3)
    sent = openai_server.chat_requests()[-1]
    assert sent.body is not None
    assert sent.body["model"] == "gpt-x"
    assert sent.body["messages"] == QUESTION
    assert sent.body["stream"] is True
    assert sent.body["stream_options"] == {"include_usage": True}
    assert sent.body["max_tokens"] == 2000  # a compatible server gets the classic name
    assert sent.body["temperature"] == 0.3
    assert sent.headers["authorization"] == f"Bearer {TEST_API_KEY}"


def test_a_stream_that_ends_without_finish_reason_or_done_is_reported_as_cut_short(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue(ScriptedReply(text="half an ans", finish_reason=None, send_done=False))
    events = stream(_client(openai_server.base_url))
    assert text_of(events) == "half an ans"
    end = events[-1]
    assert isinstance(end, StreamEnd) and end.finish_reason is None


def test_a_local_server_needs_no_key(openai_server: FakeOpenAIServer) -> None:
    events = stream(_client(openai_server.base_url, key=None))
    assert isinstance(events[-1], StreamEnd)


# --- parameters a model refuses --------------------------------------------------------


def _refusal(param: str, message: str, code: str = "unsupported_parameter") -> ScriptedReply:
    body = {"message": message, "type": "invalid_request_error", "param": param, "code": code}
    return ScriptedReply(status=400, error={"error": body})


def test_a_reasoning_model_refusing_max_tokens_gets_max_completion_tokens(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue(
        _refusal(
            "max_tokens",
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
        )
    )
    client = _client(openai_server.base_url)
    events = stream(client, model="o4-mini", max_output_tokens=2000)
    assert Adjusted("max_tokens") in events
    first, second = [r.body for r in openai_server.chat_requests()]
    assert first is not None and second is not None
    assert first["max_tokens"] == 2000
    assert second["max_completion_tokens"] == 2000 and "max_tokens" not in second
    assert text_of(events)


def test_a_refused_temperature_is_left_out_and_remembered(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue(
        _refusal(
            "temperature",
            "Unsupported value: 'temperature' does not support 0.3 with this model. Only the "
            "default (1) value is supported.",
            code="unsupported_value",
        )
    )
    client = _client(openai_server.base_url)

    async def twice() -> None:
        for _ in range(2):
            request = ChatRequest(model="gpt-5", messages=QUESTION, temperature=0.3)
            async with contextlib.aclosing(client.stream_reply(request)) as events:
                async for _event in events:
                    pass
        await client.aclose()

    asyncio.run(twice())
    bodies = [r.body or {} for r in openai_server.chat_requests()]
    assert [("temperature" in b) for b in bodies] == [True, False, False]


def test_a_server_refusing_stream_options_still_streams(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(
        _refusal("stream_options", "Unrecognized request argument: stream_options")
    )
    events = stream(_client(openai_server.base_url))
    assert Adjusted("stream_options") in events
    assert "stream_options" not in (openai_server.chat_requests()[-1].body or {})
    assert text_of(events)


# --- failures before the first token: retried, then explained -----------------------


def _status(status: int, message: str, code: str | None = None, **headers: str) -> ScriptedReply:
    body = {"message": message, "type": "error", "param": None, "code": code}
    return ScriptedReply(status=status, error={"error": body}, headers=headers)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_a_passing_server_failure_is_retried_and_the_reply_arrives(
    openai_server: FakeOpenAIServer, status: int
) -> None:
    openai_server.enqueue(_status(status, "Overloaded"))
    events = stream(_client(openai_server.base_url))
    [retrying] = [e for e in events if isinstance(e, Retrying)]
    assert retrying.attempt == 1
    assert isinstance(retrying.error, errors.ServerError)
    assert text_of(events) == answer_for("What is a chatbot?")
    assert len(openai_server.chat_requests()) == 2


def test_retries_give_up_after_three_with_a_clear_message(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue(*[_status(503, "Service Unavailable")] * 4)
    error, events = failure(_client(openai_server.base_url))
    assert isinstance(error, errors.ServerError)
    assert "had a problem (503). Retry in a moment." in error.message
    assert [e.attempt for e in events if isinstance(e, Retrying)] == [1, 2, 3]
    assert len(openai_server.chat_requests()) == 4


def test_a_rate_limit_waits_as_long_as_the_server_asks(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(
        _status(
            429,
            "Rate limit reached for requests",
            "rate_limit_exceeded",
            **{"retry-after-ms": "120"},
        )
    )
    events = stream(_client(openai_server.base_url))
    [retrying] = [e for e in events if isinstance(e, Retrying)]
    assert retrying.delay == pytest.approx(0.12)
    assert "rate limiting requests (429)" in retrying.error.message
    assert text_of(events)


def test_a_rate_limit_asking_for_too_long_a_wait_is_explained_not_waited_out(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue(
        _status(429, "Slow down", "rate_limit_exceeded", **{"Retry-After": "600"})
    )
    error, events = failure(_client(openai_server.base_url))
    assert isinstance(error, errors.RateLimitError)
    assert "Retry in about 10 min" in error.message
    assert not [e for e in events if isinstance(e, Retrying)]


def test_retry_after_is_read_in_seconds_milliseconds_or_as_a_date() -> None:
    assert retry_after_seconds({"retry-after": "7"}) == 7
    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


@pytest.mark.parametrize(
    ("reply", "kind", "words"),
    [
        (
            _status(
                401,
                "Incorrect API key provided: sk-test-0***********************wxyz.",
                "invalid_api_key",
            ),
            errors.AuthenticationError,
            "rejected the API key (401)",
        ),
        (
            _status(403, "Project does not have access to model"),
            errors.AccessDeniedError,
            "not allowed to use this model",
        ),
        (
            _status(404, "The model `gpt-9` does not exist", "model_not_found"),
            errors.ModelNotFoundError,
            "does not know this model",
        ),
        (
            _status(
                400,
                "This model's maximum context length is 8192 tokens.",
                "context_length_exceeded",
            ),
            errors.ContextTooLongError,
            "too long for this model",
        ),
        (
            _status(429, "You exceeded your current quota", "insufficient_quota"),
            errors.QuotaExceededError,
            "run out of credit",
        ),
        (
            _status(400, "Invalid 'messages[0].role'"),
            errors.BadRequestError,
            "refused the request (400). The server said: Invalid",
        ),
    ],
    ids=["401", "403", "404", "400-context", "429-quota", "400"],
)
def test_failures_that_a_retry_cannot_fix_are_explained_at_once(
    openai_server: FakeOpenAIServer, reply: ScriptedReply, kind: type, words: str
) -> None:
    openai_server.enqueue(reply)
    error, events = failure(_client(openai_server.base_url))
    assert type(error) is kind
    assert words in error.message
    assert not events
    assert len(openai_server.chat_requests()) == 1
    for text in (error.message, error.detail or "", str(error), repr(error)):
        assert TEST_API_KEY not in text
        assert TEST_API_KEY[-4:] not in text


def test_nothing_listening_says_so_after_retrying() -> None:
    error, events = failure(_client(unused_port_url()))
    assert isinstance(error, errors.ConnectionFailedError)
    assert "Nothing is answering at 127.0.0.1:" in error.message
    assert "is it running?" in error.message
    assert len([e for e in events if isinstance(e, Retrying)]) == 3


def test_an_unknown_host_names_the_host() -> None:
    error, _ = failure(_client("http://api.no-such-server.invalid/v1"))
    assert isinstance(error, errors.ConnectionFailedError)
    assert "Could not find the server api.no-such-server.invalid" in error.message


def test_a_server_that_never_accepts_times_out() -> None:
    hole = BlackHole()
    try:
        error, events = failure(_client(hole.base_url, timeout=0.2))
    finally:
        hole.close()
    assert isinstance(error, errors.RequestTimeoutError)
    assert "did not answer in time" in error.message
    assert len([e for e in events if isinstance(e, Retrying)]) == 3


def test_a_server_that_never_answers_times_out(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(*[ScriptedReply(delay_before_headers=2)] * 4)
    error, _ = failure(_client(openai_server.base_url, timeout=0.2))
    assert isinstance(error, errors.RequestTimeoutError)


# --- failures after the first token: never retried, what arrived is kept -----------


def test_a_dropped_connection_mid_reply_is_not_retried(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(ScriptedReply(text="one two three four", drop_after_chunks=2))
    error, events = failure(_client(openai_server.base_url))
    assert isinstance(error, errors.StreamInterruptedError)
    assert "connection dropped while the reply was arriving" in error.message
    assert text_of(events) == "one two "
    assert len(openai_server.chat_requests()) == 1


def test_a_server_going_silent_mid_reply_times_out(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(ScriptedReply(text="one two three", hold_after_chunks=1))
    error, events = failure(_client(openai_server.base_url, timeout=0.3))
    openai_server.release()
    assert isinstance(error, errors.StreamInterruptedError)
    assert "stopped sending in the middle of the reply" in error.message
    assert text_of(events) == "one "


def test_a_malformed_chunk_is_explained(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(ScriptedReply(text="one two three", malformed_after_chunks=1))
    error, events = failure(_client(openai_server.base_url))
    assert isinstance(error, errors.BadResponseError)
    assert "could not read" in error.message
    assert text_of(events) == "one "


def test_an_error_event_in_the_stream_is_explained(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(ScriptedReply(text="one two three", error_event_after_chunks=1))
    error, events = failure(_client(openai_server.base_url))
    assert isinstance(error, errors.ServerError)
    assert "The model crashed mid-reply." in error.message
    assert text_of(events) == "one "


def test_cancelling_hangs_up_at_once(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(ScriptedReply(text="one two three four", hold_after_chunks=2))
    client = _client(openai_server.base_url)
    received: list[str] = []

    async def run() -> None:
        two_arrived = asyncio.Event()

        async def consume() -> None:
            request = ChatRequest(model="m", messages=QUESTION)
            async with contextlib.aclosing(client.stream_reply(request)) as events:
                async for event in events:
                    if isinstance(event, TextDelta):
                        received.append(event.text)
                        if len(received) == 2:
                            two_arrived.set()

        task = asyncio.create_task(consume())
        await two_arrived.wait()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await client.aclose()

    asyncio.run(run())
    assert openai_server.client_disconnected.wait(5)
    assert "".join(received) == "one two "


# --- models, one-shot replies, keys, proxies ----------------------------------------


def test_a_client_prepared_ahead_is_used_only_for_the_endpoint_it_was_built_for(
    openai_server: FakeOpenAIServer,
) -> None:
    """The warm-up builds the SDK client on a thread; if the user switched servers in
    the meantime, the request must go to the new one."""
    other = FakeOpenAIServer(models=("other-model",)).start()
    try:
        client = _client(openai_server.base_url)
        prepared = client.prepare()()  # what the warm-up thread does
        assert client.adopt(prepared)
        assert prepared.client.base_url == openai_server.base_url + "/"

        stale = client.prepare()()
        client.endpoint = Endpoint(base_url=other.base_url, api_key=TEST_API_KEY)
        assert not client.adopt(stale)

        async def run() -> list[str]:
            try:
                return await client.list_models()
            finally:
                await client.aclose()
                # Unused, so ours to close: left to the garbage collector, the SDK would
                # schedule its closing on whatever event loop runs then (a later test's).
                await stale.client.close()

        assert asyncio.run(run()) == ["other-model"]
    finally:
        other.stop()


def test_the_models_come_from_the_server(openai_server: FakeOpenAIServer) -> None:
    client = _client(openai_server.base_url)

    async def run() -> list[str]:
        try:
            return await client.list_models()
        finally:
            await client.aclose()

    assert asyncio.run(run()) == ["gpt-4.1", "gpt-5.4-mini", "test-model"]


def test_a_server_without_a_models_list_says_so(openai_server: FakeOpenAIServer) -> None:
    openai_server.models = None
    client = _client(openai_server.base_url)

    async def run() -> list[str]:
        try:
            return await client.list_models()
        finally:
            await client.aclose()

    with pytest.raises(errors.ModelNotFoundError):
        asyncio.run(run())


def test_a_whole_reply_at_once(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue(ScriptedReply(text="A short title"))
    client = _client(openai_server.base_url)

    async def run() -> str:
        try:
            return await client.complete(ChatRequest(model="m", messages=QUESTION))
        finally:
            await client.aclose()

    assert asyncio.run(run()) == "A short title"
    assert not (openai_server.chat_requests()[-1].body or {}).get("stream")


def test_the_official_endpoint_without_a_key_refuses_before_any_request() -> None:
    with pytest.raises(errors.MissingKeyError, match="OPENAI_API_KEY"):
        stream(ChatClient(Endpoint(base_url=None, api_key=None)))


def test_endpoint_from_environment_and_repr_hides_the_key() -> None:
    endpoint = Endpoint.from_environ(
        {"OPENAI_API_KEY": f" {TEST_API_KEY} ", "OPENAI_BASE_URL": "http://localhost:11434/v1"}
    )
    assert endpoint.api_key == TEST_API_KEY
    assert endpoint.base_url == "http://localhost:11434/v1"
    assert endpoint.server_name == "localhost:11434"
    assert not endpoint.is_official
    assert TEST_API_KEY not in repr(endpoint)
    assert TEST_API_KEY not in repr(ChatClient(endpoint))


def test_only_the_official_endpoint_needs_a_key() -> None:
    assert Endpoint().needs_key
    assert Endpoint(base_url="https://api.openai.com/v1").needs_key
    assert not Endpoint(base_url="http://127.0.0.1:8080/v1").needs_key
    assert not Endpoint(api_key="sk-x").needs_key


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    running = ForwardProxy().start()
    yield running
    running.stop()


def test_the_environment_proxy_is_honoured(
    openai_server: FakeOpenAIServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    events = stream(_client(openai_server.base_url))
    assert text_of(events)
    assert proxy.seen == [f"{openai_server.base_url}/chat/completions"]


def test_an_explicit_or_system_proxy_is_used(
    openai_server: FakeOpenAIServer, proxy: ForwardProxy
) -> None:
    asked: list[str] = []

    def system_proxy(url: str) -> str:
        asked.append(url)
        return proxy.url

    events = stream(_client(openai_server.base_url, system_proxy=system_proxy))
    assert text_of(events)
    assert asked == [openai_server.base_url]
    assert proxy.seen == [f"{openai_server.base_url}/chat/completions"]


def test_proxy_variables_in_the_environment_win_over_system_settings(qapp) -> None:
    from desktop_chat.composition import system_proxy_for

    assert system_proxy_for("https://api.openai.com/v1", {"HTTPS_PROXY": "http://p:3128"}) is None
    # Without variables, Qt reads the system settings; this machine has none.
    assert system_proxy_for("https://api.openai.com/v1", {}) is None
