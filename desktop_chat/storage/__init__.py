"""Conversations on disk: plain JSON files, written atomically, indexed for speed."""

from .files import write_atomic
from .schema import SCHEMA_VERSION, CorruptFileError, NewerSchemaError, decode, encode
from .store import (
    ConversationStore,
    ConversationUnreadableError,
    DoctorReport,
    ImportReport,
    OpenReport,
    QuarantinedFile,
    SaveFailedError,
    TrashEntry,
)

__all__ = [
    "SCHEMA_VERSION",
    "ConversationStore",
    "ConversationUnreadableError",
    "CorruptFileError",
    "DoctorReport",
    "ImportReport",
    "NewerSchemaError",
    "OpenReport",
    "QuarantinedFile",
    "SaveFailedError",
    "TrashEntry",
    "decode",
    "encode",
    "write_atomic",
]
