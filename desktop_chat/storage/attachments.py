"""Attachment files, stored once each under the name of their content.

    DATA_DIR/attachments/<sha256>.<ext>              the bytes as the user attached them
    DATA_DIR/attachments/thumbnails/<sha256>.png     small previews, derived, rebuilt at will

A conversation refers to its attachments by digest (`domain.Attachment`), so the same
screenshot sent in ten chats is one file, and deleting a conversation (to the trash, from
which it can come back) never deletes one. Files are written atomically and never changed:
a name is its content.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..domain import Attachment, Conversation, attachments_of
from ..errors import StorageError
from ..i18n import translate
from .files import write_atomic

FOLDER = "attachments"
THUMBNAILS = "thumbnails"
EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "text/plain": ".txt",
}
_STORED_NAME = re.compile(r"^([0-9a-f]{64})\.[a-z]+$")


class AttachmentMissingError(StorageError):
    """An attachment a conversation refers to is not in the data folder."""

    kind = "attachment_missing"


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_digest(name: str) -> str | None:
    """The digest a stored attachment's file name carries ("<sha256>.<ext>"); None for
    any other name."""
    match = _STORED_NAME.match(name)
    return match.group(1) if match else None


def file_name(attachment: Attachment) -> str:
    """The stored file's name: its digest, and an extension so the user can open it."""
    return attachment.digest + EXTENSIONS.get(attachment.media_type, ".bin")


class AttachmentFiles:
    """The attachments folder. Safe to use from several threads: files are only added,
    each by an atomic rename, and a name always holds the same bytes."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / FOLDER
        self.thumbnails = self.folder / THUMBNAILS

    def path(self, attachment: Attachment) -> Path:
        return self.folder / file_name(attachment)

    def thumbnail_path(self, attachment: Attachment) -> Path:
        return self.thumbnails / f"{attachment.digest}.png"

    def put(self, attachment: Attachment, data: bytes) -> None:
        """Keep `data` as `attachment`'s file, unless it is already there."""
        if digest_of(data) != attachment.digest:
            raise ValueError("the data does not match the attachment's digest")
        target = self.path(attachment)
        if _complete(target, attachment.size):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        except OSError as exc:
            raise StorageError(
                translate("Attachments", "{name} could not be saved: {reason}.").format(
                    name=attachment.name, reason=exc.strerror or exc
                )
            ) from exc

    def read(self, attachment: Attachment) -> bytes:
        """The attachment's bytes; AttachmentMissingError if its file is gone or damaged."""
        path = self.path(attachment)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise AttachmentMissingError(_missing(attachment, path)) from None
        except OSError as exc:
            raise StorageError(
                translate("Attachments", "{name} could not be read: {reason}.").format(
                    name=attachment.name, reason=exc.strerror or exc
                )
            ) from exc
        if digest_of(data) != attachment.digest:
            raise AttachmentMissingError(
                translate(
                    "Attachments",
                    "The attached file {name} has changed on disk ({file}), so it cannot be "
                    "sent or shown.",
                ).format(name=attachment.name, file=path)
            )
        return data

    def exists(self, attachment: Attachment) -> bool:
        return _complete(self.path(attachment), attachment.size)

    def missing(self, attachments: Iterable[Attachment]) -> list[Attachment]:
        return [a for a in attachments if not self.exists(a)]

    def put_thumbnail(self, attachment: Attachment, png: bytes) -> None:
        """Keep a preview; failing to is harmless (it is made again when next needed)."""
        with contextlib.suppress(OSError):
            self.thumbnails.mkdir(parents=True, exist_ok=True)
            write_atomic(self.thumbnail_path(attachment), png, sync_folder=False)

    def stored_digests(self) -> set[str]:
        """Digests of the files in the folder (for the doctor's count of unused ones)."""
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return set()
        found = set()
        for entry in entries:
            digest = stored_digest(entry.name)
            if digest and entry.is_file():
                found.add(digest)
        return found

    def put_needed(
        self, conversations: Iterable[Conversation], files: Mapping[str, Callable[[], bytes]]
    ) -> int:
        """Write the files `conversations` refer to that are not here yet, from `files`
        (by digest); returns how many have no file to write."""
        missing = 0
        done: set[str] = set()
        for conversation in conversations:
            for attachment in attachments_of(conversation):
                if attachment.digest in done or self.exists(attachment):
                    continue
                done.add(attachment.digest)
                source = files.get(attachment.digest)
                try:
                    data = source() if source is not None else None
                    if data is not None:
                        self.put(attachment, data)
                except ValueError:  # the file beside the export is not what it is named
                    data = None
                if data is None:
                    missing += 1
        return missing


def _complete(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def _missing(attachment: Attachment, path: Path) -> str:
    return translate(
        "Attachments", "The attached file {name} is missing from the data folder ({file})."
    ).format(name=attachment.name, file=path)
