"""Conversations as one UTF-8 JSON file each, written atomically.

The files are the user's: plain JSON, readable, with a `schema` version in every file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from .domain import Conversation, Message, MessageStatus, Role
from .errors import StorageError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class ConversationStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, conversation_id: str) -> Path:
        if not _SAFE_ID.fullmatch(conversation_id):
            raise StorageError(f"Not a valid conversation id: {conversation_id!r}")
        return self.folder / f"{conversation_id}.json"

    def load_all(self) -> list[Conversation]:
        """Every readable conversation, newest first. Unreadable files are skipped, not touched."""
        conversations = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                conversations.append(self.load_file(path))
            except StorageError as exc:
                log.warning("Skipping %s: %s", path.name, exc)
        conversations.sort(key=lambda c: c.updated_at, reverse=True)
        return conversations

    def load(self, conversation_id: str) -> Conversation:
        return self.load_file(self.path_for(conversation_id))

    def load_file(self, path: Path) -> Conversation:
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
            return conversation_from_json(data)
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise StorageError(f"{path.name} could not be read: {exc}") from exc

    def save(self, conversation: Conversation) -> None:
        payload = json.dumps(conversation_to_json(conversation), ensure_ascii=False, indent=1)
        try:
            write_atomic(self.path_for(conversation.id), payload.encode("utf-8"))
        except OSError as exc:
            raise StorageError(f"Could not save the conversation: {exc.strerror or exc}.") from exc


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a reader sees the old file or the new one, never a mix.

    The bytes go to a temporary file in the same folder, are flushed to disk, then renamed
    over the target; the folder entry itself is flushed last so the rename survives a crash.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; its rename is durable.
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def conversation_to_json(conversation: Conversation) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "id": conversation.id,
        "title": conversation.title,
        "created_at": conversation.created_at.isoformat(),
        "updated_at": conversation.updated_at.isoformat(),
        "model": conversation.model,
        "system_prompt": conversation.system_prompt,
        "max_output_tokens": conversation.max_output_tokens,
        "messages": [_message_to_json(message) for message in conversation.messages],
    }


def _message_to_json(message: Message) -> dict[str, Any]:
    status = message.status
    if status is MessageStatus.STREAMING:
        # On disk a reply still arriving is a partial one: that is what survives a crash.
        status = MessageStatus.PARTIAL
    return {
        "id": message.id,
        "role": message.role.value,
        "content": message.content,
        "created_at": message.created_at.isoformat(),
        "model": message.model,
        "status": status.value,
        "error": message.error,
    }


def conversation_from_json(data: dict[str, Any]) -> Conversation:
    if not isinstance(data, dict) or "schema" not in data:
        raise ValueError("not a Desktop Chat conversation (no schema field)")
    if data["schema"] != SCHEMA_VERSION:
        raise ValueError(f"unsupported schema version {data['schema']!r}")
    return Conversation(
        id=str(data["id"]),
        title=str(data.get("title", "")),
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
        model=str(data["model"]),
        system_prompt=str(data.get("system_prompt", "")),
        max_output_tokens=int(data.get("max_output_tokens") or 0),
        messages=[_message_from_json(item) for item in data["messages"]],
    )


def _message_from_json(item: dict[str, Any]) -> Message:
    return Message(
        id=str(item["id"]),
        role=Role(item["role"]),
        content=str(item["content"]),
        created_at=datetime.fromisoformat(item["created_at"]),
        model=item.get("model"),
        status=MessageStatus(item.get("status", MessageStatus.COMPLETE.value)),
        error=item.get("error"),
    )
