"""How a conversation file of an older format is brought up to the current one: each
step turns schema n into schema n+1, so a file of any age is read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JsonObject = dict[str, Any]


def _v1_to_v2(data: JsonObject) -> JsonObject:
    """v1 (the first release) kept model, prompt and limit at the top and had no usage."""
    upgraded = {key: value for key, value in data.items() if key not in _V1_SETTINGS}
    upgraded["schema"] = 2
    upgraded.setdefault("pinned", False)
    upgraded["settings"] = {
        "model": data.get("model"),
        "system_prompt": data.get("system_prompt", ""),
        "temperature": None,
        "max_output_tokens": data.get("max_output_tokens") or None,
    }
    messages = data.get("messages")
    if isinstance(messages, list):
        upgraded["messages"] = [
            {**message, "usage": None} if isinstance(message, dict) else message
            for message in messages
        ]
    return upgraded


_V1_SETTINGS = ("model", "system_prompt", "max_output_tokens")


def _v2_to_v3(data: JsonObject) -> JsonObject:
    """v3 keeps the versions an edit or a regenerated reply replaced."""
    return {**data, "schema": 3, "branches": []}


def _v3_to_v4(data: JsonObject) -> JsonObject:
    """v4 lets a message carry attachments (absent when it has none)."""
    return {**data, "schema": 4}


MIGRATIONS: dict[int, Callable[[JsonObject], JsonObject]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
}
"""MIGRATIONS[n] turns a schema-n object into a schema-(n+1) one."""
