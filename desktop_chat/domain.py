"""Conversations and messages as plain data. No I/O, no Qt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

DEFAULT_SYSTEM_PROMPT = (
    "You are a helpful personal assistant. Answer clearly and concisely, in the language "
    "the user writes in. Use Markdown when it makes the answer easier to read."
)
# The tutorial this app grew from capped replies at 2,000 tokens.
DEFAULT_MAX_OUTPUT_TOKENS = 2000
DEFAULT_MODEL = "gpt-5.4-mini"
TITLE_MAX_CHARS = 60


class Role(StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


class MessageStatus(StrEnum):
    COMPLETE = "complete"
    STREAMING = "streaming"
    PARTIAL = "partial"
    ERROR = "error"


def new_id() -> str:
    """A random id that is safe as a file name on every platform."""
    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Message:
    role: Role
    content: str
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=utc_now)
    model: str | None = None
    status: MessageStatus = MessageStatus.COMPLETE
    error: str | None = None


@dataclass
class Conversation:
    id: str = field(default_factory=new_id)
    title: str = ""
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    model: str = DEFAULT_MODEL
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    max_output_tokens: int = DEFAULT_MAX_OUTPUT_TOKENS
    messages: list[Message] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.messages

    def display_title(self, untitled: str) -> str:
        return self.title or untitled

    def touch(self) -> None:
        self.updated_at = utc_now()


def title_from_question(question: str, limit: int = TITLE_MAX_CHARS) -> str:
    """A sidebar title from the first question: its first line, cut at a word boundary."""
    first_line = next((line.strip() for line in question.splitlines() if line.strip()), "")
    text = " ".join(first_line.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:-") + "…"


@dataclass(frozen=True)
class ConversationSummary:
    """What the sidebar needs to list a conversation, without its messages."""

    id: str
    title: str
    updated_at: datetime
    message_count: int

    @classmethod
    def of(cls, conversation: Conversation) -> ConversationSummary:
        return cls(
            id=conversation.id,
            title=conversation.title,
            updated_at=conversation.updated_at,
            message_count=len(conversation.messages),
        )
