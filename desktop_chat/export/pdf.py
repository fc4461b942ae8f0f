"""A conversation as a PDF, printed by Qt itself (no browser, no extra library).

The page is built with the document builder that draws replies in the window (one parse,
one look): tables with padded cells and a shaded header, quotes with their bar, code in
its panel, formulas typeset (and printed as vectors). Black on white, for paper. Needs a
QGuiApplication (fonts); the command line makes an offscreen one.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)

from .. import design
from ..domain import Attachment, Conversation, Message, Role
from ..errors import ChatError
from ..i18n import translate
from ..images import ImageThread, on_image_thread
from ..markdown import parse
from ..render.builder import DocumentBuilder
from ..render.math import Formulas, MathObjects
from ..render.style import TextStyle
from .text import (
    Reader,
    attachment_label,
    ending_note,
    reasoning_label,
    speaker,
    summary_line,
    title_of,
    when,
)

PRINT_SIDE = 1600
"""Pixels on a picture's longest side in the PDF: sharp at its printed size (about 17 cm)."""
PICTURE_BOX = (480, 360)
"""Points a picture may take on the page."""
BODY_POINTS = 10.0
FONT_FAMILIES = ["DejaVu Sans", "Noto Sans", "Arial", "sans-serif"]
WARNING = "#8a4b00"


def pdf(
    conversation: Conversation,
    read: Reader | None = None,
    formulas: Formulas | None = None,
    images: ImageThread | None = None,
) -> bytes:
    """The PDF's bytes: A4 portrait, 15 mm margins, text selectable and searchable; images
    attached to questions printed in place (`read` gives their bytes). `formulas` may hold
    the conversation's formulas typeset beforehand (see `formulas_in`)."""
    document = _document(conversation, read, formulas or Formulas(None), images)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title_of(conversation))
    writer.setCreator("Desktop Chat")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document.print_(writer)  # lays the text out for the page and ends the PDF
    buffer.close()
    return bytes(data.data())


def formulas_in(conversation: Conversation) -> list[tuple[str, bool]]:
    """The formulas of the conversation's replies: typeset them (`Formulas.prepare`) off
    the GUI thread before printing there."""
    found: list[tuple[str, bool]] = []
    for message in conversation.messages:
        for text in (message.reasoning, message.content):
            if message.role is Role.ASSISTANT and ("$" in text or "\\" in text):
                found += _formulas(text)
    return found


def _formulas(text: str) -> list[tuple[str, bool]]:
    found: list[tuple[str, bool]] = []
    for token in parse(text):
        if token.type in ("math_block", "math_block_eqno"):
            found.append((str(token.content).strip(), True))
        for child in token.children or ():
            if child.type in ("math_inline", "math_inline_double"):
                found.append((str(child.content).strip(), child.type.endswith("double")))
    return found


def _document(
    conversation: Conversation,
    read: Reader | None,
    formulas: Formulas,
    images: ImageThread | None = None,
) -> QTextDocument:
    document = QTextDocument()
    document.setUndoRedoEnabled(False)
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(BODY_POINTS)
    document.setDefaultFont(font)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title_of(conversation))
    style = TextStyle.for_print(font)
    builder = DocumentBuilder(style, copy_links=False)
    MathObjects(formulas, lambda: QColor("#000000"), document).install(document)
    cursor = QTextCursor(document)
    builder.mark_placeholder(cursor)
    page = _Page(cursor, builder, style, images)
    page.line(title_of(conversation), points=16, bold=True, bottom=design.SPACE[0])
    page.line(summary_line(conversation), points=8.5, colour=style.colour("muted"))
    system_prompt = conversation.settings.system_prompt.strip()
    if system_prompt:
        label = translate("Export", "System prompt")
        page.line(f"{label}: {system_prompt}", points=8.5, colour=style.colour("muted"))
    for message in conversation.messages:
        page.message(message, read)
    page.line(
        translate("Export", "Exported from Desktop Chat."),
        points=8.5,
        colour=style.colour("muted"),
        top=design.SPACE[4],
    )
    return document


