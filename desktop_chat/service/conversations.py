"""The conversations the app knows, kept in step with the data folder.

A summary of every conversation (for the list), the conversations opened (whole, in
memory), each one's events, and their saving: the store runs on its own thread, so the
window never waits on the disk; a save that fails is retried, and nothing the folder
would not take is dropped without the user saying so. The chat service builds the
replies on top of this (`ChatService` is a `Conversations`). No widgets here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..domain import Conversation, ConversationSummary
from ..errors import StorageError
from ..i18n import translate
from ..storage import ConversationGoneError, ConversationUnreadableError, TrashEntry
from ..storage.recovery import RecoveryFiles
from .drafts import Drafts
from .events import ConversationEvents
from .folder_watch import FolderWatch
from .open_report import open_notices
from .saver import SAVE_RETRY_DELAYS_S, Saver
from .store_thread import StoreThread
from .unsaved import UnsavedChats

log = logging.getLogger(__name__)


class Conversations(QObject):
    ready = Signal()
    """The store is open and the list of conversations is known."""
    conversations_changed = Signal()
    """The list of conversations, a title or an order changed."""
    notice = Signal(str, str)
    """(key, text): something the user should know; a later notice with the same key
    replaces it."""
    notice_cleared = Signal(str)
    """(key): the notice no longer applies."""
    recovered = Signal(list)
    """(titles): conversations an earlier run could not save, kept elsewhere; offer them
    back (`restore_recovered`)."""

    def __init__(
        self,
        store: StoreThread,
        *,
        save_retry_delays: Sequence[float] = SAVE_RETRY_DELAYS_S,
        recovery: RecoveryFiles | None = None,
    ) -> None:
        super().__init__()
        self._io = store
        self._store = store.store
        self._ready = False
        self._shut_down = False
        self._summaries: dict[str, ConversationSummary] = {}
        self._conversations: dict[str, Conversation] = {}
        self._events: dict[str, ConversationEvents] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._saver = Saver(
            store,
            self._conversations,
            tell=self.notice.emit,
            untell=self.notice_cleared.emit,
            retry_delays=save_retry_delays,
        )
        self._drafts = Drafts(store, lambda c: c in self._summaries, self._in_background)
        self._folder = FolderWatch(store, self, self._in_background)
        self._unsaved = UnsavedChats(store, self._saver, self._conversations, recovery)

    # --- start and stop ------------------------------------------------------------

    async def start(self) -> None:
        """Open the store (cleaning up after a crash, reconciling the index) and list it."""
        try:
            report = await self._io.run(self._store.open)
            summaries = await self._io.run(self._store.summaries)
            await self._drafts.load()
        except (OSError, StorageError) as exc:
            log.exception("Could not open the data folder")
            self.notice.emit(
                "store",
                translate("ChatService", "The conversations could not be opened: {reason}").format(
                    reason=exc
                ),
            )
            return
        for key, text in open_notices(report):
            self.notice.emit(key, text)
        self._folder.start()
        titles = await self._unsaved.find_recovered()
        if titles:
            self.recovered.emit(titles)
        # Conversations created before the list arrived (a quick first question) stay.
        self._summaries = {s.id: s for s in summaries} | self._summaries
        self._ready = True
        self.conversations_changed.emit()
        self.ready.emit()

    @property
    def is_ready(self) -> bool:
        return self._ready

    async def _close_store(self) -> None:
        """Save everything (what cannot be saved goes to the recovery folder), then close."""
        self._folder.stop()
        await self._saver.flush_all()
        await self._unsaved.keep_elsewhere()
        with contextlib.suppress(OSError, StorageError):
            await self._drafts.close()
        with contextlib.suppress(Exception):
            await self._io.run(self._store.close)
        self._io.shutdown()

    # --- the list ---------------------------------------------------------------------

    def summaries(self, *, ordered: bool = True) -> list[ConversationSummary]:
        """Saved conversations: pinned first, then most recently active (`ordered`)."""
        if not ordered:
            return list(self._summaries.values())
        listed = sorted(self._summaries.values(), key=lambda s: s.updated_at, reverse=True)
        listed.sort(key=lambda s: not s.pinned)
        return listed

    def list_summaries(self, summaries: Iterable[ConversationSummary]) -> None:
        """Conversations that came to be (imported, put back in the folder): listed."""
        added = False
        for summary in summaries:
            self._summaries[summary.id] = summary
            added = True
        if added:
            self.conversations_changed.emit()

    def list_imported(self, conversations: Iterable[Conversation]) -> None:
        self.list_summaries(ConversationSummary.of(c) for c in conversations)

    def unlist(self, conversation_id: str) -> None:
        """A conversation is gone (deleted, or removed from the folder): forget it."""
        self._conversations.pop(conversation_id, None)
        self._events.pop(conversation_id, None)
        if self._summaries.pop(conversation_id, None) is not None:
            self.conversations_changed.emit()

    def busy_ids(self) -> set[str]:
        """Conversations whose file the folder may not show yet: open here, or saving."""
        return set(self._conversations) | self._saver.unsaved()

    # --- one conversation ---------------------------------------------------------------

    def conversation(self, conversation_id: str) -> Conversation:
        """A conversation already opened (or just created)."""
        return self._conversations[conversation_id]

    def is_loaded(self, conversation_id: str) -> bool:
        return conversation_id in self._conversations

    def events(self, conversation_id: str) -> ConversationEvents:
        """What happens to a conversation, as it happens (for whoever shows it)."""
        events = self._events.get(conversation_id)
        if events is None:
            events = self._events[conversation_id] = ConversationEvents(self)
        return events

    async def open_conversation(self, conversation_id: str) -> Conversation | None:
        """Load a conversation from disk (once); None when it cannot be shown."""
        if conversation_id in self._conversations:
            return self._conversations[conversation_id]
        try:
            conversation = await self._io.run(self._store.load, conversation_id)
        except (ConversationUnreadableError, ConversationGoneError) as exc:
            self.unlist(conversation_id)
            self.notice.emit(f"unreadable:{conversation_id}", exc.message)
            return None
        except StorageError as exc:
            self.notice.emit(f"unreadable:{conversation_id}", exc.message)
            return None
        # Opening twice at once: keep the first copy, which the window may already show.
        conversation = self._conversations.setdefault(conversation_id, conversation)
        if conversation.read_only and not self._store.read_only:
            self.notice.emit(
                f"read-only:{conversation_id}",
                translate(
                    "ChatService",
                    "This conversation was saved by a newer version of Desktop Chat. You can "
                    "read it here, but not continue it.",
                ),
            )
        return conversation

    async def rename(self, conversation_id: str, title: str) -> None:
        title = " ".join(title.split())
        conversation = await self.open_conversation(conversation_id)
        if conversation is None or conversation.read_only or not title:
            return
        conversation.title = title
        self._listed(conversation)

    async def set_pinned(self, conversation_id: str, pinned: bool) -> None:
        conversation = await self.open_conversation(conversation_id)
        if conversation is None or conversation.read_only:
            return
        conversation.pinned = pinned
        self._listed(conversation)

    def versions(self, conversation_id: str, index: int) -> tuple[int, int]:
        """(position of the shown version, how many) of the turn at `index`; (0, 1) if one."""
        versions = self._conversations[conversation_id].alternatives(index)
        if not versions:
            return 0, 1
        return versions.index(None), len(versions)

    def draft(self, conversation_id: str) -> str:
        return self._drafts.get(conversation_id)

    def set_draft(self, conversation_id: str, text: str, *, save_now: bool = False) -> None:
        """What the user had typed but not sent in a conversation; kept across restarts
        and crashes: saved a moment after typing stops (or now)."""
        self._drafts.set(conversation_id, text, save_now=save_now)

    async def save_now(self, conversation_ids: Iterable[str]) -> None:
        """Whatever is pending for these conversations, saved (before an export)."""
        for conversation_id in conversation_ids:
            await self._saver.flush(conversation_id)

    async def delete(self, conversation_id: str) -> TrashEntry | None:
        """Move a conversation to the trash; the entry restores it."""
        await self._saver.flush(conversation_id)
        if conversation_id in self._saver.failing():
            # The trash would get the version on disk, and what could not be saved would
            # be gone with the conversation in memory.
            self.notice.emit(
                f"delete:{conversation_id}",
                translate(
                    "ChatService",
                    "This conversation cannot be deleted while its latest changes cannot be "
                    "saved: deleting it would lose them. Free some space and try again.",
                ),
            )
            return None
        if conversation_id not in self._summaries:  # never saved: nothing on disk
            self._conversations.pop(conversation_id, None)
            return None
        try:
            entry = await self._io.run(self._store.delete, conversation_id)
        except StorageError as exc:
            self.notice.emit(f"delete:{conversation_id}", exc.message)
            return None
        self.unlist(conversation_id)
        return entry

    async def restore(self, entry: TrashEntry) -> str | None:
        """Bring a deleted conversation back; returns its id."""
        try:
            conversation_id = await self._io.run(self._store.restore, entry)
            conversation = await self._io.run(self._store.load, conversation_id)
        except StorageError as exc:
            self.notice.emit("restore", exc.message)
            return None
        self._conversations[conversation_id] = conversation
        self.list_imported([conversation])
        return conversation_id

    # --- what could not be saved -------------------------------------------------------

    def unsaved(self) -> list[ConversationSummary]:
        """Conversations whose changes could not be saved (a full disk): only in memory."""
        return [ConversationSummary.of(c) for c in self._unsaved.failing()]

    @property
    def save_problem(self) -> str:
        """Why the last save that failed did (a full disk…), in words for the user."""
        return self._unsaved.problem

    async def save_pending(self) -> list[ConversationSummary]:
        """Try now to save what could not be saved; returns what still cannot be."""
        return [ConversationSummary.of(c) for c in await self._unsaved.save_again()]

    async def copy_unsaved(self, folder: Path) -> list[Path]:
        """Write what could not be saved into `folder`, from where Import brings it back;
        quitting then loses nothing. Raises ChatError."""
        return await self._unsaved.copy_to(folder)

    def discard_unsaved(self) -> None:
        """The user chose to quit without saving: what could not be saved is not kept."""
        self._unsaved.discard()

    async def restore_recovered(self) -> int:
        """Put back what an earlier run kept in the recovery folder; returns how many came
        back. Raises ChatError (the data folder still cannot take them)."""

        def newer_listed(recovered: Conversation) -> bool:
            current = self._summaries.get(recovered.id)
            return current is not None and current.updated_at >= recovered.updated_at

        def put_back(recovered: Conversation) -> None:
            if recovered.id in self._conversations and not self._busy(recovered.id):
                self._conversations[recovered.id] = recovered
                self.events(recovered.id).replaced.emit()
            self._summaries[recovered.id] = ConversationSummary.of(recovered)

        restored = await self._unsaved.restore(newer_listed, put_back)
        self.conversations_changed.emit()
        return restored

    # --- for the chat built on this -----------------------------------------------------

    def _busy(self, conversation_id: str) -> bool:
        """A reply is being made for it (the chat service says)."""
        return False

    def _listed(self, conversation: Conversation) -> None:
        """A conversation's summary changed: listed anew, and saved now."""
        self._summaries[conversation.id] = ConversationSummary.of(conversation)
        self.conversations_changed.emit()
        self._saver.request(conversation.id, urgent=True)

    def _changed(self, conversation: Conversation) -> None:
        """A conversation changed in a way worth listing and saving now."""
        conversation.touch()
        self._listed(conversation)

    def _in_background(self, coroutine: Any) -> asyncio.Task[Any]:
        """Run `coroutine` as a task the service owns: shutdown ends it."""
        if self._shut_down:
            coroutine.close()
            raise asyncio.CancelledError  # nothing new starts once shutdown has begun
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task
