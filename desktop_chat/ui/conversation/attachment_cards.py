"""A question's attachments in the conversation: pictures as previews in a row (a click
shows one full size), files as cards (name, size, Show) that open to their text below."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QLocale, QRect, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPainter,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)

from ...domain import Attachment, Message
from ...render.builder import DocumentBuilder
from ...render.links import Action, action_href

ATTACHMENT_SCHEME = "attachment"
"""Image resources of the document: attachment:<digest>, a preview (see MessageView)."""
PREVIEW_MAX_HEIGHT = 180
PREVIEW_MAX_WIDTH = 320
FILE_ICON_SIZE = 16
FILE_SHOWN_LIMIT = 20_000
"""Of an opened file card, this many characters are shown; all of it is sent and saved."""


def attachment_url(attachment: Attachment) -> str:
    return f"{ATTACHMENT_SCHEME}:{attachment.digest}"


def preview_size(attachment: Attachment) -> tuple[int, int]:
    """Where an image's preview fits: known before it is loaded, so nothing moves after."""
    return attachment.fitted(PREVIEW_MAX_WIDTH, PREVIEW_MAX_HEIGHT)


class AttachmentCards:
    def __init__(
        self,
        document: QTextDocument,
        builder: Callable[[], DocumentBuilder],
        locale: Callable[[], QLocale],
        file_text: Callable[[Attachment], str | None],
    ) -> None:
        self._document = document
        self._builder = builder
        self._locale = locale
        self._file_text = file_text
        """An attached file's text once loaded (None: not yet, and it is asked for)."""
        self._file_icon: tuple[str, QImage] = ("", QImage())

    def key(self, message: Message, opened: frozenset[int]) -> object:
        """What the cards are drawn from: while it is the same, they are not drawn again."""
        if not message.attachments:
            return None
        loaded = tuple(
            self._file_text(a) is not None for i, a in enumerate(message.attachments) if i in opened
        )
        return (message.attachments, opened, loaded)

    def insert(self, cursor: QTextCursor, message: Message, opened: frozenset[int]) -> None:
        """Images as previews in a row (click for the full picture), then a card per file
        (its name and size; Show opens it below)."""
        images = [(i, a) for i, a in enumerate(message.attachments) if a.is_image]
        files = [(i, a) for i, a in enumerate(message.attachments) if not a.is_image]
        for number, (index, attachment) in enumerate(images):
            if number:
                cursor.insertText("  ", QTextCharFormat())
            image = QTextImageFormat()
            image.setName(attachment_url(attachment))
            width, height = preview_size(attachment)
            image.setWidth(width)
            image.setHeight(height)
            image.setAnchor(True)
            image.setAnchorHref(action_href(Action.VIEW_ATTACHMENT, message.id, str(index)))
            image.setToolTip(
                QCoreApplication.translate("MessageView", "%1 (click to view)").replace(
                    "%1", attachment.name
                )
            )
            cursor.insertImage(image)
        for number, (index, attachment) in enumerate(files):
            if images or number:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._insert_file_card(cursor, message, index, attachment, index in opened)

    def _insert_file_card(
        self,
        cursor: QTextCursor,
        message: Message,
        index: int,
        attachment: Attachment,
        opened: bool,
    ) -> None:
        from ...service import describe_size
        from ..icons import document

        formats = self._builder().formats
        color = formats.style.colour("text")
        icon_name = f"icon:document-{color.name()}"
        if self._file_icon[0] != icon_name:
            self._file_icon = (icon_name, document(color, FILE_ICON_SIZE, 2.0))
        # Added each time: clearing the document (another chat opened) drops resources.
        self._document.addResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl(icon_name), self._file_icon[1]
        )
        icon = QTextImageFormat()
        icon.setName(icon_name)
        icon.setWidth(FILE_ICON_SIZE)
        icon.setHeight(FILE_ICON_SIZE)
        icon.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
        cursor.insertImage(icon)
        name = QTextCharFormat()
        name.setFontWeight(QFont.Weight.DemiBold)
        cursor.insertText(" ", QTextCharFormat())
        cursor.insertText(attachment.name, name)
        cursor.insertText(f"  ·  {describe_size(attachment.size)}   ", formats.muted())
        label = (
            QCoreApplication.translate("MessageView", "Hide")
            if opened
            else QCoreApplication.translate("MessageView", "Show")
        )
        toggle = action_href(Action.TOGGLE_FILE, message.id, str(index))
        cursor.insertText(label, formats.link(toggle))
        if not opened:
            return
        text = self._file_text(attachment)
        if text is None:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertText(
                QCoreApplication.translate("MessageView", "Loading…"),
                formats.muted(italic=True),
            )
            return
        shown = text[:FILE_SHOWN_LIMIT]
        for line in shown.rstrip("\n").split("\n"):
            cursor.insertBlock(formats.code_line(), formats.code_char())
            cursor.insertText(line, formats.code_char())
        if len(text) > len(shown):
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            note = shown_part(self._locale(), len(shown), len(text))
            cursor.insertText(note, formats.muted(italic=True))
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())


