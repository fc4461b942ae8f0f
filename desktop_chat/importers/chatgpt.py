"""ChatGPT's official data export (`conversations.json`, or the ZIP it comes in).

Each conversation is a tree of nodes (`mapping`, children and parent ids); `current_node`
is the leaf the user last saw. We follow the path from the root to it, and keep every other
branch (regenerated replies, edited questions) as versions of the turn they replace, the way
our own files keep them. Hidden messages (system prompts, custom instructions, internal tool
traffic) are skipped; the assistant's messages and the tools' results of one turn become one
reply; content that is not text becomes readable Markdown (code blocks, quotes, a line for
an image). Ids are derived from ChatGPT's, so importing the same export twice adds nothing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..domain import (
    DEFAULT_MODEL,
    Attachment,
    Branch,
    Conversation,
    GenerationSettings,
    Message,
    MessageStatus,
    Role,
    plain_text,
    title_from_question,
)
from ..i18n import translate
from .errors import ImportFailedError

NAMESPACE = uuid.UUID("6f6b2f36-0d6a-4c59-9a53-2f2b6a8e6c11")
MAX_BRANCHES = 500
"""Per conversation: a tree with more alternatives than this keeps the first ones."""


def conversation_id_for(chatgpt_id: str) -> str:
    """Our id for a ChatGPT conversation: the same every time it is imported."""
    return uuid.uuid5(NAMESPACE, f"chatgpt:{chatgpt_id}").hex


ImageFinder = Callable[[str], Attachment | None]
"""An image of the export by its asset pointer ("file-service://file-abc…"), as an
attachment whose bytes the import will write; None when the export does not hold it."""


def conversations_from_export(
    data: Any, source: str, images: ImageFinder | None = None
) -> list[Conversation]:
    """Every conversation in a parsed `conversations.json`."""
    if isinstance(data, dict) and "mapping" in data:
        data = [data]  # a single conversation, as some tools save them
    if not isinstance(data, list):
        raise ImportFailedError(
            translate(
                "Import", "{file} is not a ChatGPT export: it should hold a list of conversations."
            ).format(file=source)
        )
    conversations = []
    for number, item in enumerate(data, 1):
        where = translate("Import", "{file}, conversation {number}").format(
            file=source, number=number
        )
        if isinstance(item, dict) and isinstance(item.get("title"), str) and item["title"]:
            where += f" (“{item['title'][:60]}”)"
        conversations.append(conversation_from_chatgpt(item, where, images))
    return conversations


def conversation_from_chatgpt(
    item: Any, where: str, images: ImageFinder | None = None
) -> Conversation:
    if not isinstance(item, dict):
        raise ImportFailedError(
            translate("Import", "{where} is not a conversation object.").format(where=where)
        )
    mapping = item.get("mapping")
    if not isinstance(mapping, dict) or not all(isinstance(n, dict) for n in mapping.values()):
        raise ImportFailedError(
            translate("Import", "{where} has no message tree ('mapping').").format(where=where)
        )
    original_id = item.get("conversation_id") or item.get("id")
    if not isinstance(original_id, str) or not original_id:
        raise ImportFailedError(translate("Import", "{where} has no id.").format(where=where))
    started = _time(item.get("create_time"))
    tree = _Tree(mapping, where, started, images)
    path = tree.path_to(_current_node(item, tree, where))
    messages, sources = tree.linearize(path)
    branches = tree.branches(path, sources, start=0, budget=[MAX_BRANCHES])
    created = started or (messages[0].created_at if messages else datetime.now(UTC))
    updated = _time(item.get("update_time")) or created
    first_question = next((m.content for m in messages if m.role is Role.USER), "")
    title = item.get("title") if isinstance(item.get("title"), str) else ""
    model = next(
        (m.model for m in reversed(messages) if m.role is Role.ASSISTANT and m.model), None
    ) or (
        item.get("default_model_slug") if isinstance(item.get("default_model_slug"), str) else None
    )
    return Conversation(
        id=conversation_id_for(original_id),
        title=" ".join(plain_text(title or "").split())
        or title_from_question(first_question)
        or translate("Import", "Imported conversation"),
        created_at=created,
        updated_at=max(updated, created),
        settings=GenerationSettings(model=model or DEFAULT_MODEL),
        messages=messages,
        branches=branches,
    )


def _current_node(item: Mapping[str, Any], tree: _Tree, where: str) -> str:
    current = item.get("current_node")
    if isinstance(current, str) and current in tree.nodes:
        return current
    # Older or trimmed exports: the leaf written last is what the user saw last.
    leaves = [node_id for node_id in tree.nodes if not tree.children(node_id)]
    if not leaves:
        raise ImportFailedError(
            translate("Import", "{where} has an empty or circular message tree.").format(
                where=where
            )
        )
    return max(leaves, key=lambda node_id: tree.created(node_id) or 0.0)


@dataclass(frozen=True)
class _Piece:
    """One node's contribution to the conversation."""

    side: Role  # USER or ASSISTANT (tool results join the assistant's side)
    text: str
    created: float | None
    model: str | None
    unfinished: bool
    attachments: tuple[Attachment, ...] = ()
    reasoning: str = ""
    """ChatGPT's thoughts for the reply (`thoughts` nodes), as Markdown."""
    seconds: float | None = None
    """How long it thought (its `reasoning_recap`)."""


