"""Reading conversations to import: ChatGPT's data export, or our own JSON export.

`read_import(path)` reads and checks everything before anything is written, so a damaged
or foreign file is refused with a message naming what is wrong and nothing is half
imported. Accepted: a ChatGPT export ZIP, its `conversations.json`, an unzipped export
folder, one of our conversation files, or a folder (or ZIP) of them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..domain import Attachment, Conversation
from ..i18n import number, translate
from ..images import ImageThread, on_image_thread
from ..storage.attachments import FOLDER as ATTACHMENTS_FOLDER
from ..storage.attachments import stored_digest
from ..storage.schema import CorruptFileError, parse_json
from .chatgpt import conversations_from_export
from .errors import ImportFailedError
from .ours import conversation_from_ours, is_ours

__all__ = ["ImportBatch", "ImportFailedError", "read_import"]

CHATGPT = "ChatGPT export"
OURS = "Desktop Chat JSON"
MAX_JSON_BYTES = 2 * 1024**3
"""A `conversations.json` larger than this is refused rather than read into memory."""


Loader = Callable[[], bytes]


@dataclass(frozen=True)
class ImportBatch:
    conversations: list[Conversation]
    source: str
    """CHATGPT or OURS: what kind of file it was (`describe_source` names it)."""
    files: Mapping[str, Loader] = field(default_factory=dict)
    """The attachments' bytes by digest, read when the import is written."""


_CHATGPT_FILE = re.compile(r"^(file[-_][A-Za-z0-9]+)")


class _ExportFiles:
    """The files beside the conversations in an export (a ZIP, a folder), by their path
    in it, read only when needed."""

    def __init__(self, entries: Mapping[str, Loader], images: ImageThread | None = None) -> None:
        self.entries = entries
        self.images = images
        """The app's image thread (a picture's size is read by decoding it)."""
        self.found: dict[str, Loader] = {}
        """What the conversations refer to, by digest."""
        self._images: dict[str, str] | None = None

    def ours(self) -> dict[str, Loader]:
        """Our exports keep attachments in attachments/, each named by its digest."""
        found = {}
        for name, loader in self.entries.items():
            parts = PurePosixPath(name).parts
            digest = stored_digest(parts[-1]) if parts else None
            if digest and len(parts) >= 2 and parts[-2] == ATTACHMENTS_FOLDER:
                found[digest] = loader
        return found

    def chatgpt_image(self, pointer: str) -> Attachment | None:
        """ChatGPT names an image file-<id>-<its name> (or file_<id>…) beside
        conversations.json; messages point at it as "file-service://file-<id>"."""
        from ..attachments import AttachmentError, from_bytes

        if self._images is None:
            self._images = {}
            for name in self.entries:
                match = _CHATGPT_FILE.match(PurePosixPath(name).name)
                if match and not name.endswith(".json"):
                    self._images.setdefault(match.group(1), name)
        wanted = _CHATGPT_FILE.match(pointer.rsplit("/", 1)[-1])
        if wanted is None or wanted.group(1) not in self._images:
            return None
        member = self._images[wanted.group(1)]
        base = PurePosixPath(member).name
        shown = base[len(wanted.group(1)) :].lstrip("-_")
        try:
            item = on_image_thread(
                self.images, from_bytes, shown if "." in shown else base, self.entries[member]()
            )
        except (AttachmentError, OSError, zipfile.BadZipFile):
            return None
        if not item.attachment.is_image:
            return None
        self.found[item.attachment.digest] = self.entries[member]
        return item.attachment


def _folder_entries(folder: Path, *, recursive: bool) -> dict[str, Loader]:
    found = folder.rglob("*") if recursive else folder.glob("*")
    return {
        p.relative_to(folder).as_posix(): p.read_bytes
        for p in found
        if p.is_file() and p.suffix != ".json"
    }


def _zip_entries(path: Path, names: list[zipfile.ZipInfo]) -> dict[str, Loader]:
    def loader(member: str) -> Loader:
        def read() -> bytes:
            with zipfile.ZipFile(path) as archive:
                return archive.read(member)

        return read

    return {i.filename: loader(i.filename) for i in names if not i.filename.endswith(".json")}


def describe_source(source: str) -> str:
    """What kind of file an import came from, in words for the user."""
    if source == CHATGPT:
        return translate("Import", "a ChatGPT export")
    return translate("Import", "Desktop Chat JSON files")


