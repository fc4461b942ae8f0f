"""A conversation as a PDF, printed by Qt itself (no browser, no extra library).

Qt's rich text understands a subset of HTML and CSS, so the page gets its own plain style
sheet (no variables, no media queries) on top of the export's HTML body. Needs a
QGuiApplication (fonts); the command line makes an offscreen one.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QUrl
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from ..domain import Conversation
from .html import QT_IMAGE_SCHEME, Reader, html
from .text import title_of

PRINT_SIDE = 1600
"""Pixels on a picture's longest side in the PDF: sharp at its printed size (about 17 cm)."""

PRINT_CSS = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10pt; color: #000; }
h1 { font-size: 16pt; }
h2 { font-size: 10.5pt; margin-top: 14pt; }
.meta, time, footer { color: #555; font-size: 8.5pt; }
.note { color: #8a4b00; font-style: italic; }
pre, code { font-family: "DejaVu Sans Mono", "Noto Sans Mono", Consolas, monospace;
  font-size: 8.5pt; }
pre { background-color: #f6f8fa; }
table { border-collapse: collapse; }
th, td { border: 1px solid #bbb; padding: 2pt 4pt; }
blockquote { color: #444; margin-left: 10pt; }
a { color: #0550ae; }
"""
_STYLE_BLOCK = re.compile(r"<style>.*?</style>", re.DOTALL)


def pdf(conversation: Conversation, read: Reader | None = None) -> bytes:
    """The PDF's bytes: A4 portrait, 15 mm margins, text selectable and searchable; images
    attached to questions printed in place (`read` gives their bytes)."""
    page = _STYLE_BLOCK.sub("", html(conversation, for_qt=True, read=read), count=1)
    document = QTextDocument()
    document.setDefaultStyleSheet(PRINT_CSS)
    if read is not None:
        _add_pictures(document, conversation, read)
    document.setHtml(page)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title_of(conversation))
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


def _add_pictures(document: QTextDocument, conversation: Conversation, read: Reader) -> None:
    """The attached pictures, decoded (on the image thread) at print resolution."""
    from ..attachments import thumbnail
    from ..errors import ChatError

    for message in conversation.messages:
        for attachment in message.attachments:
            if not attachment.is_image:
                continue
            try:
                picture = thumbnail(read(attachment), attachment.media_type, PRINT_SIDE)
            except ChatError:
                continue  # the page says it is missing
            document.addResource(
                QTextDocument.ResourceType.ImageResource.value,
                QUrl(f"{QT_IMAGE_SCHEME}:{attachment.digest}"),
                picture,
            )
