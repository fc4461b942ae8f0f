"""The app's logic between the window and the outside world (files, network, keyring)."""

from ..attachments import NewAttachment, describe_size
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
