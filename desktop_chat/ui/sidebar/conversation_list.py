"""The sidebar's list: a Qt item model over the service's summaries, grouped by day.

Rows are group headers (not selectable) and conversations. A refresh computes the new rows
and tells the view only what changed: the usual change (a chat whose reply just arrived
moves to the top) is one row move, so selection and scroll position survive it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtGui import QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ... import design
from ...domain import ConversationSummary

ConversationIdRole = Qt.ItemDataRole.UserRole + 1
IsHeaderRole = Qt.ItemDataRole.UserRole + 2
PinnedRole = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex


class Group(Enum):
    PINNED = 0
    TODAY = 1
    YESTERDAY = 2
    WEEK = 3
    OLDER = 4

    def label(self) -> str:
        return {
            Group.PINNED: QCoreApplication.translate("ConversationList", "Pinned"),
            Group.TODAY: QCoreApplication.translate("ConversationList", "Today"),
            Group.YESTERDAY: QCoreApplication.translate("ConversationList", "Yesterday"),
            Group.WEEK: QCoreApplication.translate("ConversationList", "Previous 7 days"),
            Group.OLDER: QCoreApplication.translate("ConversationList", "Older"),
        }[self]


def group_of(summary: ConversationSummary, today: date) -> Group:
    """Where a conversation is listed, by its last activity in local time."""
    if summary.pinned:
        return Group.PINNED
    day = summary.updated_at.astimezone().date()
    if day >= today:
        return Group.TODAY
    if day == today - timedelta(days=1):
        return Group.YESTERDAY
    if day > today - timedelta(days=7):
        return Group.WEEK
    return Group.OLDER


@dataclass(frozen=True)
class _Row:
    key: tuple[str, Any]
    group: Group
    summary: ConversationSummary | None = None

    @property
    def is_header(self) -> bool:
        return self.summary is None


def build_rows(summaries: Sequence[ConversationSummary], today: date) -> list[_Row]:
    """Header rows and conversation rows, in display order (summaries come sorted)."""
    grouped: dict[Group, list[ConversationSummary]] = {group: [] for group in Group}
    for summary in summaries:
        grouped[group_of(summary, today)].append(summary)
    rows = []
    for group, members in grouped.items():
        if members:
            rows.append(_Row(("group", group), group))
            rows += [_Row(("conversation", s.id), group, s) for s in members]
    return rows


class ConversationListModel(QAbstractListModel):
    """Holds summaries only, never messages. Editing a title calls `rename`."""

    def __init__(
        self,
        source: Callable[[], list[ConversationSummary]],
        rename: Callable[[str, str], object] = lambda conversation_id, title: None,
        parent: QObject | None = None,
        today: Callable[[], date] = lambda: datetime.now().date(),
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._rename = rename
        self._today = today
        self._rows: list[_Row] = []
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self._new_day)
        self._arm_midnight()

    # --- Qt model interface ----------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        summary = row.summary
        if role == IsHeaderRole:
            return row.is_header
        if summary is None:
            return row.group.label() if role == Qt.ItemDataRole.DisplayRole else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if role == Qt.ItemDataRole.DisplayRole and not summary.title:
                return self.tr("New chat")
            return summary.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{summary.title}\n{_local_time(summary.updated_at)}"
        if role == ConversationIdRole:
            return summary.id
        if role == PinnedRole:
            return summary.pinned
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        row = self._rows[index.row()]
        if row.summary is None:
            return Qt.ItemFlag.NoItemFlags  # headers: not selectable, skipped by the keyboard
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not row.summary.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        title = " ".join(str(value).split())
        summary = self._rows[index.row()].summary
        if not title or summary is None or title == summary.title:
            return False
        self._rename(summary.id, title)
        return True

    # --- keeping up with the service -------------------------------------------------

    def refresh(self) -> None:
        """Re-read the summaries and tell the view exactly what changed."""
        self._apply(build_rows(self._source(), self._today()))

    def summary_at(self, index: _Index) -> ConversationSummary | None:
        """The conversation on the row of `index`; None for a group header or no row."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()].summary

    def row_of(self, conversation_id: str) -> int:
        key = ("conversation", conversation_id)
        return next((i for i, row in enumerate(self._rows) if row.key == key), -1)

    def _apply(self, rows: list[_Row]) -> None:
        old = self._rows
        if [r.key for r in old] == [r.key for r in rows]:
            changed = [i for i, (a, b) in enumerate(zip(old, rows, strict=True)) if a != b]
            self._rows = rows
            for i in changed:
                self.dataChanged.emit(self.index(i), self.index(i))
            return
        start = 0
        while start < min(len(old), len(rows)) and old[start].key == rows[start].key:
            start += 1
        old_end, new_end = len(old), len(rows)
        while old_end > start and new_end > start and old[old_end - 1].key == rows[new_end - 1].key:
            old_end, new_end = old_end - 1, new_end - 1
        before, after = old[start:old_end], rows[start:new_end]
        if len(before) == len(after) > 1 and [r.key for r in after] == [
            before[-1].key,
            *(r.key for r in before[:-1]),
        ]:
            # One row moved up (a chat with a new reply goes to the top of its group).
            self.beginMoveRows(QModelIndex(), old_end - 1, old_end - 1, QModelIndex(), start)
            moved = old[old_end - 1]
            self._rows = [*old[:start], moved, *old[start : old_end - 1], *old[old_end:]]
            self.endMoveRows()
            self._apply(rows)  # the moved row's own data (its time) may have changed
            return
        if before:
            self.beginRemoveRows(QModelIndex(), start, old_end - 1)
            self._rows = old[:start] + old[old_end:]
            self.endRemoveRows()
        if after:
            self.beginInsertRows(QModelIndex(), start, start + len(after) - 1)
            self._rows = self._rows[:start] + after + self._rows[start:]
            self.endInsertRows()
        self._apply(rows)  # rows around the change whose data changed

    def _arm_midnight(self) -> None:
        now = QDateTime.currentDateTime()
        midnight = QDateTime(now.date().addDays(1), QTime(0, 0, 1))
        self._midnight.start(max(1000, now.msecsTo(midnight)))

    def _new_day(self) -> None:
        self.refresh()
        self._arm_midnight()