class _Page:
    """Writes the page, block after block, at one cursor."""

    def __init__(
        self,
        cursor: QTextCursor,
        builder: DocumentBuilder,
        style: TextStyle,
        images: ImageThread | None,
    ) -> None:
        self.cursor = cursor
        self.builder = builder
        self.style = style
        self.images = images

    def line(
        self,
        text: str,
        *,
        points: float = BODY_POINTS,
        bold: bool = False,
        italic: bool = False,
        colour: QColor | None = None,
        top: float = 0,
        bottom: float = design.SPACE[1],
    ) -> None:
        block = QTextBlockFormat()
        block.setTopMargin(top)
        block.setBottomMargin(bottom)
        fmt = QTextCharFormat()
        fmt.setFontPointSize(points)
        if bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setFontItalic(italic)
        if colour is not None:
            fmt.setForeground(colour)
        self._block(block, fmt)
        self.cursor.insertText(text.replace("\n", "\u2028"), fmt)

    def message(self, message: Message, read: Reader | None) -> None:
        heading = QTextBlockFormat()
        heading.setTopMargin(design.SPACE[3])
        heading.setBottomMargin(design.SPACE[0])
        name = QTextCharFormat()
        name.setFontWeight(QFont.Weight.Bold)
        name.setFontPointSize(10.5)
        self._block(heading, name)
        self.cursor.insertText(speaker(message), name)
        muted = QTextCharFormat()
        muted.setForeground(self.style.colour("muted"))
        muted.setFontPointSize(8.5)
        self.cursor.insertText(f" · {when(message.created_at)}", muted)
        for attachment in message.attachments:
            self._attachment(attachment, read)
        if message.role is Role.ASSISTANT and message.reasoned:
            self.line(
                reasoning_label(message),
                points=8.5,
                bold=True,
                colour=self.style.colour("muted"),
                bottom=0,
            )
            if message.reasoning:
                quiet = DocumentBuilder(self.style.for_thoughts(), copy_links=False)
                quiet.insert(self.cursor, parse(message.reasoning))
        if message.role is Role.ASSISTANT:
            self.builder.insert(self.cursor, parse(message.content))
        elif message.content:
            self.line(message.content)  # a question as typed: no Markdown surprises
        note = ending_note(message)
        if note:
            self.line(note, italic=True, colour=QColor(WARNING))

    def _attachment(self, attachment: Attachment, read: Reader | None) -> None:
        if read is None:
            self.line(f"[{attachment_label(attachment)}]", colour=self.style.colour("muted"))
            return
        try:
            data = read(attachment)
        except ChatError as exc:
            self.line(exc.message, italic=True, colour=QColor(WARNING))
            return
        if not attachment.is_image:
            from ..attachments import describe_size

            self.line(f"{attachment.name} · {describe_size(attachment.size)}", bold=True)
            text = data.decode("utf-8-sig", errors="replace")
            self.builder.code_block(self.cursor, text.rstrip("\n"), "", -1)
            return
        picture = on_image_thread(self.images, _picture, attachment, data)
        if picture is None:
            self.line(f"[{attachment_label(attachment)}]", colour=self.style.colour("muted"))
            return
        name = f"attachment:{attachment.digest}"
        document = self.cursor.document()
        assert document is not None
        document.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), picture)
        block = QTextBlockFormat()
        block.setBottomMargin(design.SPACE[1])
        self._block(block, QTextCharFormat())
        image = QTextImageFormat()
        image.setName(name)
        width, height = attachment.fitted(*PICTURE_BOX)
        image.setWidth(width)
        image.setHeight(height)
        self.cursor.insertImage(image)

    def _block(self, block: QTextBlockFormat, fmt: QTextCharFormat) -> None:
        self.builder.new_block(self.cursor, block, fmt)


def _picture(attachment: Attachment, data: bytes) -> QImage | None:
    """The picture decoded at print resolution, or None."""
    from ..attachments import thumbnail

    try:
        picture = thumbnail(data, attachment.media_type, PRINT_SIDE)
    except ChatError:
        return None
    return None if picture.isNull() else picture
