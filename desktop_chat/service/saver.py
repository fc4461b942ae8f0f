"""Saving conversations: coalesced, partial replies at most once a second, retried."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import time
from collections.abc import Callable, Mapping, Sequence

from ..domain import Conversation
from ..errors import StorageError
from ..storage import SaveFailedError
from .store_thread import StoreThread

log = logging.getLogger(__name__)

# A reply still arriving is saved this often at most, never once per token.
PARTIAL_SAVE_INTERVAL_S = 1.0
# After a failed save (full disk, read-only folder), wait this long before each new try.
SAVE_RETRY_DELAYS_S = (2.0, 5.0, 10.0, 30.0)


class Saver:
    """Saves conversations: coalesced, partial replies at most once a second, retried.

    A save writes a snapshot taken on the loop thread, so the store never sees a
    conversation change under it. When a save fails (full disk, read-only folder), the
    conversation stays in memory, the user is told, and the save is retried with backoff.
    """

    def __init__(
        self,
        store: StoreThread,
        loaded: Mapping[str, Conversation],
        tell: Callable[[str, str], None],
        untell: Callable[[str], None],
        retry_delays: Sequence[float],
    ) -> None:
        """`loaded`: the conversations in memory, by id (those saved are taken from it)."""
        self._store = store
        self._loaded = loaded
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
        self.last_failure = ""
        """Why the last save that failed did, in words for the user."""

    def request(self, conversation_id: str, *, urgent: bool) -> None:
        conversation = self._loaded.get(conversation_id)
        if conversation is None or conversation.read_only:
            return
        self._dirty.add(conversation_id)
        if urgent:
            self._urgent.add(conversation_id)
        if conversation_id in self._writers:
            if urgent:  # otherwise the writer saves at its interval anyway: let it sleep
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

    def failing(self) -> set[str]:
        """Conversations whose last save failed: they are only in memory."""
        return set(self._failing)

    def unsaved(self) -> set[str]:
        """Conversations with changes not on disk (pending, or failing)."""
        return self._dirty | self._failing

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
        conversation = self._loaded.get(conversation_id)
        self._dirty.discard(conversation_id)
        self._urgent.discard(conversation_id)
        if conversation is None:
            return True
        key = f"save:{conversation_id}"
        try:
            await self._store.run(self._store.store.save, snapshot(conversation))
        except SaveFailedError as exc:
            self._dirty.add(conversation_id)
            self.last_failure = exc.message
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