def _local_time(moment: datetime) -> str:
    when = QDateTime.fromMSecsSinceEpoch(int(moment.timestamp() * 1000))
    return QLocale().toString(when, QLocale.FormatType.ShortFormat)


TEXT_INSET = 14
PILL_INSET = 6
"""The rounded row stands this far in from the list's edges."""
"""Pixels between a row's edge and its text."""


class ConversationDelegate(QStyledItemDelegate):
    """Draws group headers as small captions and conversations as elided titles."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        if not index.data(IsHeaderRole):
            self._paint_conversation(painter, option, index)
            return
        painter.save()
        font = QFont(option.font)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        rect = option.rect.adjusted(TEXT_INSET, 0, -TEXT_INSET, 0)
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), str(index.data())
        )
        painter.restore()

    def _paint_conversation(
        self, painter: QPainter, option: QStyleOptionViewItem, index: _Index
    ) -> None:
        """A row as a rounded pill: tinted under the mouse, filled when selected, a ring
        when it has the keyboard focus; the title lined up with the group captions and
        elided to the width."""
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        title = item.text
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        pill = QRectF(option.rect).adjusted(PILL_INSET, 1, -PILL_INSET, -1)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        if selected or hovered:
            fill = palette.color(QPalette.ColorRole.Highlight)
            if not selected:
                fill = palette.color(QPalette.ColorRole.Text)
                fill.setAlphaF(0.07)
            painter.setBrush(fill)
            painter.drawRoundedRect(pill, design.RADIUS_CONTROL, design.RADIUS_CONTROL)
        if focused and not selected:
            ring = QPen(palette.color(QPalette.ColorRole.Highlight), 1.5)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            inner = pill.adjusted(0.75, 0.75, -0.75, -0.75)
            painter.drawRoundedRect(inner, design.RADIUS_CONTROL, design.RADIUS_CONTROL)
        rect = option.rect.adjusted(TEXT_INSET, 0, -TEXT_INSET, 0)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setFont(item.font)
        painter.setPen(palette.color(role))
        elided = item.fontMetrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width())
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, int(align), elided)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        line = option.fontMetrics.height()
        # Roomy rows are easier to hit; a header also sets its group apart from the last.
        size.setHeight(int(line * (2.0 if index.data(IsHeaderRole) else 1.8)))
        size.setWidth(0)  # rows take the list's width; titles are elided to it
        return size

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(self.tr("Conversation title"))
        return editor
