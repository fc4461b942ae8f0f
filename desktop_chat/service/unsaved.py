"""Conversations whose changes the data folder would not take (a full disk): named to the
user on quitting, copied where they choose, or kept in a recovery folder (a logout, a
`kill`: no one to ask) and offered back at the next start. Nothing is dropped unless the
user says so."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from pathlib import Path

from ..domain import Conversation
from ..errors import ChatError, StorageError
from ..i18n import translate
from ..storage import encode, write_atomic
from ..storage.recovery import Recovered, RecoveryFiles
from .saver import Saver, snapshot
from .store_thread import StoreThread

log = logging.getLogger(__name__)


class UnsavedChats:
    def __init__(
        self,
        store: StoreThread,
        saver: Saver,
        loaded: Mapping[str, Conversation],
        recovery: RecoveryFiles | None,
    ) -> None:
        self._store = store
        self._saver = saver
        self._loaded = loaded
        self._recovery = recovery
        self._recovered: list[Recovered] = []
        self._discard = False

    def failing(self) -> list[Conversation]:
        """Conversations whose last save failed: only in memory."""
        return [self._loaded[c] for c in sorted(self._saver.failing()) if c in self._loaded]

    @property
    def problem(self) -> str:
        """Why the last save that failed did (a full disk…), in words for the user."""
        return self._saver.last_failure

    async def save_again(self) -> list[Conversation]:
        """Try now to save what could not be saved; returns what still cannot be."""
        for conversation_id in self._saver.failing():
            self._saver.request(conversation_id, urgent=True)
        await self._saver.flush_all()
        return self.failing()

    async def copy_to(self, folder: Path) -> list[Path]:
        """Write what could not be saved into `folder` (the conversation file format, which
        Import reads back); once there, quitting loses nothing. Raises ChatError."""
        from ..export.names import safe_file_stem

        conversations = [snapshot(c) for c in self.failing()]

        def write() -> list[Path]:
            written = []
            for conversation in conversations:
                stem = safe_file_stem(conversation.display_title("Conversation"))
                path = folder / f"{stem} {conversation.id[:8]}.json"
                write_atomic(path, encode(conversation))
                written.append(path)
            return written

        try:
            written = await asyncio.get_running_loop().run_in_executor(None, write)
        except OSError as exc:
            raise ChatError(
                translate(
                    "ChatService", "Could not write the copies in {folder}: {reason}."
                ).format(folder=folder, reason=exc.strerror or exc)
            ) from exc
        self._discard = True  # a copy is safe: nothing to keep for the next launch
        log.info("Copied %d unsaved conversations to %s", len(written), folder)
        return written

    def discard(self) -> None:
        """The user chose to quit without saving: what could not be saved is not kept."""
        self._discard = True

    async def keep_elsewhere(self) -> None:
        """Quitting with changes the data folder would not take: keep them in a recovery
        folder (unless the user chose otherwise), to be offered at the next launch."""
        kept = [
            snapshot(self._loaded[c]) for c in sorted(self._saver.unsaved()) if c in self._loaded
        ]
        if not kept or self._discard:
            return
        if self._recovery is None:
            log.error("Quitting with %d conversations not saved", len(kept))
            return
        try:
            folder = await self._store.run(self._recovery.write, kept)
        except OSError as exc:
            log.error("Quitting with %d conversations not saved anywhere: %s", len(kept), exc)
            return
        log.warning(
            "The data folder could not take %d conversations; they are kept in %s and will "
            "be offered at the next start",
            len(kept),
            folder,
        )

    async def find_recovered(self) -> list[str]:
        """What an earlier run kept in the recovery folder: their titles."""
        if self._recovery is None:
            return []
        self._recovered = await self._store.run(self._recovery.pending)
        return [r.conversation.display_title("…") for r in self._recovered]

    async def restore(
        self,
        newer_listed: Callable[[Conversation], bool],
        put_back: Callable[[Conversation], None],
    ) -> int:
        """Put back what an earlier run kept elsewhere; returns how many came back. A copy
        older than what the data folder has since saved (`newer_listed`) is only removed.
        Raises ChatError (the data folder still cannot take them)."""
        restored = 0
        for item in list(self._recovered):
            recovered = item.conversation
            if not newer_listed(recovered):
                try:
                    await self._store.run(self._store.store.save, recovered)
                except StorageError as exc:
                    raise ChatError(exc.message) from exc
                put_back(recovered)
                restored += 1
            assert self._recovery is not None
            await self._store.run(self._recovery.remove, recovered.id)
            self._recovered.remove(item)
        return restored
