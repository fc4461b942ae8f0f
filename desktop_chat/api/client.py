"""The OpenAI(-compatible) connection: streaming Chat Completions, retries, cancel.

`openai` costs about half a second to import, so it is imported on first use (or by
`preload()` on a worker thread once the window is up), never when this module loads.
The SDK's own retries are off: this client retries itself, only before any reply text has
arrived, and says so (a `Retrying` event), so the user sees what is happening and Stop can
cancel a wait. Every failure leaves as a `ChatError` whose message never holds the key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .. import errors
from ..domain import ReasoningEffort, Usage
from ..i18n import translate
from .endpoint import OFFICIAL_HOST, Endpoint
from .events import (
    Adjusted,
    Answering,
    ReasoningDelta,
    Retrying,
    StreamEnd,
    StreamEvent,
    TextDelta,
    ThoughtsMoved,
)
from .failures import error_parameter, map_failure
from .reasoning import (
    REASONING_PARAMETERS,
    ThinkSplitter,
    answer_only,
    delta_reasoning,
    effort_arguments,
    efforts_for,
)

if TYPE_CHECKING:
    from openai import AsyncOpenAI


log = logging.getLogger(__name__)

# The SDK parses a buffered burst of chunks without ever suspending; give the event loop
# a turn at least this often so the window keeps painting.
YIELD_EVERY_S = 0.004
RETRY_DELAYS_S = (1.0, 3.0, 8.0)
LONGEST_RETRY_WAIT_S = 60.0
"""A server asking for a longer wait gets an error the user can act on, not a frozen reply."""
MAX_ADAPTATIONS = 3
CHECK_TIMEOUT_S = 15.0
"""Testing a connection from Settings: a user is waiting for the answer."""
# Local servers (Ollama, llama.cpp, LM Studio) accept any key; the SDK insists on one.
PLACEHOLDER_KEY = "not-needed"


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: Sequence[Mapping[str, Any]]
    """Chat Completions messages; a user's `content` is a list of parts when it carries
    images or files."""
    max_output_tokens: int | None = None
    temperature: float | None = None
    reasoning_effort: ReasoningEffort | None = None
    """None leaves it to the server."""


@dataclass(frozen=True)
class PreparedClient:
    """An SDK client built ahead of time for one endpoint (see `ChatClient.prepare`)."""

    endpoint: Endpoint
    client: AsyncOpenAI


@dataclass
class _Dialect:
    """What one model on one server accepts, learnt from its refusals."""

    limit_parameter: str  # "max_completion_tokens", "max_tokens" or "" (send no limit)
    temperature: bool = True
    stream_usage: bool = True
    reasoning: bool = True
    """Takes the reasoning effort field(s) of its server."""


class ChatClient:
    """One client per endpoint; safe to use for several streams at once."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        retry_delays: Sequence[float] = RETRY_DELAYS_S,
        system_proxy: Callable[[str], str | None] | None = None,
    ) -> None:
        self._endpoint = endpoint
        self.retry_delays = tuple(retry_delays)
        self._system_proxy = system_proxy
        self._client: AsyncOpenAI | None = None
        self._retired: list[AsyncOpenAI] = []
        self._dialects: dict[str, _Dialect] = {}

    @property
    def endpoint(self) -> Endpoint:
        return self._endpoint

    @endpoint.setter
    def endpoint(self, endpoint: Endpoint) -> None:
        """Use another server or key from the next request on."""
        self._endpoint = endpoint
        self._dialects.clear()
        if self._client is not None:
            self._retired.append(self._client)  # replies in flight finish on it
            self._client = None

    def __repr__(self) -> str:
        return f"ChatClient({self.endpoint!r})"

    def efforts_for(self, model: str) -> tuple[ReasoningEffort, ...]:
        """The reasoning efforts `model` takes here (empty once it refused them)."""
        dialect = self._dialects.get(model)
        if dialect is not None and not dialect.reasoning:
            return ()
        return efforts_for(self._endpoint.server, model)

    @staticmethod
    def preload_module() -> ModuleType:
        """The SDK module, imported if needed (0.5 s the first time: use a worker thread)."""
        return _openai_module()

    def proxy(self) -> str | None:
        """The proxy to use: the endpoint's, else the system's. Call on the main thread."""
        endpoint = self._endpoint
        if endpoint.direct or endpoint.proxy is not None or self._system_proxy is None:
            return endpoint.proxy
        return self._system_proxy(endpoint.base_url or f"https://{OFFICIAL_HOST}/v1")

    def prepare(self) -> Callable[[], PreparedClient]:
        """What builds the HTTP client ahead of the first request: the SDK import and its
        TLS set-up take ~0.5 s, so run the returned function on a worker thread, then
        hand its result to `adopt` on the main thread."""
        endpoint, proxy = self._endpoint, self.proxy()

        def build() -> PreparedClient:
            client = _new_sdk_client(endpoint, proxy)
            # The SDK imports its resources on first use (~40 ms more): touch them now.
            _ = client.chat.completions, client.models
            return PreparedClient(endpoint, client)

        return build

    def adopt(self, prepared: PreparedClient) -> bool:
        """Use a client built by `prepare`, unless the endpoint changed since (or a
        client exists already): then it is not used (close it), and False is returned."""
        if self._client is None and prepared.endpoint is self._endpoint:
            self._client = prepared.client
            return True
        return False

    # --- streaming -------------------------------------------------------------------

    async def stream_reply(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        """Yield the reply's text as it arrives, then one `StreamEnd`.

        Before any text arrives, failures that may pass are retried (each announced by a
        `Retrying` event) and refused parameters are dropped (`Adjusted`). Use it inside
        `contextlib.aclosing`, so that cancelling the consumer closes the HTTP response at
        once (the server sees the disconnect).
        """
        openai = self._openai_checked()
        retries = adaptations = 0
        while True:
            received_text = False
            try:
                async with contextlib.aclosing(self._attempt(openai, request)) as events:
                    async for event in events:
                        # Once text has come, a failure is no longer retried from scratch.
                        received_text = received_text or not isinstance(event, Answering)
                        yield event
                return
            except Exception as exc:
                if received_text:
                    raise self._failure(exc, openai, during_reply=True) from None
                refused = self._refused_parameter(openai, exc, request.model)
                if refused and adaptations < MAX_ADAPTATIONS:
                    adaptations += 1
                    log.info("%s refused %s; sending again without it", request.model, refused)
                    yield Adjusted(refused)
                    continue
                error = self._failure(exc, openai, during_reply=False)
                delay = self._retry_delay(error, retries)
                if delay is None:
                    raise error from None
                retries += 1
                log.info("Retrying in %.1f s after: %s", delay, error.message)
                yield Retrying(attempt=retries, delay=delay, error=error)
                await asyncio.sleep(delay)

    async def _attempt(
        self, openai: ModuleType, request: ChatRequest
    ) -> AsyncGenerator[StreamEvent, None]:
        client = self._ensure_client()
        dialect = self._dialect(request.model)
        arguments = self._arguments(request, dialect)
        if dialect.stream_usage:
            arguments["stream_options"] = {"include_usage": True}
        stream = await client.chat.completions.create(**arguments, stream=True)
        splitter = ThinkSplitter()
        try:
            async with contextlib.aclosing(self._events(stream, splitter)) as events:
                async for event in events:
                    yield event
        except Exception:
            # Thoughts held back (the start of a tag, blank space) are kept all the same.
            for piece in splitter.finish()[0]:
                yield _event_of(piece)
            raise

    async def _events(
        self, stream: Any, splitter: ThinkSplitter
    ) -> AsyncGenerator[StreamEvent, None]:
        finish_reason: str | None = None
        usage: Usage | None = None
        named = False
        async with stream:
            last_yield = time.monotonic()
            async for chunk in stream:
                if not named and chunk.model:
                    named = True
                    yield Answering(chunk.model)
                if chunk.usage is not None:
                    usage = _usage(chunk.usage)
                for choice in chunk.choices or ():
                    if choice.finish_reason:
                        finish_reason = choice.finish_reason
                    delta = choice.delta
                    if delta is None:
                        continue
                    thoughts = delta_reasoning(delta)
                    if thoughts:
                        splitter.thoughts_in_fields()
                        yield ReasoningDelta(thoughts)
                    if delta.content:
                        for piece in splitter.feed(delta.content):
                            yield _event_of(piece)
                now = time.monotonic()
                if now - last_yield >= YIELD_EVERY_S:
                    await asyncio.sleep(0)
                    last_yield = time.monotonic()
        rest, unclosed = splitter.finish()
        for piece in rest:
            yield _event_of(piece)
        yield StreamEnd(finish_reason=finish_reason, usage=usage, thoughts_unclosed=unclosed)

    # --- other calls -----------------------------------------------------------------

    async def complete(self, request: ChatRequest) -> str:
        """A whole reply at once (short background jobs, like titles). No retries."""
        openai = self._openai_checked()
        for _ in range(MAX_ADAPTATIONS + 1):
            dialect = self._dialect(request.model)
            try:
                response = await self._ensure_client().chat.completions.create(
                    **self._arguments(request, dialect)
                )
            except Exception as exc:
                if self._refused_parameter(openai, exc, request.model):
                    continue
                raise self._failure(exc, openai, during_reply=False) from None
            choices = response.choices or []
            return answer_only(choices[0].message.content or "") if choices else ""
        raise errors.BadRequestError(
            translate("Failures", "The model refused every way of asking.")
        )

    async def list_models(self) -> list[str]:
        """The model ids the server offers (`/v1/models`)."""
        openai = self._openai_checked()
        try:
            return sorted([model.id async for model in self._ensure_client().models.list()])
        except Exception as exc:
            raise self._failure(exc, openai, during_reply=False) from None

    async def check(self, endpoint: Endpoint) -> int:
        """Ask `endpoint` for its models, with a short timeout, to tell whether the server
        answers and accepts the key: returns how many models it lists (0 when it has no
        list to offer). Raises the `ChatError` that explains what is wrong."""
        if endpoint.needs_key:
            raise errors.MissingKeyError(translate("Failures", "Enter an API key first."))
        openai = _openai_module()
        endpoint = replace(endpoint, connect_timeout=CHECK_TIMEOUT_S, read_timeout=CHECK_TIMEOUT_S)
        proxy = endpoint.proxy
        if proxy is None and not endpoint.direct and self._system_proxy is not None:
            proxy = self._system_proxy(endpoint.base_url or f"https://{OFFICIAL_HOST}/v1")
        client = _new_sdk_client(endpoint, proxy)
        try:
            return len([model.id async for model in client.models.list()])
        except Exception as exc:
            if isinstance(exc, openai.NotFoundError) and not endpoint.is_official:
                return 0  # it answered, but has no /models: so do some local servers
            error = map_failure(exc, openai, server=endpoint.server_name, during_reply=False)
            raise _scrubbed(error, endpoint.api_key) from None
        finally:
            await client.close()

    async def aclose(self) -> None:
        for client in [*self._retired, self._client]:
            if client is not None:
                await client.close()
        self._retired.clear()
        self._client = None

    # --- internals -------------------------------------------------------------------

    def _openai_checked(self) -> ModuleType:
        if self.endpoint.needs_key:
            raise errors.MissingKeyError(
                translate(
                    "Failures",
                    "No API key is set. Add one in Settings (Ctrl+,), or set OPENAI_API_KEY.",
                )
            )
        return _openai_module()

    def _ensure_client(self) -> AsyncOpenAI:
        if self._client is None:
            self._client = _new_sdk_client(self._endpoint, self.proxy())
        return self._client

    def _dialect(self, model: str) -> _Dialect:
        if model not in self._dialects:
            # OpenAI's current models refuse the older `max_tokens`; many compatible
            # servers only know `max_tokens`.
            limit = "max_completion_tokens" if self.endpoint.is_official else "max_tokens"
            self._dialects[model] = _Dialect(limit_parameter=limit)
        return self._dialects[model]

    def _arguments(self, request: ChatRequest, dialect: _Dialect) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "model": request.model,
            "messages": [dict(message) for message in request.messages],
        }
        if request.max_output_tokens and dialect.limit_parameter:
            arguments[dialect.limit_parameter] = request.max_output_tokens
        if request.temperature is not None and dialect.temperature:
            arguments["temperature"] = request.temperature
        if request.reasoning_effort is not None and dialect.reasoning:
            server = self._endpoint.server
            if request.reasoning_effort in efforts_for(server, request.model):
                extra = effort_arguments(server, request.model, request.reasoning_effort)
                arguments["extra_body"] = extra
        return arguments

    def _refused_parameter(self, openai: ModuleType, exc: BaseException, model: str) -> str:
        """If the server refused a parameter this client can do without, adapt to it and
        return its name ("" otherwise)."""
        if not isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
            return ""
        param, message = error_parameter(exc)
        named = f"{param.lower()} {message}"
        dialect = self._dialect(model)
        limit = dialect.limit_parameter
        if limit and limit in named:
            other = "max_tokens" if limit == "max_completion_tokens" else "max_completion_tokens"
            # "Use 'max_completion_tokens' instead": switch; refused again: send no limit.
            dialect.limit_parameter = other if other in message and other != param else ""
            return limit
        if dialect.temperature and "temperature" in named:
            dialect.temperature = False
            return "temperature"
        if dialect.stream_usage and "stream_options" in named:
            dialect.stream_usage = False
            return "stream_options"
        refused = next((p for p in REASONING_PARAMETERS if p in named), "")
        if refused or "enable_thinking" in named:
            # Even if another request (a title's, at the same time) already learnt it: this
            # one was sent with it, and is sent again without.
            dialect.reasoning = False
            return refused or "chat_template_kwargs"
        return ""

    def _failure(
        self, exc: BaseException, openai: ModuleType, *, during_reply: bool
    ) -> errors.ChatError:
        if not isinstance(exc, openai.OpenAIError):
            log.warning("Unexpected reply from the server", exc_info=exc)
        error = map_failure(
            exc, openai, server=self.endpoint.server_name, during_reply=during_reply
        )
        return _scrubbed(error, self.endpoint.api_key)

    def _retry_delay(self, error: errors.ChatError, retries: int) -> float | None:
        if not error.retryable or retries >= len(self.retry_delays):
            return None
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= LONGEST_RETRY_WAIT_S else None
        return self.retry_delays[retries]


