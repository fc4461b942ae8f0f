"""A fixed conversation for the export golden files: everything that is tricky to export,
with fixed ids and times so the files never change unless the format does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop_chat.domain import (
    Branch,
    Conversation,
    GenerationSettings,
    Message,
    MessageStatus,
    Role,
    Usage,
)

START = datetime(2026, 11, 24, 5, 32, 0, tzinfo=UTC)

REPLY = """Here is a **Fibonacci** helper, and how the approaches compare.

```python
from functools import cache


@cache
def fibonacci(n: int) -> int:
    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)
```

| Approach | Time for n = 30 |
| --- | --- |
| Plain recursion | 0.3 s |
| `@cache` | 20 µs |

> Tip: for very large *n*, use fast doubling.

1. Start with the loop.
2. See the [Python docs](https://docs.python.org/3/library/functools.html).

Hostile bits a model might repeat: <script>document.title = "PWNED"</script>
<img src="x" onerror="document.body.dataset.pwned = 1">
[click me](javascript:document.body.dataset.pwned=2) and ![tracker](https://example.com/t.png)
"""


def golden_conversation() -> Conversation:
    def at(minutes: int) -> datetime:
        return START + timedelta(minutes=minutes)

    def message(n: int, role: Role, content: str, **fields: object) -> Message:
        return Message(
            role=role,
            content=content,
            id=f"m{n:02d}",
            created_at=at(n),
            **fields,  # type: ignore[arg-type]
        )

    question = message(
        1, Role.USER, 'Fibonacci in Python? <script>alert("hi")</script>\nSecond line & more'
    )
    reply = message(
        2,
        Role.ASSISTANT,
        REPLY,
        model="gpt-5.4-mini",
        usage=Usage(prompt_tokens=41, completion_tokens=187, reasoning_tokens=64),
        reasoning="The user wants **Fibonacci**.\n\nAn iterative loop is *simplest*: O(n).",
        reasoning_seconds=12.4,
    )
    other_reply = message(3, Role.ASSISTANT, "Another version of the answer.", model="gpt-5.4-mini")
    follow_up = message(4, Role.USER, "¿Y en Rust? 🦀")
    cut = message(
        5,
        Role.ASSISTANT,
        "En Rust se escribe así:\n\n```rust\nfn fib(n: u64) -> u64 {",
        model="gpt-5.4-mini",
        status=MessageStatus.PARTIAL,
        error="The connection dropped while the reply was arriving.",
        reasoning_seconds=3.0,
    )
    return Conversation(
        id="0123456789abcdef0123456789abcdef",
        title='Fibonacci: "fast" <versions> / notes?',
        created_at=at(0),
        updated_at=at(5),
        pinned=True,
        settings=GenerationSettings(
            model="gpt-5.4-mini", system_prompt="You are a helpful personal assistant."
        ),
        messages=[question, reply, follow_up, cut],
        branches=[Branch(fork_at=1, messages=[other_reply])],
    )
