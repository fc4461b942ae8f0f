"""Watching the real program run in another process: its log, and conditions on it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path


def wait_for(
    predicate: Callable[[], object], what: str = "the condition", timeout_s: float = 30.0
) -> None:
    """Poll `predicate` until it holds (another process cannot signal us otherwise)."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def app_log(data_dir: Path) -> str:
    """What the app has written to its log in `data_dir` so far."""
    path = data_dir / "logs" / "desktop-chat.log"
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
