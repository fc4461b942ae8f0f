"""A process that saves one conversation in a loop until it is killed (crash tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop_chat.domain import Conversation, Message, Role
from desktop_chat.storage import ConversationStore

CONVERSATION_ID = "crash-test"
_WHEN = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def versions() -> tuple[Conversation, Conversation]:
    """Two versions of one conversation, identical in every process: short and long."""

    def build(turns: int, word: str) -> Conversation:
        conversation = Conversation(
            id=CONVERSATION_ID, title=f"Crash test {word}", created_at=_WHEN, updated_at=_WHEN
        )
        for turn in range(turns):
            for role in (Role.USER, Role.ASSISTANT):
                conversation.messages.append(
                    Message(
                        role=role,
                        content=f"{word} {turn} " * 20,
                        id=f"{role.value}-{turn}",
                        created_at=_WHEN,
                    )
                )
        return conversation

    return build(2, "old"), build(300, "new")


def save_forever(data_dir: str, ready: Any) -> None:
    store = ConversationStore(Path(data_dir))
    store.open()
    old, new = versions()
    saves = 0
    while True:
        store.save(new if saves % 2 else old)
        saves += 1
        if saves == 2:
            ready.set()