def read_import(path: Path, images: ImageThread | None = None) -> ImportBatch:
    """The conversations in `path`. Raises ImportFailedError saying what is wrong. Pictures
    are read on `images`' thread (here, without one)."""
    if not path.exists():
        raise ImportFailedError(translate("Import", "{file} does not exist.").format(file=path))
    if path.is_dir():
        return _from_folder(path, images)
    if zipfile.is_zipfile(path):
        return _from_zip(path, images)
    # Beside a single file: our attachments/ folder, or ChatGPT's images.
    beside = _folder_entries(path.parent, recursive=False)
    beside |= {
        f"{ATTACHMENTS_FOLDER}/{name}": loader
        for name, loader in _folder_entries(
            path.parent / ATTACHMENTS_FOLDER, recursive=False
        ).items()
    }
    return _from_json_file(path.name, _read_bytes(path), _ExportFiles(beside, images))


def _from_json_file(name: str, raw: bytes, files: _ExportFiles | None = None) -> ImportBatch:
    files = files or _ExportFiles({})
    data = _parse(name, raw)
    if is_ours(data):
        return ImportBatch([conversation_from_ours(data, name)], OURS, files.ours())
    if isinstance(data, list) or (isinstance(data, dict) and "mapping" in data):
        conversations = conversations_from_export(data, name, files.chatgpt_image)
        return ImportBatch(conversations, CHATGPT, files.found)
    raise ImportFailedError(
        translate(
            "Import",
            "{file} is neither a ChatGPT export (conversations.json) nor a conversation "
            "exported from Desktop Chat.",
        ).format(file=name)
    )


def _from_folder(folder: Path, images: ImageThread | None) -> ImportBatch:
    export = folder / "conversations.json"
    files = _ExportFiles(_folder_entries(folder, recursive=True), images)
    if export.is_file():
        return _from_json_file(export.name, _read_bytes(export), files)
    found = sorted(p for p in folder.glob("*.json") if p.is_file())
    if not found:
        raise ImportFailedError(
            translate(
                "Import", "{folder} holds no conversations.json and no conversation (.json) files."
            ).format(folder=folder)
        )
    return _ours_only([(p.name, _read_bytes(p)) for p in found], folder.name, files)


def _from_zip(path: Path, images: ImageThread | None) -> ImportBatch:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i for i in archive.infolist() if not i.is_dir()]
            export = next(
                (i for i in names if PurePosixPath(i.filename).name == "conversations.json"), None
            )
            files = _ExportFiles(_zip_entries(path, names), images)
            if export is not None:
                raw = _member(archive, export)
                return _from_json_file(f"{path.name}: {export.filename}", raw, files)
            ours = [i for i in names if i.filename.endswith(".json")]
            if not ours:
                raise ImportFailedError(
                    translate(
                        "Import",
                        "{file} is a ZIP file without conversations.json: not a ChatGPT "
                        "export, and no conversation files in it either.",
                    ).format(file=path.name)
                )
            return _ours_only(
                [(f"{path.name}: {i.filename}", _member(archive, i)) for i in ours],
                path.name,
                files,
            )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFailedError(
            translate("Import", "{file} is a damaged ZIP file ({reason}).").format(
                file=path.name, reason=exc
            )
        ) from None


def _ours_only(documents: list[tuple[str, bytes]], where: str, files: _ExportFiles) -> ImportBatch:
    conversations = []
    for name, raw in documents:
        data = _parse(name, raw)
        if not is_ours(data):
            raise ImportFailedError(
                translate(
                    "Import", "{file} in {folder} is not a conversation exported from Desktop Chat."
                ).format(file=name, folder=where)
            )
        conversations.append(conversation_from_ours(data, name))
    return ImportBatch(conversations, OURS, files.ours())


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_JSON_BYTES:
        raise ImportFailedError(
            translate("Import", "{file} is too large to import ({size} bytes).").format(
                file=info.filename, size=number(info.file_size)
            )
        )
    return archive.read(info)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise ImportFailedError(
                translate("Import", "{file} is too large to import.").format(file=path.name)
            )
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailedError(
            translate("Import", "{file} could not be read: {reason}.").format(
                file=path.name, reason=exc.strerror or exc
            )
        ) from None


def _parse(name: str, raw: bytes) -> Any:
    try:
        return parse_json(raw, encoding="utf-8-sig")  # a byte-order mark is harmless here
    except CorruptFileError as exc:
        raise ImportFailedError(
            translate("Import", "{file} is {reason}.").format(file=name, reason=exc)
        ) from None