class _Tree:
    def __init__(
        self,
        mapping: dict[str, Any],
        where: str,
        started: datetime | None,
        images: ImageFinder | None = None,
    ) -> None:
        self.nodes = mapping
        self.where = where
        self.images = images
        self.started = started
        """The conversation's own time, for messages that have none."""

    def children(self, node_id: str) -> list[str]:
        children = self.nodes[node_id].get("children") or []
        return [c for c in children if isinstance(c, str) and c in self.nodes]

    def created(self, node_id: str) -> float | None:
        message = self.nodes[node_id].get("message")
        value = message.get("create_time") if isinstance(message, dict) else None
        return float(value) if isinstance(value, int | float) else None

    def path_to(self, leaf: str) -> list[str]:
        path: list[str] = []
        seen: set[str] = set()
        node_id: str | None = leaf
        while node_id is not None and node_id in self.nodes:
            if node_id in seen:
                raise ImportFailedError(
                    translate("Import", "{where} has a circular message tree.").format(
                        where=self.where
                    )
                )
            seen.add(node_id)
            path.append(node_id)
            parent = self.nodes[node_id].get("parent")
            node_id = parent if isinstance(parent, str) else None
        path.reverse()
        return path

    def descend(self, node_id: str) -> list[str]:
        """From `node_id` down to a leaf, taking the newest child each time (the one the
        ChatGPT window shows first)."""
        path = [node_id]
        seen = {node_id}
        while True:
            children = [c for c in self.children(path[-1]) if c not in seen]
            if not children:
                return path
            newest = max(children, key=lambda c: (self.created(c) or 0.0, children.index(c)))
            path.append(newest)
            seen.add(newest)

    # --- turning nodes into our messages ---------------------------------------------

    def linearize(self, path: list[str]) -> tuple[list[Message], list[tuple[str, ...]]]:
        """Our messages for the nodes on `path`, and for each the node ids it came from."""
        messages: list[Message] = []
        sources: list[tuple[str, ...]] = []
        for node_id in path:
            piece = self._piece(node_id)
            if piece is None:
                continue
            joins = (
                piece.side is Role.ASSISTANT and messages and messages[-1].role is Role.ASSISTANT
            )
            if joins:
                last = messages[-1]
                if piece.text:
                    joined = f"{last.content}\n\n{piece.text}" if last.content else piece.text
                    last.content = joined
                if piece.reasoning:
                    last.reasoning = "\n\n".join(filter(None, (last.reasoning, piece.reasoning)))
                if piece.seconds is not None:
                    last.reasoning_seconds = (last.reasoning_seconds or 0) + piece.seconds
                last.attachments += piece.attachments
                last.model = last.model or piece.model
                if piece.unfinished:
                    last.status = MessageStatus.PARTIAL
                sources[-1] = (*sources[-1], node_id)
                continue
            messages.append(
                Message(
                    role=piece.side,
                    content=piece.text,
                    id=uuid.uuid5(NAMESPACE, f"chatgpt-node:{node_id}").hex,
                    created_at=_time(piece.created) or _NO_TIME,
                    model=piece.model if piece.side is Role.ASSISTANT else None,
                    status=MessageStatus.PARTIAL if piece.unfinished else MessageStatus.COMPLETE,
                    error=translate("Import", "The reply was not finished in ChatGPT.")
                    if piece.unfinished
                    else None,
                    attachments=piece.attachments,
                    reasoning=piece.reasoning,
                    reasoning_seconds=piece.seconds,
                )
            )
            sources.append((node_id,))
        _fill_missing_times(messages, self.started)
        return messages, sources

    def branches(
        self, path: list[str], sources: list[tuple[str, ...]], *, start: int, budget: list[int]
    ) -> list[Branch]:
        """The other versions hanging off `path` after position `start`, as branches."""
        found: list[Branch] = []
        on_path = set(path)
        for position in range(start, len(path)):
            for child in self.children(path[position]):
                if child in on_path or budget[0] <= 0:
                    continue
                other = path[: position + 1] + self.descend(child)
                other_messages, other_sources = self.linearize(other)
                fork_at = _first_difference(sources, other_sources)
                if fork_at >= len(other_messages):
                    continue  # nothing visible on that side (hidden or empty messages)
                budget[0] -= 1
                deeper = self.branches(other, other_sources, start=position + 1, budget=budget)
                found.append(
                    Branch(
                        fork_at=fork_at,
                        messages=other_messages[fork_at:],
                        branches=[b for b in deeper if b.fork_at > fork_at],
                    )
                )
        return found

    def _piece(self, node_id: str) -> _Piece | None:
        message = _dict(self.nodes[node_id].get("message"))
        if not message:
            return None  # the root placeholder
        role = _dict(message.get("author")).get("role")
        metadata = _dict(message.get("metadata"))
        if role not in ("user", "assistant", "tool"):
            return None  # system prompts and custom instructions are never shown
        if metadata.get("is_visually_hidden_from_conversation") or metadata.get(
            "is_user_system_message"
        ):
            return None
        recipient = _text(message.get("recipient")) or "all"
        content = _dict(message.get("content"))
        kind = content.get("content_type")
        if role == "assistant" and recipient not in ("all", "python") and kind == "code":
            return None  # the assistant talking to a tool (a search query, say)
        if (
            kind == "code"
            and recipient == "python"
            and _text(content.get("language"))
            in (
                "",
                "unknown",
            )
        ):
            content = {**content, "language": "python"}  # code interpreter runs Python
        content, attachments = _found_images(content, self.images)
        reasoning, seconds = _thinking(content) if role == "assistant" else ("", None)
        text = "" if kind in _THINKING else render_content(content).strip()
        if not text and not attachments and not reasoning and seconds is None:
            return None
        created = message.get("create_time")
        status = message.get("status")
        return _Piece(
            side=Role.USER if role == "user" else Role.ASSISTANT,
            text=text,
            created=float(created) if isinstance(created, int | float) else None,
            model=_text(metadata.get("model_slug")) or None,
            unfinished=role == "assistant" and status not in (None, "finished_successfully"),
            attachments=attachments,
            reasoning=reasoning,
            seconds=seconds,
        )


