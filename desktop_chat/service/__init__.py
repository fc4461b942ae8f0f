"""The app's logic between the window and the outside world (files, network, keyring)."""

from ..secrets import KeyLocation
from ..storage import TrashEntry
from .chat_service import ChatService, ImportOutcome, SearchResults
from .saver import snapshot
from .settings_service import (
    ConnectionCheck,
    KeyChange,
    KeySource,
    KeyStatus,
    SaveProblem,
    SettingsService,
)

__all__ = [
    "ChatService",
    "ConnectionCheck",
    "ImportOutcome",
    "KeyChange",
    "KeyLocation",
    "KeySource",
    "KeyStatus",
    "SaveProblem",
    "SearchResults",
    "SettingsService",
    "TrashEntry",
    "snapshot",
]
