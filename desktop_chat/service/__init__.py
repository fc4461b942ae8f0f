"""The app's logic between the window and the outside world (files, network)."""

from .chat_service import ChatService
from .saver import snapshot

__all__ = ["ChatService", "snapshot"]
