"""The main window, the shell around the app's parts: the sidebar (conversations, search)
on the left, the open conversation (`ConversationPanel`) on the right, the menus and their
shortcuts, and the window's size and layout, kept between launches.

It is built in two steps, so that it is on screen before most of the app has loaded: the
frame (title, size, the two panes at their saved widths) needs nothing but the widgets
PySide6 loads for any window, and is painted first; `attach` then fills it, once the
services exist. So this module imports the window's parts, `asyncio` and `Qt` (whose
hundred enums PySide6 builds in ~20 ms) in `attach` or where used, not at the top.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Slot
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent, QKeySequence

    from ..render.math import Formulas
    from ..service import AttachmentService, ChatService, LibraryService, SettingsService
    from .conversation.panel import ConversationPanel
    from .dialogs.settings_dialog import SettingsDialog
    from .library_actions import LibraryActions
    from .quitting import QuitGuard
    from .sidebar.sidebar import Sidebar

SETTINGS_NOTICE = "settings"
LOCK_NOTICE = "lock"


class MainWindow(QMainWindow):
    def __init__(self, state: QSettings | None = None) -> None:
        """The frame only, at its saved size and layout: cheap enough to be painted before
        the rest of the app loads. `attach` fills it."""
        super().__init__()
        self._state = state
        self._attached = False
        self.setWindowTitle(self.tr("Desktop Chat"))
        self.resize(1100, 720)
        # No menus or text yet: the first text drawn loads the fonts, ~8 ms the frame's
        # paint need not wait for. Everything appears at once when `attach` fills it.
        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        self._sidebar_layout = QVBoxLayout(sidebar)
        self._sidebar_layout.setContentsMargins(4, 4, 0, 4)
        chat = QWidget()
        self._chat_layout = QVBoxLayout(chat)
        self._chat_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter()  # horizontal
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(sidebar)
        self._sidebar_pane = sidebar
        self.splitter.addWidget(chat)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 840])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self._restore_window_state()

    @property
    def attached(self) -> bool:
        return self._attached

    def attach(
        self,
        chats: ChatService,
        library: LibraryService,
        files: AttachmentService,
        settings: SettingsService,
        data_dir: Path,
        formulas: Formulas | None = None,
    ) -> None:
        """Fill the frame: the sidebar, the conversation panel and the menus, connected to
        the services."""
        from .conversation.panel import ConversationPanel
        from .library_actions import LibraryActions
        from .quitting import QuitGuard
        from .sidebar.sidebar import Sidebar
        from .tasks import BackgroundTasks

        self._chats = chats
        self._settings = settings
        self._data_dir = data_dir
        self.settings_dialog: SettingsDialog | None = None
        self.tasks = BackgroundTasks()
        self.sidebar: Sidebar = Sidebar(chats, library)
        self._sidebar_layout.addWidget(self.sidebar)
        self.panel: ConversationPanel = ConversationPanel(chats, settings, files, formulas)
        self._chat_layout.addWidget(self.panel)
        self.library: LibraryActions = LibraryActions(chats, library, self.panel, self._state, self)
        self.quitting: QuitGuard = QuitGuard(chats, self, self.panel.announce, self.tasks)
        self._create_actions()
        self.sidebar.new_chat_wanted.connect(self.panel.new_chat)
        self.sidebar.settings_wanted.connect(self.open_settings)
        self.sidebar.conversation_chosen.connect(self.panel.open_conversation)
        self.sidebar.result_chosen.connect(self.panel.reveal)
        self.sidebar.delete_wanted.connect(self.library.delete)
        self.sidebar.export_wanted.connect(self.library.export_conversations)
        self.panel.settings_wanted.connect(self.open_settings)
        self.panel.conversation_selected.connect(self.sidebar.select)
        self.panel.welcome_shown.connect(self._on_welcome_shown)
        chats.ready.connect(self._on_chats_ready)
        if settings.load_notice:
            self.panel.notices.show_notice(SETTINGS_NOTICE, settings.load_notice)
        self.panel.new_chat()
        self._attached = True

    @property
    def conversation_id(self) -> str:
        """The conversation open (or being opened) in the window."""
        return self.panel.conversation_id

    def open_conversation(self, conversation_id: str) -> None:
        self.panel.open_conversation(conversation_id)

    # --- menus and shortcuts ------------------------------------------------------------

    def _create_actions(self) -> None:
        from PySide6.QtGui import QKeySequence

        keys = QKeySequence.StandardKey
        panel, library = self.panel, self.library
        new_chat = self._action(self.tr("&New chat"), panel.new_chat, keys.New)
        self._action(self.tr("Stop reply"), panel.stop_or_cancel, "Esc")
        quit_ = self._action(self.tr("&Quit"), self.close, keys.Quit)
        self.settings_action = self._action(
            self.tr("&Settings…"), self.open_settings, *_preferences_shortcuts()
        )
        self.import_action = self._action(self.tr("&Import…"), library.choose_import, keys.Open)
        self.import_action.setToolTip(
            self.tr("Import a ChatGPT data export, or conversations exported as JSON")
        )
        self.export_action = self._action(
            self.tr("&Export this conversation…"),
            lambda: library.export_conversations([panel.conversation_id]),
            keys.SaveAs,
        )
        self.export_all_action = self._action(
            self.tr("Export &all conversations…"), library.export_all
        )
        self.search_action = self._action(
            self.tr("Search all &chats"), self.sidebar.search.focus_field, "Ctrl+K"
        )
        self.find_action = self._action(
            self.tr("&Find in conversation"), panel.find_in_conversation, keys.Find
        )
        self.attach_action = self._action(
            self.tr("A&ttach images or files…"), panel.attaching.choose, "Ctrl+U"
        )
        self.again_action = self._action(
            self.tr("&Retry or regenerate the last reply"), panel.ask_again, "Ctrl+R"
        )
        self.copy_reply_action = self._action(
            self.tr("Copy the last &reply"), panel.copy_last_reply, "Ctrl+Shift+C"
        )
        self.sidebar_action = self._action(self.tr("&Sidebar"), self.toggle_sidebar, "Ctrl+B")
        self.sidebar_action.setCheckable(True)
        self.sidebar_action.setChecked(True)
        self.shortcuts_action = self._action(
            self.tr("&Keyboard shortcuts"),
            self.show_shortcuts,
            *QKeySequence.keyBindings(keys.HelpContents),
            "Ctrl+/",
        )
        menus = (
            (
                self.tr("&File"),
                new_chat,
                None,
                self.import_action,
                self.export_action,
                self.export_all_action,
                None,
                self.settings_action,
                None,
                quit_,
            ),
            (
                self.tr("&Edit"),
                self.attach_action,
                None,
                self.again_action,
                self.copy_reply_action,
                None,
                self.find_action,
                self.search_action,
            ),
            (self.tr("&View"), self.sidebar_action),
            (self.tr("&Help"), self.shortcuts_action),
        )
        for title, *entries in menus:
            menu = self.menuBar().addMenu(title)
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                else:
                    menu.addAction(entry)

    def _action(
        self, text: str, slot: object, *shortcuts: QKeySequence | QKeySequence.StandardKey | str
    ) -> QAction:
        """A window-wide action: its shortcuts work wherever the focus is in the window."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QAction, QKeySequence

        action = QAction(text, self)
        # A standard key is its platform's main binding (Ctrl+N), not each alternative.
        action.setShortcuts([QKeySequence(shortcut) for shortcut in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @Slot()
    def toggle_sidebar(self) -> None:
        """Ctrl+B: hide the sidebar for a wider conversation, or bring it back."""
        pane = self._sidebar_pane
        shown = not pane.isVisible()
        pane.setVisible(shown)
        self.sidebar_action.setChecked(shown)

    def _on_welcome_shown(self, welcome: bool) -> None:
        """The first-launch welcome is a page of its own: no sidebar beside it."""
        self._sidebar_pane.setVisible(not welcome and self.sidebar_action.isChecked())
        self.sidebar_action.setEnabled(not welcome)

    @Slot()
    def open_settings(self) -> None:
        """Settings (Ctrl+,); shown without a nested event loop, so replies keep arriving."""
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return
        from .dialogs.settings_dialog import SettingsDialog

        models = self.panel.offered_models()
        self.settings_dialog = SettingsDialog(self._settings, self._data_dir, models, self)
        self.settings_dialog.open()

    @Slot()
    def show_shortcuts(self) -> None:
        from .dialogs.shortcuts_help import ShortcutsHelp

        self.shortcuts_dialog = ShortcutsHelp(self.actions(), self)
        self.shortcuts_dialog.open()

    # --- the app's life -------------------------------------------------------------------

    @Slot()
    def _on_chats_ready(self) -> None:
        last = str(self._state.value("window/conversation", "") or "") if self._state else ""
        self.panel.start(last)

    def hide_for_replacement(self) -> None:
        """This window is about to be replaced by a new one (another language): keep the
        draft and the layout for it, then step aside."""
        self.panel.box.keep()
        self._save_window_state()
        self.hide()

    def start_after_replacement(self) -> None:
        """Catch up with what the window it replaces already had (the list of models)."""
        if self._chats.is_ready:
            self.panel.load_models()

    def tell_lock_taken_over(self, process: int) -> None:
        """Start-up found the data folder locked by a process that did not answer as
        Desktop Chat, and took the lock over: say so, once."""
        self.panel.notices.show_notice(
            LOCK_NOTICE,
            self.tr(
                "The data folder was locked by process %1, which did not answer as Desktop "
                "Chat (a lock left by an earlier run whose process number another program "
                "now has). Desktop Chat took the lock over."
            ).replace("%1", str(process)),
            level="info",
        )

    def close_without_asking(self) -> None:
        """Close now, with no question (a logout, `kill`): what could not be saved is kept
        in the recovery folder by the service."""
        if self._attached:
            self.quitting.close_without_asking()
        else:
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._attached:  # closed while starting: nothing of the user's is here yet
            super().closeEvent(event)
            return
        if not self.quitting.may_close():
            event.ignore()  # nothing is dropped without the user saying so
            return
        self.panel.box.keep()
        self._save_window_state()
        for tasks in (
            self.tasks,
            self.sidebar.tasks,
            self.sidebar.search.tasks,
            self.library.tasks,
        ):
            tasks.cancel_all()
        self.panel.close_tasks()
        for dialog in (self.library.export_dialog, self.settings_dialog):
            if dialog is not None:
                dialog.reject()
        super().closeEvent(event)

    # --- window state ---------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        if self._state is None:
            return
        geometry = self._state.value("window/geometry")
        if isinstance(geometry, QByteArray) and not self.restoreGeometry(geometry):
            self.resize(1100, 720)
        splitter = self._state.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def _save_window_state(self) -> None:
        if self._state is None:
            return
        self._state.setValue("window/geometry", self.saveGeometry())
        self._state.setValue("window/splitter", self.splitter.saveState())
        current = self.panel.conversation_id
        self._state.setValue(
            "window/conversation", current if self.sidebar.is_listed(current) else ""
        )
        self._state.sync()


def _preferences_shortcuts() -> list[QKeySequence]:
    """The platform's Preferences key (Cmd+, on macOS) and Ctrl+, everywhere else."""
    from PySide6.QtGui import QKeySequence

    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences))
    comma = QKeySequence("Ctrl+,")
    return keys if comma in keys else [*keys, comma]
