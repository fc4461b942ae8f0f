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
    """CHATGPT or OURS: what kind of file it was."""


def read_import(path: Path) -> ImportBatch:
    """The conversations in `path`. Raises ImportFailedError saying what is wrong."""
    if not path.exists():
        raise ImportFailedError(f"{path} does not exist.")
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
        f"{name} is neither a ChatGPT export (conversations.json) nor a conversation "
        "exported from Desktop Chat."
    )


def _from_folder(folder: Path) -> ImportBatch:
    export = folder / "conversations.json"
    if export.is_file():
        return _from_json_file(export.name, _read_bytes(export))
    files = sorted(p for p in folder.glob("*.json") if p.is_file())
    if not files:
        raise ImportFailedError(
            f"{folder} holds no conversations.json and no conversation (.json) files."
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
                    f"{path.name} is a ZIP file without conversations.json: not a ChatGPT "
                    "export, and no conversation files in it either."
                )
            return _ours_only(
                [(f"{path.name}: {i.filename}", _member(archive, i)) for i in ours], path.name
            )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFailedError(f"{path.name} is a damaged ZIP file ({exc}).") from None


def _ours_only(files: list[tuple[str, bytes]], where: str) -> ImportBatch:
    conversations = []
    for name, raw in files:
        data = _parse(name, raw)
        if not is_ours(data):
            raise ImportFailedError(
                f"{name} in {where} is not a conversation exported from Desktop Chat."
            )
        conversations.append(conversation_from_ours(data, name))
    return ImportBatch(conversations, OURS)


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_JSON_BYTES:
        raise ImportFailedError(
            f"{info.filename} is too large to import ({info.file_size:,} bytes)."
        )
    return archive.read(info)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise ImportFailedError(f"{path.name} is too large to import.")
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailedError(f"{path.name} could not be read: {exc.strerror or exc}.") from None


def _parse(name: str, raw: bytes) -> Any:
    try:
        return parse_json(raw, encoding="utf-8-sig")  # a byte-order mark is harmless here
    except CorruptFileError as exc:
        raise ImportFailedError(f"{name} is {exc}.") from None
