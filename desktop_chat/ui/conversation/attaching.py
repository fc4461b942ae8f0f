"""Attachments, as the open conversation shows them: chosen, dropped or pasted into the
composer (read and checked by the attachment service, off the UI thread), stored when the
question is sent, and shown in the messages (previews, file text, a picture full size).
Every file is read through the service; nothing here touches the disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QWidget

from ...domain import Attachment, Message
from ...errors import ChatError
from ...service import AttachmentService
from ..notices import NoticeBar
from ..tasks import BackgroundTasks
from .composer import Composer
from .message_view import MessageView

if TYPE_CHECKING:
    from ...service import NewAttachment
    from .image_viewer import ImageViewer

ATTACH_NOTICE = "attach"
ATTACHABLE_PATTERNS = (
    "*.png *.jpg *.jpeg *.webp *.gif *.txt *.md *.csv *.json *.py *.js *.ts *.html *.css "
    "*.c *.h *.cpp *.java *.go *.rs *.sh *.yaml *.yml *.toml *.xml *.sql *.log"
)


class Attaching(QObject):
    def __init__(
        self,
        files: AttachmentService,
        composer: Composer,
        view: MessageView,
        notices: NoticeBar,
        tasks: BackgroundTasks,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._files = files
        self._composer = composer
        self._view = view
        self._notices = notices
        self._tasks = tasks
        self._parent = parent
        self.image_viewer: ImageViewer | None = None
        view.attachment_content.load_preview = lambda a: tasks.run(self._load_preview(a))
        view.attachment_content.load_file_text = lambda a: tasks.run(self._load_file_text(a))
        for offering in (composer, view):
            offering.files_offered.connect(self.attach_files)
            offering.image_offered.connect(self.attach_image)
        composer.attach_requested.connect(self.choose)

    # --- into the composer ----------------------------------------------------------------

    @Slot()
    def choose(self) -> None:
        dialog = QFileDialog(self._parent, self.tr("Attach images or files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(
            [
                self.tr("Images and text files (%1)").replace("%1", ATTACHABLE_PATTERNS),
                self.tr("All files (*)"),
            ]
        )
        dialog.filesSelected.connect(self.attach_files)
        dialog.open()  # not exec(): no nested event loop under the running replies

    @Slot(list)
    def attach_files(self, paths: list[str]) -> None:
        self._tasks.run(self._attach([Path(p) for p in paths]))

    @Slot(QImage)
    def attach_image(self, image: QImage) -> None:
        self._tasks.run(self._attach([image]))

    async def _attach(self, sources: list[Path | QImage]) -> None:
        """Each good file becomes a chip; each refusal is said (the rest still come)."""
        from ...service import MAX_ATTACHMENTS

        room = MAX_ATTACHMENTS - len(self._composer.attachments())
        prepared = await self._files.prepare(sources, room)
        for item, preview in prepared.attached:
            self._composer.add_attachment(item, preview)
        if prepared.refused:
            self._notices.show_notice(ATTACH_NOTICE, " ".join(prepared.refused))
        else:
            self._notices.clear_notice(ATTACH_NOTICE)
        self._composer.edit.setFocus()

    # --- sent with a question -------------------------------------------------------------

    def take(self) -> list[tuple[NewAttachment, QImage]]:
        """The composer's attachments, handed over to be sent (the chips go)."""
        attached = self._composer.attached()
        if attached:
            self._composer.clear_attachments()
            self._notices.clear_notice(ATTACH_NOTICE)
        return attached

    async def keep(
        self,
        attached: list[tuple[NewAttachment, QImage]],
        text: str,
        still_there: Callable[[], bool],
    ) -> list[Attachment] | None:
        """Store the attachments of a question; None when they cannot be (a full disk),
        said, with the question and its attachments back in the box (if still there)."""
        try:
            kept = await self._files.keep(
                [item for item, _ in attached], [preview for _, preview in attached]
            )
        except ChatError as exc:
            # Nothing is lost: the question and its attachments go back into the box.
            if still_there() and not self._composer.text().strip():
                self._composer.set_text(text)
                for item, preview in attached:
                    self._composer.add_attachment(item, preview)
            self._notices.show_notice(ATTACH_NOTICE, exc.message)
            return None
        # The chips' previews serve the sent message too: not read and scaled again.
        for attachment, (_, preview) in zip(kept, attached, strict=True):
            if attachment.is_image and not preview.isNull():
                self._view.set_preview(attachment, preview)
        return kept

    # --- in the messages -----------------------------------------------------------------

    def view(self, message: Message, index: int) -> None:
        """An attached picture, large, in a window of its own."""
        if not 0 <= index < len(message.attachments):
            return
        from .image_viewer import ImageViewer

        attachment = message.attachments[index]
        self.image_viewer = ImageViewer(attachment, self._files.path(attachment), self._parent)
        self.image_viewer.open()
        self._tasks.run(self._show_full_image(self.image_viewer, attachment))

    async def _show_full_image(self, viewer: ImageViewer, attachment: Attachment) -> None:
        try:
            image = await self._files.full_image(attachment)
        except ChatError as exc:
            viewer.show_image(None, exc.message)
            return
        viewer.show_image(image)

    async def _load_preview(self, attachment: Attachment) -> None:
        try:
            image: QImage | None = await self._files.preview(attachment)
        except ChatError:
            image = None
        self._view.set_preview(attachment, image)

    async def _load_file_text(self, attachment: Attachment) -> None:
        try:
            text = await self._files.text(attachment)
        except ChatError as exc:
            text = exc.message
        self._view.set_file_text(attachment, text)