def _usage(usage: Any) -> Usage:
    details = getattr(usage, "completion_tokens_details", None)
    reasoning = getattr(details, "reasoning_tokens", None) if details is not None else None
    return Usage(
        prompt_tokens=usage.prompt_tokens or 0,
        completion_tokens=usage.completion_tokens or 0,
        reasoning_tokens=reasoning if isinstance(reasoning, int) else 0,
    )


def _event_of(piece: Any) -> TextDelta | ReasoningDelta | ThoughtsMoved:
    if piece.moved:
        return ThoughtsMoved(piece.moved, piece.text)
    return ReasoningDelta(piece.text) if piece.thought else TextDelta(piece.text)


def _new_sdk_client(endpoint: Endpoint, proxy: str | None) -> AsyncOpenAI:
    openai = _openai_module()
    http_client = None
    if proxy:
        http_client = openai.DefaultAsyncHttpxClient(proxy=proxy)
    elif endpoint.direct:
        http_client = openai.DefaultAsyncHttpxClient(trust_env=False)
    return openai.AsyncOpenAI(
        api_key=endpoint.api_key or PLACEHOLDER_KEY,
        base_url=endpoint.base_url,
        timeout=openai.Timeout(endpoint.read_timeout, connect=endpoint.connect_timeout),
        max_retries=0,
        http_client=http_client,
    )


def _openai_module() -> ModuleType:
    # A plain import statement, run on first use: lazy at run time, yet visible to
    # PyInstaller's analysis (importlib.import_module would hide it).
    import openai

    return openai


def _scrubbed(error: errors.ChatError, secret: str | None) -> errors.ChatError:
    """Remove the key, and any long fragment of it a server echoed back, from the texts."""
    if not secret:
        return error
    for fragment in _secret_fragments(secret):
        error.message = error.message.replace(fragment, "[redacted]")
        error.summary = error.summary.replace(fragment, "[redacted]")
        if error.detail:
            error.detail = error.detail.replace(fragment, "[redacted]")
    with contextlib.suppress(Exception):
        error.args = (error.message,)
    return error


def _secret_fragments(secret: str) -> list[str]:
    # Servers echo keys partly masked ("sk-abc***************wxyz"): hide head and tail too.
    fragments = [secret]
    if len(secret) >= 12:
        fragments += [secret[-4:], secret[:8]]
    return fragments
