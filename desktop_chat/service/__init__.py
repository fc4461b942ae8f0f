"""The app's logic between the window and the outside world (files, network, keyring).

`NewAttachment` and `describe_size` load on first use (PEP 562): the attachments module
loads Qt's image readers, which the window's first paint does not need."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..secrets import KeyLocation
from ..storage import TrashEntry
from .attachment_files import MAX_ATTACHMENTS, AttachmentService, Prepared
from .chat_service import ChatService
from .drafts import NEW_CHAT_DRAFT
from .events import ConversationEvents
from .library import ImportOutcome, LibraryService, SearchResults
from .saver import SAVE_RETRY_DELAYS_S, snapshot
from .settings_service import (
    ConnectionCheck,
    KeyChange,
    KeySource,
    KeyStatus,
    SaveProblem,
    SettingsService,
)
from .store_thread import StoreThread

__all__ = [
    "MAX_ATTACHMENTS",
    "NEW_CHAT_DRAFT",
    "SAVE_RETRY_DELAYS_S",
    "AttachmentService",
    "ChatService",
    "ConnectionCheck",
    "ConversationEvents",
    "ImportOutcome",
    "KeyChange",
    "KeyLocation",
    "KeySource",
    "KeyStatus",
    "LibraryService",
    "NewAttachment",
    "Prepared",
    "SaveProblem",
    "SearchResults",
    "SettingsService",
    "StoreThread",
    "TrashEntry",
    "describe_size",
    "snapshot",
]

if TYPE_CHECKING:
    from ..attachments import NewAttachment, describe_size


def __getattr__(name: str) -> Any:
    if name in ("NewAttachment", "describe_size"):
        from .. import attachments

        return getattr(attachments, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
