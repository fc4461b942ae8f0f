"""What a reply cost, for models whose prices this app knows.

Prices are OpenAI's published standard rates in US dollars per million tokens, as of the
date below. Unknown models (and every non-OpenAI server) show tokens only: a wrong price
is worse than none.
"""

from __future__ import annotations

from .domain import Usage

PRICES_AS_OF = "2026-11"

# (input, output) in USD per million tokens. Longest matching prefix wins.
_PRICES: dict[str, tuple[float, float]] = {
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "o4-mini": (1.10, 4.40),
    "o3-mini": (1.10, 4.40),
    "o3": (2.00, 8.00),
}
# Models that share a prefix above but not its price.
_PRICED_OTHERWISE = (
    "gpt-5.",
    "gpt-5-pro",
    "o3-pro",
    "o3-deep-research",
    "gpt-4o-audio",
    "gpt-4o-realtime",
    "gpt-4o-search",
    "gpt-4o-mini-audio",
    "gpt-4o-mini-realtime",
    "gpt-4o-mini-search",
)


def estimated_cost(model: str | None, usage: Usage | None) -> float | None:
    """Dollars, or None when the price of `model` is not known."""
    if not model or usage is None:
        return None
    name = model.lower()
    matches = [prefix for prefix in _PRICES if name.startswith(prefix)]
    if not matches:
        return None
    if name.startswith(_PRICED_OTHERWISE):
        return None
    price_in, price_out = _PRICES[max(matches, key=len)]
    return (usage.prompt_tokens * price_in + usage.completion_tokens * price_out) / 1_000_000
