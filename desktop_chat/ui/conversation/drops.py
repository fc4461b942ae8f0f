"""Files and pictures dropped on the conversation: offered to the composer to attach."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTextBrowser as _Base
else:
    _Base = object


class AttachmentDrops(_Base):
    """For a widget with `files_offered` and `image_offered` signals (mixed in before its
    Qt class, whose handlers take what is not an attachment)."""

    files_offered: Any
    image_offered: Any

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from .composer import carries_attachments

        if carries_attachments(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        from .composer import carries_attachments

        if carries_attachments(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        from .composer import hand_over_attachments

        if hand_over_attachments(
            event.mimeData(), self.files_offered.emit, self.image_offered.emit
        ):
            event.acceptProposedAction()
        else:
            super().dropEvent(event)
