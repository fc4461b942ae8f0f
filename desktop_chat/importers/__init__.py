"""Reading conversations to import: ChatGPT's data export, or our own JSON export.

`read_import(path)` reads and checks everything before anything is written, so a damaged
or foreign file is refused with a message naming what is wrong and nothing is half
imported. Accepted: a ChatGPT export ZIP, its `conversations.json`, an unzipped export
folder, one of our conversation files, or a folder (or ZIP) of them.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..domain import Conversation
from ..i18n import number, translate
from ..storage.schema import CorruptFileError, parse_json
from .chatgpt import conversations_from_export
from .errors import ImportFailedError
from .ours import conversation_from_ours, is_ours

__all__ = ["ImportBatch", "ImportFailedError", "read_import"]

CHATGPT = "ChatGPT export"
OURS = "Desktop Chat JSON"
MAX_JSON_BYTES = 2 * 1024**3
"""A `conversations.json` larger than this is refused rather than read into memory."""


@dataclass(frozen=True)
class ImportBatch:
    conversations: list[Conversation]
    source: str
    """CHATGPT or OURS: what kind of file it was (`describe_source` names it)."""


def describe_source(source: str) -> str:
    """What kind of file an import came from, in words for the user."""
    if source == CHATGPT:
        return translate("Import", "a ChatGPT export")
    return translate("Import", "Desktop Chat JSON files")


def read_import(path: Path) -> ImportBatch:
    """The conversations in `path`. Raises ImportFailedError saying what is wrong."""
    if not path.exists():
        raise ImportFailedError(translate("Import", "{file} does not exist.").format(file=path))
    if path.is_dir():
        return _from_folder(path)
    if zipfile.is_zipfile(path):
        return _from_zip(path)
    return _from_json_file(path.name, _read_bytes(path))


def _from_json_file(name: str, raw: bytes) -> ImportBatch:
    data = _parse(name, raw)
    if is_ours(data):
        return ImportBatch([conversation_from_ours(data, name)], OURS)
    if isinstance(data, list) or (isinstance(data, dict) and "mapping" in data):
        return ImportBatch(conversations_from_export(data, name), CHATGPT)
    raise ImportFailedError(
        translate(
            "Import",
            "{file} is neither a ChatGPT export (conversations.json) nor a conversation "
            "exported from Desktop Chat.",
        ).format(file=name)
    )


def _from_folder(folder: Path) -> ImportBatch:
    export = folder / "conversations.json"
    if export.is_file():
        return _from_json_file(export.name, _read_bytes(export))
    files = sorted(p for p in folder.glob("*.json") if p.is_file())
    if not files:
        raise ImportFailedError(
            translate(
                "Import", "{folder} holds no conversations.json and no conversation (.json) files."
            ).format(folder=folder)
        )
    return _ours_only([(p.name, _read_bytes(p)) for p in files], folder.name)


def _from_zip(path: Path) -> ImportBatch:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i for i in archive.infolist() if not i.is_dir()]
            export = next(
                (i for i in names if PurePosixPath(i.filename).name == "conversations.json"), None
            )
            if export is not None:
                return _from_json_file(f"{path.name}: {export.filename}", _member(archive, export))
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
                [(f"{path.name}: {i.filename}", _member(archive, i)) for i in ours], path.name
            )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFailedError(
            translate("Import", "{file} is a damaged ZIP file ({reason}).").format(
                file=path.name, reason=exc
            )
        ) from None


def _ours_only(files: list[tuple[str, bytes]], where: str) -> ImportBatch:
    conversations = []
    for name, raw in files:
        data = _parse(name, raw)
        if not is_ours(data):
            raise ImportFailedError(
                translate(
                    "Import", "{file} in {folder} is not a conversation exported from Desktop Chat."
                ).format(file=name, folder=where)
            )
        conversations.append(conversation_from_ours(data, name))
    return ImportBatch(conversations, OURS)


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
