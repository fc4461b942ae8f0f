"""The character and block formats of rendered Markdown, in one style: paragraphs, links,
code, captions. The builder writes with them; the message renderer too, for what it adds
around a reply (its notes, a file's text)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextBlockFormat, QTextCharFormat, QTextFormat

from .. import design
from .style import TextStyle

PLACEHOLDER = int(QTextFormat.Property.UserProperty) + 1
"""On an empty block the builder left to be written over (it takes no height)."""
CODE_BLOCK = int(QTextFormat.Property.UserProperty) + 2
"""On each line of a code block."""
CODE_HEADER = int(QTextFormat.Property.UserProperty) + 3
"""On the caption line of a code block (its language and Copy)."""
QUOTE = int(QTextFormat.Property.UserProperty) + 4
"""On the table that draws a quote's bar."""
CODE_FRAME = int(QTextFormat.Property.UserProperty) + 5
"""On a code block's frame (the view rounds its background)."""

PARAGRAPH_GAP = design.SPACE[2]


class Formats:
    def __init__(self, style: TextStyle) -> None:
        self.style = style

    def paragraph(self, indent: int = 0) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(PARAGRAPH_GAP)
        fmt.setLineHeight(
            design.LINE_HEIGHT * 100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        fmt.setIndent(indent)
        return fmt

    def text(self, *, muted: bool = False) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if muted or self.style.quiet:
            fmt.setForeground(self.style.colour("muted"))
        if self.style.quiet:
            fmt.setFontPointSize(self.style.points)
        return fmt

    def with_full_font(self, fmt: QTextCharFormat) -> QTextCharFormat:
        """`fmt` with the whole font written out (a formula is sized from its format's font)."""
        font = QFont(self.style.font)
        if fmt.hasProperty(QTextFormat.Property.FontPointSize):
            font.setPointSizeF(fmt.fontPointSize())
        out = QTextCharFormat(fmt)
        out.setFont(font, QTextCharFormat.FontPropertiesInheritanceBehavior.FontPropertiesAll)
        return out

    def caption(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(self.style.colour("muted"))
        fmt.setFontPointSize(self.style.points * design.CAPTION_SCALE)
        return fmt

    def muted(self, *, italic: bool = False, small: bool = False) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(self.style.colour("muted"))
        fmt.setFontItalic(italic)
        if small:
            fmt.setFontPointSize(max(7.0, self.style.points * design.CAPTION_SCALE))
        return fmt

    def link(self, href: str, base: QTextCharFormat | None = None) -> QTextCharFormat:
        fmt = QTextCharFormat(base) if base is not None else QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setForeground(self.style.colour("accent"))
        fmt.setFontUnderline(True)
        if not href.startswith("desktop-chat:"):
            fmt.setToolTip(href)  # where a link in a reply leads, before it is followed
        return fmt

    def inline_code(self, base: QTextCharFormat) -> QTextCharFormat:
        fmt = QTextCharFormat(base)
        fmt.setFontFamilies(["monospace"])
        fmt.setFontFixedPitch(True)
        fmt.setFontStyleHint(QFont.StyleHint.Monospace)
        fmt.setFontPointSize(self.style.points * design.CODE_SCALE)
        fmt.setBackground(self.style.colour("code"))
        return fmt

    def code_char(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontFamilies(["monospace"])
        fmt.setFontFixedPitch(True)
        fmt.setFontStyleHint(QFont.StyleHint.Monospace)
        fmt.setFontPointSize(self.style.points * design.CODE_SCALE)
        return fmt

    def code_line(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setProperty(CODE_BLOCK, True)
        fmt.setProperty(QTextFormat.Property.BlockCodeFence, "`")
        fmt.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        return fmt
