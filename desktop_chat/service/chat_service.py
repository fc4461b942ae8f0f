"""The chat service: conversations in memory, replies streaming, everything saved.

It ties the store and the client together and tells whoever listens (the window) what
changed through Qt signals. It owns the reply tasks, so Stop and shutdown can cancel any
of them whichever conversation is on screen, and it owns saving: the store runs on one
worker thread, in order, so the window never waits on the disk. No widgets here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from ..api import ChatClient
from ..domain import (
    Attachment,
    Conversation,
    ConversationSummary,
    GenerationSettings,
    Message,
    MessageStatus,
    Role,
    SearchHit,
    title_from_question,
    utc_now,
)
from ..errors import ChatError, StorageError
from ..i18n import number, translate
from ..storage import (
    ConversationGoneError,
    ConversationStore,
    ConversationUnreadableError,
    OpenReport,
    TrashEntry,
    encode,
    write_atomic,
)
from ..storage.index import fold
from ..storage.recovery import Recovered, RecoveryFiles
from .replies import Replies, ReplyCallbacks, question_fits
from .saver import SAVE_RETRY_DELAYS_S, Saver, snapshot
from .settings_service import SettingsService

if TYPE_CHECKING:
    from ..attachments import NewAttachment
    from ..export import ExportReport

log = logging.getLogger(__name__)

T = TypeVar("T")

MODELS_CACHE_S = 600.0
SEARCH_LIMIT = 60
"""Messages shown for a search: a screenful of conversations with a few matches each; more
costs time on every keystroke."""
TITLE_LIMIT = 50
MODEL_NOTICE = "model"
NEW_CHAT_DRAFT = "new"
"""A new chat has a new id each launch: its draft is kept under this name."""
FOLDER_SETTLE_S = 0.5
"""The conversations folder is looked at this long after it last changed."""
DRAFT_SAVE_DELAY_S = 1.0
"""Drafts are written this long after typing stops (atomically, like conversations)."""


@dataclass(frozen=True)
class SearchResults:
    titles: list[ConversationSummary]
    """Conversations whose title matches, most recent first."""
    hits: list[SearchHit]
    """Messages that match, newest first."""
    problem: str | None
    """Why messages could not be searched (no index), if so."""
    title_matches: int = 0
    """How many titles match in all (`titles` holds the most recent of them)."""


@dataclass(frozen=True)
class ImportOutcome:
    added: int
    already_there: int
    source: str


class ChatService(QObject):
    ready = Signal()
    """The store is open and the list of conversations is known."""
    conversations_changed = Signal()
    """The list of conversations, a title or an order changed."""
    message_added = Signal(str, str)
    """(conversation id, message id)"""
    message_changed = Signal(str, str)
    """(conversation id, message id): text or status of a message changed."""
    conversation_replaced = Signal(str)
    """(conversation id): its messages were replaced wholesale (another version shown)."""
    streaming_changed = Signal(str, bool)
    """(conversation id, whether a reply is arriving)"""
    notice = Signal(str, str)
    """(key, text): something the user should know; a later notice with the same key
    replaces it."""
    notice_cleared = Signal(str)
    """(key): the notice no longer applies."""
    recovered = Signal(list)
    """(titles): conversations an earlier run could not save, kept elsewhere; offer them
    back (`restore_recovered`)."""
    settings_changed = Signal(str)
    """(conversation id): the app changed how its replies are made (another model)."""

    def __init__(
        self,
        store: ConversationStore,
        client: ChatClient,
        settings: SettingsService,
        *,
        save_retry_delays: Sequence[float] = SAVE_RETRY_DELAYS_S,
        recovery: RecoveryFiles | None = None,
    ) -> None:
        super().__init__()
        self._store = store
        self._recovery = recovery
        """Where what the data folder cannot take is kept when quitting without asking."""
        self._recovered: list[Recovered] = []
        self._discard_unsaved = False
        self._client = client
        self._settings = settings
        settings.connection_changed.connect(self._on_connection_changed)
        settings.changed.connect(self._on_settings_changed)
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desktop-chat-store")
        self._ready = False
        self._summaries: dict[str, ConversationSummary] = {}
        self._conversations: dict[str, Conversation] = {}
        self._replies: dict[str, asyncio.Task[None]] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._progress_pending: set[tuple[str, str]] = set()
        self._drafts: dict[str, str] = {}
        self._drafts_timer: asyncio.TimerHandle | None = None
        self._folder_timer: asyncio.TimerHandle | None = None
        self._folded_titles: dict[str, str] = {}
        self._shut_down = False
        self._models: tuple[float, list[str], bool] | None = None
        self._warm_up: asyncio.Future[None] | None = None
        self._replies_runner = Replies(
            client,
            ReplyCallbacks(
                progressed=self._progressed,
                notice=self.notice.emit,
                warm_up=self.network_ready,
                models=self.models,
            ),
            attachment_part=self._attachment_part,
        )
        self._saver = Saver(
            conversation_for=self._conversations.get,
            write=lambda conversation: self._run_io(self._store.save, conversation),
            tell=self.notice.emit,
            untell=self.notice_cleared.emit,
            retry_delays=save_retry_delays,
        )

    # --- start and stop ------------------------------------------------------------

    async def start(self) -> None:
        """Open the store (cleaning up after a crash, reconciling the index) and list it."""
        try:
            report = await self._run_io(self._store.open)
            summaries = await self._run_io(self._store.summaries)
            self._drafts = await self._run_io(self._store.load_drafts) | self._drafts
        except (OSError, StorageError) as exc:
            log.exception("Could not open the data folder")
            self.notice.emit(
                "store",
                translate("ChatService", "The conversations could not be opened: {reason}").format(
                    reason=exc
                ),
            )
            return
        self._announce(report)
        self._watch_folder()
        if self._recovery is not None:
            self._recovered = await self._run_io(self._recovery.pending)
            if self._recovered:
                self.recovered.emit([r.conversation.display_title("…") for r in self._recovered])
        # Conversations created before the list arrived (a quick first question) stay.
        self._summaries = {s.id: s for s in summaries} | self._summaries
        self._ready = True
        self.conversations_changed.emit()
        self.ready.emit()

    @property
    def is_ready(self) -> bool:
        return self._ready

    def warm_up(self) -> None:
        """Look up the API key, load the network stack and build the HTTP client off the
        UI thread, so the first request does not wait for them (nor stall the window)."""
        if self._warm_up is None:
            self._warm_up = asyncio.ensure_future(self._warm_up_steps())

    async def _warm_up_steps(self) -> None:
        # The SDK's import (~0.5 s) goes on while the keyring answers.
        importing = _in_thread(ChatClient.preload_module, "desktop-chat-import")
        await self._settings.load_key()
        await asyncio.wrap_future(importing)
        prepared = await asyncio.wrap_future(_in_thread(self._client.prepare()))
        if not self._client.adopt(prepared):
            # A request built its own client meanwhile. Closed here: left to the garbage
            # collector, the SDK would schedule the closing on whatever loop runs then.
            await prepared.client.close()

    async def network_ready(self) -> None:
        """Wait for the warm-up (the key, the network stack), if one was started. Its
        failure is not raised here: the request that follows meets it again and reports it."""
        if self._warm_up is not None:
            with contextlib.suppress(Exception):
                # Shielded: a caller cancelled while waiting must not cancel it for all.
                await asyncio.shield(self._warm_up)

    async def shutdown(self) -> None:
        """Stop every reply (keeping what arrived), save everything, close connections."""
        if self._shut_down:
            return
        self._shut_down = True
        self._settings.shutdown()
        tasks = [*self._replies.values(), *self._background]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._folder_timer is not None:
            self._folder_timer.cancel()
        await self._saver.flush_all()
        await self._keep_elsewhere(self._saver.unsaved())
        if self._drafts_timer is not None:
            self._drafts_timer.cancel()
        with contextlib.suppress(OSError, StorageError):
            await self._run_io(self._store.save_drafts, self._kept_drafts())
        await self.network_ready()  # the client it builds is closed with the others
        await self._client.aclose()
        with contextlib.suppress(Exception):
            await self._run_io(self._store.close)
        self._io.shutdown(wait=True)

    # --- the folder, changed from outside ----------------------------------------------

    def _watch_folder(self) -> None:
        """Follow the conversations folder: a file removed from outside leaves the list,
        one put back (or added) comes in."""
        from PySide6.QtCore import QFileSystemWatcher

        self._watcher = QFileSystemWatcher([str(self._store.conversations_dir)], self)
        self._watcher.directoryChanged.connect(self._on_folder_changed)

    def _on_folder_changed(self, _folder: str) -> None:
        # Our own saves change the folder too: look once things have settled.
        if self._shut_down:
            return
        if self._folder_timer is not None:
            self._folder_timer.cancel()
        self._folder_timer = asyncio.get_running_loop().call_later(
            FOLDER_SETTLE_S, lambda: self._in_background(self._follow_folder())
        )

    async def _follow_folder(self) -> None:
        self._folder_timer = None
        try:
            on_disk = await self._run_io(self._store.conversation_ids)
        except OSError as exc:
            log.warning("Could not look at the conversations folder: %s", exc)
            return
        # Not those open here, or with changes on their way: their next save writes them.
        busy = set(self._conversations) | self._saver.unsaved()
        gone = set(self._summaries) - on_disk - busy
        for conversation_id in gone:
            log.info("%s was removed from the data folder; no longer listed", conversation_id)
            await self._run_io(self._store.forget, conversation_id)
            self._forget(conversation_id)
        for conversation_id in on_disk - set(self._summaries) - busy:
            try:
                conversation = await self._run_io(self._store.load, conversation_id)
            except StorageError:
                continue  # unreadable: the next start quarantines it, and says so
            self._summaries[conversation_id] = ConversationSummary.of(conversation)
            log.info("%s appeared in the data folder; listed", conversation_id)
            self.conversations_changed.emit()

    # --- what could not be saved -------------------------------------------------------

    def unsaved(self) -> list[ConversationSummary]:
        """Conversations whose changes could not be saved (a full disk): only in memory."""
        return [
            ConversationSummary.of(self._conversations[c])
            for c in sorted(self._saver.failing())
            if c in self._conversations
        ]

    @property
    def save_problem(self) -> str:
        """Why the last save that failed did (a full disk…), in words for the user."""
        return self._saver.last_failure

    async def save_pending(self) -> list[ConversationSummary]:
        """Try now to save what could not be saved; returns what still cannot be."""
        for conversation_id in self._saver.failing():
            self._saver.request(conversation_id, urgent=True)
        await self._saver.flush_all()
        return self.unsaved()

    async def copy_unsaved(self, folder: Path) -> list[Path]:
        """Write what could not be saved into `folder` (the conversation file format, which
        Import reads back); once there, quitting loses nothing. Raises ChatError."""
        from ..export.names import safe_file_stem

        conversations = [
            snapshot(self._conversations[c])
            for c in sorted(self._saver.failing())
            if c in self._conversations
        ]

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
        self._discard_unsaved = True  # a copy is safe: nothing to keep for the next launch
        log.info("Copied %d unsaved conversations to %s", len(written), folder)
        return written

    def discard_unsaved(self) -> None:
        """The user chose to quit without saving: what could not be saved is not kept."""
        self._discard_unsaved = True

    async def _keep_elsewhere(self, conversation_ids: set[str]) -> None:
        """Quitting with changes the data folder would not take: keep them in a recovery
        folder (unless the user chose otherwise), to be offered at the next launch."""
        kept = [
            snapshot(self._conversations[c])
            for c in sorted(conversation_ids)
            if c in self._conversations
        ]
        if not kept or self._discard_unsaved or self._recovery is None:
            if kept and not self._discard_unsaved:
                log.error("Quitting with %d conversations not saved", len(kept))
            return
        try:
            folder = await self._run_io(self._recovery.write, kept)
        except OSError as exc:
            log.error("Quitting with %d conversations not saved anywhere: %s", len(kept), exc)
            return
        log.warning(
            "The data folder could not take %d conversations; they are kept in %s and will "
            "be offered at the next start",
            len(kept),
            folder,
        )

    async def restore_recovered(self) -> int:
        """Put back what an earlier run kept elsewhere; returns how many came back. A copy
        older than what the data folder has since saved is only removed. Raises ChatError
        (the data folder still cannot take them)."""
        restored = 0
        for item in list(self._recovered):
            recovered = item.conversation
            current = self._summaries.get(recovered.id)
            if current is None or current.updated_at < recovered.updated_at:
                try:
                    await self._run_io(self._store.save, recovered)
                except StorageError as exc:
                    raise ChatError(exc.message) from exc
                loaded = self._conversations.get(recovered.id)
                if loaded is not None and not self.is_streaming(recovered.id):
                    self._conversations[recovered.id] = recovered
                    self.conversation_replaced.emit(recovered.id)
                self._summaries[recovered.id] = ConversationSummary.of(recovered)
                restored += 1
            assert self._recovery is not None
            await self._run_io(self._recovery.remove, recovered.id)
            self._recovered.remove(item)
        self.conversations_changed.emit()
        return restored

    # --- reading -------------------------------------------------------------------

    def summaries(self) -> list[ConversationSummary]:
        """Saved conversations: pinned first, then most recently active."""
        listed = sorted(self._summaries.values(), key=lambda s: s.updated_at, reverse=True)
        listed.sort(key=lambda s: not s.pinned)
        return listed

    def conversation(self, conversation_id: str) -> Conversation:
        """A conversation already opened (or just created)."""
        return self._conversations[conversation_id]

    def is_loaded(self, conversation_id: str) -> bool:
        return conversation_id in self._conversations

    async def open_conversation(self, conversation_id: str) -> Conversation | None:
        """Load a conversation from disk (once); None when it cannot be shown."""
        if conversation_id in self._conversations:
            return self._conversations[conversation_id]
        try:
            conversation = await self._run_io(self._store.load, conversation_id)
        except (ConversationUnreadableError, ConversationGoneError) as exc:
            self._forget(conversation_id)
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

    async def find(self, query: str, limit: int = SEARCH_LIMIT) -> SearchResults:
        """Conversations whose title has every word of `query`, and messages that do."""
        words = fold(query).split()
        titled = [
            s
            for s in self._summaries.values()
            if s.title and all(w in self._folded(s.title) for w in words)
        ]
        # Sorted once filtered: sorting all 10,000 on every keystroke costs ~10 ms.
        titled.sort(key=lambda s: s.updated_at, reverse=True)
        shown = titled[:TITLE_LIMIT]  # a first letter matches half the titles
        try:
            hits = await self._run_io(self._store.search, query, limit) if words else []
        except StorageError as exc:
            return SearchResults(shown, [], exc.message, len(titled))
        return SearchResults(shown, hits, None, len(titled))

    def _folded(self, title: str) -> str:
        folded = self._folded_titles.get(title)
        if folded is None:
            folded = self._folded_titles[title] = fold(title)
        return folded

    async def export(
        self,
        conversation_ids: Sequence[str],
        fmt: str,
        out: Path,
        progress: Callable[[int, int], object],
        cancelled: threading.Event,
    ) -> ExportReport:
        """Export conversations as they are now (unsaved changes are saved first).
        Raises ChatError when the destination cannot be used."""
        from ..export import ExportFormat, export_conversations, render
        from ..export.pdf import formulas_in
        from ..render.math import Formulas

        for conversation_id in conversation_ids:
            await self._saver.flush(conversation_id)
        loop = asyncio.get_running_loop()

        files = self._store.attachments
        formulas = Formulas(None)

        def renderer(
            conversation: Conversation, chosen: ExportFormat, links: Mapping[str, str]
        ) -> bytes:
            if chosen is not ExportFormat.PDF:
                return render(conversation, chosen, files, links)
            # Formulas are typeset here, off the GUI thread (each takes 8 to 25 ms).
            formulas.prepare(formulas_in(conversation))
            # Qt lays text out with timers: on the GUI thread, one conversation at a time.
            printed: Future[bytes] = Future()
            loop.call_soon_threadsafe(
                _settle, printed, lambda: render(conversation, chosen, files, links, formulas)
            )
            while True:
                try:
                    return printed.result(timeout=0.25)
                except TimeoutError:
                    # Quitting: the loop may never run it; do not keep the process alive.
                    if cancelled.is_set() or loop.is_closed():
                        raise ChatError(
                            translate("ChatService", "The export was stopped.")
                        ) from None

        # Not on the store's thread: a long export must not hold up the saving of replies.
        return await loop.run_in_executor(
            None,
            lambda: export_conversations(
                self._store,
                list(conversation_ids),
                ExportFormat(fmt),
                out,
                progress=lambda done, total: loop.call_soon_threadsafe(progress, done, total),
                should_stop=cancelled.is_set,
                renderer=renderer,
            ),
        )

    @staticmethod
    def file_stem_for(title: str) -> str:
        """A file name (without extension) for a conversation called `title`, valid on
        every system."""
        from ..export.names import safe_file_stem

        return safe_file_stem(title)

    async def import_from(self, path: Path) -> ImportOutcome:
        """Import a ChatGPT export or our own JSON; all of it or (on any error) nothing.
        Raises ChatError with the reason."""
        from ..importers import read_import

        # Reading and checking the file touches no store: off the store's thread.
        batch = await asyncio.get_running_loop().run_in_executor(None, read_import, path)
        # A conversation open here whose file is not written yet (saves failing) is taken
        # too: the import must not write a file its next save would then overwrite.
        fresh = [c for c in batch.conversations if c.id not in self._conversations]
        report = await self._run_io(self._store.import_conversations, fresh, batch.files)
        skipped = len(batch.conversations) - len(fresh)
        added = set(report.added)
        for conversation in fresh:
            if conversation.id in added:
                self._summaries[conversation.id] = ConversationSummary.of(conversation)
        if added:
            self.conversations_changed.emit()
        return ImportOutcome(len(report.added), len(report.already_there) + skipped, batch.source)

    def setup_problem(self) -> str | None:
        """Why sending cannot work yet, in words for the user; None when it can."""
        if self._store.read_only:
            return self._read_only_folder()
        return self._settings.setup_problem()

    @property
    def read_only(self) -> bool:
        """The data folder cannot be written: chats are read, searched and exported only."""
        return self._store.read_only

    def _read_only_folder(self) -> str:
        return translate(
            "ChatService",
            "Desktop Chat cannot write to its data folder {folder}, so it opened it read-only: "
            "you can read, search and export your conversations (to another folder), but "
            "nothing new can be asked or saved.",
        ).format(folder=self._store.data_dir)

    def is_streaming(self, conversation_id: str) -> bool:
        return conversation_id in self._replies

    # --- changing ------------------------------------------------------------------

    def new_conversation(self) -> Conversation:
        """An empty conversation; it is listed and saved once it has a first message."""
        conversation = Conversation(settings=self._new_chat_settings())
        self._conversations[conversation.id] = conversation
        return conversation

    def _new_chat_settings(self) -> GenerationSettings:
        """The settings a chat not begun starts with: the model last used on this server;
        or the default model, replaced by one the server offers if it lists others only."""
        settings = self._settings.settings.generation_defaults()
        if self._models is not None and self._models[2]:
            settings.model = self._offered_model(settings.model, self._models[1])
        return settings

    def _offered_model(self, wanted: str, listed: Sequence[str]) -> str:
        # A model chosen on this server stays, listed or not (OpenRouter's aliases are not);
        # the default, perhaps chosen for another server, gives way to one offered here.
        if not listed or wanted in listed or self._settings.settings.active.model:
            return wanted
        fallback = self._settings.settings.default_model
        offered = fallback if fallback in listed else listed[0]
        self.notice.emit(
            MODEL_NOTICE,
            translate(
                "ChatService",
                "{server} does not offer {model}, so new chats use {offered}. Pick another "
                "in the model list above the conversation.",
            ).format(server=self._server_name(), model=wanted, offered=offered),
        )
        return offered

    def send(self, conversation_id: str, text: str, attachments: Sequence[Attachment] = ()) -> None:
        """Add the user's question (with attachments already kept by `keep_attachments`)
        and start streaming the reply."""
        text = text.strip()
        conversation = self._conversations[conversation_id]
        if (
            not (text or attachments)
            or self.is_streaming(conversation_id)
            or conversation.read_only
        ):
            return
        if not conversation.title:
            conversation.title = title_from_question(text or attachments[0].name)
        question = Message(role=Role.USER, content=text, attachments=tuple(attachments))
        conversation.messages.append(question)
        self.message_added.emit(conversation_id, question.id)
        self.set_draft(conversation_id, "")
        self._append_reply(conversation)
        # New chats on this server start with the model used last.
        with contextlib.suppress(asyncio.CancelledError):
            self._in_background(self._settings.remember_model(conversation.settings.model))

    def can_retry(self, conversation_id: str) -> bool:
        """Whether the last reply failed or stopped early, and asking again may work: not
        while its question alone is too long for the model (another model may take it)."""
        reply = self._last_reply(conversation_id)
        return (
            reply is not None
            and reply.status in (MessageStatus.ERROR, MessageStatus.PARTIAL)
            and question_fits(self._conversations[conversation_id], reply)
        )

    def can_continue(self, conversation_id: str) -> bool:
        reply = self._last_reply(conversation_id)
        return reply is not None and reply.status is MessageStatus.PARTIAL and bool(reply.content)

    def retry(self, conversation_id: str) -> None:
        """Ask again for the last reply, which failed or stopped early. What had arrived of
        it is kept as another version of the turn, as Regenerate keeps a reply."""
        if not self.can_retry(conversation_id):
            return
        reply = self._last_reply(conversation_id)
        assert reply is not None
        if reply.content:
            self.regenerate(conversation_id)
            return
        # Nothing arrived: there is nothing to keep, so the reply is asked for again in place.
        reply.error = None
        reply.usage = None
        reply.context_omitted = 0
        reply.created_at = utc_now()
        reply.model = self._conversations[conversation_id].settings.model
        reply.status = MessageStatus.STREAMING
        self._start_reply(self._conversations[conversation_id], reply, continuing=False)

    def continue_reply(self, conversation_id: str) -> None:
        """Ask the model to go on from where the last reply stopped, appending to it."""
        if not self.can_continue(conversation_id):
            return
        reply = self._last_reply(conversation_id)
        assert reply is not None
        reply.error = None
        reply.status = MessageStatus.STREAMING
        self._start_reply(self._conversations[conversation_id], reply, continuing=True)

    def regenerate(self, conversation_id: str) -> None:
        """Ask again for the last reply; the one shown now is kept as another version."""
        reply = self._last_reply(conversation_id)
        if reply is None:
            return
        conversation = self._conversations[conversation_id]
        conversation.fork(len(conversation.messages) - 1)
        self.conversation_replaced.emit(conversation_id)
        self._append_reply(conversation)

    def edit_and_resend(self, conversation_id: str, message_id: str, text: str) -> None:
        """Replace an earlier question (and what followed it) with `text`, and ask again.
        The old question and its answers are kept as another version."""
        conversation = self._conversations[conversation_id]
        text = text.strip()
        index = next((i for i, m in enumerate(conversation.messages) if m.id == message_id), None)
        if (
            not text
            or index is None
            or conversation.messages[index].role is not Role.USER
            or self.is_streaming(conversation_id)
            or conversation.read_only
        ):
            return
        attachments = conversation.messages[index].attachments  # an edit keeps them
        conversation.fork(index)
        conversation.messages.append(Message(role=Role.USER, content=text, attachments=attachments))
        self.conversation_replaced.emit(conversation_id)
        self._append_reply(conversation)

    # --- attachments ----------------------------------------------------------------

    async def keep_attachments(self, new: Sequence[NewAttachment]) -> list[Attachment]:
        """Store files the user attached (each once, by content); returns what a message
        refers to them by. Raises StorageError (a full disk). Their previews are kept the
        first time `thumbnail` is asked for one."""
        files = self._store.attachments

        def keep() -> list[Attachment]:
            for item in new:
                files.put(item.attachment, item.data)
            return [item.attachment for item in new]

        return await asyncio.get_running_loop().run_in_executor(None, keep)

    def attachment_path(self, attachment: Attachment) -> Path:
        """Where the attachment's file is (for the system's own viewer)."""
        return self._store.attachments.path(attachment)

    async def read_attachment(self, attachment: Attachment) -> bytes:
        """The attachment's bytes. Raises AttachmentMissingError when its file is gone."""
        return await asyncio.get_running_loop().run_in_executor(
            None, self._store.attachments.read, attachment
        )

    async def thumbnail(self, attachment: Attachment) -> bytes:
        """A small preview of an image attachment, as PNG (made, and kept, if there is
        none). Raises AttachmentMissingError when the picture itself is gone."""
        files = self._store.attachments

        def load() -> bytes:
            from ..attachments import png_bytes, thumbnail

            with contextlib.suppress(OSError):
                return files.thumbnail_path(attachment).read_bytes()
            made = thumbnail(files.read(attachment), attachment.media_type)
            png = png_bytes(made) if not made.isNull() else b""
            if png:
                files.put_thumbnail(attachment, png)
            return png

        return await asyncio.get_running_loop().run_in_executor(None, load)

    def _attachment_part(self, attachment: Attachment) -> dict[str, Any]:
        """The request part for an attachment (blocking: Replies runs it on a thread)."""
        from ..attachments import data_url, file_text, image_for_sending

        data = self._store.attachments.read(attachment)
        if attachment.is_image:
            media_type, sent = image_for_sending(attachment, data)
            return {"type": "image_url", "image_url": {"url": data_url(media_type, sent)}}
        return {"type": "text", "text": file_text(attachment, data)}

    def versions(self, conversation_id: str, index: int) -> tuple[int, int]:
        """(position of the shown version, how many) of the turn at `index`; (0, 1) if one."""
        conversation = self._conversations[conversation_id]
        versions = conversation.alternatives(index)
        if not versions:
            return 0, 1
        return versions.index(None), len(versions)

    def show_version(self, conversation_id: str, index: int, position: int) -> None:
        conversation = self._conversations[conversation_id]
        count = len(conversation.alternatives(index))
        if (
            self.is_streaming(conversation_id)
            or conversation.read_only
            or not 0 <= position < count
        ):
            return
        conversation.switch(index, position)
        self._changed(conversation)
        self.conversation_replaced.emit(conversation_id)

    async def rename(self, conversation_id: str, title: str) -> None:
        title = " ".join(title.split())
        conversation = await self.open_conversation(conversation_id)
        if conversation is None or conversation.read_only or not title:
            return
        conversation.title = title
        self._summaries[conversation_id] = ConversationSummary.of(conversation)
        self.conversations_changed.emit()
        self._saver.request(conversation_id, urgent=True)

    async def set_pinned(self, conversation_id: str, pinned: bool) -> None:
        conversation = await self.open_conversation(conversation_id)
        if conversation is None or conversation.read_only:
            return
        conversation.pinned = pinned
        self._summaries[conversation_id] = ConversationSummary.of(conversation)
        self.conversations_changed.emit()
        self._saver.request(conversation_id, urgent=True)

    def update_settings(self, conversation_id: str, **changes: Any) -> None:
        """Change how this conversation's next replies are made (model, system_prompt, …)."""
        conversation = self._conversations[conversation_id]
        if conversation.read_only:
            return
        for name, value in changes.items():
            if not hasattr(conversation.settings, name):
                raise AttributeError(name)
            setattr(conversation.settings, name, value)
        if not conversation.is_empty:
            self._saver.request(conversation_id, urgent=True)

    def draft(self, conversation_id: str) -> str:
        return self._drafts.get(conversation_id, "")

    def set_draft(self, conversation_id: str, text: str, *, save_now: bool = False) -> None:
        """What the user had typed but not sent in a conversation; kept across restarts
        and crashes: saved a moment after typing stops (or now)."""
        if text.strip():
            if self._drafts.get(conversation_id) == text:
                return
            self._drafts[conversation_id] = text
        elif self._drafts.pop(conversation_id, None) is None:
            return
        self._save_drafts_soon(0 if save_now else DRAFT_SAVE_DELAY_S)

    def _save_drafts_soon(self, delay: float) -> None:
        if self._shut_down:
            return  # shutdown saves them itself
        if self._drafts_timer is not None:
            self._drafts_timer.cancel()
        loop = asyncio.get_running_loop()
        self._drafts_timer = loop.call_later(
            delay, lambda: self._in_background(self._save_drafts())
        )

    async def _save_drafts(self) -> None:
        self._drafts_timer = None
        drafts = self._kept_drafts()
        try:
            await self._run_io(self._store.save_drafts, drafts)
        except (OSError, StorageError) as exc:
            log.warning("Could not save the drafts: %s", exc)

    def _kept_drafts(self) -> dict[str, str]:
        """The drafts worth keeping: of listed conversations, and of the new chat."""
        return {
            c: t for c, t in self._drafts.items() if c in self._summaries or c == NEW_CHAT_DRAFT
        }

    async def models(self) -> tuple[list[str], bool]:
        """The models to offer, and whether the server listed them itself (cached a while).
        Servers without `/v1/models` get OpenAI's list (for OpenAI) or just the models
        already in use."""
        now = time.monotonic()
        if self._models is not None and now - self._models[0] < MODELS_CACHE_S:
            return self._models[1], self._models[2]
        await self.network_ready()
        try:
            # Owned by the service, so shutdown ends it before closing the connections.
            listed, from_server = await self._in_background(self._client.list_models()), True
        except ChatError as exc:
            log.info("The server lists no models (%s); using the built-in list", exc.message)
            listed, from_server = await self._fallback_models(), False
        self._models = (now, listed, from_server)
        if from_server:
            self._fit_new_chats()
        return listed, from_server

    def stop(self, conversation_id: str) -> None:
        """End the reply now; what arrived so far is kept."""
        task = self._replies.get(conversation_id)
        if task is not None:
            task.cancel()

    async def delete(self, conversation_id: str) -> TrashEntry | None:
        """Move a conversation to the trash; the entry restores it."""
        task = self._replies.get(conversation_id)
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
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
            entry = await self._run_io(self._store.delete, conversation_id)
        except StorageError as exc:
            self.notice.emit(f"delete:{conversation_id}", exc.message)
            return None
        self._forget(conversation_id)
        return entry

    async def restore(self, entry: TrashEntry) -> str | None:
        """Bring a deleted conversation back; returns its id."""
        try:
            conversation_id = await self._run_io(self._store.restore, entry)
            conversation = await self._run_io(self._store.load, conversation_id)
        except StorageError as exc:
            self.notice.emit("restore", exc.message)
            return None
        self._conversations[conversation_id] = conversation
        self._summaries[conversation_id] = ConversationSummary.of(conversation)
        self.conversations_changed.emit()
        return conversation_id

    # --- internals -------------------------------------------------------------------

    def _on_connection_changed(self) -> None:
        self._models = None  # another server may offer other models
        self.notice_cleared.emit(MODEL_NOTICE)

    def _on_settings_changed(self) -> None:
        # A chat not begun yet follows the new defaults; begun ones keep their own. Each
        # gets its own copy: a chat's settings are changed in place later.
        for conversation in self._conversations.values():
            if conversation.is_empty and not conversation.read_only:
                conversation.settings = self._new_chat_settings()

    def _server_name(self) -> str:
        """The server as the user named it (its profile), unless OPENAI_BASE_URL sends the
        requests elsewhere: then its address."""
        if self._settings.environment_base_url:
            return self._client.endpoint.server_name
        return self._settings.settings.active.name

    def _fit_new_chats(self) -> None:
        """Give the chats not begun yet a model the server lists, if theirs is not."""
        assert self._models is not None
        listed = self._models[1]
        inherited = self._settings.settings.generation_defaults().model
        for conversation in list(self._conversations.values()):
            # Not one whose model the user has picked meanwhile.
            if (
                not conversation.is_empty
                or conversation.read_only
                or conversation.settings.model != inherited
            ):
                continue
            model = self._offered_model(conversation.settings.model, listed)
            if model != conversation.settings.model:
                conversation.settings.model = model
                self.settings_changed.emit(conversation.id)

    def _append_reply(self, conversation: Conversation) -> None:
        reply = Message(
            role=Role.ASSISTANT,
            content="",
            model=conversation.settings.model,
            status=MessageStatus.STREAMING,
        )
        conversation.messages.append(reply)
        self._changed(conversation)
        self.message_added.emit(conversation.id, reply.id)
        self._start_reply(conversation, reply, continuing=False)

    def _start_reply(self, conversation: Conversation, reply: Message, *, continuing: bool) -> None:
        self.message_changed.emit(conversation.id, reply.id)
        task = asyncio.get_running_loop().create_task(
            self._run_reply(conversation, reply, continuing=continuing)
        )
        self._replies[conversation.id] = task
        self.streaming_changed.emit(conversation.id, True)

    async def _run_reply(
        self, conversation: Conversation, reply: Message, *, continuing: bool
    ) -> None:
        try:
            await self._replies_runner.stream(conversation, reply, continuing=continuing)
        finally:
            del self._replies[conversation.id]
            self._changed(conversation)
            self.message_changed.emit(conversation.id, reply.id)
            self.streaming_changed.emit(conversation.id, False)
        if Replies.wants_title(conversation) and not self._shut_down:
            self._in_background(self._retitle(conversation))

    def _progressed(self, conversation: Conversation, reply: Message) -> None:
        # One signal per turn of the event loop, not per chunk: a burst of buffered chunks
        # costs one emission (each is ~20 µs), a lone chunk still goes out at once.
        key = (conversation.id, reply.id)
        if key not in self._progress_pending:
            self._progress_pending.add(key)
            asyncio.get_running_loop().call_soon(self._report_progress, key)

    def _report_progress(self, key: tuple[str, str]) -> None:
        self._progress_pending.discard(key)
        self.message_changed.emit(*key)
        self._saver.request(key[0], urgent=False)

    async def _retitle(self, conversation: Conversation) -> None:
        provisional = conversation.title
        title = await self._replies_runner.title(conversation)
        # Not if the user renamed it meanwhile, or it was closed or deleted.
        if title and conversation.title == provisional and self.is_loaded(conversation.id):
            conversation.title = title
            self._summaries[conversation.id] = ConversationSummary.of(conversation)
            self.conversations_changed.emit()
            self._saver.request(conversation.id, urgent=True)

    def _last_reply(self, conversation_id: str) -> Message | None:
        conversation = self._conversations.get(conversation_id)
        if conversation is None or not conversation.messages or conversation.read_only:
            return None
        last = conversation.messages[-1]
        if last.role is not Role.ASSISTANT or self.is_streaming(conversation_id):
            return None
        return last

    async def _fallback_models(self) -> list[str]:
        in_use = sorted({c.settings.model for c in self._conversations.values()})
        if not self._client.endpoint.is_official:
            return in_use
        from ..api.models import fallback_models

        # Asking the server for its list has already imported the SDK.
        return fallback_models(ChatClient.preload_module())

    def _in_background(self, coroutine: Any) -> asyncio.Task[Any]:
        if self._shut_down:
            coroutine.close()
            raise asyncio.CancelledError  # nothing new starts once shutdown has begun
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    def _changed(self, conversation: Conversation) -> None:
        """A conversation changed in a way worth listing and saving now."""
        conversation.touch()
        self._summaries[conversation.id] = ConversationSummary.of(conversation)
        self.conversations_changed.emit()
        self._saver.request(conversation.id, urgent=True)

    def _forget(self, conversation_id: str) -> None:
        self._conversations.pop(conversation_id, None)
        if self._summaries.pop(conversation_id, None) is not None:
            self.conversations_changed.emit()

    def _announce(self, report: OpenReport) -> None:
        if report.quarantined:
            names = ", ".join(q.name for q in report.quarantined)
            folder = report.quarantined[0].moved_to.parent
            self.notice.emit(
                "quarantine",
                (
                    translate(
                        "ChatService",
                        "A conversation file could not be read and was moved, untouched, to "
                        "{folder}: {names}",
                    )
                    if len(report.quarantined) == 1
                    else translate(
                        "ChatService",
                        "{count} conversation files could not be read and were moved, "
                        "untouched, to {folder}: {names}",
                    )
                ).format(count=number(len(report.quarantined)), folder=folder, names=names),
            )
        if report.index_unavailable:
            self.notice.emit(
                "index",
                translate(
                    "ChatService",
                    "The search index could not be built, so search is unavailable; every "
                    "conversation is listed and saved as usual. ({reason})",
                ).format(reason=report.index_unavailable),
            )
        if report.newer_unreadable:
            self.notice.emit(
                "newer",
                translate(
                    "ChatService",
                    "Some conversations were saved by a newer version of Desktop Chat and "
                    "cannot be shown by this one: {names}",
                ).format(names=", ".join(report.newer_unreadable)),
            )

    async def _run_io(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._io, function, *args)


def _in_thread(function: Callable[[], T], name: str = "desktop-chat-warm-up") -> Future[T]:
    """Run `function` on a daemon thread of its own: one that may never finish (a stuck
    import) must not keep the app from quitting, as a pool's thread would."""
    future: Future[T] = Future()
    threading.Thread(target=_settle, args=(future, function), name=name, daemon=True).start()
    return future


def _settle(future: Future[T], function: Callable[[], T]) -> None:
    """Run `function` and hand its result, or its exception, to whoever waits on `future`."""
    try:
        future.set_result(function())
    except BaseException as exc:
        future.set_exception(exc)
