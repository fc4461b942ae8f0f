"""The one event loop: qasync's, with what it lacks compared with asyncio's own loops.

- The default executor (every connection's host lookup runs there) is a plain thread pool
  that starts threads as needed: qasync's starts ten QThreads per loop up front.
- Abandoned async generators (the SDK leaves some behind when a stream fails mid-way) are
  closed on the loop; qasync installs no hooks, and garbage-collected elsewhere they fail
  noisily outside any loop.
- Stray exceptions are logged.

Qt objects must also be freed on the main thread: see `main_thread_gc`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)


class EventLoop(qasync.QEventLoop):
    def __init__(self, app: QCoreApplication, *, already_running: bool = False) -> None:
        super().__init__(app, already_running=already_running)
        self.set_default_executor(
            ThreadPoolExecutor(max_workers=4, thread_name_prefix="desktop-chat-loop")
        )
        self.set_exception_handler(_log_exception)

    def install_asyncgen_hooks(self) -> tuple[Any, Any]:
        """Route finalised async generators to this loop; returns the hooks replaced."""
        previous = sys.get_asyncgen_hooks()

        def finalizer(generator: Any) -> None:
            if not self.is_closed():
                self.call_soon_threadsafe(lambda: self.create_task(generator.aclose()))

        sys.set_asyncgen_hooks(firstiter=None, finalizer=finalizer)
        return previous


def _log_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    log.error(
        "Unhandled error in the event loop: %s",
        context.get("message"),
        exc_info=context.get("exception"),
    )
