"""Streaming one reply into its message: the request, the events, the ending, the title.

`Replies` knows nothing of signals or tasks: the service tells it how to report progress
and owns the tasks it runs in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..api import (
    Adjusted,
    Answering,
    ChatClient,
    ChatRequest,
    ReasoningDelta,
    Retrying,
    StreamEnd,
    TextDelta,
    ThoughtsMoved,
)
from ..api.reasoning import CUSTOM, LM_STUDIO
from ..context import fit_history, history_budget
from ..domain import (
    TITLE_MAX_CHARS,
    Attachment,
    Conversation,
    Message,
    MessageStatus,
    ReasoningEffort,
    Role,
    plain_text,
    title_from_question,
)
from ..errors import ChatError, ContextTooLongError
from ..i18n import translate

log = logging.getLogger(__name__)

CONTINUE_PROMPT = (
    "Continue exactly where your previous message stopped. Do not repeat anything and do "
    "not add an introduction: start with the very next character."
)
TITLE_PROMPT = (
    "Write a title of at most six words for the conversation below, in its language. "
    "Reply with the title alone: no quotes, no final full stop."
)
# Cheap models to write titles with on OpenAI's own service, best first.
TITLE_MODELS = ("gpt-5.4-nano", "gpt-5-nano", "gpt-4.1-nano", "gpt-4o-mini")
COMPLETE_REASONS = {"stop", "tool_calls", "function_call", "end_turn"}
GUESSED_SERVERS = (CUSTOM, LM_STUDIO)
"""Servers whose reasoning settings are guessed (the OpenAI field, which may be refused)."""


@dataclass(frozen=True)
class ReplyCallbacks:
    progressed: Callable[[Conversation, Message], None]
    """New text, or a changed note (a retry), in the reply."""
    notice: Callable[[str, str], None]
    """(key, text): something to tell the user outside the reply."""
    warm_up: Callable[[], Awaitable[None]]
    """Waits for the network stack's import, if still running."""
    models: Callable[[], Awaitable[tuple[list[str], bool]]]


PREPARED_KEPT = 16
"""Attachments kept ready to send (a 2048-px image is a few MB of base64): enough for the
images of the last few questions, which every later request sends again."""

Part = dict[str, Any]


