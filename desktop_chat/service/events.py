"""What happens to one conversation, announced by the service as it happens: the window
showing that conversation subscribes to these, and to no other's (napari's evented
containers are the model: the model announces, the view listens, nobody relays)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ConversationEvents(QObject):
    message_added = Signal(str)
    """(message id): a message was added at the end."""
    message_changed = Signal(str)
    """(message id): its text or status changed."""
    replaced = Signal()
    """Its messages were replaced wholesale (another version shown, or restored)."""
    streaming_changed = Signal(bool)
    """Whether a reply is arriving."""
    settings_changed = Signal()
    """The app changed how its replies are made (another model)."""
