"""Fitting a conversation into a model's context window, without a downloaded tokenizer.

The estimate is deliberately on the high side: about 4 characters per token for ASCII text
and one token per other character (accented Latin, CJK, emoji), plus a few tokens of
overhead per message. Trimming drops the oldest turns first and never the system prompt or
the newest question.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ContextTooLongError
from .i18n import number, translate

MESSAGE_OVERHEAD_TOKENS = 4
IMAGE_TOKENS = 1_105
"""The most one image costs on OpenAI (high detail, scaled to 2048 px, then 768 px short side)."""
UNKNOWN_MODEL_CONTEXT = 8_192
"""Local servers often run with a small context; be modest when the model is unknown."""
DEFAULT_REPLY_TOKENS = 4_096
"""Room kept for the reply when the conversation sets no output limit."""
SAFETY_MARGIN = 0.05

# Longest matching prefix wins ("gpt-4.1" before "gpt-4").
_CONTEXT_WINDOWS = {
    "gpt-6": 400_000,
    "gpt-5": 400_000,
    "gpt-4.1": 1_047_576,
    "gpt-4o": 128_000,
    "chatgpt-4o": 128_000,
    "gpt-4-turbo": 128_000,
    "gpt-4-1106": 128_000,
    "gpt-4-0125": 128_000,
    "gpt-4-32k": 32_768,
    "gpt-4": 8_192,
    "gpt-3.5-turbo": 16_385,
    "o1-mini": 128_000,
    "o1-preview": 128_000,
    "o1": 200_000,
    "o3": 200_000,
    "o4": 200_000,
    "codex": 200_000,
}


def context_window(model: str) -> int:
    """The model's context window in tokens, as far as this app knows it."""
    name = model.rsplit("/", 1)[-1].lower()  # "openai/gpt-4o" on OpenRouter
    matches = [prefix for prefix in _CONTEXT_WINDOWS if name.startswith(prefix)]
    return _CONTEXT_WINDOWS[max(matches, key=len)] if matches else UNKNOWN_MODEL_CONTEXT


def estimate_tokens(text: str) -> int:
    if text.isascii():
        return math.ceil(len(text) / 4)
    ascii_chars = len(text.encode("ascii", "ignore"))
    return math.ceil(ascii_chars / 4) + (len(text) - ascii_chars)


def message_tokens(message: Mapping[str, Any]) -> int:
    """A message's cost: its text, or its parts (text, and images) when it has them."""
    content = message["content"]
    if isinstance(content, str):
        return estimate_tokens(content) + MESSAGE_OVERHEAD_TOKENS
    tokens = MESSAGE_OVERHEAD_TOKENS
    for part in content:
        text = part.get("text")
        tokens += estimate_tokens(text) if isinstance(text, str) else IMAGE_TOKENS
    return tokens


def history_budget(model: str, max_output_tokens: int | None, context: int | None = None) -> int:
    """Tokens the messages sent may use: the window less the reply's room and a margin."""
    window = context or context_window(model)
    reply = max_output_tokens or min(DEFAULT_REPLY_TOKENS, window // 4)
    return int(window * (1 - SAFETY_MARGIN)) - reply


@dataclass(frozen=True)
class FittedHistory:
    messages: list[dict[str, Any]]
    omitted: int
    """How many of the oldest messages were left out."""


def fit_history(
    system: dict[str, Any] | None, turns: Sequence[dict[str, Any]], budget: int
) -> FittedHistory:
    """The system message and as many of the newest turns as fit in `budget` tokens."""
    used = message_tokens(system) if system else 0
    if not turns:
        return FittedHistory([system] if system else [], 0)
    newest = turns[-1]
    used += message_tokens(newest)
    if used > budget:
        raise ContextTooLongError(
            translate(
                "Context",
                "This message is too long for the model: about {used} tokens, and the model "
                "takes about {budget}. Shorten it or split it into parts, or pick a model "
                "with a larger context window.",
            ).format(used=number(used), budget=number(budget))
        )
    kept = [newest]
    for message in reversed(turns[:-1]):
        cost = message_tokens(message)
        if used + cost > budget:
            break
        used += cost
        kept.append(message)
    kept.reverse()
    # A reply whose question was left out only confuses the model: leave it out too.
    while len(kept) > 1 and kept[0]["role"] == "assistant":
        kept.pop(0)
    omitted = len(turns) - len(kept)
    return FittedHistory(([system] if system else []) + kept, omitted)
