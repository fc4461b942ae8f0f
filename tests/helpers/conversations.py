"""Building conversations for tests and benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop_chat.domain import Conversation, Message, MessageStatus, Role, Usage
from desktop_chat.storage import ConversationStore


def make_conversation(
    title: str = "¿Qué es un chatbot? 🤖",
    turns: int = 1,
    *,
    answer: str = "Un **programa** que conversa.",
    updated_minutes_ago: float = 0,
) -> Conversation:
    when = datetime.now(UTC) - timedelta(minutes=updated_minutes_ago)
    conversation = Conversation(title=title, created_at=when, updated_at=when)
    for turn in range(turns):
        conversation.messages.append(Message(role=Role.USER, content=f"{title} ({turn})"))
        conversation.messages.append(
            Message(
                role=Role.ASSISTANT,
                content=f"{answer} ({turn})",
                model="gpt-x",
                status=MessageStatus.COMPLETE,
                usage=Usage(prompt_tokens=12, completion_tokens=34),
            )
        )
    return conversation


def save_conversations(data_dir: Path, *conversations: Conversation) -> None:
    """Put conversations in a data folder through the real store, as an earlier run would."""
    store = ConversationStore(data_dir)
    store.open()
    for conversation in conversations:
        store.save(conversation)
    store.close()