class Replies:
    def __init__(
        self,
        client: ChatClient,
        callbacks: ReplyCallbacks,
        attachment_part: Callable[[Attachment], Part] | None = None,
    ) -> None:
        self._client = client
        self._callbacks = callbacks
        self._attachment_part = attachment_part
        """Reads an attachment and makes its request part (blocking: run on a thread)."""
        self._prepared: OrderedDict[str, Part] = OrderedDict()

    async def stream(self, conversation: Conversation, reply: Message, *, continuing: bool) -> None:
        """Fill `reply` from the model; on return (or cancellation) its status says how it
        ended and `error` why it stopped early. What arrived is always kept."""
        started_with = len(reply.content)
        clock = _ThinkingClock(reply)
        try:
            await self._callbacks.warm_up()
            parts = await self._parts_for(conversation, reply)
            budget_share = 1.0
            while True:
                request = self._request_for(conversation, reply, continuing, budget_share, parts)
                try:
                    await self._receive(conversation, reply, request, clock)
                    break
                except ContextTooLongError:
                    # Our estimate was too generous for this server: trim harder, once.
                    if budget_share < 1.0 or len(reply.content) > started_with:
                        raise
                    budget_share = 0.5
        except asyncio.CancelledError:
            reply.status = MessageStatus.PARTIAL
            reply.error = None
            raise
        except ChatError as exc:
            reply.error = exc.message
            reply.status = _ended_early(reply)
            if exc.detail:
                log.info("Reply failed: %s (%s)", exc.message, exc.detail)
        except Exception:
            log.exception("Reply failed unexpectedly")
            reply.status = _ended_early(reply)
            reply.error = translate(
                "Replies", "Something unexpected went wrong. The details are in the log."
            )
        finally:
            clock.stop()  # thoughts cut short (Stop, a failure) keep how long they took
            if reply.status is MessageStatus.STREAMING:
                reply.status = MessageStatus.PARTIAL

    async def _receive(
        self,
        conversation: Conversation,
        reply: Message,
        request: ChatRequest,
        clock: _ThinkingClock,
    ) -> None:
        progressed = self._callbacks.progressed
        clock.sent()
        async with contextlib.aclosing(self._client.stream_reply(request)) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    clock.answering()
                    reply.content += event.text
                    reply.error = None
                    progressed(conversation, reply)
                elif isinstance(event, ReasoningDelta):
                    clock.thinking()
                    reply.reasoning += event.text
                    reply.error = None
                    progressed(conversation, reply)
                elif isinstance(event, ThoughtsMoved):
                    reply.content = reply.content[: len(reply.content) - event.chars]
                    reply.reasoning += event.thoughts
                    clock.moved()
                    progressed(conversation, reply)
                elif isinstance(event, Answering):
                    reply.model = event.model
                elif isinstance(event, Retrying):
                    reply.error = translate(
                        "Replies", "{what} Trying again in {seconds} s…"
                    ).format(what=event.error.summary, seconds=f"{event.delay:.0f}")
                    progressed(conversation, reply)
                elif isinstance(event, Adjusted):
                    self._callbacks.notice(
                        f"adjusted:{request.model}",
                        translate(
                            "Replies",
                            "{model} does not accept the “{setting}” setting here, so it was "
                            "left out.",
                        ).format(model=request.model, setting=event.parameter),
                    )
                elif isinstance(event, StreamEnd):
                    reply.usage = event.usage
                    clock.ended(hidden=bool(event.usage and event.usage.reasoning_tokens))
                    if event.finish_reason in COMPLETE_REASONS and not (
                        event.thoughts_unclosed or (reply.reasoning and not reply.content)
                    ):
                        reply.status = MessageStatus.COMPLETE
                    elif event.finish_reason in COMPLETE_REASONS:
                        reply.status = MessageStatus.PARTIAL
                        reply.error = translate(
                            "Replies",
                            "The model stopped while still thinking, before it answered. "
                            "Retry, or choose a lower reasoning effort.",
                        )
                    else:
                        reply.status = MessageStatus.PARTIAL
                        reply.error = finish_note(event.finish_reason)

    async def _parts_for(self, conversation: Conversation, reply: Message) -> dict[str, Part]:
        """The request parts of the attachments sent before `reply`, by digest: read and
        (for large images) scaled down on a worker thread, kept for the next requests."""
        wanted: dict[str, Attachment] = {}
        for message in conversation.messages:
            if message is reply:
                break
            for attachment in message.attachments:
                wanted.setdefault(attachment.digest, attachment)
        if not wanted or self._attachment_part is None:
            return {}
        make = self._attachment_part
        loop = asyncio.get_running_loop()
        parts = {}
        for digest, attachment in wanted.items():
            part = self._prepared.pop(digest, None)
            if part is None:
                part = await loop.run_in_executor(None, make, attachment)
            parts[digest] = self._prepared[digest] = part
        while len(self._prepared) > PREPARED_KEPT:
            self._prepared.popitem(last=False)
        return parts

    def _request_for(
        self,
        conversation: Conversation,
        reply: Message,
        continuing: bool,
        budget_share: float,
        parts: Mapping[str, Part],
    ) -> ChatRequest:
        settings = conversation.settings
        turns = turns_before(conversation, reply, parts)
        if continuing:
            turns += [
                {"role": Role.ASSISTANT.value, "content": reply.content},
                {"role": Role.USER.value, "content": CONTINUE_PROMPT},
            ]
        system = (
            {"role": Role.SYSTEM.value, "content": settings.system_prompt}
            if settings.system_prompt
            else None
        )
        budget = int(history_budget(settings.model, settings.max_output_tokens) * budget_share)
        fitted = fit_history(system, turns, budget)
        if not continuing:
            reply.context_omitted = fitted.omitted
        return ChatRequest(
            model=settings.model,
            messages=fitted.messages,
            max_output_tokens=settings.max_output_tokens,
            temperature=settings.temperature,
            reasoning_effort=settings.reasoning_effort,
        )

    # --- titles ----------------------------------------------------------------------

    @staticmethod
    def wants_title(conversation: Conversation) -> bool:
        """After the first exchange, while the title is still the question's first words."""
        messages = conversation.messages
        return (
            len(messages) == 2
            and messages[0].role is Role.USER
            and messages[1].status is MessageStatus.COMPLETE
            and conversation.title == title_from_question(messages[0].content)
        )

    async def title(self, conversation: Conversation) -> str | None:
        """A short title written by a (cheap) model; None if it could not be had."""
        question, answer = conversation.messages[0].content, conversation.messages[1].content
        model = await self._title_model(conversation.settings.model)
        # A title needs no thinking: quicker, cheaper, and all of the tokens for words. Only
        # where "none" is known to be taken: a server that refused it would lose the effort
        # choice for this model (a refusal is remembered).
        no_thinking = (
            ReasoningEffort.NONE in self._client.efforts_for(model)
            and self._client.endpoint.server not in GUESSED_SERVERS
        )
        request = ChatRequest(
            model=model,
            reasoning_effort=ReasoningEffort.NONE if no_thinking else None,
            messages=[
                {"role": Role.SYSTEM.value, "content": TITLE_PROMPT},
                {
                    "role": Role.USER.value,
                    "content": f"Question: {question[:1500]}\n\nAnswer: {answer[:1500]}",
                },
            ],
            max_output_tokens=200,  # room for a reasoning model's thinking
        )
        try:
            return clean_title(await self._client.complete(request)) or None
        except ChatError as exc:
            log.info("No title from the model (%s); keeping the question's words", exc.message)
            return None

    async def _title_model(self, conversation_model: str) -> str:
        if not self._client.endpoint.is_official:
            return conversation_model
        listed, from_server = await self._callbacks.models()
        available = set(listed) if from_server else set()
        return next((m for m in TITLE_MODELS if m in available), conversation_model)


