"""Markdown tokens written into a QTextDocument: how a reply looks on screen and in the PDF.

The builder walks markdown-it's tokens (desktop_chat.markdown) and inserts blocks, lists,
tables and frames at a cursor, with every format set as it is inserted (never merged in
afterwards, which lays the document out again each time). What a top-level block becomes
depends on that block alone, so writing a text's blocks in several goes gives the same
document as writing them in one: a streaming reply renders its finished blocks once, and
ends up exactly as the finished reply would have been rendered.

Blocks the builder leaves empty (the first block of a new frame or cell, the one Qt puts
after a table) are marked as placeholders and take no height; the next block written there
takes their place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import (
    QBrush,
    QFont,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextFrameFormat,
    QTextLength,
    QTextList,
    QTextListFormat,
    QTextTableCellFormat,
    QTextTableFormat,
)

from .. import design
from ..markdown import Token, safe_link
from .formats import (
    CODE_FRAME,
    CODE_HEADER,
    PARAGRAPH_GAP,
    PLACEHOLDER,
    QUOTE,
    Formats,
)
from .links import Action, action_href
from .math import math_format
from .nodes import Node, alignment, nodes_of, task_checked
from .style import TextStyle

OBJECT_CHARACTER = "\ufffc"

INDENT_PX = 24
ITEM_GAP_TIGHT = 2
ITEM_GAP_LOOSE = design.SPACE[1]
BULLETS = (
    QTextListFormat.Style.ListDisc,
    QTextListFormat.Style.ListCircle,
    QTextListFormat.Style.ListSquare,
)


@dataclass(frozen=True)
class CodeSpan:
    """A code block written: where its code starts (a document position), its text and
    language, and its number among the reply's code blocks (for Copy)."""

    start: int
    text: str
    language: str
    index: int


@dataclass
class Written:
    code: list[CodeSpan] = field(default_factory=list)
    formulas: list[tuple[str, bool]] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    indent: int = 0
    """List levels the block is inside."""
    muted: bool = False
    """Inside a quote."""
    tight: bool = True
    list_level: int = 0


