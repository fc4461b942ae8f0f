"""Running coroutines from synchronous pytest-qt tests on the app's qasync loop."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

T = TypeVar("T")


def run_async(qtbot: QtBot, coroutine: Coroutine[Any, Any, T], timeout_ms: int = 10_000) -> T:
    """Run a coroutine to completion while Qt processes events, and return its result."""
    task = asyncio.ensure_future(coroutine)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()
