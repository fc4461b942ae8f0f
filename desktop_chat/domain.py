"""Conversations and messages as plain data. No I/O, no Qt."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple

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


class ReasoningEffort(StrEnum):
    """How hard a reasoning model is asked to think, in OpenAI's words (other servers'
    settings are mapped from these: see api.reasoning)."""

    NONE = "none"
    MINIMAL = "minimal"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def new_id() -> str:
    """A random id that is safe as a file name on every platform."""
    import uuid  # here: it loads `platform`, ~3 ms that start-up need not wait for

    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Usage:
    """Tokens a reply cost, as the server reported them."""

    prompt_tokens: int
    completion_tokens: int
    reasoning_tokens: int = 0
    """Of the completion tokens, those the model spent thinking (OpenAI reports them even
    where it hides the thoughts themselves)."""


class AttachmentKind(StrEnum):
    IMAGE = "image"
    """Sent to the model as an image part of the message."""
    FILE = "file"
    """A UTF-8 text or code file, sent as its name and content."""


@dataclass(frozen=True)
class Attachment:
    """A file sent with a question. The bytes live once in the data folder's attachments/,
    named by their SHA-256 (`digest`); the conversation holds this reference only."""

    kind: AttachmentKind
    name: str
    """The file's name as the user had it ("screenshot.png"); pasted images get one."""
    media_type: str
    """"image/png", "image/jpeg", "image/webp", "image/gif", or "text/plain"."""
    digest: str
    size: int
    """Bytes, of the original as attached (never altered; downscaling is for sending)."""
    width: int = 0
    height: int = 0
    """Pixels, for images; 0 for files."""

    @property
    def is_image(self) -> bool:
        return self.kind is AttachmentKind.IMAGE

    def fitted(self, most_width: int, most_height: int) -> tuple[int, int]:
        """The picture's size shrunk (never enlarged) to fit `most_width` by `most_height`,
        keeping its shape; at least 1 by 1."""
        width, height = max(self.width, 1), max(self.height, 1)
        scale = min(1.0, most_width / width, most_height / height)
        return max(1, round(width * scale)), max(1, round(height * scale))


@dataclass
class Message:
    role: Role
    content: str
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=utc_now)
    model: str | None = None
    status: MessageStatus = MessageStatus.COMPLETE
    error: str | None = None
    """Why a reply failed or stopped early, in words for the user."""
    usage: Usage | None = None
    context_omitted: int = 0
    """How many of the oldest messages were not sent, to fit the model's context window."""
    attachments: tuple[Attachment, ...] = ()
    """Images and files sent with a question, in the order they were attached."""
    reasoning: str = ""
    """What a reasoning model thought before it answered, as Markdown (empty when the
    server hides it). Kept apart from `content`: it is never sent back as the answer."""
    reasoning_seconds: float | None = None
    """How long the model thought; None when it did not (or nobody could tell)."""

    @property
    def reasoned(self) -> bool:
        """The model thought before answering, whether or not its thoughts are shown."""
        return bool(
            self.reasoning
            or self.reasoning_seconds is not None
            or (self.usage is not None and self.usage.reasoning_tokens)
        )


@dataclass
class GenerationSettings:
    """How replies in a conversation are generated."""

    model: str = DEFAULT_MODEL
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    temperature: float | None = None
    """None leaves it to the server's default."""
    max_output_tokens: int | None = DEFAULT_MAX_OUTPUT_TOKENS
    reasoning_effort: ReasoningEffort | None = None
    """How hard a reasoning model thinks; None leaves it to the server."""


@dataclass
class Branch:
    """Turns replaced by an edit or a regenerated reply, kept so the user can switch back.

    It is an alternative to `messages[fork_at:]` of the path it hangs off; its own
    `branches` are alternatives further along it (fork_at > this one's).
    """

    fork_at: int
    messages: list[Message]
    branches: list[Branch] = field(default_factory=list)

    @property
    def created_at(self) -> datetime:
        return self.messages[0].created_at if self.messages else datetime.min.replace(tzinfo=UTC)


