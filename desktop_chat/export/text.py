"""Conversations as Markdown and as plain text: the messages as shown (the versions set
aside by edits and regenerations live only in the JSON export)."""

from __future__ import annotations

from datetime import UTC, datetime

from ..domain import Conversation, Message, MessageStatus, Role

UNTITLED = "Untitled conversation"
FENCES = ("```", "~~~")
_SPEAKERS = {Role.USER: "You", Role.ASSISTANT: "Assistant", Role.SYSTEM: "System"}


def when(moment: datetime) -> str:
    """A time as exports show it: in UTC, to the minute, the same wherever it is read."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def title_of(conversation: Conversation) -> str:
    return conversation.title.strip() or UNTITLED


def speaker(message: Message) -> str:
    name = _SPEAKERS[message.role]
    if message.role is Role.ASSISTANT and message.model:
        return f"{name} ({message.model})"
    return name


def ending_note(message: Message) -> str | None:
    """Why a reply is incomplete, for the reader of an export."""
    if message.status is MessageStatus.ERROR:
        return f"This reply failed: {message.error or 'unknown error'}"
    if message.status in (MessageStatus.PARTIAL, MessageStatus.STREAMING):
        return f"This reply stopped early: {message.error or 'it was interrupted'}"
    return None


def summary_line(conversation: Conversation) -> str:
    count = len(conversation.messages)
    parts = [
        f"Started {when(conversation.created_at)}",
        f"last message {when(conversation.updated_at)}",
        f"{count} message{'s' if count != 1 else ''}",
    ]
    return " · ".join(parts)


def markdown(conversation: Conversation) -> str:
    lines = [f"# {_one_line(title_of(conversation))}", "", f"*{summary_line(conversation)}*", ""]
    system_prompt = conversation.settings.system_prompt.strip()
    if system_prompt:
        lines += ["> **System prompt:** " + _quoted(system_prompt), ""]
    for message in conversation.messages:
        lines += ["---", "", f"### {speaker(message)} · {when(message.created_at)}", ""]
        lines += [_fences_closed(message.content.rstrip()) or "*(empty)*", ""]
        note = ending_note(message)
        if note:
            lines += [f"> *{_one_line(note)}*", ""]
    return "\n".join(lines)


def _fences_closed(text: str) -> str:
    """A reply cut off inside a code block would swallow everything after it."""
    fences = [line.lstrip()[:3] for line in text.splitlines() if line.lstrip()[:3] in FENCES]
    return f"{text}\n{fences[-1]}" if len(fences) % 2 else text


def plain_text(conversation: Conversation) -> str:
    title = title_of(conversation)
    lines = [title, "=" * min(len(title), 80), summary_line(conversation), ""]
    for message in conversation.messages:
        lines += [f"{speaker(message)}, {when(message.created_at)}:", ""]
        lines += [message.content.rstrip() or "(empty)", ""]
        note = ending_note(message)
        if note:
            lines += [f"[{note}]", ""]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quoted(text: str) -> str:
    return "\n> ".join(text.splitlines())
