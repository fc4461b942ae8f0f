"""Handing work to other threads and results back."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


def in_thread(function: Callable[[], T], name: str = "desktop-chat-warm-up") -> Future[T]:
    """Run `function` on a daemon thread of its own: one that may never finish (a stuck
    import) must not keep the app from quitting, as a pool's thread would."""
    future: Future[T] = Future()
    threading.Thread(target=settle, args=(future, function), name=name, daemon=True).start()
    return future


def settle(future: Future[T], function: Callable[[], T]) -> None:
    """Run `function` and hand its result, or its exception, to whoever waits on `future`."""
    try:
        future.set_result(function())
    except BaseException as exc:
        future.set_exception(exc)
