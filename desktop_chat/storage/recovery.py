"""Conversations that could not be saved when the app last quit, kept outside the data folder.

When the data folder cannot be written (a full disk) and the app must quit without asking
(a logout, `kill`), what could not be saved is written here instead: the first of several
places that takes it (the cache folder, then the temporary folder), one file per
conversation in the conversation file format. The next launch finds them and offers them
back; they are removed once restored.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..domain import Conversation
from .files import write_atomic
from .schema import CorruptFileError, NewerSchemaError, decode, encode

log = logging.getLogger(__name__)

SUFFIX = ".json"


@dataclass(frozen=True)
class Recovered:
    conversation: Conversation
    path: Path


class RecoveryFiles:
    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = list(folders)

    def write(self, conversations: Sequence[Conversation]) -> Path:
        """Keep `conversations` in the first folder that takes them all; returns it.
        Raises OSError when none does."""
        failure: OSError | None = None
        for folder in self.folders:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                for conversation in conversations:
                    write_atomic(folder / f"{conversation.id}{SUFFIX}", encode(conversation))
            except OSError as exc:
                log.warning("Could not keep unsaved conversations in %s: %s", folder, exc)
                failure = exc
                continue
            return folder
        raise failure or OSError("no folder to keep unsaved conversations in")

    def pending(self) -> list[Recovered]:
        """What an earlier run kept, newest copy of each conversation first found."""
        found: dict[str, Recovered] = {}
        for folder in self.folders:
            try:
                paths = sorted(folder.glob(f"*{SUFFIX}"))
            except OSError:
                continue
            for path in paths:
                try:
                    conversation = decode(path.read_bytes(), conversation_id=path.stem)
                except (OSError, CorruptFileError, NewerSchemaError) as exc:
                    log.warning("Ignoring an unreadable recovery file %s: %s", path, exc)
                    continue
                earlier = found.get(conversation.id)
                if earlier is None or earlier.conversation.updated_at < conversation.updated_at:
                    found[conversation.id] = Recovered(conversation, path)
        return list(found.values())

    def remove(self, conversation_id: str) -> None:
        """Forget every kept copy of a conversation (it is back in the data folder)."""
        for folder in self.folders:
            try:
                (folder / f"{conversation_id}{SUFFIX}").unlink(missing_ok=True)
            except OSError as exc:
                log.warning("Could not remove a recovery file in %s: %s", folder, exc)
