"""The conversation file format: encoding, strict decoding, and migrations.

Every file carries `schema`. Older files are upgraded in memory on load (and written in
the current format at their next save); files from a newer app are read as far as this
version understands them and marked read-only, never rewritten. Anything else that does
not match the format raises `CorruptFileError` naming the field at fault.

The format is documented in `resources/conversation.schema.json` and the README.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ..domain import (
    Attachment,
    AttachmentKind,
    Branch,
    Conversation,
    GenerationSettings,
    Message,
    MessageStatus,
    ReasoningEffort,
    Role,
    Usage,
)
from ..i18n import translate
from .migrations import MIGRATIONS

SCHEMA_VERSION = 5

JsonObject = dict[str, Any]


class CorruptFileError(ValueError):
    """The bytes are not a conversation this app can read; the message says where."""


class NewerSchemaError(ValueError):
    """A newer app wrote this file in a form this version cannot even show."""


# --- encoding ----------------------------------------------------------------------------


def encode(conversation: Conversation, lines: EncodedMessages | None = None) -> bytes:
    """The file's bytes: indented JSON with one message per line (readable, diff-friendly).

    With `lines`, messages unchanged since the last save are not encoded again.
    """
    head = conversation_to_json(conversation, with_messages=False)
    head_text = json.dumps(head, ensure_ascii=False, indent=1)  # ends with "\n}"
    encoded = (
        lines.lines_for(conversation)
        if lines
        else [_message_line(m) for m in conversation.messages]
    )
    branches = [
        json.dumps(_branch_to_json(branch), ensure_ascii=False) for branch in conversation.branches
    ]
    body = ",\n".join([_array("messages", encoded), _array("branches", branches)])
    return (head_text[:-2] + ",\n" + body + "\n}\n").encode("utf-8")


def _array(name: str, lines: list[str]) -> str:
    """A top-level array with one item per line."""
    if not lines:
        return f' "{name}": []'
    return f' "{name}": [\n  ' + ",\n  ".join(lines) + "\n ]"


class EncodedMessages:
    """Each message's encoded line from recent saves, so a save encodes only what changed.

    Used by one thread at a time (the store's).
    """

    def __init__(self, conversations: int = 16) -> None:
        self._capacity = conversations
        self._cache: OrderedDict[str, dict[str, tuple[tuple[Any, ...], str]]] = OrderedDict()

    def lines_for(self, conversation: Conversation) -> list[str]:
        previous = self._cache.pop(conversation.id, {})
        current: dict[str, tuple[tuple[Any, ...], str]] = {}
        lines = []
        for message in conversation.messages:
            key = _fingerprint(message)
            known = previous.get(message.id)
            line = known[1] if known is not None and known[0] == key else _message_line(message)
            current[message.id] = (key, line)
            lines.append(line)
        self._cache[conversation.id] = current
        while len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        return lines


def _fingerprint(message: Message) -> tuple[Any, ...]:
    # Comparing the same string object is instant, so this costs almost nothing.
    return (
        message.role,
        message.content,
        message.created_at,
        message.model,
        _stored_status(message),
        message.error,
        message.usage,
        message.context_omitted,
        message.attachments,
        message.reasoning,
        message.reasoning_seconds,
    )


def _message_line(message: Message) -> str:
    return json.dumps(_message_to_json(message), ensure_ascii=False)


def conversation_to_json(conversation: Conversation, *, with_messages: bool = True) -> JsonObject:
    settings = conversation.settings
    data: JsonObject = {
        "schema": SCHEMA_VERSION,
        "id": conversation.id,
        "title": conversation.title,
        "created_at": conversation.created_at.isoformat(),
        "updated_at": conversation.updated_at.isoformat(),
        "pinned": conversation.pinned,
        "settings": {
            "model": settings.model,
            "system_prompt": settings.system_prompt,
            "temperature": settings.temperature,
            "max_output_tokens": settings.max_output_tokens,
            "reasoning_effort": None
            if settings.reasoning_effort is None
            else settings.reasoning_effort.value,
        },
    }
    if with_messages:
        data["messages"] = [_message_to_json(message) for message in conversation.messages]
        data["branches"] = [_branch_to_json(branch) for branch in conversation.branches]
    return data


def _branch_to_json(branch: Branch) -> JsonObject:
    return {
        "fork_at": branch.fork_at,
        "messages": [_message_to_json(message) for message in branch.messages],
        "branches": [_branch_to_json(inner) for inner in branch.branches],
    }


def _stored_status(message: Message) -> MessageStatus:
    # On disk a reply still arriving is a partial one: that is what survives a crash.
    if message.status is MessageStatus.STREAMING:
        return MessageStatus.PARTIAL
    return message.status


def _message_to_json(message: Message) -> JsonObject:
    status = _stored_status(message)
    usage = message.usage
    return {
        "id": message.id,
        "role": message.role.value,
        "content": message.content,
        "created_at": message.created_at.isoformat(),
        "model": message.model,
        "status": status.value,
        "error": message.error,
        "usage": None if usage is None else _usage_to_json(usage),
    } | (
        ({"context_omitted": message.context_omitted} if message.context_omitted else {})
        | (
            {"reasoning": {"text": message.reasoning, "seconds": message.reasoning_seconds}}
            if message.reasoning or message.reasoning_seconds is not None
            else {}
        )
        | (
            {"attachments": [_attachment_to_json(a) for a in message.attachments]}
            if message.attachments
            else {}
        )
    )


def _usage_to_json(usage: Usage) -> JsonObject:
    data: JsonObject = {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
    }
    if usage.reasoning_tokens:
        data["reasoning_tokens"] = usage.reasoning_tokens
    return data


def _attachment_to_json(attachment: Attachment) -> JsonObject:
    data: JsonObject = {
        "kind": attachment.kind.value,
        "name": attachment.name,
        "media_type": attachment.media_type,
        "sha256": attachment.digest,
        "size": attachment.size,
    }
    if attachment.is_image:
        data |= {"width": attachment.width, "height": attachment.height}
    return data


# --- decoding ----------------------------------------------------------------------------


def decode(raw: bytes, *, conversation_id: str) -> Conversation:
    """Parse a file's bytes. The file name, not the `id` field, identifies the conversation.

    (A copy made by hand or by a sync tool, "abc (conflicted copy).json", is then its own
    conversation instead of a twin of the original.)
    """
    return conversation_from_json(parse_json(raw), conversation_id=conversation_id)


def parse_json(raw: bytes, encoding: str = "utf-8") -> Any:
    """The JSON value in `raw`; CorruptFileError saying why it is not one."""
    try:
        return json.loads(raw.decode(encoding))
    except UnicodeDecodeError as exc:
        raise CorruptFileError(f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise CorruptFileError(
            f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise CorruptFileError("not a conversation: nested too deeply") from None


def conversation_from_json(data: Any, *, conversation_id: str) -> Conversation:
    if not isinstance(data, dict):
        raise CorruptFileError(f"not a conversation: the top level is {_kind(data)}")
    if "schema" not in data:
        raise CorruptFileError("not a conversation: the 'schema' field is missing")
    version = data["schema"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CorruptFileError(f"'schema' must be a positive whole number, not {version!r}")
    if version > SCHEMA_VERSION:
        # Read what this version understands; the app shows it and never rewrites it.
        try:
            conversation = _conversation(Fields(data, ""), conversation_id)
        except CorruptFileError as exc:
            raise NewerSchemaError(
                translate(
                    "Store",
                    "This conversation was saved by a newer version of Desktop Chat (format "
                    "{version}) and cannot be shown by this one ({reason}).",
                ).format(version=version, reason=exc)
            ) from None
        conversation.read_only = True
        return conversation
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return _conversation(Fields(data, ""), conversation_id)


def _conversation(fields: Fields, conversation_id: str) -> Conversation:
    # Fields are read in file order, so an error names the first wrong one a reader meets.
    title = fields.text("title")
    created_at = fields.timestamp("created_at")
    updated_at = fields.timestamp("updated_at")
    pinned = fields.flag("pinned")
    settings = fields.child("settings")
    generation = GenerationSettings(
        model=settings.text("model"),
        system_prompt=settings.text("system_prompt"),
        temperature=settings.optional_number("temperature"),
        max_output_tokens=settings.optional_count("max_output_tokens"),
        reasoning_effort=None
        if settings.absent("reasoning_effort")
        else settings.choice("reasoning_effort", ReasoningEffort),
    )
    messages = fields.items("messages")
    return Conversation(
        id=conversation_id,
        title=title,
        created_at=created_at,
        updated_at=updated_at,
        pinned=pinned,
        settings=generation,
        messages=[_message(fields.item(messages, "messages", i)) for i in range(len(messages))],
        branches=_branches(fields),
    )


def _branches(fields: Fields) -> list[Branch]:
    items = fields.items("branches")
    branches = []
    for index in range(len(items)):
        branch = fields.item(items, "branches", index)
        messages = branch.items("messages")
        if not messages:
            raise CorruptFileError(f"'{branch.where('messages')}' must not be empty")
        branches.append(
            Branch(
                fork_at=branch.count("fork_at"),
                messages=[
                    _message(branch.item(messages, "messages", i)) for i in range(len(messages))
                ],
                branches=_branches(branch),
            )
        )
    return branches


def _message(fields: Fields) -> Message:
    usage = fields.optional_child("usage")
    reasoning = fields.optional_child("reasoning")
    return Message(
        id=fields.text("id"),
        role=fields.choice("role", Role),
        content=fields.text("content"),
        created_at=fields.timestamp("created_at"),
        model=fields.optional_text("model"),
        status=fields.choice("status", MessageStatus, exclude=(MessageStatus.STREAMING,)),
        error=fields.optional_text("error"),
        usage=None
        if usage is None
        else Usage(
            prompt_tokens=usage.count("prompt_tokens"),
            completion_tokens=usage.count("completion_tokens"),
            reasoning_tokens=usage.optional_count("reasoning_tokens") or 0,
        ),
        context_omitted=fields.optional_count("context_omitted") or 0,
        attachments=_attachments(fields),
        reasoning="" if reasoning is None else reasoning.text("text"),
        reasoning_seconds=None if reasoning is None else reasoning.optional_number("seconds"),
    )


def _attachments(fields: Fields) -> tuple[Attachment, ...]:
    if fields.absent("attachments"):
        return ()
    items = fields.items("attachments")
    found = []
    for index in range(len(items)):
        item = fields.item(items, "attachments", index)
        kind = item.choice("kind", AttachmentKind)
        digest = item.text("sha256")
        if not _SHA256.fullmatch(digest):
            raise CorruptFileError(f"'{item.where('sha256')}' must be 64 hexadecimal digits")
        found.append(
            Attachment(
                kind=kind,
                name=item.text("name"),
                media_type=item.text("media_type"),
                digest=digest,
                size=item.count("size"),
                width=item.optional_count("width") or 0,
                height=item.optional_count("height") or 0,
            )
        )
    return tuple(found)


_SHA256 = re.compile(r"[0-9a-f]{64}")


class Fields:
    """Typed access to one JSON object's fields; errors name the field's full path."""

    def __init__(self, data: JsonObject, path: str) -> None:
        self._data = data
        self._path = path

    def where(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def _get(self, key: str) -> Any:
        if key not in self._data:
            raise CorruptFileError(f"'{self.where(key)}' is missing")
        return self._data[key]

    def _wrong(self, key: str, expected: str, value: Any) -> CorruptFileError:
        return CorruptFileError(f"'{self.where(key)}' must be {expected}, not {_kind(value)}")

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self._wrong(key, "text", value)
        return value

    def optional_text(self, key: str) -> str | None:
        value = self._data.get(key)
        if value is not None and not isinstance(value, str):
            raise self._wrong(key, "text or null", value)
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise self._wrong(key, "true or false", value)
        return value

    def count(self, key: str) -> int:
        value = self._get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self._wrong(key, "a whole number ≥ 0", value)
        return value

    def optional_count(self, key: str) -> int | None:
        return None if self._data.get(key) is None else self.count(key)

    def optional_number(self, key: str) -> float | None:
        value = self._data.get(key)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
            raise self._wrong(key, "a number or null", value)
        return float(value)

    def timestamp(self, key: str) -> datetime:
        value = self.text(key)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise CorruptFileError(
                f"'{self.where(key)}' must be an ISO 8601 date and time, not {value!r}"
            ) from None
        # A hand-edited time without an offset is taken as UTC rather than refused.
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def choice(self, key: str, kind: Callable[[str], Any], exclude: tuple[Any, ...] = ()) -> Any:
        value = self.text(key)
        try:
            member = kind(value)
        except ValueError:
            member = None
        if member is None or member in exclude:
            allowed = ", ".join(m.value for m in kind if m not in exclude)  # type: ignore[attr-defined]
            raise CorruptFileError(f"'{self.where(key)}' must be one of {allowed}, not {value!r}")
        return member

    def child(self, key: str) -> Fields:
        value = self._get(key)
        if not isinstance(value, dict):
            raise self._wrong(key, "an object", value)
        return Fields(value, self.where(key))

    def absent(self, key: str) -> bool:
        """The field is missing or null."""
        return self._data.get(key) is None

    def optional_child(self, key: str) -> Fields | None:
        return None if self._data.get(key) is None else self.child(key)

    def items(self, key: str) -> list[Any]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self._wrong(key, "a list", value)
        return value

    def item(self, items: list[Any], key: str, index: int) -> Fields:
        value = items[index]
        where = f"{self.where(key)}[{index}]"
        if not isinstance(value, dict):
            raise CorruptFileError(f"'{where}' must be an object, not {_kind(value)}")
        return Fields(value, where)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
