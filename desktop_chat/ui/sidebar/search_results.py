"""Search results in the sidebar: conversations, each with the messages that match.

A Qt list model over plain rows (built from the service's results), and a delegate that
draws a conversation's title, or a message's snippet with the matched words marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ...domain import SNIPPET_MARK_END, SNIPPET_MARK_START, Role
from ...service import SearchResults

ConversationIdRole = Qt.ItemDataRole.UserRole + 1
MessageIdRole = Qt.ItemDataRole.UserRole + 2
SnippetRole = Qt.ItemDataRole.UserRole + 3
IsConversationRole = Qt.ItemDataRole.UserRole + 4
InReasoningRole = Qt.ItemDataRole.UserRole + 5
MAX_HITS_PER_CONVERSATION = 5
SNIPPET_LINES = 2

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ResultRow:
    conversation_id: str
    title: str
    message_id: str = ""
    """Empty for the row of the conversation itself."""
    snippet: str = ""
    role: Role | None = None
    more: int = 0
    """On a conversation's row: how many of its matches are not listed."""
    in_reasoning: bool = False
    """The words are in the reply's thoughts."""


def rows_for(results: SearchResults, untitled: str) -> list[ResultRow]:
    """Title matches first, then the conversations whose messages match, newest first;
    under each conversation, its matching messages."""
    order: list[str] = []
    titles: dict[str, str] = {}
    hits: dict[str, list[ResultRow]] = {}
    for summary in results.titles:
        order.append(summary.id)
        titles[summary.id] = summary.title or untitled
    for hit in results.hits:
        if hit.conversation_id not in titles:
            order.append(hit.conversation_id)
            titles[hit.conversation_id] = hit.conversation_title or untitled
        hits.setdefault(hit.conversation_id, []).append(
            ResultRow(
                hit.conversation_id,
                titles[hit.conversation_id],
                hit.message_id,
                hit.snippet,
                hit.role,
                in_reasoning=hit.in_reasoning,
            )
        )
    rows: list[ResultRow] = []
    for conversation_id in order:
        matches = hits.get(conversation_id, [])
        shown = matches[:MAX_HITS_PER_CONVERSATION]
        rows.append(
            ResultRow(conversation_id, titles[conversation_id], more=len(matches) - len(shown))
        )
        rows.extend(shown)
    return rows


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []

    def set_rows(self, rows: list[ResultRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def conversation_count(self) -> int:
        return sum(1 for row in self._rows if not row.message_id)

    def row(self, number: int) -> ResultRow:
        return self._rows[number]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            plain = row.snippet.replace(SNIPPET_MARK_START, "").replace(SNIPPET_MARK_END, "")
            if row.in_reasoning:
                plain = f"{self.tr('Thoughts')}: {plain}"
            return plain if row.message_id else row.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if row.message_id:
                who = self.tr("You") if row.role is Role.USER else self.tr("Assistant")
                if row.in_reasoning:
                    who = self.tr("Assistant's thoughts")
                plain = row.snippet.replace(SNIPPET_MARK_START, "").replace(SNIPPET_MARK_END, "")
                return f"{who}: {plain}"
            return self.tr("Conversation: %1").replace("%1", row.title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.title
        if role == ConversationIdRole:
            return row.conversation_id
        if role == MessageIdRole:
            return row.message_id
        if role == SnippetRole:
            return row.snippet
        if role == InReasoningRole:
            return row.in_reasoning
        if role == IsConversationRole:
            return not row.message_id
        return None


class SearchResultsDelegate(QStyledItemDelegate):
    """Titles in bold; snippets indented, with the matched words marked."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        rect = QRect(option.rect)
        painter.save()
        painter.setClipRect(rect)
        if index.data(IsConversationRole):
            font = option.font
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(colour)
            elided = option.fontMetrics.elidedText(
                text, Qt.TextElideMode.ElideRight, rect.width() - 12
            )
            painter.drawText(
                rect.adjusted(6, 0, -6, 0),
                int(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft),
                elided,
            )
        else:
            document = self._snippet_document(
                index.data(SnippetRole) or "", option, colour, bool(index.data(InReasoningRole))
            )
            lines = option.fontMetrics.lineSpacing() * SNIPPET_LINES
            # Whole lines only: a third line would show as a sliver of its tops.
            painter.setClipRect(QRect(rect.left() + 18, rect.top() + 3, rect.width() - 24, lines))
            painter.translate(rect.left() + 18, rect.top() + 3)
            document.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        line = option.fontMetrics.lineSpacing()
        if index.data(IsConversationRole):
            return QSize(option.rect.width(), int(line * 1.9))
        return QSize(option.rect.width(), line * SNIPPET_LINES + 10)

    def _snippet_document(
        self, snippet: str, option: QStyleOptionViewItem, colour: QColor, thoughts: bool
    ) -> QTextDocument:
        marked = (
            escape(snippet)
            .replace(SNIPPET_MARK_START, "<b><u>")
            .replace(SNIPPET_MARK_END, "</u></b>")
        )
        if thoughts:  # found in a reply's thoughts, not its answer: say so first
            marked = f"<i>{escape(self.tr('Thoughts'))}:</i> {marked}"
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setTextWidth(max(40, option.rect.width() - 24))
        document.setDefaultStyleSheet(f"body {{ color: {colour.name()}; }}")
        document.setHtml(f"<body>{marked}</body>")
        return document