def shown_part(locale: QLocale, shown: int, total: int) -> str:
    """The note under text shown in part: how many of its characters are on screen."""
    return (
        QCoreApplication.translate("MessageView", "… Showing the first %1 of %2 characters.")
        .replace("%1", locale.toString(shown))
        .replace("%2", locale.toString(total))
    )


class AttachmentContent:
    """What the cards show that is read from the files: pictures' previews and files'
    text, each asked for once (`load_preview`, `load_file_text`; the answers come back to
    `set_preview`, `set_file_text`), with a placeholder of the right size meanwhile."""

    def __init__(self, background: Callable[[], QColor], palette: Callable[[], QPalette]) -> None:
        self._background = background
        self._palette = palette
        self.load_preview: Callable[[Attachment], object] = lambda attachment: None
        """Asks for an image's preview; the answer comes to `set_preview`."""
        self.load_file_text: Callable[[Attachment], object] = lambda attachment: None
        """Asks for a file's text; the answer comes to `set_file_text`."""
        self._known: dict[str, Attachment] = {}
        self._previews: dict[str, QImage] = {}
        self._texts: dict[str, str] = {}
        self._asked: set[str] = set()

    def know(self, attachments: Iterable[Attachment]) -> None:
        """Attachments of a message being shown: their pictures may be asked for."""
        for attachment in attachments:
            self._known[attachment.digest] = attachment

    def picture(self, digest: str) -> QImage:
        """The picture to show for an image attachment: its preview once read (asked for
        now if not), a blank of the right size until then."""
        preview = self._previews.get(digest)
        if preview is not None:
            return preview
        attachment = self._known.get(digest)
        if attachment is None:
            return QImage()
        if digest not in self._asked:
            self._asked.add(digest)
            self.load_preview(attachment)
        return self._placeholder(attachment, "")

    def set_preview(self, attachment: Attachment, image: QImage | None, missing: str) -> QImage:
        """Keep a preview read (None: the file is gone: a card saying `missing` instead);
        returns the picture to show."""
        shown = image if image is not None and not image.isNull() else None
        if shown is None:
            shown = self._placeholder(attachment, missing)
        self._previews[attachment.digest] = shown
        return shown

    def preview_of(self, attachment: Attachment) -> QImage | None:
        return self._previews.get(attachment.digest)

    def file_text(self, attachment: Attachment) -> str | None:
        """A file's text once read (None until then: asked for now)."""
        text = self._texts.get(attachment.digest)
        if text is None and attachment.digest not in self._asked:
            self._asked.add(attachment.digest)
            self.load_file_text(attachment)
        return text

    def set_file_text(self, attachment: Attachment, text: str) -> None:
        self._texts[attachment.digest] = text

    def _placeholder(self, attachment: Attachment, text: str) -> QImage:
        width, height = preview_size(attachment)
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(self._background())
        if text:
            painter = QPainter(image)
            painter.setPen(self._palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRect(0, 0, width, height), Qt.AlignmentFlag.AlignCenter, text)
            painter.end()
        return image
