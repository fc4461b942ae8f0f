"""The OpenAI(-compatible) connection: streaming Chat Completions, cancel, error mapping.

`openai` costs about half a second to import, so it is imported on first use (or by
`preload()` on a worker thread once the window is up), never when this module loads.
Every failure leaves this module as a `ChatError` whose message is fit for the user and
never contains the API key.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import errors
from .domain import Usage

if TYPE_CHECKING:
    from openai import AsyncOpenAI

OFFICIAL_HOST = "api.openai.com"
API_KEY_ENV = "OPENAI_API_KEY"
BASE_URL_ENV = "OPENAI_BASE_URL"
# A long-thinking model may stay silent for minutes before its first token; a dead
# connection should still be noticed well before the SDK's default of ten minutes.
CONNECT_TIMEOUT_S = 15.0
READ_TIMEOUT_S = 300.0
# The SDK parses a buffered burst of chunks without ever suspending; give the event loop
# a turn at least this often so the window keeps painting.
YIELD_EVERY_S = 0.004
# Local servers (Ollama, llama.cpp, LM Studio) accept any key; the SDK insists on one.
PLACEHOLDER_KEY = "not-needed"


@dataclass(frozen=True)
class Endpoint:
    """Where to send requests and with which key. The key never appears in `repr()`."""

    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Endpoint:
        return cls(
            base_url=(environ.get(BASE_URL_ENV) or "").strip() or None,
            api_key=(environ.get(API_KEY_ENV) or "").strip() or None,
        )

    @property
    def is_official(self) -> bool:
        return self.base_url is None or urlsplit(self.base_url).hostname == OFFICIAL_HOST

    @property
    def needs_key(self) -> bool:
        return self.is_official and not self.api_key

    def __repr__(self) -> str:
        key = "set" if self.api_key else "none"
        return f"Endpoint(base_url={self.base_url!r}, api_key=<{key}>)"


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: Sequence[Mapping[str, str]]
    max_output_tokens: int | None = None
    temperature: float | None = None


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class StreamEnd:
    """The stream's last word. `finish_reason` None means the server stopped early."""

    finish_reason: str | None
    usage: Usage | None


StreamEvent = TextDelta | StreamEnd


