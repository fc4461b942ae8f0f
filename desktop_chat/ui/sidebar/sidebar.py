"""The sidebar: New chat, the search over every chat, the conversations (grouped by day,
with their own actions: rename, pin, export, delete) and Settings.

It says what the user wants (`conversation_chosen`, `delete_wanted`…) and leaves opening,
deleting and exporting to the window, which knows the open conversation.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListView,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ... import design
from ...service import ChatService, LibraryService
from ..icons import themed
from ..tasks import BackgroundTasks
from .conversation_list import ConversationDelegate, ConversationListModel
from .search_panel import SearchPanel

_SIDEBAR_BUTTON = (
    "QPushButton#newChatButton, QPushButton#settingsButton { text-align: left;"
    " padding: 6px 10px; border: none; border-radius: 6px; }"
    "QPushButton#newChatButton:hover, QPushButton#settingsButton:hover {"
    " background: palette(midlight); }"
    "QPushButton#newChatButton:focus, QPushButton#settingsButton:focus {"
    " outline: none; border: 1.5px solid palette(highlight); }"
)
"""New chat and Settings: rows of the sidebar with an icon, not grey push buttons."""


class Sidebar(QWidget):
    new_chat_wanted = Signal()
    settings_wanted = Signal()
    conversation_chosen = Signal(str)
    """(conversation id): the user clicked it, or pressed Enter on it."""
    result_chosen = Signal(str, str, str)
    """(conversation id, message id or "", query): a search result to open."""
    delete_wanted = Signal(str)
    export_wanted = Signal(list)
    """(conversation ids): those selected in the list."""

    def __init__(
        self, chats: ChatService, library: LibraryService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._chats = chats
        self._current = ""
        self.tasks = BackgroundTasks()
        self.conversation_model = ConversationListModel(
            chats.summaries,
            rename=lambda cid, title: self.tasks.run(chats.rename(cid, title)),
            parent=self,
        )
        self.new_chat_button = QPushButton(self.tr("New chat"))
        self.new_chat_button.setObjectName("newChatButton")
        self.new_chat_button.setToolTip(self.tr("Start a new chat (Ctrl+N)"))
        themed(self.new_chat_button, "message-square-plus", design.ICON_LARGE)
        self.search = SearchPanel(library)
        self.conversation_list = self._build_list()
        self.settings_button = QPushButton(self.tr("Settings"))
        self.settings_button.setObjectName("settingsButton")
        self.settings_button.setFlat(True)
        self.settings_button.setToolTip(self.tr("Servers, API keys and defaults (Ctrl+,)"))
        themed(self.settings_button, "settings", design.ICON_LARGE)
        for button in (self.new_chat_button, self.settings_button):
            button.setFlat(True)
            button.setMinimumHeight(design.SIDEBAR_ROW)
            button.setStyleSheet(_SIDEBAR_BUTTON)  # on each: the list keeps its plain style
        layout = QVBoxLayout(self)
        layout.setContentsMargins(
            design.SPACE[1], design.SPACE[1], design.SPACE[1], design.SPACE[1]
        )
        layout.setSpacing(design.SPACE[1])
        layout.addWidget(self.new_chat_button)
        layout.addWidget(self.search.field)
        layout.addWidget(self.conversation_list, 1)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.settings_button)
        self._create_actions()
        self.new_chat_button.clicked.connect(self.new_chat_wanted)
        self.settings_button.clicked.connect(self.settings_wanted)
        self.search.active_changed.connect(lambda active: self.conversation_list.setHidden(active))
        self.search.chosen.connect(self.result_chosen)
        chats.conversations_changed.connect(self._on_conversations_changed)
        self.conversation_model.refresh()

    def _build_list(self) -> QListView:
        view = QListView()
        view.setObjectName("conversationList")
        # No box: rows on the sidebar itself, as in the chat apps people compare us with.
        view.setFrameShape(QFrame.Shape.NoFrame)
        # A viewport of our own that paints no background. (Asking Qt for the list's own
        # costs ~10 ms at start: PySide must work out the type of Qt's private class.)
        viewport = QWidget()
        view.setViewport(viewport)
        viewport.setAutoFillBackground(False)
        view.setAutoFillBackground(False)
        view.setMouseTracking(True)  # hover tint
        view.setAccessibleName(self.tr("Conversations"))
        view.setModel(self.conversation_model)
        view.setItemDelegate(ConversationDelegate(view))
        # Ctrl/Shift+click select several, to export them together.
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._list_menu)
        view.clicked.connect(self._on_clicked)
        view.activated.connect(self._on_clicked)
        return view

    def _create_actions(self) -> None:
        view = self.conversation_list
        self.export_selected_action = QAction(self.tr("Export…"), view)
        self.export_selected_action.triggered.connect(
            lambda: self.export_wanted.emit(self.selected_ids())
        )
        self.delete_action = QAction(self.tr("Delete"), view)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self._delete_current)
        view.addAction(self.delete_action)
        self.rename_action = QAction(self.tr("Rename"), view)
        self.rename_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.rename_action.triggered.connect(lambda: view.edit(view.currentIndex()))
        view.addAction(self.rename_action)
        self.pin_action = QAction(self.tr("Pin"), view)
        self.pin_action.triggered.connect(self._toggle_pin)

    # --- what the window asks ------------------------------------------------------------

    def select(self, conversation_id: str) -> None:
        """Show `conversation_id` as the open one (no row when it is not listed yet)."""
        self._current = conversation_id
        selection = self.conversation_list.selectionModel()
        row = self.conversation_model.row_of(conversation_id)
        if row < 0:
            selection.clearSelection()
            return
        index = self.conversation_model.index(row, 0)
        if selection.isSelected(index) and len(selection.selectedIndexes()) > 1:
            # Part of a selection being made with Ctrl or Shift: keep the others.
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            return
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def is_listed(self, conversation_id: str) -> bool:
        return self.conversation_model.row_of(conversation_id) >= 0

    def selected_ids(self) -> list[str]:
        indexes = self.conversation_list.selectionModel().selectedIndexes()
        summaries = [
            self.conversation_model.summary_at(i) for i in sorted(indexes, key=lambda i: i.row())
        ]
        return [s.id for s in summaries if s is not None]

    # --- the list ---------------------------------------------------------------------------

    @Slot()
    def _on_conversations_changed(self) -> None:
        self.conversation_model.refresh()
        self.select(self._current)
        self.search.refresh()

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        summary = self.conversation_model.summary_at(index)
        if summary is not None and summary.id != self._current:
            self.conversation_chosen.emit(summary.id)

    @Slot()
    def _delete_current(self) -> None:
        summary = self.conversation_model.summary_at(self.conversation_list.currentIndex())
        if summary is not None:
            self.delete_wanted.emit(summary.id)

    @Slot()
    def _toggle_pin(self) -> None:
        summary = self.conversation_model.summary_at(self.conversation_list.currentIndex())
        if summary is not None:
            self.tasks.run(self._chats.set_pinned(summary.id, not summary.pinned))

    @Slot(QPoint)
    def _list_menu(self, position: QPoint) -> None:
        view = self.conversation_list
        index = view.indexAt(position)
        if not index.isValid():
            return
        if not view.selectionModel().isSelected(index):
            view.setCurrentIndex(index)
        summary = self.conversation_model.summary_at(index)
        pinned = summary is not None and summary.pinned
        self.pin_action.setText(self.tr("Unpin") if pinned else self.tr("Pin"))
        selected = self.selected_ids()
        self.export_selected_action.setText(
            self.tr("Export %1 conversations…").replace("%1", str(len(selected)))
            if len(selected) > 1
            else self.tr("Export…")
        )
        menu = QMenu(self)
        menu.addAction(self.rename_action)
        menu.addAction(self.pin_action)
        menu.addAction(self.export_selected_action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.popup(view.viewport().mapToGlobal(position))
