"""The chat service: conversations in memory, replies streaming, everything saved.

It ties the store and the client together and tells whoever listens (the window) what
changed through Qt signals. It owns the reply tasks, so Stop and shutdown can cancel any
of them, whichever conversation is on screen. No widgets here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, Signal

from .api import ChatClient, ChatRequest, StreamEnd, TextDelta
from .domain import (
    Conversation,
    ConversationSummary,
    Message,
    MessageStatus,
    Role,
    title_from_question,
)
from .errors import ChatError, StorageError
from .storage import ConversationStore

log = logging.getLogger(__name__)

# A reply still arriving is saved this often at most, never once per token.
PARTIAL_SAVE_INTERVAL_S = 1.0


class ChatService(QObject):
    conversations_changed = Signal()
    """The list of conversations, a title or an order changed."""
    message_added = Signal(str, str)
    """(conversation id, message id)"""
    message_changed = Signal(str, str)
    """(conversation id, message id): text or status of a message changed."""
    streaming_changed = Signal(str, bool)
    """(conversation id, whether a reply is arriving)"""
    problem = Signal(str)
    """A message for the user about something that went wrong outside a reply."""

    def __init__(self, store: ConversationStore, client: ChatClient) -> None:
        super().__init__()
        self._store = store
        self._client = client
        self._conversations: dict[str, Conversation] = {}
        self._replies: dict[str, asyncio.Task[None]] = {}
        self._warm_up: asyncio.Future[None] | None = None
        # One worker for slow one-off jobs off the UI thread; threads start only when used.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desktop-chat")

    # --- reading -------------------------------------------------------------------

    def load(self) -> None:
        self._conversations = {c.id: c for c in self._store.load_all()}
        self.conversations_changed.emit()

    def summaries(self) -> list[ConversationSummary]:
        """Saved conversations, most recently active first."""
        listed = [c for c in self._conversations.values() if not c.is_empty]
        listed.sort(key=lambda c: c.updated_at, reverse=True)
        return [ConversationSummary.of(c) for c in listed]

    def conversation(self, conversation_id: str) -> Conversation:
        return self._conversations[conversation_id]

    def setup_problem(self) -> str | None:
        """Why sending cannot work yet, in words for the user; None when it can."""
        if self._client.endpoint.needs_key:
            return (
                "No API key is set. Start Desktop Chat with the OPENAI_API_KEY environment "
                "variable set to your key, or OPENAI_BASE_URL pointing at a local server."
            )
        return None

    def is_streaming(self, conversation_id: str) -> bool:
        return conversation_id in self._replies

    # --- changing ------------------------------------------------------------------

    def new_conversation(self) -> Conversation:
        """An empty conversation; it is listed and saved once it has a first message."""
        conversation = Conversation()
        self._conversations[conversation.id] = conversation
        return conversation

    def warm_up(self) -> None:
        """Load the network stack on a worker thread, so the first Send does not wait for it."""
        if self._warm_up is None:
            loop = asyncio.get_running_loop()
            self._warm_up = loop.run_in_executor(self._worker, ChatClient.preload)

    def send(self, conversation_id: str, text: str) -> None:
        """Add the user's question and start streaming the reply."""
        text = text.strip()
        if not text or self.is_streaming(conversation_id):
            return
        conversation = self._conversations[conversation_id]
        if not conversation.title:
            conversation.title = title_from_question(text)
        question = Message(role=Role.USER, content=text)
        reply = Message(
            role=Role.ASSISTANT,
            content="",
            model=conversation.model,
            status=MessageStatus.STREAMING,
        )
        conversation.messages += [question, reply]
        conversation.touch()
        self._save(conversation)
        self.conversations_changed.emit()
        self.message_added.emit(conversation_id, question.id)
        self.message_added.emit(conversation_id, reply.id)
        task = asyncio.get_running_loop().create_task(self._stream(conversation, reply))
        self._replies[conversation_id] = task
        self.streaming_changed.emit(conversation_id, True)

    def stop(self, conversation_id: str) -> None:
        """End the reply now; what arrived so far is kept."""
        task = self._replies.get(conversation_id)
        if task is not None:
            task.cancel()

    async def shutdown(self) -> None:
        """Stop every reply (keeping what arrived), save, and close the connection."""
        tasks = list(self._replies.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._warm_up is not None:
            with contextlib.suppress(Exception):
                await self._warm_up
        await self._client.aclose()
        self._worker.shutdown(wait=False)

    # --- internals -------------------------------------------------------------------

    async def _stream(self, conversation: Conversation, reply: Message) -> None:
        last_save = time.monotonic()
        try:
            if self._warm_up is not None:
                await self._warm_up
            request = ChatRequest(
                model=conversation.model,
                messages=_history(conversation, reply),
                max_output_tokens=conversation.max_output_tokens,
            )
            async with contextlib.aclosing(self._client.stream_reply(request)) as events:
                async for event in events:
                    if isinstance(event, TextDelta):
                        reply.content += event.text
                        self.message_changed.emit(conversation.id, reply.id)
                        if time.monotonic() - last_save >= PARTIAL_SAVE_INTERVAL_S:
                            self._save(conversation)
                            last_save = time.monotonic()
                    elif isinstance(event, StreamEnd):
                        reply.status = (
                            MessageStatus.COMPLETE if event.finish_reason else MessageStatus.PARTIAL
                        )
        except asyncio.CancelledError:
            reply.status = MessageStatus.PARTIAL
            raise
        except ChatError as exc:
            reply.status = MessageStatus.ERROR
            reply.error = exc.message
        except Exception:
            log.exception("Reply failed unexpectedly")
            reply.status = MessageStatus.ERROR
            reply.error = "Something unexpected went wrong. The details are in the log."
        finally:
            if reply.status is MessageStatus.STREAMING:
                reply.status = MessageStatus.PARTIAL
            conversation.touch()
            self._save(conversation)
            del self._replies[conversation.id]
            self.message_changed.emit(conversation.id, reply.id)
            self.streaming_changed.emit(conversation.id, False)
            self.conversations_changed.emit()

    def _save(self, conversation: Conversation) -> None:
        try:
            self._store.save(conversation)
        except StorageError as exc:
            log.error("Saving %s failed: %s", conversation.id, exc)
            self.problem.emit(exc.message)


def _history(conversation: Conversation, reply: Message) -> list[dict[str, str]]:
    """The messages to send: the system prompt, then every turn before the new reply."""
    history = []
    if conversation.system_prompt:
        history.append({"role": Role.SYSTEM.value, "content": conversation.system_prompt})
    for message in conversation.messages:
        if message is reply:
            break
        if message.status is MessageStatus.ERROR and not message.content:
            continue
        history.append({"role": message.role.value, "content": message.content})
    return history
