"""The conversations folder, followed: a file removed from outside the app (a file manager,
a sync tool) leaves the list, one put back or added comes in."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QObject

from ..domain import ConversationSummary
from ..errors import StorageError
from .store_thread import StoreThread

if TYPE_CHECKING:
    from .conversations import Conversations

log = logging.getLogger(__name__)

SETTLE_S = 0.5
"""The folder is looked at this long after it last changed (our own saves change it too)."""


class FolderWatch(QObject):
    def __init__(
        self,
        store: StoreThread,
        chats: Conversations,
        background: Callable[[Coroutine[Any, Any, None]], object],
    ) -> None:
        super().__init__(chats)
        self._store = store
        self._chats = chats
        self._background = background
        self._timer: asyncio.TimerHandle | None = None
        self._watcher: QFileSystemWatcher | None = None
        self._stopped = False

    def start(self) -> None:
        folder = str(self._store.store.conversations_dir)
        self._watcher = QFileSystemWatcher([folder], self)
        self._watcher.directoryChanged.connect(self._changed)

    def stop(self) -> None:
        self._stopped = True
        if self._timer is not None:
            self._timer.cancel()

    def _changed(self, _folder: str) -> None:
        if self._stopped:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(
            SETTLE_S, lambda: self._background(self._follow())
        )

    async def _follow(self) -> None:
        self._timer = None
        store = self._store.store
        try:
            on_disk = await self._store.run(store.conversation_ids)
        except OSError as exc:
            log.warning("Could not look at the conversations folder: %s", exc)
            return
        chats = self._chats
        listed = {s.id for s in chats.summaries(ordered=False)}
        # Not those open here, or with changes on their way: their next save writes them.
        busy = chats.busy_ids()
        for conversation_id in listed - on_disk - busy:
            log.info("%s was removed from the data folder; no longer listed", conversation_id)
            await self._store.run(store.forget, conversation_id)
            chats.unlist(conversation_id)
        for conversation_id in on_disk - listed - busy:
            try:
                conversation = await self._store.run(store.load, conversation_id)
            except StorageError:
                continue  # unreadable: the next start quarantines it, and says so
            log.info("%s appeared in the data folder; listed", conversation_id)
            chats.list_summaries([ConversationSummary.of(conversation)])
