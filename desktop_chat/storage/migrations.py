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


def _v4_to_v5(data: JsonObject) -> JsonObject:
    """v5 keeps a reasoning model's thoughts apart from its answer (a message's optional
    `reasoning`, usage's optional `reasoning_tokens`) and each chat's reasoning effort."""
    upgraded = {**data, "schema": 5}
    settings = data.get("settings")
    if isinstance(settings, dict):
        upgraded["settings"] = {**settings, "reasoning_effort": None}
    if isinstance(data.get("messages"), list):
        upgraded["messages"] = [_thoughts_apart(m) for m in data["messages"]]
    if isinstance(data.get("branches"), list):
        upgraded["branches"] = [_branch_thoughts_apart(b) for b in data["branches"]]
    return upgraded


def _branch_thoughts_apart(branch: Any) -> Any:
    if not isinstance(branch, dict):
        return branch
    return {
        **branch,
        "messages": [_thoughts_apart(m) for m in branch.get("messages") or []]
        if isinstance(branch.get("messages"), list)
        else branch.get("messages"),
        "branches": [_branch_thoughts_apart(b) for b in branch.get("branches") or []]
        if isinstance(branch.get("branches"), list)
        else branch.get("branches"),
    }


def _thoughts_apart(message: Any) -> Any:
    """A reply from a server that sent its thoughts inline (`<think>…</think>` first), as
    schema 4 kept it: the thoughts move to `reasoning`, the answer stays."""
    if not isinstance(message, dict) or message.get("role") != "assistant":
        return message
    content = message.get("content")
    if not isinstance(content, str) or not content.lstrip().startswith(_OPEN):
        return message
    thoughts, closed, answer = content.lstrip()[len(_OPEN) :].partition(_CLOSE)
    if not closed:
        return message
    return {
        **message,
        "content": answer.lstrip(),
        "reasoning": {"text": thoughts.strip(), "seconds": None},
    }


_OPEN, _CLOSE = "<think>", "</think>"


MIGRATIONS: dict[int, Callable[[JsonObject], JsonObject]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
}
"""MIGRATIONS[n] turns a schema-n object into a schema-(n+1) one."""
