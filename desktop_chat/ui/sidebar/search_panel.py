"""The search field over all conversations (Ctrl+K) and its results in the sidebar.

Results follow each keystroke: titles are matched at once, messages through the index on
the store's thread. A query still running when the next key arrives is not waited for:
only the newest query's results are shown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from ...service import LibraryService, SearchResults
from ..icons import lead_with_icon, outlined, with_named_clear_button
from ..tasks import BackgroundTasks
from .search_results import (
    ConversationIdRole,
    MessageIdRole,
    SearchResultsDelegate,
    SearchResultsModel,
    rows_for,
)


class SearchPanel(QWidget):
    chosen = Signal(str, str, str)
    """(conversation id, message id or "", the query): open it, at that message."""
    active_changed = Signal(bool)
    """Results are shown instead of the conversation list (or not any more)."""

    def __init__(self, library: LibraryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self.tasks = BackgroundTasks()
        self._pending: str | None = None
        self._running = False
        self._shown_query = ""
        self.field = QLineEdit(self)
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(self.tr("Search all chats (Ctrl+K)"))
        self.field.setAccessibleName(self.tr("Search all chats"))
        with_named_clear_button(self.field, self.tr("Clear"))
        lead_with_icon(self.field, "search")
        outlined(self.field)
        self.field.installEventFilter(self)
        self.model = SearchResultsModel(self)
        self.results = QListView(self)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setModel(self.model)
        self.results.setItemDelegate(SearchResultsDelegate(self.results))
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setUniformItemSizes(False)
        self.results.activated.connect(self._choose)
        self.results.clicked.connect(self._choose)
        self.results.installEventFilter(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("searchSummary")
        self.summary.setWordWrap(True)
        self.summary.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self.field.textChanged.connect(self._on_text)
        self.hide()

    @property
    def active(self) -> bool:
        return bool(self.field.text().strip())

    @property
    def shown_query(self) -> str:
        """The query whose results are on screen ("" when none are)."""
        return self._shown_query

    def focus_field(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def clear(self) -> None:
        self.field.clear()

    def refresh(self) -> None:
        """The conversations changed (a new one, a rename): search again."""
        if self.active:
            self._on_text(self.field.text())

    # --- querying ------------------------------------------------------------------------

    @Slot(str)
    def _on_text(self, text: str) -> None:
        query = text.strip()
        self.setVisible(bool(query))
        if bool(query) != bool(self._shown_query) or not query:
            self.active_changed.emit(bool(query))
        if not query:
            self._pending = None
            self._shown_query = ""
            self.model.set_rows([])
            return
        self._pending = query
        if not self._running:
            self._running = True
            self.tasks.run(self._search())

    async def _search(self) -> None:
        try:
            while self._pending is not None:
                query, self._pending = self._pending, None
                results = await self._library.find(query)
                if self._pending is not None or query != self.field.text().strip():
                    continue  # the user typed on meanwhile: that query comes next
                self._show(query, results)
        finally:
            self._running = False

    def _show(self, query: str, results: SearchResults) -> None:
        self._shown_query = query
        self.model.set_rows(rows_for(results, self.tr("Untitled")))
        count = self.model.conversation_count
        if results.problem:
            self.summary.setText(results.problem)
        elif results.title_matches > len(results.titles):
            self.summary.setText(self.tr("Many matches; the most recent first."))
        elif count == 0:
            self.summary.setText(self.tr("Nothing found."))
        elif count == 1:
            self.summary.setText(self.tr("1 conversation"))
        else:
            self.summary.setText(self.tr("%1 conversations").replace("%1", str(count)))

    # --- choosing ------------------------------------------------------------------------

    @Slot(QModelIndex)
    def _choose(self, index: QModelIndex) -> None:
        if index.isValid():
            self.chosen.emit(
                index.data(ConversationIdRole), index.data(MessageIdRole) or "", self._shown_query
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and (watched is self.results or (watched is self.field and self.field.text()))
        ):
            event.accept()  # Esc is ours here, not the window's Stop
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.field and key == Qt.Key.Key_Escape and self.field.text():
                self.field.clear()
                return True
            if watched is self.field and key == Qt.Key.Key_Down and self.model.rowCount():
                self.results.setFocus()
                self.results.setCurrentIndex(self.model.index(0, 0))
                return True
            if watched is self.field and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.model.rowCount():
                    self._choose(self.model.index(0, 0))
                return True
            if watched is self.results and key == Qt.Key.Key_Escape:
                self.focus_field()
                return True
        return super().eventFilter(watched, event)
