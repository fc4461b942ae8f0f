from desktop_chat.domain import Usage
from desktop_chat.pricing import estimated_cost

USAGE = Usage(prompt_tokens=1_000_000, completion_tokens=1_000_000)


def test_known_models_are_priced_by_their_longest_prefix() -> None:
    assert estimated_cost("gpt-4.1", USAGE) == 10.0
    assert estimated_cost("gpt-4.1-mini", USAGE) == 2.0
    assert estimated_cost("gpt-4.1-2025-04-14", USAGE) == 10.0  # a dated snapshot
    assert (
        estimated_cost("gpt-4o-mini", Usage(prompt_tokens=1000, completion_tokens=500))
        == (1000 * 0.15 + 500 * 0.60) / 1_000_000
    )


def test_unknown_or_differently_priced_models_get_no_price() -> None:
    assert estimated_cost("gpt-5.4-mini", USAGE) is None  # not gpt-5's price
    assert estimated_cost("o3-pro", USAGE) is None
    assert estimated_cost("llama3.1:8b", USAGE) is None
    assert estimated_cost("gpt-4.1", None) is None
