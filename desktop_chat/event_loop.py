"""The one event loop: qasync's, with what it lacks compared with asyncio's own loops.

- Calls from other threads (a finished lookup, a saved file) reach the loop through a
  queue and a socket pair, as in asyncio, instead of qasync's cross-thread Qt signal
  carrying Python objects, which crashed the process now and then (tests/ui/test_faults.py
  segfaulted in about one run in two).
- The default executor is a plain thread pool: qasync's starts ten QThreads per loop, and
  every connection's host lookup runs there.
- Abandoned async generators (the SDK leaves some behind when a stream fails mid-way) are
  closed on the loop; garbage-collected elsewhere they fail noisily outside any loop.
- Stray exceptions are logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from contextvars import Context
from queue import Empty, SimpleQueue
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)


class EventLoop(qasync.QEventLoop):
    def __init__(self, app: QCoreApplication, *, already_running: bool = False) -> None:
        super().__init__(app, already_running=already_running)
        self._thread_calls: SimpleQueue[asyncio.Handle] = SimpleQueue()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)
        self.add_reader(self._wake_read.fileno(), self._run_thread_calls)
        self.set_default_executor(
            ThreadPoolExecutor(max_workers=4, thread_name_prefix="desktop-chat-loop")
        )
        self.set_exception_handler(_log_exception)

    def call_soon_threadsafe(
        self, callback: Any, *args: Any, context: Context | None = None
    ) -> asyncio.Handle:
        handle = asyncio.Handle(callback, args, self, context)
        self._thread_calls.put(handle)
        with contextlib.suppress(BlockingIOError, InterruptedError, OSError):
            self._wake_write.send(b"\0")  # a wake-up already pending is enough
        return handle

    def _run_thread_calls(self) -> None:
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while self._wake_read.recv(4096):
                pass
        while True:
            try:
                handle = self._thread_calls.get_nowait()
            except Empty:
                return
            if not handle.cancelled():
                handle._run()

    def install_asyncgen_hooks(self) -> tuple[Any, Any]:
        """Route finalised async generators to this loop; returns the hooks replaced."""
        previous = sys.get_asyncgen_hooks()

        def finalizer(generator: Any) -> None:
            if not self.is_closed():
                self.call_soon_threadsafe(lambda: self.create_task(generator.aclose()))

        sys.set_asyncgen_hooks(firstiter=None, finalizer=finalizer)
        return previous

    def close(self) -> None:
        if not self.is_closed():
            self.remove_reader(self._wake_read.fileno())
            self._wake_read.close()
            self._wake_write.close()
        super().close()


def _log_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    log.error(
        "Unhandled error in the event loop: %s",
        context.get("message"),
        exc_info=context.get("exception"),
    )
