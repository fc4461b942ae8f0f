"""Running the window's background actions: one place that keeps their handles and logs
their failures, so no coroutine is dropped on the floor or dies silently."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


class BackgroundTasks:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    @staticmethod
    def in_thread(function: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """`function(*args)` on a worker thread, for a coroutine to await."""
        return asyncio.get_running_loop().run_in_executor(None, function, *args)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # The loop's handler logs it, and in the app tells the user (CrashReporter).
            task.get_loop().call_exception_handler(
                {
                    "message": "A background action failed",
                    "exception": task.exception(),
                    "task": task,
                }
            )
