"""The one thread the store runs on: loads, saves, searches and imports happen there, in
order, never on the UI thread (and never two at once on the files or the index)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ..storage import ConversationStore

T = TypeVar("T")


class StoreThread:
    def __init__(self, store: ConversationStore) -> None:
        self.store = store
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desktop-chat-store")

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` on the store's thread, awaited."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
