"""The client against the test server over real HTTP, on a plain asyncio loop."""

import asyncio
import contextlib

import pytest

from desktop_chat import errors
from desktop_chat.api import ChatClient, ChatRequest, Endpoint, StreamEnd, TextDelta
from tests.conftest import TEST_API_KEY
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply, answer_for

QUESTION = [{"role": "user", "content": "What is a chatbot?"}]


async def _collect(client: ChatClient, request: ChatRequest) -> list[TextDelta | StreamEnd]:
    events = []
    async with contextlib.aclosing(client.stream_reply(request)) as stream:
        async for event in stream:
            events.append(event)
    await client.aclose()
    return events


def _client(server: FakeOpenAIServer, key: str | None = TEST_API_KEY) -> ChatClient:
    return ChatClient(Endpoint(base_url=server.base_url, api_key=key))


def test_a_reply_streams_as_deltas_then_ends_with_reason_and_usage(
    openai_server: FakeOpenAIServer,
) -> None:
    events = asyncio.run(
        _collect(_client(openai_server), ChatRequest(model="test-model", messages=QUESTION))
    )
    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 5, "the reply should arrive in many pieces"
    assert "".join(deltas) == answer_for("What is a chatbot?")
    end = events[-1]
    assert isinstance(end, StreamEnd)
    assert end.finish_reason == "stop"
    assert end.usage is not None and end.usage.completion_tokens > 0


def test_the_request_carries_model_messages_limits_usage_option_and_key(
    openai_server: FakeOpenAIServer,
) -> None:
    request = ChatRequest(model="gpt-x", messages=QUESTION, max_output_tokens=2000)
    asyncio.run(_collect(_client(openai_server), request))
    sent = openai_server.chat_requests()[-1]
    assert sent.body is not None
    assert sent.body["model"] == "gpt-x"
    assert sent.body["messages"] == QUESTION
    assert sent.body["stream"] is True
    assert sent.body["stream_options"] == {"include_usage": True}
    # A compatible server gets the classic name of the limit.
    assert sent.body["max_tokens"] == 2000
    assert sent.headers["authorization"] == f"Bearer {TEST_API_KEY}"


def test_a_stream_that_ends_without_finish_reason_is_reported_as_cut_short(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue(ScriptedReply(text="half an ans", finish_reason=None))
    events = asyncio.run(
        _collect(_client(openai_server), ChatRequest(model="m", messages=QUESTION))
    )
    assert events[-1] == StreamEnd(finish_reason=None, usage=events[-1].usage)


def test_a_rejected_key_becomes_an_authentication_error_without_the_key(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.api_key = "sk-the-right-key-000000000000000000"
    with pytest.raises(errors.AuthenticationError) as caught:
        asyncio.run(_collect(_client(openai_server), ChatRequest(model="m", messages=QUESTION)))
    error = caught.value
    assert "API key" in error.message
    for text in (str(error), error.detail or "", repr(error)):
        assert TEST_API_KEY not in text


def test_an_unreachable_server_becomes_a_connection_error(
    openai_server: FakeOpenAIServer,
) -> None:
    base_url = openai_server.base_url
    openai_server.stop()
    client = ChatClient(Endpoint(base_url=base_url, api_key=TEST_API_KEY))
    with pytest.raises(errors.ConnectionFailedError, match="Could not reach the server"):
        asyncio.run(_collect(client, ChatRequest(model="m", messages=QUESTION)))


def test_the_official_endpoint_without_a_key_refuses_before_any_request() -> None:
    client = ChatClient(Endpoint(base_url=None, api_key=None))
    with pytest.raises(errors.MissingKeyError, match="OPENAI_API_KEY"):
        asyncio.run(_collect(client, ChatRequest(model="m", messages=QUESTION)))


def test_endpoint_from_environment_and_repr_hides_the_key() -> None:
    endpoint = Endpoint.from_environ(
        {"OPENAI_API_KEY": f" {TEST_API_KEY} ", "OPENAI_BASE_URL": "http://localhost:11434/v1"}
    )
    assert endpoint.api_key == TEST_API_KEY
    assert endpoint.base_url == "http://localhost:11434/v1"
    assert not endpoint.is_official
    assert TEST_API_KEY not in repr(endpoint)
    assert TEST_API_KEY not in repr(ChatClient(endpoint))


def test_only_the_official_endpoint_needs_a_key() -> None:
    assert Endpoint().needs_key
    assert Endpoint(base_url="https://api.openai.com/v1").needs_key
    assert not Endpoint(base_url="http://127.0.0.1:8080/v1").needs_key
    assert not Endpoint(api_key="sk-x").needs_key
