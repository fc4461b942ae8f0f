"""Token estimates and fitting a conversation into a context window."""

from __future__ import annotations

import pytest

from desktop_chat.context import (
    UNKNOWN_MODEL_CONTEXT,
    context_window,
    estimate_tokens,
    fit_history,
    history_budget,
)
from desktop_chat.errors import ContextTooLongError


def _turns(count: int, size: int = 400) -> list[dict[str, str]]:
    return [
        {"role": "user" if n % 2 == 0 else "assistant", "content": f"{n} " + "x" * size}
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("model", "window"),
    [
        ("gpt-4.1-mini", 1_047_576),
        ("gpt-4o-2024-08-06", 128_000),
        ("gpt-4", 8_192),
        ("gpt-5.4-mini", 400_000),
        ("o4-mini", 200_000),
        ("openai/gpt-4o", 128_000),
        ("llama3.1:8b", UNKNOWN_MODEL_CONTEXT),
    ],
)
def test_context_windows_by_longest_known_prefix(model: str, window: int) -> None:
    assert context_window(model) == window


def test_the_estimate_errs_on_the_high_side_for_non_ascii_text() -> None:
    assert estimate_tokens("a" * 400) == 100
    assert estimate_tokens("ñ" * 100) == 100
    assert estimate_tokens("漢字" * 50) == 100
    assert estimate_tokens("") == 0


def test_the_budget_leaves_room_for_the_reply() -> None:
    assert history_budget("gpt-4", 1000) == int(8192 * 0.95) - 1000
    assert history_budget("gpt-4", None) == int(8192 * 0.95) - 2048


def test_everything_is_kept_when_it_fits() -> None:
    system = {"role": "system", "content": "Be kind."}
    fitted = fit_history(system, _turns(6), budget=10_000)
    assert fitted.omitted == 0
    assert fitted.messages[0] == system
    assert len(fitted.messages) == 7


def test_the_oldest_turns_go_first_and_the_system_prompt_stays() -> None:
    system = {"role": "system", "content": "Be kind."}
    turns = _turns(11)  # ~104 tokens each
    fitted = fit_history(system, turns, budget=550)
    assert fitted.messages[0] == system
    assert fitted.messages[-1] == turns[-1]
    assert fitted.messages[1]["role"] == "user"
    assert fitted.omitted == 11 - (len(fitted.messages) - 1)
    assert fitted.omitted > 0
    assert fitted.messages[1:] == turns[fitted.omitted :]


def test_a_newest_message_too_long_alone_is_refused_with_the_sizes() -> None:
    with pytest.raises(ContextTooLongError, match=r"about 2,504 tokens.*about 1,000"):
        fit_history(None, [{"role": "user", "content": "y" * 10_000}], budget=1_000)
