"""Conversations as Markdown (replies in their own Markdown) and as plain text (replies as
the words they show): the messages as shown (the versions set aside by edits and
regenerations live only in the JSON export)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from ..domain import Attachment, Conversation, Message, MessageStatus, Role
from ..i18n import number, translate
from ..markdown.plain import plain_text as as_text

FENCES = ("```", "~~~")
Reader = Callable[[Attachment], bytes]
"""Gives an attachment's bytes (raising ChatError when its file is missing)."""


def when(moment: datetime) -> str:
    """A time as exports show it: in UTC, to the minute, the same wherever it is read."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def title_of(conversation: Conversation) -> str:
    return conversation.title.strip() or translate("Export", "Untitled conversation")


def speaker(message: Message) -> str:
    if message.role is Role.USER:
        return translate("Export", "You")
    if message.role is Role.SYSTEM:
        return translate("Export", "System")
    if message.model:
        return translate("Export", "Assistant ({model})").format(model=message.model)
    return translate("Export", "Assistant")


def ending_note(message: Message) -> str | None:
    """Why a reply is incomplete, for the reader of an export."""
    if message.status is MessageStatus.ERROR:
        return translate("Export", "This reply failed: {reason}").format(
            reason=message.error or translate("Export", "unknown error")
        )
    if message.status in (MessageStatus.PARTIAL, MessageStatus.STREAMING):
        return translate("Export", "This reply stopped early: {reason}").format(
            reason=message.error or translate("Export", "it was interrupted"),
        )
    return None


def reasoning_label(message: Message) -> str:
    """What a reply's thoughts are called in an export: "Thought for 12 s", with the
    reasoning tokens where the server counted them."""
    seconds = message.reasoning_seconds
    if seconds is None:
        label = translate("Export", "Thoughts")
    else:
        label = translate("Export", "Thought for {seconds} s").format(
            seconds=number(round(seconds))
        )
    tokens = message.usage.reasoning_tokens if message.usage else 0
    if tokens:
        label += " · " + translate("Export", "{count} reasoning tokens").format(
            count=number(tokens)
        )
    return label


def summary_line(conversation: Conversation) -> str:
    parts = [
        translate("Export", "Started {time}").format(time=when(conversation.created_at)),
        translate("Export", "last message {time}").format(time=when(conversation.updated_at)),
        message_count(len(conversation.messages)),
    ]
    return " · ".join(parts)


def message_count(count: int) -> str:
    if count == 1:
        return translate("Export", "1 message")
    return translate("Export", "{count} messages").format(count=number(count))


def attachment_label(attachment: Attachment) -> str:
    """An attachment named in text: "Image: chart.png, 1600 by 1000" or "File: notes.py"."""
    if attachment.is_image:
        return translate("Export", "Image: {name}, {width} × {height}").format(  # noqa: RUF001
            name=attachment.name, width=attachment.width, height=attachment.height
        )
    return translate("Export", "File: {name}").format(name=attachment.name)


def markdown(conversation: Conversation, links: Mapping[str, str] | None = None) -> str:
    """The conversation in Markdown. `links` gives, by digest, where each attachment's copy
    was written beside the file (relative to it); one without a copy is only named."""
    lines = [f"# {_one_line(title_of(conversation))}", "", f"*{summary_line(conversation)}*", ""]
    system_prompt = conversation.settings.system_prompt.strip()
    if system_prompt:
        label = translate("Export", "System prompt:")
        lines += [f"> **{label}** " + _quoted(system_prompt), ""]
    empty = "*" + translate("Export", "(empty)") + "*"
    for message in conversation.messages:
        lines += ["---", "", f"### {speaker(message)} · {when(message.created_at)}", ""]
        for attachment in message.attachments:
            lines += [_markdown_attachment(attachment, (links or {}).get(attachment.digest)), ""]
        if message.reasoned:
            lines += [f"> **{reasoning_label(message)}**"]
            thoughts = _fences_closed(message.reasoning.strip())
            if thoughts:
                lines.append(">")
                lines += [f"> {line}" if line else ">" for line in thoughts.splitlines()]
            lines.append("")
        if message.attachments and not message.content.strip():
            continue
        lines += [_fences_closed(message.content.rstrip()) or empty, ""]
        note = ending_note(message)
        if note:
            lines += [f"> *{_one_line(note)}*", ""]
    return "\n".join(lines)


def _markdown_attachment(attachment: Attachment, link: str | None) -> str:
    if link is None:
        return f"*[{attachment_label(attachment)}]*"
    name = attachment.name.replace("[", "\\[").replace("]", "\\]")
    target = "<" + link.replace("<", "%3C").replace(">", "%3E") + ">"  # spaces allowed in <…>
    return f"![{name}]({target})" if attachment.is_image else f"[{name}]({target})"


def _fences_closed(text: str) -> str:
    """A reply cut off inside a code block would swallow everything after it."""
    fences = [line.lstrip()[:3] for line in text.splitlines() if line.lstrip()[:3] in FENCES]
    return f"{text}\n{fences[-1]}" if len(fences) % 2 else text


def plain_text(conversation: Conversation) -> str:
    title = title_of(conversation)
    lines = [title, "=" * min(len(title), 80), summary_line(conversation), ""]
    for message in conversation.messages:
        lines += [f"{speaker(message)}, {when(message.created_at)}:", ""]
        lines += [f"[{attachment_label(a)}]" for a in message.attachments]
        if message.attachments:
            lines.append("")
            if not message.content.strip():
                continue
        if message.reasoned:
            lines.append(f"{reasoning_label(message)}:")
            thoughts = as_text(message.reasoning).strip()
            lines += ["> " + line if line else ">" for line in thoughts.splitlines()]
            lines.append("")
        # A reply as the words it shows (its Markdown parsed, as on screen); a question
        # as typed.
        text = as_text(message.content) if message.role is Role.ASSISTANT else message.content
        lines += [text.rstrip() or translate("Export", "(empty)"), ""]
        note = ending_note(message)
        if note:
            lines += [f"[{note}]", ""]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quoted(text: str) -> str:
    return "\n> ".join(text.splitlines())