@dataclass
class Conversation:
    id: str = field(default_factory=new_id)
    title: str = ""
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    pinned: bool = False
    settings: GenerationSettings = field(default_factory=GenerationSettings)
    messages: list[Message] = field(default_factory=list)
    """The path shown: the messages as the user last saw them."""
    branches: list[Branch] = field(default_factory=list)
    read_only: bool = field(default=False, compare=False)
    """Saved by a newer version of the app: shown, never rewritten."""

    @property
    def is_empty(self) -> bool:
        return not self.messages

    def fork(self, index: int) -> None:
        """Set `messages[index:]` aside as a branch (with the branches beyond it), so a new
        version of that turn can follow `messages[:index]`."""
        tail = self.messages[index:]
        if not tail:
            return
        deeper = [b for b in self.branches if b.fork_at > index]
        self.branches = [b for b in self.branches if b.fork_at <= index]
        self.branches.append(Branch(fork_at=index, messages=tail, branches=deeper))
        del self.messages[index:]

    def alternatives(self, index: int) -> list[Branch | None]:
        """The versions of the turn at `index`, oldest first; None stands for the one shown."""
        versions: list[Branch | None] = [b for b in self.branches if b.fork_at == index]
        if not versions:
            return []
        versions.append(None)
        shown = self.messages[index].created_at if index < len(self.messages) else utc_now()
        return sorted(versions, key=lambda v: v.created_at if v is not None else shown)

    def switch(self, index: int, position: int) -> None:
        """Show the `position`-th version (oldest first) of the turn at `index`."""
        versions = self.alternatives(index)
        chosen = versions[position]
        if chosen is None:
            return
        self.fork(index)  # the shown version becomes a branch like the others
        self.branches.remove(chosen)
        self.messages.extend(chosen.messages)
        self.branches.extend(chosen.branches)

    def display_title(self, untitled: str) -> str:
        return self.title or untitled

    def touch(self) -> None:
        self.updated_at = utc_now()


_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MARKDOWN_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MARKDOWN_CODE = re.compile(r"(`+)(.+?)\1")
_MARKDOWN_STARS = re.compile(r"(\*{1,3}|~~)(?=\S)(.+?)(?<=\S)\1")
# Underscores only at word edges: snake_case_names stay as they are.
_MARKDOWN_UNDERSCORES = re.compile(r"(?<!\w)(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_MARKDOWN_LINE_START = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+]\s+|\d{1,9}[.)]\s+)+")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!~>|])")


def plain_text(markdown: str) -> str:
    """One line of Markdown as the words it shows: no emphasis marks, code ticks, link
    targets, heading or list markers (for titles, which are shown as plain text)."""
    # Escaped marks (\*) are text: set aside as private-use characters until the end.
    escaped: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return chr(0xF0000 + len(escaped) - 1)

    text = _MARKDOWN_ESCAPE.sub(set_aside, markdown.strip())
    text = _MARKDOWN_LINE_START.sub("", text)
    text = _MARKDOWN_IMAGE.sub(r"\1", text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_AUTOLINK.sub(r"\1", text)
    text = _MARKDOWN_CODE.sub(lambda m: m.group(2).strip(), text)
    for _ in range(2):  # **_nested_** emphasis
        text = _MARKDOWN_STARS.sub(r"\2", text)
        text = _MARKDOWN_UNDERSCORES.sub(r"\2", text)
    return re.sub("[\U000f0000-\U000fffff]", lambda m: escaped[ord(m.group()) - 0xF0000], text)


def title_from_question(question: str, limit: int = TITLE_MAX_CHARS) -> str:
    """A sidebar title from the first question: its first line as plain words, cut at a
    word boundary."""
    first_line = next((line.strip() for line in question.splitlines() if line.strip()), "")
    text = " ".join(plain_text(first_line).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:-") + "…"


class ConversationSummary(NamedTuple):
    """What the sidebar needs to list a conversation, without its messages.

    A NamedTuple rather than a frozen dataclass: the list is built for every conversation
    at start, and a tuple is several times cheaper to create.
    """

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    message_count: int
    pinned: bool = False
    read_only: bool = False

    @classmethod
    def of(cls, conversation: Conversation) -> ConversationSummary:
        return cls(
            id=conversation.id,
            title=conversation.title,
            created_at=conversation.created_at,
            updated_at=conversation.updated_at,
            message_count=len(conversation.messages),
            pinned=conversation.pinned,
            read_only=conversation.read_only,
        )


@dataclass(frozen=True)
class SearchHit:
    """One message that matches a search, with a snippet around the match."""

    conversation_id: str
    conversation_title: str
    message_id: str
    role: Role
    snippet: str
    """Plain text; the matched words are wrapped in SNIPPET_MARK_START/END."""
    in_reasoning: bool = False
    """The words were found in the reply's thoughts, not in its answer."""


SNIPPET_MARK_START = "\u0002"
SNIPPET_MARK_END = "\u0003"


def attachments_of(conversation: Conversation) -> Iterator[Attachment]:
    """Every attachment of a conversation: its messages' and its other versions'."""

    def messages(items: list[Message], branches: list[Branch]) -> Iterator[Message]:
        yield from items
        for branch in branches:
            yield from messages(branch.messages, branch.branches)

    for message in messages(conversation.messages, conversation.branches):
        yield from message.attachments
