"""The sidebar's list of conversations, as a Qt item model over the service's summaries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from ..domain import ConversationSummary

ConversationIdRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class ConversationListModel(QAbstractListModel):
    """Rows are conversations, most recent first. Holds summaries only, never messages."""

    def __init__(
        self, source: Callable[[], list[ConversationSummary]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._rows: list[ConversationSummary] = []

    def refresh(self) -> None:
        """Re-read the summaries. Cheap: the list holds titles and dates only."""
        rows = self._source()
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title or self.tr("New chat")
        if role == Qt.ItemDataRole.ToolTipRole:
            when = QLocale().toString(
                QDateTime.fromMSecsSinceEpoch(int(row.updated_at.timestamp() * 1000)),
                QLocale.FormatType.ShortFormat,
            )
            return f"{row.title}\n{when}"
        if role == ConversationIdRole:
            return row.id
        return None

    def row_of(self, conversation_id: str) -> int:
        return next((i for i, row in enumerate(self._rows) if row.id == conversation_id), -1)