def _found_images(
    content: dict[str, Any], images: ImageFinder | None
) -> tuple[dict[str, Any], tuple[Attachment, ...]]:
    """The images of a message that the export holds, as attachments, and the content
    without them (those it does not hold stay, described in the text)."""
    parts = content.get("parts")
    if images is None or not isinstance(parts, list):
        return content, ()
    found: list[Attachment] = []
    kept = []
    for part in parts:
        if isinstance(part, dict) and part.get("content_type") == "image_asset_pointer":
            attachment = images(str(part.get("asset_pointer") or ""))
            if attachment is not None:
                found.append(attachment)
                continue
        kept.append(part)
    if not found:
        return content, ()
    return {**content, "parts": kept}, tuple(found)


_THINKING = ("thoughts", "reasoning_recap")
_DURATION = re.compile(r"(\d+(?:[.,]\d+)?)\s*(h|m|s)", re.IGNORECASE)


def _thinking(content: Mapping[str, Any]) -> tuple[str, float | None]:
    """A reasoning model's thoughts (`thoughts`) as Markdown, or how long it thought
    (`reasoning_recap`, "Thought for 1m 4s")."""
    kind = content.get("content_type")
    if kind == "thoughts":
        paragraphs = []
        for thought in _list(content.get("thoughts")):
            summary = _text(_dict(thought).get("summary")).strip()
            body = _text(_dict(thought).get("content")).strip()
            paragraphs.append(f"**{summary}**\n\n{body}".strip() if summary else body)
        return "\n\n".join(p for p in paragraphs if p), None
    if kind == "reasoning_recap":
        recap = _text(content.get("content"))
        units = {"h": 3600, "m": 60, "s": 1}
        # "Thought for 4 seconds", "Thought for 1m 4s": each number with its unit's letter.
        found = [(float(n.replace(",", ".")), u.lower()) for n, u in _DURATION.findall(recap)]
        return "", sum(n * units[u] for n, u in found) if found else None
    return "", None


