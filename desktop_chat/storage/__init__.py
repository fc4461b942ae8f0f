"""Conversations on disk: plain JSON files, written atomically, indexed for speed.

The names below load on first use (PEP 562): the settings file, read before the first
window is painted, lives in this package too, and must not wait for the store's imports.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .files import write_atomic
    from .reports import (
        ConversationGoneError,
        ConversationUnreadableError,
        DoctorReport,
        ImportReport,
        OpenReport,
        QuarantinedFile,
        SaveFailedError,
        TrashEntry,
    )
    from .schema import SCHEMA_VERSION, CorruptFileError, NewerSchemaError, decode, encode
    from .store import ConversationStore

_MODULE_OF = {
    "write_atomic": ".files",
    "SCHEMA_VERSION": ".schema",
    "CorruptFileError": ".schema",
    "NewerSchemaError": ".schema",
    "decode": ".schema",
    "encode": ".schema",
    "ConversationGoneError": ".reports",
    "ConversationStore": ".store",
    "ConversationUnreadableError": ".reports",
    "DoctorReport": ".reports",
    "ImportReport": ".reports",
    "OpenReport": ".reports",
    "QuarantinedFile": ".reports",
    "SaveFailedError": ".reports",
    "TrashEntry": ".reports",
}

__all__ = [
    "SCHEMA_VERSION",
    "ConversationGoneError",
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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # once: later uses are plain lookups
    return value
