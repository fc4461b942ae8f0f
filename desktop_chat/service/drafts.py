"""What the user has typed and not sent, per conversation: kept across restarts and crashes
(written a moment after typing stops, or at once on a switch; atomically, as conversations)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from ..errors import StorageError
from .store_thread import StoreThread

log = logging.getLogger(__name__)

NEW_CHAT_DRAFT = "new"
"""A new chat has a new id each launch: its draft is kept under this name."""
DRAFT_SAVE_DELAY_S = 1.0
"""Drafts are written this long after typing stops."""


class Drafts:
    def __init__(
        self,
        store: StoreThread,
        listed: Callable[[str], bool],
        background: Callable[[Coroutine[Any, Any, None]], object],
    ) -> None:
        """`listed`: whether a conversation is in the list (drafts of others are not
        kept); `background` runs a coroutine the service owns."""
        self._store = store
        self._listed = listed
        self._background = background
        self._drafts: dict[str, str] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._closed = False

    async def load(self) -> None:
        """What the last run left; drafts typed meanwhile (a quick start) win."""
        self._drafts = await self._store.run(self._store.store.load_drafts) | self._drafts

    def get(self, conversation_id: str) -> str:
        return self._drafts.get(conversation_id, "")

    def set(self, conversation_id: str, text: str, *, save_now: bool = False) -> None:
        if text.strip():
            if self._drafts.get(conversation_id) == text:
                return
            self._drafts[conversation_id] = text
        elif self._drafts.pop(conversation_id, None) is None:
            return
        self._save_soon(0 if save_now else DRAFT_SAVE_DELAY_S)

    def _save_soon(self, delay: float) -> None:
        if self._closed:
            return  # the last save is close()'s
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(
            delay, lambda: self._background(self._save())
        )

    async def _save(self) -> None:
        self._timer = None
        try:
            await self._store.run(self._store.store.save_drafts, self._kept())
        except (OSError, StorageError) as exc:
            log.warning("Could not save the drafts: %s", exc)

    def _kept(self) -> dict[str, str]:
        """The drafts worth keeping: of listed conversations, and of the new chat."""
        return {c: t for c, t in self._drafts.items() if c == NEW_CHAT_DRAFT or self._listed(c)}

    async def close(self) -> None:
        """Write them one last time (quitting)."""
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
        await self._save()
