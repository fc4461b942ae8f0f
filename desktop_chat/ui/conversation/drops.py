"""The conversation view's attachments: pictures and file texts shown in it, and files or
pictures dropped on it (offered to the composer to attach)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage, QTextDocument

from ...domain import Attachment
from .attachment_cards import ATTACHMENT_SCHEME, attachment_url

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTextBrowser as _Base
else:
    _Base = object


class AttachmentDrops(_Base):
    """For the message view (mixed in before its Qt class, whose handlers take what is not
    an attachment): it has `files_offered` and `image_offered` signals, `attachment_content`
    and the conversation shown."""

    files_offered: Any
    image_offered: Any
    attachment_content: Any
    _conversation: Any
    _opened: dict[str, frozenset[int]]

    def refresh_message(self, message_id: str) -> None: ...

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        url = QUrl(name) if isinstance(name, str) else name
        if url.scheme() != ATTACHMENT_SCHEME:
            return super().loadResource(kind, name)
        return self.attachment_content.picture(url.path())

    def set_preview(self, attachment: Attachment, image: QImage | None) -> None:
        """An image's preview was read (None: it could not be, the file is missing)."""
        shown = self.attachment_content.set_preview(
            attachment, image, QCoreApplication.translate("MessageView", "Missing")
        )
        self.document().addResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl(attachment_url(attachment)), shown
        )
        self.viewport().update()  # the size was known: only the picture changes

    def preview_of(self, attachment: Attachment) -> QImage | None:
        """The picture shown for an image attachment once read (a "Missing" card when its
        file is gone); None while it is being read."""
        return self.attachment_content.preview_of(attachment)

    def set_file_text(self, attachment: Attachment, text: str) -> None:
        """A file's text has been read (or why it could not be, in its place)."""
        self.attachment_content.set_file_text(attachment, text)
        if self._conversation is None:
            return
        for message in self._conversation.messages:
            if attachment in message.attachments and message.id in self._opened:
                self.refresh_message(message.id)

    def toggle_file(self, message_id: str, index: int) -> None:
        opened = self._opened.get(message_id, frozenset())
        self._opened[message_id] = opened ^ {index}
        self.refresh_message(message_id)

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
