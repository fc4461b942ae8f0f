"""The chat service: conversations in memory, replies streaming, everything saved.

It ties the store and the client together and tells whoever listens (the window) what
changed through Qt signals. It owns the reply tasks, so Stop and shutdown can cancel any
of them whichever conversation is on screen, and it owns saving: the store runs on one
worker thread, in order, so the window never waits on the disk. No widgets here.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from .api import ChatClient, ChatRequest, StreamEnd, TextDelta
from .domain import (
    Conversation,
    ConversationSummary,
    Message,
    MessageStatus,
    Role,
    SearchHit,
    title_from_question,
)
from .errors import ChatError, StorageError
from .storage import (
    ConversationStore,
    ConversationUnreadableError,
    OpenReport,
    SaveFailedError,
    TrashEntry,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

# A reply still arriving is saved this often at most, never once per token.
PARTIAL_SAVE_INTERVAL_S = 1.0
# After a failed save (full disk, read-only folder), wait this long before each new try.
SAVE_RETRY_DELAYS_S = (2.0, 5.0, 10.0, 30.0)


class ChatService(QObject):
    ready = Signal()
    """The store is open and the list of conversations is known."""
    conversations_changed = Signal()
    """The list of conversations, a title or an order changed."""
    message_added = Signal(str, str)
    """(conversation id, message id)"""
    message_changed = Signal(str, str)
    """(conversation id, message id): text or status of a message changed."""
    streaming_changed = Signal(str, bool)
    """(conversation id, whether a reply is arriving)"""
    notice = Signal(str, str)
    """(key, text): something the user should know; a later notice with the same key
    replaces it."""
    notice_cleared = Signal(str)
    """(key): the notice no longer applies."""

    def __init__(
        self,
        store: ConversationStore,
        client: ChatClient,
        *,
        save_retry_delays: Sequence[float] = SAVE_RETRY_DELAYS_S,
    ) -> None:
        super().__init__()
        self._store = store
        self._client = client
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desktop-chat-store")
        self._ready = False
        self._summaries: dict[str, ConversationSummary] = {}
        self._conversations: dict[str, Conversation] = {}
        self._replies: dict[str, asyncio.Task[None]] = {}
        self._warm_up: asyncio.Future[None] | None = None
        self._saver = _Saver(
            conversation_for=self._conversations.get,
            write=lambda conversation: self._run_io(self._store.save, conversation),
            tell=self.notice.emit,
            untell=self.notice_cleared.emit,
            retry_delays=save_retry_delays,
        )

    # --- start and stop ------------------------------------------------------------

    async def start(self) -> None:
        """Open the store (cleaning up after a crash, reconciling the index) and list it."""
        try:
            report = await self._run_io(self._store.open)
            summaries = await self._run_io(self._store.summaries)
        except (OSError, StorageError) as exc:
            log.exception("Could not open the data folder")
            self.notice.emit("store", f"The conversations could not be opened: {exc}")
            return
        self._announce(report)
        # Conversations created before the list arrived (a quick first question) stay.
        self._summaries = {s.id: s for s in summaries} | self._summaries
        self._ready = True
        self.conversations_changed.emit()
        self.ready.emit()

    @property
    def is_ready(self) -> bool:
        return self._ready

    def warm_up(self) -> None:
        """Load the network stack on a thread of its own, so the first Send does not wait."""
        if self._warm_up is None:
            future: Future[None] = Future()

            def preload() -> None:
                try:
                    ChatClient.preload()
                    future.set_result(None)
                except BaseException as exc:  # reported to whoever awaits the warm-up
                    future.set_exception(exc)

            threading.Thread(target=preload, name="desktop-chat-warm-up", daemon=True).start()
            self._warm_up = asyncio.wrap_future(future)

    async def shutdown(self) -> None:
        """Stop every reply (keeping what arrived), save everything, close connections."""
        tasks = list(self._replies.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._saver.flush_all()
        if self._warm_up is not None:
            with contextlib.suppress(Exception):
                await self._warm_up
        await self._client.aclose()
        with contextlib.suppress(Exception):
            await self._run_io(self._store.close)
        self._io.shutdown(wait=True)

    # --- reading -------------------------------------------------------------------

    def summaries(self) -> list[ConversationSummary]:
        """Saved conversations: pinned first, then most recently active."""
        listed = sorted(self._summaries.values(), key=lambda s: s.updated_at, reverse=True)
        listed.sort(key=lambda s: not s.pinned)
        return listed

    def conversation(self, conversation_id: str) -> Conversation:
        """A conversation already opened (or just created)."""
        return self._conversations[conversation_id]

    def is_loaded(self, conversation_id: str) -> bool:
        return conversation_id in self._conversations

    async def open_conversation(self, conversation_id: str) -> Conversation | None:
        """Load a conversation from disk (once); None when it cannot be shown."""
        if conversation_id in self._conversations:
            return self._conversations[conversation_id]
        try:
            conversation = await self._run_io(self._store.load, conversation_id)
        except ConversationUnreadableError as exc:
            self._forget(conversation_id)
            self.notice.emit(f"unreadable:{conversation_id}", exc.message)
            return None
        except StorageError as exc:
            self.notice.emit(f"unreadable:{conversation_id}", exc.message)
            return None
        # Opening twice at once: keep the first copy, which the window may already show.
        conversation = self._conversations.setdefault(conversation_id, conversation)
        if conversation.read_only:
            self.notice.emit(
                f"read-only:{conversation_id}",
                "This conversation was saved by a newer version of Desktop Chat. You can "
                "read it here, but not continue it.",
            )
        return conversation

    async def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        return await self._run_io(self._store.search, query, limit)

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

    def send(self, conversation_id: str, text: str) -> None:
        """Add the user's question and start streaming the reply."""
        text = text.strip()
        conversation = self._conversations[conversation_id]
        if not text or self.is_streaming(conversation_id) or conversation.read_only:
            return
        if not conversation.title:
            conversation.title = title_from_question(text)
        question = Message(role=Role.USER, content=text)
        reply = Message(
            role=Role.ASSISTANT,
            content="",
            model=conversation.settings.model,
            status=MessageStatus.STREAMING,
        )
        conversation.messages += [question, reply]
        self._changed(conversation)
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

    async def delete(self, conversation_id: str) -> TrashEntry | None:
        """Move a conversation to the trash; the entry restores it."""
        task = self._replies.get(conversation_id)
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await self._saver.flush(conversation_id)
        if conversation_id not in self._summaries:  # never saved: nothing on disk
            self._conversations.pop(conversation_id, None)
            return None
        try:
            entry = await self._run_io(self._store.delete, conversation_id)
        except StorageError as exc:
            self.notice.emit(f"delete:{conversation_id}", exc.message)
            return None
        self._forget(conversation_id)
        return entry

    async def restore(self, entry: TrashEntry) -> str | None:
        """Bring a deleted conversation back; returns its id."""
        try:
            conversation_id = await self._run_io(self._store.restore, entry)
            conversation = await self._run_io(self._store.load, conversation_id)
        except StorageError as exc:
            self.notice.emit("restore", exc.message)
            return None
        self._conversations[conversation_id] = conversation
        self._summaries[conversation_id] = ConversationSummary.of(conversation)
        self.conversations_changed.emit()
        return conversation_id

    # --- internals -------------------------------------------------------------------

    async def _stream(self, conversation: Conversation, reply: Message) -> None:
        try:
            if self._warm_up is not None:
                await self._warm_up
            settings = conversation.settings
            request = ChatRequest(
                model=settings.model,
                messages=_history(conversation, reply),
                max_output_tokens=settings.max_output_tokens,
                temperature=settings.temperature,
            )
            async with contextlib.aclosing(self._client.stream_reply(request)) as events:
                async for event in events:
                    if isinstance(event, TextDelta):
                        reply.content += event.text
                        self.message_changed.emit(conversation.id, reply.id)
                        self._saver.request(conversation.id, urgent=False)
                    elif isinstance(event, StreamEnd):
                        reply.usage = event.usage
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
            del self._replies[conversation.id]
            self._changed(conversation)
            self.message_changed.emit(conversation.id, reply.id)
            self.streaming_changed.emit(conversation.id, False)

    def _changed(self, conversation: Conversation) -> None:
        """A conversation changed in a way worth listing and saving now."""
        conversation.touch()
        self._summaries[conversation.id] = ConversationSummary.of(conversation)
        self.conversations_changed.emit()
        self._saver.request(conversation.id, urgent=True)

    def _forget(self, conversation_id: str) -> None:
        self._conversations.pop(conversation_id, None)
        if self._summaries.pop(conversation_id, None) is not None:
            self.conversations_changed.emit()

    def _announce(self, report: OpenReport) -> None:
        if report.quarantined:
            names = ", ".join(q.name for q in report.quarantined)
            folder = report.quarantined[0].moved_to.parent
            count = len(report.quarantined)
            files = "file" if count == 1 else "files"
            self.notice.emit(
                "quarantine",
                f"{count} conversation {files} could not be read and "
                f"{'was' if count == 1 else 'were'} moved, untouched, to {folder}: {names}",
            )
        if report.index_unavailable:
            self.notice.emit(
                "index",
                "The search index could not be built, so search is unavailable; every "
                f"conversation is listed and saved as usual. ({report.index_unavailable})",
            )
        if report.newer_unreadable:
            self.notice.emit(
                "newer",
                "Some conversations were saved by a newer version of Desktop Chat and cannot "
                f"be shown by this one: {', '.join(report.newer_unreadable)}",
            )

    async def _run_io(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._io, function, *args)