class ChatClient:
    """One client per endpoint; safe to use for several streams at once."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._client: AsyncOpenAI | None = None

    def __repr__(self) -> str:
        return f"ChatClient({self.endpoint!r})"

    @staticmethod
    def preload() -> None:
        """Import the SDK ahead of need. Meant for a worker thread."""
        _openai_module()

    async def stream_reply(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        """Yield the reply's text as it arrives, then one `StreamEnd`.

        Use it inside `contextlib.aclosing` so that cancelling the consumer closes the
        HTTP response at once (the server sees the disconnect).
        """
        if self.endpoint.needs_key:
            raise errors.MissingKeyError(
                "No API key is set. Set the OPENAI_API_KEY environment variable and restart."
            )
        openai = _openai_module()
        client = self._ensure_client()
        finish_reason: str | None = None
        usage: Usage | None = None
        try:
            stream = await client.chat.completions.create(
                **_request_arguments(request, official=self.endpoint.is_official),
                stream=True,
                stream_options={"include_usage": True},
            )
            async with stream:
                last_yield = time.monotonic()
                async for chunk in stream:
                    if chunk.usage is not None:
                        usage = Usage(
                            prompt_tokens=chunk.usage.prompt_tokens or 0,
                            completion_tokens=chunk.usage.completion_tokens or 0,
                        )
                    for choice in chunk.choices:
                        if choice.finish_reason:
                            finish_reason = choice.finish_reason
                        if choice.delta and choice.delta.content:
                            yield TextDelta(choice.delta.content)
                    now = time.monotonic()
                    if now - last_yield >= YIELD_EVERY_S:
                        await asyncio.sleep(0)
                        last_yield = time.monotonic()
        except openai.OpenAIError as exc:
            raise self._map_error(exc, openai) from None
        yield StreamEnd(finish_reason=finish_reason, usage=usage)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    def _ensure_client(self) -> AsyncOpenAI:
        if self._client is None:
            openai = _openai_module()
            self._client = openai.AsyncOpenAI(
                api_key=self.endpoint.api_key or PLACEHOLDER_KEY,
                base_url=self.endpoint.base_url,
                timeout=openai.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
            )
        return self._client

    def _map_error(self, exc: Exception, openai: Any) -> errors.ChatError:
        mapped = map_openai_error(exc, openai)
        return _scrubbed(mapped, self.endpoint.api_key)


def _openai_module() -> ModuleType:
    # A plain import statement, run on first use: lazy at run time, yet visible to
    # PyInstaller's analysis (importlib.import_module would hide it).
    import openai

    return openai


def _request_arguments(request: ChatRequest, *, official: bool) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "model": request.model,
        "messages": [dict(message) for message in request.messages],
    }
    if request.max_output_tokens:
        # OpenAI's current models reject the older `max_tokens`; many compatible
        # servers only know `max_tokens`.
        key = "max_completion_tokens" if official else "max_tokens"
        arguments[key] = request.max_output_tokens
    if request.temperature is not None:
        arguments["temperature"] = request.temperature
    return arguments


def map_openai_error(exc: Exception, openai: Any) -> errors.ChatError:
    """Translate an SDK exception into our error family, with a message that says what to do."""
    detail = _server_message(exc)
    if isinstance(exc, openai.AuthenticationError):
        return errors.AuthenticationError(
            "The server rejected the API key (401). Check the key and try again.", detail=detail
        )
    if isinstance(exc, openai.PermissionDeniedError):
        return errors.AccessDeniedError(
            "This key is not allowed to use this model or endpoint (403).", detail=detail
        )
    if isinstance(exc, openai.NotFoundError):
        return errors.ModelNotFoundError(
            "The server does not know this model or address (404). Pick another model or "
            "check the base URL.",
            detail=detail,
        )
    if isinstance(exc, openai.RateLimitError):
        return errors.RateLimitError(
            "The server is rate limiting requests (429). Wait a moment, then retry.",
            detail=detail,
        )
    if isinstance(exc, openai.BadRequestError):
        return errors.BadRequestError("The server refused the request (400).", detail=detail)
    if isinstance(exc, openai.InternalServerError):
        return errors.ServerError(
            f"The server had an internal error ({exc.status_code}). Retry in a moment.",
            detail=detail,
        )
    if isinstance(exc, openai.APITimeoutError):
        return errors.RequestTimeoutError(
            "The server took too long to answer. Check the connection and retry.", detail=detail
        )
    if isinstance(exc, openai.APIConnectionError):
        return errors.ConnectionFailedError(
            "Could not reach the server. Check the network connection and the base URL, "
            "then retry.",
            detail=detail,
        )
    if isinstance(exc, openai.APIStatusError):
        return errors.ServerError(
            f"The server answered with an error ({exc.status_code}).", detail=detail
        )
    return errors.ChatError("The request failed.", detail=detail)


def _server_message(exc: Exception) -> str | None:
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping) and isinstance(inner.get("message"), str):
            return str(inner["message"])
        if isinstance(body.get("message"), str):
            return str(body["message"])
    cause = exc.__cause__
    if cause is not None and str(cause):
        return str(cause)
    return None


def _scrubbed(error: errors.ChatError, secret: str | None) -> errors.ChatError:
    """Remove the key, and any long fragment of it a server echoed back, from the detail."""
    if not secret or not error.detail:
        return error
    detail = error.detail
    for fragment in _secret_fragments(secret):
        detail = detail.replace(fragment, "[redacted]")
    error.detail = detail
    return error


def _secret_fragments(secret: str) -> list[str]:
    # Servers echo keys partly masked ("sk-abc***************wxyz"); also hide the tail and head.
    fragments = [secret]
    if len(secret) >= 12:
        fragments += [secret[-4:], secret[:8]]
    return fragments