class DocumentBuilder:
    """Writes Markdown into documents in one style. `copy_links` adds "Copy code" links
    (the screen; not the PDF)."""

    def __init__(self, style: TextStyle, *, copy_links: bool = True) -> None:
        self.style = style
        self.formats = Formats(style)
        self._copy_links = copy_links
        self._owner = ""
        self._written = Written()
        self._code_index = 0

    # --- entry points ------------------------------------------------------------------

    def insert(
        self,
        cursor: QTextCursor,
        tokens: list[Token],
        *,
        owner: str = "",
        first_code_index: int = 0,
    ) -> Written:
        """Write the blocks of `tokens` at `cursor` (the end of a frame or cell); the
        cursor is left after them. `owner`: the message id its links act on."""
        written = Written()
        self._written = written
        self._owner = owner
        self._code_index = first_code_index
        document = cursor.document()
        if document is not None and document.indentWidth() != INDENT_PX:
            document.setIndentWidth(INDENT_PX)
        # One edit for the whole: the document is laid out once at the end, not after each
        # of the hundreds of insertions (which made opening a long reply quadratic).
        cursor.beginEditBlock()
        try:
            for node in nodes_of(tokens):
                self._block(cursor, node, _Context())
        finally:
            cursor.endEditBlock()
        return written

    def mark_placeholder(self, cursor: QTextCursor) -> None:
        """Make the (empty) block at `cursor` a placeholder: no height until written over."""
        fmt = QTextBlockFormat()
        fmt.setProperty(PLACEHOLDER, True)
        fmt.setLineHeight(0, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        fmt.setTopMargin(0)
        fmt.setBottomMargin(0)
        cursor.setBlockFormat(fmt)
        cursor.setBlockCharFormat(QTextCharFormat())

    def code_block(
        self, cursor: QTextCursor, code: str, language: str, index: int, ctx: Any = None
    ) -> tuple[Any, int]:
        """Write a code block (its frame, caption and lines); returns the frame and where
        its code starts. `index` < 0: no Copy link (a block still being written)."""
        context = ctx if isinstance(ctx, _Context) else _Context()
        frame_format = QTextFrameFormat()
        frame_format.setBackground(self.style.colour("code"))
        frame_format.setPadding(design.SPACE[2])
        frame_format.setBorder(0)
        frame_format.setTopMargin(design.SPACE[0])
        frame_format.setBottomMargin(PARAGRAPH_GAP)
        frame_format.setLeftMargin(context.indent * INDENT_PX)
        frame_format.setProperty(CODE_FRAME, True)
        frame = self._insert_frame(cursor, frame_format)
        inner = frame.firstCursorPosition()
        header = QTextBlockFormat()
        header.setProperty(CODE_HEADER, True)
        header.setBottomMargin(design.SPACE[0])
        inner.setBlockFormat(header)
        caption = self.formats.caption()
        inner.insertText(language or "code", caption)
        if index >= 0 and self._copy_links:
            inner.insertText("    ", caption)
            link = self.formats.link(action_href(Action.COPY_CODE, self._owner, str(index)))
            link.setFontPointSize(caption.fontPointSize())
            inner.insertText(QCoreApplication.translate("MessageView", "Copy code"), link)
        start = -1
        for number, line in enumerate(code.split("\n")):
            inner.insertBlock(self.formats.code_line(), self.formats.code_char())
            if number == 0:
                start = inner.position()
            inner.insertText(line, self.formats.code_char())
        self._after_frame(cursor, frame)
        return frame, start

    def append_code_lines(self, frame: Any, lines: list[str]) -> None:
        """More lines at the end of a code block's frame."""
        cursor = frame.lastCursorPosition()
        for line in lines:
            cursor.insertBlock(self.formats.code_line(), self.formats.code_char())
            cursor.insertText(line, self.formats.code_char())

    # --- blocks ------------------------------------------------------------------------

    def _block(self, cursor: QTextCursor, node: Node, ctx: _Context) -> None:
        kind = node.type
        if kind == "paragraph":
            self._paragraph(cursor, node, ctx)
        elif kind == "heading":
            self._heading(cursor, node, ctx)
        elif kind in ("bullet_list", "ordered_list"):
            self._list(cursor, node, ctx)
        elif kind == "blockquote":
            self._quote(cursor, node, ctx)
        elif kind in ("fence", "code_block"):
            info = str(node.token.info or "").strip()
            language = info.split()[0] if info else ""
            code = str(node.token.content).removesuffix("\n")
            index = self._code_index
            self._code_index += 1
            _frame, start = self.code_block(cursor, code, language, index, ctx)
            self._written.code.append(CodeSpan(start, code, language, index))
        elif kind == "table":
            self._table(cursor, node, ctx)
        elif kind == "hr":
            fmt = self.formats.paragraph(ctx.indent)
            fmt.setProperty(
                QTextFormat.Property.BlockTrailingHorizontalRulerWidth,
                QTextLength(QTextLength.Type.PercentageLength, 100),
            )
            self.new_block(cursor, fmt, QTextCharFormat())
        elif kind in ("math_block", "math_block_eqno"):
            self._display_math(cursor, str(node.token.content).strip(), ctx)
        elif kind == "inline":
            # Loose text where a block was expected (a list item's first line, say).
            self.new_block(
                cursor, self.formats.paragraph(ctx.indent), self.formats.text(muted=ctx.muted)
            )
            self._inline(cursor, node.token, self.formats.text(muted=ctx.muted))
        else:  # html_block (raw HTML is text here), and whatever a plugin may add
            text = str(node.token.content).rstrip("\n")
            if text:
                self.new_block(
                    cursor, self.formats.paragraph(ctx.indent), self.formats.text(muted=ctx.muted)
                )
                cursor.insertText(text, self.formats.text(muted=ctx.muted))

    def _paragraph(self, cursor: QTextCursor, node: Node, ctx: _Context) -> None:
        fmt = self.formats.paragraph(ctx.indent)
        self.new_block(cursor, fmt, self.formats.text(muted=ctx.muted))
        for child in node.children:
            self._inline(cursor, child.token, self.formats.text(muted=ctx.muted))

    def _heading(self, cursor: QTextCursor, node: Node, ctx: _Context) -> None:
        level = int(str(node.token.tag)[1:] or 1)
        fmt = self.formats.paragraph(ctx.indent)
        fmt.setTopMargin(design.SPACE[3] if level <= 2 else design.SPACE[2])
        fmt.setBottomMargin(design.SPACE[1])
        fmt.setHeadingLevel(level)
        text = self.formats.text(muted=ctx.muted)
        text.setFontWeight(QFont.Weight.DemiBold)
        scales = design.HEADING_SCALES
        text.setFontPointSize(self.style.points * (scales[level - 1] if level <= 3 else 1.0))
        self.new_block(cursor, fmt, text)
        for child in node.children:
            self._inline(cursor, child.token, text)

    def _list(self, cursor: QTextCursor, node: Node, ctx: _Context) -> None:
        ordered = node.type == "ordered_list"
        level = ctx.indent + 1
        list_format = QTextListFormat()
        list_format.setIndent(level)
        if ordered:
            list_format.setStyle(QTextListFormat.Style.ListDecimal)
            start = node.token.attrGet("start")
            if start is not None:
                list_format.setStart(int(start))
        else:
            list_format.setStyle(BULLETS[(level - 1) % len(BULLETS)])
        items = [child for child in node.children if child.type == "list_item"]
        tight = all(
            grandchild.token.hidden
            for item in items
            for grandchild in item.children
            if grandchild.type == "paragraph"
        )
        inner = replace(ctx, indent=level, tight=tight, list_level=level)
        text_list: QTextList | None = None
        for item in items:
            item_format = self.formats.paragraph(inner.indent)
            item_format.setIndent(0)  # the list's own indent places it
            item_format.setBottomMargin(ITEM_GAP_TIGHT if tight else ITEM_GAP_LOOSE)
            if "task-list-item" in str(item.token.attrGet("class") or ""):
                checked = task_checked(item)
                item_format.setMarker(
                    QTextBlockFormat.MarkerType.Checked
                    if checked
                    else QTextBlockFormat.MarkerType.Unchecked
                )
            self.new_block(cursor, item_format, self.formats.text(muted=inner.muted))
            if text_list is None:
                text_list = cursor.createList(list_format)
            else:
                text_list.add(cursor.block())
            children = list(item.children)
            if children and children[0].type == "paragraph":
                for grandchild in children.pop(0).children:
                    self._inline(cursor, grandchild.token, self.formats.text(muted=inner.muted))
            for child in children:
                self._block(cursor, child, inner)

    def _quote(self, cursor: QTextCursor, node: Node, ctx: _Context) -> None:
        table_format = QTextTableFormat()
        table_format.setBorder(0)
        table_format.setBorderCollapse(True)
        table_format.setCellSpacing(0)
        table_format.setCellPadding(0)
        table_format.setMargin(0)
        table_format.setBottomMargin(PARAGRAPH_GAP)
        table_format.setLeftMargin(ctx.indent * INDENT_PX)
        table_format.setProperty(QUOTE, True)
        table = cursor.insertTable(1, 1, table_format)
        cell = table.cellAt(0, 0)
        cell_format = QTextTableCellFormat()
        cell_format.setLeftBorder(3)
        cell_format.setLeftBorderBrush(QBrush(self.style.colour("separator")))
        cell_format.setLeftBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        cell_format.setLeftPadding(design.SPACE[2])
        inner = cell.firstCursorPosition()
        self.mark_placeholder(inner)
        quoted = replace(ctx, indent=0, muted=True)
        for child in node.children:
            self._block(inner, child, quoted)
        self._trim_last_gap(inner)
        # Last: a cell's format lives on its first block's character format, which writing
        # the cell's first block sets.
        cell.setFormat(cell_format)
        self._after_frame(cursor, table)

    def _table(self, cursor: QTextCursor, node: Node, ctx: _Context) -> None:
        rows: list[tuple[bool, list[Node]]] = []
        for section in node.children:
            for row in section.children:
                rows.append((section.type == "thead", row.children))
        if not rows:
            return
        columns = max(len(cells) for _header, cells in rows)
        table_format = QTextTableFormat()
        table_format.setBorder(1)
        table_format.setBorderBrush(QBrush(self.style.colour("separator")))
        table_format.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        table_format.setBorderCollapse(True)
        table_format.setCellSpacing(0)
        table_format.setCellPadding(0)
        table_format.setMargin(0)
        table_format.setTopMargin(design.SPACE[0])
        table_format.setBottomMargin(PARAGRAPH_GAP)
        table_format.setLeftMargin(ctx.indent * INDENT_PX)
        table_format.setHeaderRowCount(sum(1 for header, _cells in rows if header))
        table = cursor.insertTable(len(rows), columns, table_format)
        for row_number, (header, cells) in enumerate(rows):
            for column, cell_node in enumerate(cells):
                cell = table.cellAt(row_number, column)
                cell_format = QTextTableCellFormat()
                cell_format.setTopPadding(design.SPACE[0] + 2)
                cell_format.setBottomPadding(design.SPACE[0] + 2)
                cell_format.setLeftPadding(design.SPACE[2] - 2)
                cell_format.setRightPadding(design.SPACE[2] - 2)
                if header:
                    cell_format.setBackground(self.style.colour("code"))
                inner = cell.firstCursorPosition()
                block = QTextBlockFormat()
                block.setAlignment(alignment(cell_node.token))
                text = self.formats.text(muted=ctx.muted)
                if header:
                    text.setFontWeight(QFont.Weight.DemiBold)
                inner.setBlockFormat(block)
                for child in cell_node.children:
                    self._inline(inner, child.token, text)
                cell.setFormat(cell_format)  # after the text: see _quote
        self._after_frame(cursor, table)

    def _display_math(self, cursor: QTextCursor, latex: str, ctx: _Context) -> None:
        fmt = self.formats.paragraph(ctx.indent)
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        fmt.setTopMargin(design.SPACE[0])
        fmt.setLineHeight(100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        text = self.formats.text(muted=ctx.muted)
        self.new_block(cursor, fmt, text)
        cursor.insertText(
            OBJECT_CHARACTER, math_format(latex, True, self.formats.with_full_font(text))
        )
        self._written.formulas.append((latex, True))

    # --- inline ------------------------------------------------------------------------

    def _inline(self, cursor: QTextCursor, token: Token, base: QTextCharFormat) -> None:
        if token.type != "inline":
            return
        stack = [base]
        for child in token.children or ():
            kind = child.type
            current = stack[-1]
            if kind == "text":
                cursor.insertText(child.content, current)
            elif kind == "softbreak":
                cursor.insertText(" ", current)
            elif kind == "hardbreak":
                cursor.insertText("\u2028", current)
            elif kind in ("strong_open", "em_open", "s_open"):
                fmt = QTextCharFormat(current)
                if kind == "strong_open":
                    fmt.setFontWeight(QFont.Weight.Bold)
                elif kind == "em_open":
                    fmt.setFontItalic(True)
                else:
                    fmt.setFontStrikeOut(True)
                stack.append(fmt)
            elif kind in ("strong_close", "em_close", "s_close", "link_close"):
                if len(stack) > 1:
                    stack.pop()
            elif kind == "link_open":
                href = str(child.attrGet("href") or "")
                stack.append(self.formats.link(href, current) if safe_link(href) else current)
            elif kind == "code_inline":
                cursor.insertText(child.content, self.formats.inline_code(current))
            elif kind == "image":
                # Shown as a link to the picture: a remote image is never fetched.
                source = str(child.attrGet("src") or "")
                label = child.content or source
                fmt = self.formats.link(source, current) if safe_link(source) else current
                image = QCoreApplication.translate("MessageView", "Image: {name}")
                cursor.insertText(image.format(name=label), fmt)
            elif kind in ("math_inline", "math_inline_double"):
                latex = str(child.content).strip()
                display = kind == "math_inline_double"
                cursor.insertText(
                    OBJECT_CHARACTER,
                    math_format(latex, display, self.formats.with_full_font(current)),
                )
                self._written.formulas.append((latex, display))
            elif kind == "html_inline":
                if "task-list-item-checkbox" not in child.content:
                    cursor.insertText(child.content, current)
            elif child.content:
                cursor.insertText(child.content, current)

    # --- the document's structure ------------------------------------------------------

    def new_block(
        self, cursor: QTextCursor, block: QTextBlockFormat, text: QTextCharFormat
    ) -> None:
        """Start a block at the cursor: over a placeholder, or after the current block."""
        if _is_placeholder(cursor.block()):
            cursor.setBlockFormat(block)
            cursor.setBlockCharFormat(text)
        else:
            cursor.insertBlock(block, text)

    def _insert_frame(self, cursor: QTextCursor, fmt: QTextFrameFormat) -> Any:
        frame = cursor.insertFrame(fmt)
        self.mark_placeholder(frame.firstCursorPosition())
        return frame

    def _after_frame(self, cursor: QTextCursor, frame: Any) -> None:
        """Move the cursor to the block after `frame` (a frame or table), a placeholder."""
        after = frame.lastCursorPosition()
        after.movePosition(QTextCursor.MoveOperation.NextBlock)
        cursor.setPosition(after.position())
        if cursor.block().length() == 1:
            self.mark_placeholder(cursor)

    @staticmethod
    def _trim_last_gap(cursor: QTextCursor) -> None:
        """No gap under the last block of a quote: the quote's own gap follows."""
        fmt = cursor.blockFormat()
        if not fmt.boolProperty(PLACEHOLDER):
            fmt.setBottomMargin(0)
            cursor.setBlockFormat(fmt)


def _is_placeholder(block: QTextBlock) -> bool:
    return block.length() == 1 and block.blockFormat().boolProperty(PLACEHOLDER)