def render_content(content: Mapping[str, Any]) -> str:
    """A message's content as Markdown: text as is, the rest described or quoted."""
    kind = content.get("content_type")
    text = _text(content.get("text"))
    if kind in ("text", "multimodal_text"):
        return "\n\n".join(_parts(content.get("parts")))
    if kind == "code":
        language = _text(content.get("language"))
        language = "" if language == "unknown" else language
        return f"```{language}\n{text.rstrip()}\n```" if text.strip() else ""
    if kind == "execution_output":
        return f"Output:\n\n```\n{text.rstrip()}\n```" if text.strip() else ""
    if kind == "tether_quote":
        url = _text(content.get("url"))
        title = _text(content.get("title")) or url
        quote = "\n".join(f"> {line}" for line in text.strip().splitlines())
        source = f"\n>\n> — [{title}]({url})" if url.startswith(("http://", "https://")) else ""
        return f"{quote}{source}" if text.strip() else ""
    if kind == "tether_browsing_display":
        summary = _text(content.get("summary")) or _text(content.get("result"))
        return f"> {summary.strip()}" if summary.strip() else ""
    if kind == "system_error":
        name = _text(content.get("name")) or "Error"
        return f"*{name}: {text.strip()}*" if text.strip() else f"*{name}*"
    if kind == "user_editable_context":
        return ""  # custom instructions: hidden in ChatGPT, not a message
    if text.strip():
        return text
    parts = list(_parts(content.get("parts")))
    if parts:
        return "\n\n".join(parts)
    return f"*[{kind or 'unknown content'}: not imported]*"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _parts(parts: Any) -> Iterator[str]:
    if not isinstance(parts, list):
        return
    for part in parts:
        if isinstance(part, str):
            if part.strip():
                yield part
        elif isinstance(part, dict):
            yield _object_part(part)


def _object_part(part: Mapping[str, Any]) -> str:
    kind = part.get("content_type")
    if kind == "image_asset_pointer":
        pointer = str(part.get("asset_pointer") or "").rsplit("/", 1)[-1]
        size = ""
        if isinstance(part.get("width"), int) and isinstance(part.get("height"), int):
            size = f", {part['width']}×{part['height']}"  # noqa: RUF001
        # Plain text: a question is shown as typed, where Markdown marks would show too.
        return f"[Image: {pointer or 'not included'}{size}]"
    if kind == "audio_transcription" and isinstance(part.get("text"), str):
        return str(part["text"])
    if isinstance(part.get("text"), str):
        return str(part["text"])
    return f"[{kind or 'attachment'}: not imported]"


_NO_TIME = datetime.fromtimestamp(0, UTC)


def _time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _fill_missing_times(messages: list[Message], started: datetime | None) -> None:
    """Messages without a time take the one before them (the conversation's, or the first
    known one, for the first)."""
    known = next((m.created_at for m in messages if m.created_at != _NO_TIME), None)
    previous = started or known or datetime.now(UTC)
    for message in messages:
        if message.created_at == _NO_TIME:
            message.created_at = previous
        previous = message.created_at


def _first_difference(a: list[tuple[str, ...]], b: list[tuple[str, ...]]) -> int:
    for index, (left, right) in enumerate(zip(a, b, strict=False)):
        if left != right:
            return index
    return min(len(a), len(b))