class _Saver:
    """Saves conversations: coalesced, partial replies at most once a second, retried.

    A save writes a snapshot taken on the loop thread, so the store never sees a
    conversation change under it. When a save fails (full disk, read-only folder), the
    conversation stays in memory, the user is told, and the save is retried with backoff.
    """

    def __init__(
        self,
        conversation_for: Callable[[str], Conversation | None],
        write: Callable[[Conversation], Awaitable[None]],
        tell: Callable[[str, str], None],
        untell: Callable[[str], None],
        retry_delays: Sequence[float],
    ) -> None:
        self._conversation_for = conversation_for
        self._write_snapshot = write
        self._tell = tell
        self._untell = untell
        self._retry_delays = tuple(retry_delays)
        self._dirty: set[str] = set()
        self._urgent: set[str] = set()
        self._flushing: set[str] = set()
        self._writers: dict[str, asyncio.Task[None]] = {}
        self._wake: dict[str, asyncio.Event] = {}
        self._last_save: dict[str, float] = {}
        self._failing: set[str] = set()

    def request(self, conversation_id: str, *, urgent: bool) -> None:
        conversation = self._conversation_for(conversation_id)
        if conversation is None or conversation.read_only:
            return
        self._dirty.add(conversation_id)
        if urgent:
            self._urgent.add(conversation_id)
        if conversation_id in self._writers:
            self._wake[conversation_id].set()
            return
        self._wake[conversation_id] = asyncio.Event()
        self._writers[conversation_id] = asyncio.get_running_loop().create_task(
            self._writer(conversation_id)
        )

    async def flush(self, conversation_id: str) -> None:
        """Save now whatever is pending and wait for it; a failing save gets one more try."""
        self._flushing.add(conversation_id)
        try:
            writer = self._writers.get(conversation_id)
            if writer is not None:
                self._wake[conversation_id].set()
                await asyncio.gather(writer, return_exceptions=True)
            elif conversation_id in self._dirty:
                await self._save_once(conversation_id)
        finally:
            self._flushing.discard(conversation_id)

    async def flush_all(self) -> None:
        await asyncio.gather(*(self.flush(c) for c in set(self._writers) | self._dirty))

    async def _writer(self, conversation_id: str) -> None:
        wake = self._wake[conversation_id]
        failures = 0
        try:
            while conversation_id in self._dirty:
                if not self._due(conversation_id):
                    last = self._last_save.get(conversation_id, float("-inf"))
                    await _wait(wake, last + PARTIAL_SAVE_INTERVAL_S - time.monotonic())
                    continue
                if await self._save_once(conversation_id):
                    failures = 0
                    continue
                if conversation_id in self._flushing:
                    return  # quitting or deleting: that was the last try
                delay = self._retry_delays[min(failures, len(self._retry_delays) - 1)]
                failures += 1
                deadline = time.monotonic() + delay
                # New text keeps arriving meanwhile; only a flush cuts the wait short.
                while conversation_id not in self._flushing and time.monotonic() < deadline:
                    await _wait(wake, deadline - time.monotonic())
                self._urgent.add(conversation_id)
        finally:
            self._writers.pop(conversation_id, None)
            self._wake.pop(conversation_id, None)

    def _due(self, conversation_id: str) -> bool:
        if conversation_id in self._urgent or conversation_id in self._flushing:
            return True
        last = self._last_save.get(conversation_id, float("-inf"))
        return time.monotonic() - last >= PARTIAL_SAVE_INTERVAL_S

    async def _save_once(self, conversation_id: str) -> bool:
        """One attempt; False when it failed in a way worth retrying."""
        conversation = self._conversation_for(conversation_id)
        self._dirty.discard(conversation_id)
        self._urgent.discard(conversation_id)
        if conversation is None:
            return True
        key = f"save:{conversation_id}"
        try:
            await self._write_snapshot(snapshot(conversation))
        except SaveFailedError as exc:
            self._dirty.add(conversation_id)
            if conversation_id not in self._failing:
                self._failing.add(conversation_id)
                log.error("Saving %s failed: %s", conversation_id, exc)
                self._tell(key, exc.message)
            return False
        except StorageError as exc:
            self._tell(key, exc.message)
            return True  # a retry cannot fix this (e.g. a read-only conversation)
        self._last_save[conversation_id] = time.monotonic()
        if conversation_id in self._failing:
            self._failing.discard(conversation_id)
            log.info("Saved %s after earlier failures", conversation_id)
            self._untell(key)
        return True


async def _wait(event: asyncio.Event, seconds: float) -> None:
    """Until `event` is set or `seconds` pass, whichever comes first."""
    event.clear()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(max(0.0, seconds)):
            await event.wait()


def snapshot(conversation: Conversation) -> Conversation:
    """A copy no later change can reach (message fields are immutable values)."""
    copied = copy.copy(conversation)
    copied.settings = copy.copy(conversation.settings)
    copied.messages = [copy.copy(message) for message in conversation.messages]
    return copied


def _history(conversation: Conversation, reply: Message) -> list[dict[str, str]]:
    """The messages to send: the system prompt, then every turn before the new reply."""
    history = []
    system_prompt = conversation.settings.system_prompt
    if system_prompt:
        history.append({"role": Role.SYSTEM.value, "content": system_prompt})
    for message in conversation.messages:
        if message is reply:
            break
        if message.status is MessageStatus.ERROR and not message.content:
            continue
        history.append({"role": message.role.value, "content": message.content})
    return history