class _ThinkingClock:
    """How long a reply's model thought: from the request to its first answer text, when
    it sent thoughts or counted reasoning tokens."""

    def __init__(self, reply: Message) -> None:
        self._reply = reply
        self._sent_at = self._thought_at = self._answer_at = 0.0
        self._earlier = reply.reasoning_seconds or 0.0
        """Thinking time of the reply's earlier part (a continued reply)."""

    def sent(self) -> None:
        self._sent_at = time.monotonic()

    def thinking(self) -> None:
        # Counted from the request, as the window counts "Thinking… 12 s" live.
        if not self._thought_at:
            self._thought_at = self._sent_at or time.monotonic()

    def answering(self) -> None:
        if self._answer_at:
            return
        self._answer_at = time.monotonic()
        if self._thought_at:
            self._settle(self._answer_at - self._thought_at)

    def moved(self) -> None:
        """What came as the answer was thoughts: the answer has not begun yet."""
        self._thought_at = self._sent_at or time.monotonic()
        self._answer_at = 0.0
        self._reply.reasoning_seconds = None if not self._earlier else self._earlier

    def ended(self, *, hidden: bool) -> None:
        if hidden and not self._thought_at and self._sent_at:
            # OpenAI's endpoint: it reasoned (reasoning tokens) but showed nothing.
            self._settle((self._answer_at or time.monotonic()) - self._sent_at)
        self.stop()

    def stop(self) -> None:
        if self._thought_at and not self._answer_at:
            self._answer_at = time.monotonic()
            self._settle(self._answer_at - self._thought_at)

    def _settle(self, seconds: float) -> None:
        self._reply.reasoning_seconds = round(self._earlier + seconds, 1)


def _ended_early(reply: Message) -> MessageStatus:
    """A reply that failed keeps what arrived: partial if anything did."""
    return MessageStatus.PARTIAL if reply.content or reply.reasoning else MessageStatus.ERROR


def turns_before(
    conversation: Conversation, reply: Message, parts: Mapping[str, Part] | None = None
) -> list[dict[str, Any]]:
    """The turns to send for `reply`: every message before it that carries text or
    attachments. A question with attachments is a list of parts: its text, then each
    attachment's part from `parts` (by digest)."""
    turns: list[dict[str, Any]] = []
    for message in conversation.messages:
        if message is reply:
            break
        if message.attachments and message.role is Role.USER and parts is not None:
            content: list[Part] = (
                [{"type": "text", "text": message.content}] if message.content else []
            )
            content += [parts[a.digest] for a in message.attachments if a.digest in parts]
            turns.append({"role": message.role.value, "content": content})
            continue
        if not message.content:
            continue  # a failed reply with nothing in it
        turns.append({"role": message.role.value, "content": message.content})
    return turns


def question_fits(conversation: Conversation, reply: Message) -> bool:
    """Whether the question `reply` answers fits the conversation's model at all, with
    the system prompt alone (text and pictures; attached files' text is not counted)."""
    turns = turns_before(conversation, reply)
    question = next((m for m in reversed(conversation.messages) if m.role is Role.USER), None)
    if not turns or question is None:
        return True
    parts: list[Part] = [{"type": "image_url"} for a in question.attachments if a.is_image]
    newest = dict(turns[-1])
    if parts:
        newest["content"] = [{"type": "text", "text": question.content}, *parts]
    settings = conversation.settings
    system = {"role": Role.SYSTEM.value, "content": settings.system_prompt}
    try:
        fit_history(
            system if settings.system_prompt else None,
            [newest],
            history_budget(settings.model, settings.max_output_tokens),
        )
    except ContextTooLongError:
        return False
    return True


def clean_title(text: str) -> str:
    """A model's title as plain words: its first line, without quotes, Markdown or a
    "Title:" label."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    line = " ".join(plain_text(line).split())
    line = line.strip("\"'“”«»*#` ").removeprefix("Title:").strip().rstrip(".")
    return line[:TITLE_MAX_CHARS]


def finish_note(reason: str | None) -> str:
    """Why a reply that ended for `reason` (the server's finish_reason) is not complete."""
    if reason == "length":
        return translate(
            "Replies",
            "The reply reached its length limit (max output tokens). Continue to get the rest.",
        )
    if reason == "content_filter":
        return translate("Replies", "The server's content filter stopped the reply.")
    return translate(
        "Replies", "The server stopped before the reply was finished. Continue or retry."
    )
