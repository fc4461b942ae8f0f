"""The conversation store: the data folder's layout and every operation on it.

    DATA_DIR/conversations/<id>.json   the conversations, one file each (the truth)
    DATA_DIR/trash/                    deleted conversations, restorable
    DATA_DIR/quarantine/               files that could not be read, moved aside untouched
    DATA_DIR/index.sqlite3             derived list and full-text index, rebuilt at will
    DATA_DIR/attachments/              files sent with questions, one per content
                                       (storage/attachments.py)

Methods are synchronous and do blocking I/O: the app calls them on one worker thread, in
order, so the window never waits on the disk. Call `open()` once, holding the data lock.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path

from ..domain import (
    Conversation,
    ConversationSummary,
    SearchHit,
    attachments_of,
    new_id,
)
from ..errors import StorageError
from ..i18n import translate
from .attachments import AttachmentFiles
from .files import (
    count_files,
    fsync_folder,
    is_leftover_temp_file,
    move_without_overwriting,
    read_with_stat,
    remove_files,
    write_atomic,
)
from .index import OPTIMIZE_AFTER, IndexUnusable, SearchIndex
from .reports import (
    ConversationUnreadableError,
    DoctorReport,
    ImportReport,
    OpenReport,
    QuarantinedFile,
    SaveFailedError,
    TrashEntry,
    import_failed,
    read_failure,
    save_failure_message,
)
from .schema import CorruptFileError, EncodedMessages, NewerSchemaError, decode, encode

log = logging.getLogger(__name__)

SUFFIX = ".json"
# Any name a user or a sync tool may give a copy ("abc (conflicted copy)"), but nothing
# that could leave the folder or that Windows cannot store.
_ADDRESSABLE_ID = re.compile(r'[^/\\\x00-\x1f:*?"<>|]{1,200}')
INDEX_BATCH = 500


class ConversationStore:
    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        """`read_only`: a data folder that cannot be written (a read-only disk): every
        conversation is shown read-only, searched through an index kept in memory, and
        nothing in the folder is changed."""
        self.data_dir = data_dir
        self.read_only = read_only
        self.conversations_dir = data_dir / "conversations"
        self.trash_dir = data_dir / "trash"
        self.quarantine_dir = data_dir / "quarantine"
        self.drafts_path = data_dir / "drafts.json"
        self.attachments = AttachmentFiles(data_dir)
        self._index = SearchIndex(None if read_only else data_dir / "index.sqlite3")
        self._index_ok = False
        self._index_problem = ""
        self._listed_without_index: list[ConversationSummary] = []
        self._encoded = EncodedMessages()

    # --- opening -------------------------------------------------------------------

    def open(self, should_stop: Callable[[], bool] = lambda: False) -> OpenReport:
        """Prepare the folders and bring the index up to date with the files."""
        if not self.read_only:
            for folder in (self.conversations_dir, self.trash_dir, self.quarantine_dir):
                folder.mkdir(parents=True, exist_ok=True)
        report = OpenReport()
        try:
            report.index_rebuilt = self._index.open()
            self._reconcile(report, should_stop)
        except (sqlite3.Error, IndexUnusable, OSError) as exc:
            log.warning("The index is damaged (%s); rebuilding it", exc)
            try:
                self._index.delete()
                report.index_rebuilt = self._index.open()
                self._reconcile(report, should_stop)
            except (sqlite3.Error, IndexUnusable, OSError) as again:
                # The files are the truth: list them the slow way and carry on.
                log.error("Working without an index: %s", again)
                self._index.close()
                self._index_ok = False
                self._index_problem = str(again)
                report.index_unavailable = str(again)
                self._listed_without_index = self._summaries_from_files(report)
                return report
        self._index_ok = True
        return report

    def open_for_reading(self) -> None:
        """Open without changing anything, for a reader beside the running app (the
        command line's list, search and export): the index as the app keeps it, or, if
        there is none, the list from the files themselves."""
        if self._index.open_read_only():
            self._index_ok = True
            return
        self._index_ok = False
        self._index_problem = "the app has not built it yet"
        self._listed_without_index = self._summaries_from_files(OpenReport())

    def close(self) -> None:
        self._index.close()
        self._index_ok = False

    def _reconcile(self, report: OpenReport, should_stop: Callable[[], bool]) -> None:
        indexed = self._index.file_states()
        on_disk, leftovers = self._scan()
        if not self.read_only:
            report.temp_files_removed = remove_files(leftovers)
        self._index.remove(indexed.keys() - on_disk.keys())
        batch: list[tuple[Conversation, int, int]] = []
        indexed_now = 0
        for conversation_id, state in on_disk.items():
            if indexed.get(conversation_id) == state:
                continue
            if should_stop():
                break
            conversation = self._read_for_index(conversation_id, report)
            if conversation is not None:
                batch.append(conversation)
            if len(batch) >= INDEX_BATCH:
                indexed_now += len(batch)
                self._index.put_many(batch)
                batch = []
        indexed_now += len(batch)
        self._index.put_many(batch)
        if indexed_now >= OPTIMIZE_AFTER:
            self._index.optimize()
        report.read_only = self._index.read_only_ids()

    def _scan(self) -> tuple[dict[str, tuple[int, int]], list[Path]]:
        """One pass over the folder: conversation files with (mtime ns, size), and the
        temporary files of saves a crash interrupted (safe to remove: we hold the lock)."""
        states = {}
        leftovers = []
        for entry in os.scandir(self.conversations_dir):
            name = entry.name
            if is_leftover_temp_file(name):
                leftovers.append(Path(entry.path))
                continue
            if not name.endswith(SUFFIX) or name.startswith("."):
                continue
            conversation_id = name[: -len(SUFFIX)]
            if not _ADDRESSABLE_ID.fullmatch(conversation_id) or not entry.is_file():
                continue
            stat = entry.stat()
            states[conversation_id] = (stat.st_mtime_ns, stat.st_size)
        return states, leftovers

    def _read_for_index(
        self, conversation_id: str, report: OpenReport
    ) -> tuple[Conversation, int, int] | None:
        path = self._path(conversation_id)
        report.files_read += 1
        try:
            raw, mtime_ns, size = read_with_stat(path)
            conversation = self._decode(raw, conversation_id)
            for attachment in attachments_of(conversation):
                report.attachments.setdefault(attachment.digest, (attachment, conversation.title))
            return conversation, mtime_ns, size
        except CorruptFileError as exc:
            if self.read_only:
                log.warning("Cannot read %s (left where it is): %s", path.name, exc)
                return None
            report.quarantined.append(self._quarantine(path, str(exc)))
        except NewerSchemaError:
            report.newer_unreadable.append(path.name)
        except OSError as exc:
            log.warning("Could not read %s: %s", path.name, exc)
        return None

    # --- reading -------------------------------------------------------------------

    def summaries(self) -> list[ConversationSummary]:
        """Every conversation for the sidebar, pinned first, then most recent: no file parsed."""
        if not self._index_ok:
            return list(self._listed_without_index)
        return self._index.summaries()

    def load(self, conversation_id: str) -> Conversation:
        path = self._path(conversation_id)
        try:
            raw, mtime_ns, size = read_with_stat(path)
        except FileNotFoundError:
            self._indexing(self._index.remove, [conversation_id])
            raise read_failure(path, None) from None
        except OSError as exc:
            raise read_failure(path, exc) from exc
        try:
            conversation = self._decode(raw, conversation_id)
        except CorruptFileError as exc:
            if self.read_only:
                raise ConversationUnreadableError(
                    translate("Store", "{file} could not be read ({reason}).").format(
                        file=path.name, reason=exc
                    )
                ) from None
            moved = self._quarantine(path, str(exc))
            self._indexing(self._index.remove, [conversation_id])
            raise ConversationUnreadableError(
                translate(
                    "Store", "{file} could not be read ({reason}); it was moved to {folder}."
                ).format(file=moved.name, reason=exc, folder=moved.moved_to.parent)
            ) from None
        except NewerSchemaError as exc:
            raise StorageError(str(exc)) from None
        if self._index_ok and self._index.file_state(conversation_id) != (mtime_ns, size):
            self._indexing(self._index.put, conversation, mtime_ns, size)
        return conversation

    def peek(self, conversation_id: str) -> Conversation:
        """Read a conversation without touching the index or moving anything: safe from
        any thread while the store's own thread saves (saves replace files atomically)."""
        path = self._path(conversation_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise read_failure(path, None) from None
        except OSError as exc:
            raise read_failure(path, exc) from exc
        try:
            return decode(raw, conversation_id=conversation_id)
        except (CorruptFileError, NewerSchemaError) as exc:
            raise StorageError(
                translate("Store", "{file} could not be read: {reason}").format(
                    file=path.name, reason=exc
                )
            ) from None

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        if not self._index_ok:
            raise StorageError(
                translate(
                    "Store",
                    "Search is unavailable: the search index could not be built ({reason}). "
                    "Your conversations are all there.",
                ).format(reason=self._index_problem)
            )
        return self._index.search(query, limit)

    def conversation_ids(self) -> set[str]:
        """The conversations whose files are in the folder now (names only: no file read)."""
        on_disk, _leftovers = self._scan()
        return set(on_disk)

    def forget(self, conversation_id: str) -> None:
        """A conversation's file was removed from outside: take it out of the index."""
        self._indexing(self._index.remove, [conversation_id])

    # --- writing -------------------------------------------------------------------

    def save(self, conversation: Conversation) -> None:
        """Write the conversation atomically, then index it. `conversation` must not change
        while this runs (the service passes a snapshot)."""
        if conversation.read_only:
            raise StorageError(
                translate(
                    "Store",
                    "This conversation was saved by a newer version of Desktop Chat and is "
                    "read-only here.",
                )
            )
        path = self._path(conversation.id)
        data = encode(conversation, self._encoded)
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise SaveFailedError(save_failure_message(exc, conversation.title)) from exc
        try:
            stat = path.stat()
        except OSError as exc:
            log.warning("Could not index %s: %s", conversation.id, exc)
            return
        self._indexing(self._index.put, conversation, stat.st_mtime_ns, stat.st_size)

    def import_conversations(
        self,
        conversations: list[Conversation],
        files: Mapping[str, Callable[[], bytes]] | None = None,
    ) -> ImportReport:
        """Add conversations from elsewhere: all of them or, if one cannot be written,
        none (those already written are removed again). A conversation whose id exists
        is left alone, so importing the same file twice adds nothing. `files` gives the
        bytes of attachments by digest; their files are written first (content-addressed,
        so a failed import leaves at most unused ones)."""
        added: list[Conversation] = []
        already: list[str] = []
        seen: set[str] = set()
        for conversation in conversations:
            if conversation.id in seen or self._path(conversation.id).exists():
                already.append(conversation.id)
            else:
                added.append(conversation)
            seen.add(conversation.id)
        try:
            missing = self.attachments.put_needed(added, files or {})
        except StorageError as exc:
            raise import_failed(exc.message) from exc
        except OSError as exc:
            raise import_failed(exc) from exc
        written: list[Path] = []
        try:
            for conversation in added:
                path = self._path(conversation.id)
                write_atomic(path, encode(conversation), sync_folder=False)
                written.append(path)
            fsync_folder(self.conversations_dir)  # once for all the renames
        except OSError as exc:
            remove_files(written)
            raise import_failed(exc.strerror or exc) from exc
        batch = []
        for conversation, path in zip(added, written, strict=True):
            with contextlib.suppress(OSError):
                stat = path.stat()
                batch.append((conversation, stat.st_mtime_ns, stat.st_size))
        self._indexing(self._index.put_many, batch)
        return ImportReport(
            added=[c.id for c in added], already_there=already, missing_attachments=missing
        )

    def delete(self, conversation_id: str) -> TrashEntry:
        """Move the conversation to the trash folder."""
        path = self._path(conversation_id)
        try:
            moved = move_without_overwriting(path, self.trash_dir)
        except OSError as exc:
            raise StorageError(
                translate(
                    "Store", "Could not move the conversation to the trash: {reason}."
                ).format(reason=exc)
            ) from exc
        self._indexing(self._index.remove, [conversation_id])
        return TrashEntry(file_name=moved.name, conversation_id=conversation_id)

    def restore(self, entry: TrashEntry) -> str:
        """Bring a conversation back from the trash; returns its id (new if the old is taken)."""
        conversation_id = entry.conversation_id
        if self._path(conversation_id).exists():
            conversation_id = new_id()
        source = self.trash_dir / entry.file_name
        try:
            moved = move_without_overwriting(
                source, self.conversations_dir, f"{conversation_id}{SUFFIX}"
            )
        except OSError as exc:
            raise StorageError(
                translate("Store", "Could not restore the conversation: {reason}.").format(
                    reason=exc
                )
            ) from exc
        self.load(moved.name[: -len(SUFFIX)])
        return moved.name[: -len(SUFFIX)]

    # --- drafts --------------------------------------------------------------------

    def load_drafts(self) -> dict[str, str]:
        """Unsent text per conversation, as the app left it; {} if none or unreadable."""
        try:
            data = json.loads(self.drafts_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("Ignoring unreadable drafts (%s)", exc)
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, str)}

    def save_drafts(self, drafts: dict[str, str]) -> None:
        if not drafts:
            with contextlib.suppress(FileNotFoundError):
                self.drafts_path.unlink()
            return
        text = json.dumps(drafts, ensure_ascii=False, indent=1)
        write_atomic(self.drafts_path, text.encode("utf-8"))

    # --- repair --------------------------------------------------------------------

    def doctor(self) -> DoctorReport:
        """Read every file, quarantine what cannot be read, and rebuild the index."""
        in_quarantine = count_files(self.quarantine_dir)
        with contextlib.suppress(OSError):  # open() says what is wrong with it
            self._index.delete()
        report = self.open()
        if self._index_ok:
            conversations, messages = self._index.counts()
        else:
            conversations = len(self._listed_without_index)
            messages = sum(s.message_count for s in self._listed_without_index)
        referenced = report.attachments
        missing = [
            (title, attachment.name)
            for attachment, title in referenced.values()
            if not self.attachments.exists(attachment)
        ]
        return DoctorReport(
            attachments=len(referenced),
            missing_attachments=missing,
            unused_attachments=len(self.attachments.stored_digests() - referenced.keys()),
            index_unavailable=report.index_unavailable,
            files_checked=report.files_read,
            conversations=conversations,
            messages=messages,
            quarantined=report.quarantined,
            read_only=report.read_only,
            newer_unreadable=report.newer_unreadable,
            temp_files_removed=report.temp_files_removed,
            in_quarantine=in_quarantine,
            in_trash=count_files(self.trash_dir),
        )

    # --- internals -------------------------------------------------------------------

    def _path(self, conversation_id: str) -> Path:
        if not _ADDRESSABLE_ID.fullmatch(conversation_id) or conversation_id.startswith("."):
            raise StorageError(
                translate("Store", "Not a valid conversation id: {id}").format(
                    id=repr(conversation_id)
                )
            )
        return self.conversations_dir / f"{conversation_id}{SUFFIX}"

    def _indexing(self, update: Callable[..., object], *args: object) -> None:
        """Keep the index in step; if that fails, the files are saved anyway and the next
        open reconciles the index with them."""
        if not self._index_ok:
            return
        try:
            update(*args)
        except (sqlite3.Error, IndexUnusable) as exc:
            log.warning("Could not update the index: %s", exc)

    def _summaries_from_files(self, report: OpenReport) -> list[ConversationSummary]:
        states, _ = self._scan()
        listed = []
        for conversation_id in states:
            read = self._read_for_index(conversation_id, report)
            if read is not None:
                listed.append(ConversationSummary.of(read[0]))
        listed.sort(key=lambda s: s.updated_at, reverse=True)
        listed.sort(key=lambda s: not s.pinned)
        report.read_only = [s.id for s in listed if s.read_only]
        return listed

    def _decode(self, raw: bytes, conversation_id: str) -> Conversation:
        conversation = decode(raw, conversation_id=conversation_id)
        if self.read_only:
            conversation.read_only = True  # shown, never rewritten: the folder cannot be
        return conversation

    def _quarantine(self, path: Path, reason: str) -> QuarantinedFile:
        moved = move_without_overwriting(path, self.quarantine_dir)
        log.warning("Moved unreadable %s to %s: %s", path.name, moved, reason)
        return QuarantinedFile(name=path.name, reason=reason, moved_to=moved)
