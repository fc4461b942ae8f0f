"""What the store's operations report and raise: the outcome of opening the folder,
an import, a check (`doctor`), an entry in the trash, and failures in words for the user."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import Attachment
from ..errors import StorageError
from ..i18n import translate


class ConversationUnreadableError(StorageError):
    """A conversation file could not be read; it was moved to the quarantine folder."""

    kind = "unreadable"
    retryable = False


class SaveFailedError(StorageError):
    """A save failed; the previous version on disk is intact."""

    kind = "save_failed"


@dataclass(frozen=True)
class QuarantinedFile:
    name: str
    reason: str
    moved_to: Path


@dataclass(frozen=True)
class TrashEntry:
    """A deleted conversation, restorable with `ConversationStore.restore`."""

    file_name: str
    conversation_id: str


@dataclass
class OpenReport:
    files_read: int = 0
    quarantined: list[QuarantinedFile] = field(default_factory=list)
    read_only: list[str] = field(default_factory=list)
    """Conversations from a newer app version: shown, never rewritten."""
    newer_unreadable: list[str] = field(default_factory=list)
    """Files from a newer version this one cannot even show; left where they are."""
    temp_files_removed: int = 0
    index_rebuilt: bool = False
    index_unavailable: str | None = None
    """Why the index could not be built; the list then comes from reading every file."""
    attachments: dict[str, tuple[Attachment, str]] = field(default_factory=dict)
    """The attachments of the files read, by digest, with a conversation's title."""


@dataclass(frozen=True)
class ImportReport:
    added: list[str]
    """Ids of the conversations written."""
    already_there: list[str]
    """Ids skipped because a conversation with that id exists (imported before)."""
    missing_attachments: int = 0
    """Attachments the imported conversations refer to that came without their file."""


@dataclass
class DoctorReport:
    index_unavailable: str | None
    files_checked: int
    conversations: int
    messages: int
    quarantined: list[QuarantinedFile]
    read_only: list[str]
    newer_unreadable: list[str]
    temp_files_removed: int
    in_quarantine: int
    in_trash: int
    attachments: int = 0
    """Attachment files the conversations refer to (each counted once)."""
    missing_attachments: list[tuple[str, str]] = field(default_factory=list)
    """(conversation title, file name) of attachments whose file is not in the folder."""
    unused_attachments: int = 0
    """Files in attachments/ no conversation refers to (kept: the trash may need them)."""

    @property
    def problems(self) -> int:
        index = 1 if self.index_unavailable else 0
        missing = len(self.missing_attachments)
        return len(self.quarantined) + len(self.newer_unreadable) + index + missing


def import_failed(reason: object) -> SaveFailedError:
    return SaveFailedError(
        translate(
            "Store", "The import could not be written ({reason}); nothing was imported."
        ).format(reason=reason)
    )


class ConversationGoneError(StorageError):
    """The conversation's file is no longer in the data folder (removed from outside)."""


def read_failure(path: Path, exc: OSError | None) -> StorageError:
    """Why a conversation file could not be read; `exc` None: it is gone."""
    if exc is None:
        return ConversationGoneError(
            translate("Store", "This conversation is no longer in the data folder.")
        )
    return StorageError(
        translate("Store", "{file} could not be read: {reason}.").format(
            file=path.name, reason=exc.strerror
        )
    )


def save_failure_message(exc: OSError, title: str) -> str:
    name = f"“{title}”" if title else translate("Store", "The conversation")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        what = translate(
            "Store", "{name} could not be saved: the disk is full. Free some space."
        ).format(name=name)
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        what = translate(
            "Store", "{name} could not be saved: the data folder is read-only or not writable."
        ).format(name=name)
    elif exc.errno == errno.EFBIG:
        what = translate(
            "Store", "{name} could not be saved: the system refused a file this large."
        ).format(name=name)
    else:
        what = translate("Store", "{name} could not be saved: {reason}.").format(
            name=name, reason=exc.strerror or exc
        )
    return what + " " + translate("Store", "It is kept in memory and Desktop Chat will try again.")
