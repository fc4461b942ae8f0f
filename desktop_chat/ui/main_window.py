"""The main window: conversations on the left, the open conversation on the right.

It is built in two steps, so that it is on screen before most of the app has loaded: the
frame (title, size, the two panes at their saved widths) needs nothing but the widgets
PySide6 loads for any window, and is painted first; `attach` then fills it, once the
service exists. So this module imports the window's parts, `asyncio` and `Qt` (whose
hundred enums PySide6 builds in ~20 ms) in `attach` or where used, not at the top.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, QSettings, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from ..errors import ChatError

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QKeySequence

    from ..attachments import NewAttachment
    from ..domain import Attachment, Conversation
    from ..service import ChatService, SettingsService, TrashEntry
    from .conversation_list import ConversationListModel
    from .export_dialog import ExportDialog
    from .image_viewer import ImageViewer
    from .settings_dialog import SettingsDialog
    from .tasks import BackgroundTasks
    from .unsaved_dialog import UnsavedDialog
    from .welcome import WelcomePage

NEW_CHAT_DRAFT = "new"
SETUP_NOTICE = "setup"
DELETED_NOTICE = "deleted"
EDIT_NOTICE = "editing"
SETTINGS_NOTICE = "settings"
ANNOUNCED_CHARS = 200
"""How much of a finished reply is read out: enough to know what it is about."""
EXPORT_NOTICE = "export"
IMPORT_NOTICE = "import"
RECOVERY_NOTICE = "recovery"
LOCK_NOTICE = "lock"
ATTACH_NOTICE = "attach"
ATTACHABLE_PATTERNS = (
    "*.png *.jpg *.jpeg *.webp *.gif *.txt *.md *.csv *.json *.py *.js *.ts *.html *.css "
    "*.c *.h *.cpp *.java *.go *.rs *.sh *.yaml *.yml *.toml *.xml *.sql *.log"
)
MAX_ATTACHMENTS = 10
"""Per message: more would not fit a context window, nor the composer."""


class MainWindow(QMainWindow):
    def __init__(self, state: QSettings | None = None) -> None:
        """The frame only, at its saved size and layout: cheap enough to be painted before
        the rest of the app loads. `attach` fills it."""
        super().__init__()
        self._state = state
        self._attached = False
        self._conversation_id = ""
        """The conversation selected (being opened, or shown)."""
        self.setWindowTitle(self.tr("Desktop Chat"))
        self.resize(1100, 720)
        # No menus or text yet: the first text drawn loads the fonts, ~8 ms the frame's
        # paint need not wait for. Everything appears at once when `attach` fills it.
        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        self._sidebar_layout = QVBoxLayout(sidebar)
        self._sidebar_layout.setContentsMargins(8, 8, 0, 8)
        chat = QWidget()
        self._chat_layout = QVBoxLayout(chat)
        self._chat_layout.setContentsMargins(0, 0, 0, 0)
        self._chat_layout.setSpacing(0)
        self.splitter = QSplitter()  # horizontal
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(sidebar)
        self.splitter.addWidget(chat)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 840])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self._restore_window_state()

    @property
    def attached(self) -> bool:
        return self._attached

    def attach(self, service: ChatService, settings: SettingsService, data_dir: Path) -> None:
        """Fill the frame: the conversation list, the messages, the composer, the actions,
        all connected to `service`."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QAbstractItemView, QListView, QPushButton, QStackedWidget

        from .composer import Composer
        from .conversation_list import ConversationDelegate, ConversationListModel
        from .empty_state import EmptyState
        from .find_bar import FindBar
        from .header_bar import HeaderBar
        from .message_view import MessageView
        from .notices import NoticeBar
        from .search_panel import SearchPanel
        from .tasks import BackgroundTasks

        self._service = service
        self._settings = settings
        self._data_dir = data_dir
        self.settings_dialog: SettingsDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.last_announcement = ""
        """What was last given to screen readers to say."""
        self._shown_id = ""
        """The conversation whose messages and draft are on screen."""
        self._editing = ""
        self._ask_before_closing = True
        """Closing asks first while conversations could not be saved (not at a logout)."""
        self.unsaved_dialog: UnsavedDialog | None = None
        self._draft_before_editing = ""
        """What was in the box when editing began: it comes back when editing ends."""
        self.tasks: BackgroundTasks = BackgroundTasks()
        self.conversation_model: ConversationListModel = ConversationListModel(
            service.summaries,
            rename=lambda cid, title: self.tasks.run(service.rename(cid, title)),
            parent=self,
        )
        self.conversation_list = QListView()
        self.conversation_list.setObjectName("conversationList")
        self.conversation_list.setAccessibleName(self.tr("Conversations"))
        self.conversation_list.setModel(self.conversation_model)
        self.conversation_list.setItemDelegate(ConversationDelegate(self.conversation_list))
        # Ctrl/Shift+click select several, to export them together.
        self.conversation_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.conversation_list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.conversation_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.conversation_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.conversation_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.conversation_list.customContextMenuRequested.connect(self._list_menu)
        self.conversation_list.clicked.connect(self._on_list_clicked)
        self.conversation_list.activated.connect(self._on_list_clicked)

        self.new_chat_button = QPushButton(self.tr("New chat"))
        self.new_chat_button.setObjectName("newChatButton")
        sidebar_layout = self._sidebar_layout
        self.settings_button = QPushButton(self.tr("Settings"))
        self.settings_button.setObjectName("settingsButton")
        self.settings_button.setFlat(True)
        self.settings_button.setToolTip(self.tr("Servers, API keys and defaults (Ctrl+,)"))
        self.search = SearchPanel(service)
        sidebar_layout.addWidget(self.new_chat_button)
        sidebar_layout.addWidget(self.search.field)
        sidebar_layout.addWidget(self.conversation_list, 1)
        sidebar_layout.addWidget(self.search, 1)
        sidebar_layout.addWidget(self.settings_button)

        self.header = HeaderBar()
        self.notices = NoticeBar()
        self.empty_state = EmptyState()
        self.welcome: WelcomePage | None = None
        """Built the first time it is needed: most launches never show it."""
        self.message_view = MessageView()
        self.message_view.load_preview = lambda a: self.tasks.run(self._load_preview(a))
        self.message_view.load_file_text = lambda a: self.tasks.run(self._load_file_text(a))
        self.message_view.can_retry = lambda: service.can_retry(self._conversation_id)
        self.image_viewer: ImageViewer | None = None
        self._draft_attachments: dict[str, list[tuple[NewAttachment, QImage]]] = {}
        """Attachments of chats switched away from before sending, by draft key."""
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.message_view)
        self.composer = Composer()
        self.find_bar = FindBar(self.message_view)

        chat_layout = self._chat_layout
        chat_layout.addWidget(self.header)
        chat_layout.addWidget(self.notices)
        chat_layout.addWidget(self.stack, 1)
        chat_layout.addWidget(self.find_bar)
        chat_layout.addWidget(self.composer)

        self._create_actions()
        self.new_chat_button.clicked.connect(self.new_chat)
        self.settings_button.clicked.connect(self.open_settings)
        self.search.active_changed.connect(lambda active: self.conversation_list.setHidden(active))
        self.search.chosen.connect(self._open_search_result)
        settings.changed.connect(self._on_settings_changed)
        settings.connection_changed.connect(self._on_connection_changed)
        self.composer.send_requested.connect(self._send)
        self.composer.text_changed.connect(self._on_composer_changed)
        self.composer.stop_requested.connect(self.stop_reply)
        self.composer.attach_requested.connect(self.choose_attachments)
        self.composer.files_offered.connect(self.attach_files)
        self.composer.image_offered.connect(self.attach_image)
        self.message_view.files_offered.connect(self.attach_files)
        self.message_view.image_offered.connect(self.attach_image)
        self.empty_state.question_chosen.connect(self._send)
        self.message_view.action_requested.connect(self._on_reply_action)
        service.conversations_changed.connect(self._on_conversations_changed)
        service.message_added.connect(self._on_message_added)
        service.message_changed.connect(self._on_message_changed)
        service.streaming_changed.connect(self._on_streaming_changed)
        service.conversation_replaced.connect(self._on_conversation_replaced)
        service.settings_changed.connect(self._on_conversation_settings_changed)
        service.notice.connect(self.notices.show_notice)
        service.notice_cleared.connect(self.notices.clear_notice)
        service.ready.connect(self._on_service_ready)
        service.recovered.connect(self._on_recovered)
        self.header.model_chosen.connect(self._on_model_chosen)
        self.header.system_prompt_changed.connect(
            lambda text: self._service.update_settings(self._conversation_id, system_prompt=text)
        )

        self._on_conversations_changed()
        self.composer.set_send_key(settings.settings.send_key)
        if settings.load_notice:
            self.notices.show_notice(SETTINGS_NOTICE, settings.load_notice)
        self.new_chat()

        self._attached = True

    @property
    def conversation_id(self) -> str:
        return self._conversation_id

    # --- actions ---------------------------------------------------------------------

    def _create_actions(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QAction, QKeySequence

        new_chat = QAction(self.tr("&New chat"), self)
        new_chat.setShortcut(QKeySequence.StandardKey.New)
        new_chat.triggered.connect(self.new_chat)
        stop = QAction(self.tr("Stop reply"), self)
        stop.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        stop.triggered.connect(self.stop_reply)
        quit_ = QAction(self.tr("&Quit"), self)
        quit_.setShortcut(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        self.settings_action = QAction(self.tr("&Settings…"), self)
        self.settings_action.setShortcuts(_preferences_shortcuts())
        self.settings_action.triggered.connect(self.open_settings)
        self.import_action = QAction(self.tr("&Import…"), self)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.setToolTip(
            self.tr("Import a ChatGPT data export, or conversations exported as JSON")
        )
        self.import_action.triggered.connect(self.choose_import)
        self.export_action = QAction(self.tr("&Export this conversation…"), self)
        self.export_action.setShortcut(QKeySequence.StandardKey.SaveAs)
        self.export_action.triggered.connect(self.export_current)
        self.export_all_action = QAction(self.tr("Export &all conversations…"), self)
        self.export_all_action.triggered.connect(self.export_all)
        self.search_action = QAction(self.tr("Search all &chats"), self)
        self.search_action.setShortcut(QKeySequence("Ctrl+K"))
        self.search_action.triggered.connect(self.search.focus_field)
        self.find_action = QAction(self.tr("&Find in conversation"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.find_in_conversation)
        self.attach_action = QAction(self.tr("A&ttach images or files…"), self)
        self.attach_action.setShortcut(QKeySequence("Ctrl+U"))
        self.attach_action.triggered.connect(self.choose_attachments)
        for action in (
            new_chat,
            stop,
            quit_,
            self.settings_action,
            self.import_action,
            self.export_action,
            self.export_all_action,
            self.search_action,
            self.find_action,
            self.attach_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(new_chat)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_all_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.attach_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.search_action)
        self.shortcuts_action = QAction(self.tr("&Keyboard shortcuts"), self)
        self.shortcuts_action.setShortcuts(
            [
                *QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents),
                QKeySequence("Ctrl+/"),
            ]
        )
        self.shortcuts_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.addAction(self.shortcuts_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.shortcuts_action)
        self.export_selected_action = QAction(self.tr("Export…"), self.conversation_list)
        self.export_selected_action.triggered.connect(self.export_selected)
        self.delete_action = QAction(self.tr("Delete"), self.conversation_list)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self._delete_selected)
        self.conversation_list.addAction(self.delete_action)
        self.rename_action = QAction(self.tr("Rename"), self.conversation_list)
        self.rename_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.rename_action.triggered.connect(
            lambda: self.conversation_list.edit(self.conversation_list.currentIndex())
        )
        self.conversation_list.addAction(self.rename_action)
        self.pin_action = QAction(self.tr("Pin"), self.conversation_list)
        self.pin_action.triggered.connect(self._toggle_pin)

    @Slot()
    def new_chat(self) -> None:
        current = self._conversation_id
        if self._service.is_loaded(current) and self._service.conversation(current).is_empty:
            self.composer.edit.setFocus()
            return
        self._show(self._service.new_conversation())

    def open_conversation(self, conversation_id: str) -> None:
        """Show a conversation, loading it from disk first if needed."""
        if self._service.is_loaded(conversation_id):
            self._show(self._service.conversation(conversation_id))
            return
        self._conversation_id = conversation_id
        self._select_current()
        self.tasks.run(self._load_and_show(conversation_id))

    async def _load_and_show(self, conversation_id: str) -> None:
        conversation = await self._service.open_conversation(conversation_id)
        if self._conversation_id != conversation_id:
            return  # the user moved on meanwhile
        if conversation is None:
            self._conversation_id = ""
            self.new_chat()
        else:
            self._show(conversation)

    def _show(self, conversation: Conversation) -> None:
        if conversation.id != self._shown_id:
            self.cancel_editing()
            self._keep_draft()
            self._shown_id = ""  # the box takes the other chat's draft: no change to keep
            self.composer.set_text(self._service.draft(self._draft_key(conversation)))
            self.composer.clear_attachments()
            for item, preview in self._draft_attachments.pop(self._draft_key(conversation), []):
                self.composer.add_attachment(item, preview)
        self._conversation_id = self._shown_id = conversation.id
        self.header.show_settings(conversation.settings, read_only=conversation.read_only)
        self.message_view.show_conversation(conversation)
        self._show_page(conversation)
        self.composer.set_streaming(self._service.is_streaming(conversation.id))
        self._update_can_send(conversation)
        self._select_current()
        self.find_bar.refresh()
        self.composer.edit.setFocus()

    def _show_page(self, conversation: Conversation) -> None:
        """Messages; or, for an empty chat, the examples (or the welcome, if there is no
        connection yet)."""
        if not conversation.is_empty:
            page: QWidget = self.message_view
        elif self._settings.needs_welcome and not self._service.read_only:
            page = self._welcome_page()
        else:
            page = self.empty_state
        self.stack.setCurrentWidget(page)
        # Nothing to pick a model for before there is a server to ask.
        self.header.setVisible(page is not self.welcome)

    def _welcome_page(self) -> WelcomePage:
        if self.welcome is None:
            from .welcome import WelcomePage

            self.welcome = WelcomePage(self._settings)
            self.welcome.saved.connect(self._on_welcome_saved)
            self.stack.addWidget(self.welcome)
        return self.welcome

    @Slot()
    def open_settings(self) -> None:
        """Settings (Ctrl+,); shown without a nested event loop, so replies keep arriving."""
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return
        from .settings_dialog import SettingsDialog

        models = [self.header.model.itemText(i) for i in range(self.header.model.count())]
        self.settings_dialog = SettingsDialog(self._settings, self._data_dir, models, self)
        self.settings_dialog.open()

    @Slot()
    def _on_welcome_saved(self) -> None:
        if self._service.is_loaded(self._conversation_id):
            self._show(self._service.conversation(self._conversation_id))
        self.composer.edit.setFocus()

    @Slot()
    def _on_settings_changed(self) -> None:
        self.composer.set_send_key(self._settings.settings.send_key)
        if not self._service.is_loaded(self._conversation_id):
            return
        conversation = self._service.conversation(self._conversation_id)
        if conversation.is_empty:
            self.header.show_settings(conversation.settings, read_only=conversation.read_only)
        if self.stack.currentWidget() is not self.message_view:
            self._show_page(conversation)
        self._update_can_send(conversation)

    @Slot()
    def _on_connection_changed(self) -> None:
        if self._service.is_ready:
            self.tasks.run(self._load_models())

    @Slot()
    def stop_reply(self) -> None:
        """Esc: stop the reply, or leave message editing."""
        if self._editing:
            self.cancel_editing()
        elif self._conversation_id:
            self._service.stop(self._conversation_id)

    @Slot(str)
    def _send(self, text: str) -> None:
        conversation = self._service.conversation(self._conversation_id)
        if self._service.setup_problem() or conversation.read_only:
            self._update_can_send(conversation)
            return
        self.stack.setCurrentWidget(self.message_view)
        self.header.show()
        if self._editing:
            editing, self._editing = self._editing, ""
            self.notices.clear_notice(EDIT_NOTICE)
            self.composer.set_text(self._draft_before_editing)
            self._service.edit_and_resend(self._conversation_id, editing, text)
            return
        attached = self.composer.attachments()
        if not attached:
            self._service.send(self._conversation_id, text)
            return
        previews = self.composer.strip.previews() if self.composer.strip else []
        self.composer.clear_attachments()
        self.notices.clear_notice(ATTACH_NOTICE)
        self.tasks.run(self._send_with(self._conversation_id, text, attached, previews))

    async def _send_with(
        self,
        conversation_id: str,
        text: str,
        attached: list[NewAttachment],
        previews: list[QImage],
    ) -> None:
        try:
            kept = await self._service.keep_attachments(attached)
        except ChatError as exc:
            # Nothing is lost: the question and its attachments go back into the box.
            if conversation_id == self._conversation_id and not self.composer.text().strip():
                self.composer.set_text(text)
                for item, preview in zip(attached, previews, strict=True):
                    self.composer.add_attachment(item, preview)
            self.notices.show_notice(ATTACH_NOTICE, exc.message)
            return
        # The chips' previews serve the sent message too: not read and scaled again.
        for attachment, preview in zip(kept, previews, strict=True):
            if attachment.is_image and not preview.isNull():
                self.message_view.set_preview(attachment, preview)
        self._service.send(conversation_id, text, kept)

    # --- attachments -----------------------------------------------------------------

    @Slot()
    def choose_attachments(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        dialog = QFileDialog(self, self.tr("Attach images or files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(
            [
                self.tr("Images and text files (%1)").replace("%1", ATTACHABLE_PATTERNS),
                self.tr("All files (*)"),
            ]
        )
        dialog.filesSelected.connect(self.attach_files)
        self._attach_dialog = dialog
        dialog.open()  # not exec(): no nested event loop under the running replies

    @Slot(list)
    def attach_files(self, paths: list[str]) -> None:
        self.tasks.run(self._attach([Path(p) for p in paths], None))

    @Slot(QImage)
    def attach_image(self, image: QImage) -> None:
        self.tasks.run(self._attach([], image))

    async def _attach(self, paths: list[Path], image: QImage | None) -> None:
        """Read and check each file off the UI thread; each good one becomes a chip, each
        refusal is said (and the rest still attached)."""
        from ..attachments import AttachmentError, from_image, read_file, thumbnail

        def read(source: Path | QImage) -> tuple[NewAttachment, QImage]:
            item = from_image(source) if isinstance(source, QImage) else read_file(source)
            preview = QImage()
            if item.attachment.is_image:
                preview = thumbnail(item.data, item.attachment.media_type)
            return item, preview

        refused = []
        sources: list[Path | QImage] = [*paths, *([image] if image is not None else [])]
        for source in sources:
            if len(self.composer.attachments()) >= MAX_ATTACHMENTS:
                refused.append(
                    self.tr("A message can carry at most %1 attachments.").replace(
                        "%1", str(MAX_ATTACHMENTS)
                    )
                )
                break
            try:
                item, preview = await self.tasks.in_thread(read, source)
            except AttachmentError as exc:
                refused.append(exc.message)
                continue
            self.composer.add_attachment(item, preview)
        if refused:
            self.notices.show_notice(ATTACH_NOTICE, " ".join(refused))
        else:
            self.notices.clear_notice(ATTACH_NOTICE)
        self.composer.edit.setFocus()

    @Slot(str, str, str)
    def _on_reply_action(self, action: str, message_id: str, argument: str) -> None:
        from .message_render import Action

        conversation_id = self._conversation_id
        if action == Action.RETRY:
            self._service.retry(conversation_id)
        elif action == Action.CONTINUE:
            self._service.continue_reply(conversation_id)
        elif action == Action.REGENERATE:
            self._service.regenerate(conversation_id)
        elif action == Action.EDIT:
            self.start_editing(message_id)
        elif action in (Action.PREVIOUS_VERSION, Action.NEXT_VERSION):
            messages = self._service.conversation(conversation_id).messages
            index = next((i for i, m in enumerate(messages) if m.id == message_id), None)
            if index is not None:
                position, _count = self._service.versions(conversation_id, index)
                step = -1 if action == Action.PREVIOUS_VERSION else 1
                self._service.show_version(conversation_id, index, position + step)
        elif action == Action.VIEW_ATTACHMENT:
            self.view_attachment(message_id, int(argument or 0))

    def view_attachment(self, message_id: str, index: int) -> None:
        """An attached picture, large, in a window of its own."""
        from .image_viewer import ImageViewer

        messages = self._service.conversation(self._conversation_id).messages
        message = next((m for m in messages if m.id == message_id), None)
        if message is None or not 0 <= index < len(message.attachments):
            return
        attachment = message.attachments[index]
        self.image_viewer = ImageViewer(attachment, self._service.attachment_path(attachment), self)
        self.image_viewer.open()
        self.tasks.run(self._show_full_image(self.image_viewer, attachment))

    async def _show_full_image(self, viewer: ImageViewer, attachment: Attachment) -> None:
        from ..attachments import decode_image

        try:
            data = await self._service.read_attachment(attachment)
            image = await self.tasks.in_thread(decode_image, data, attachment.media_type)
        except ChatError as exc:
            viewer.show_image(None, exc.message)
            return
        viewer.show_image(image)

    async def _load_preview(self, attachment: Attachment) -> None:
        from ..attachments import decode_png

        try:
            png = await self._service.thumbnail(attachment)
            image: QImage | None = await self.tasks.in_thread(decode_png, png)
        except ChatError:
            image = None
        self.message_view.set_preview(attachment, image)

    async def _load_file_text(self, attachment: Attachment) -> None:
        try:
            data = await self._service.read_attachment(attachment)
            text = data.decode("utf-8-sig", errors="replace")
        except ChatError as exc:
            text = exc.message
        self.message_view.set_file_text(attachment, text)

    def start_editing(self, message_id: str) -> None:
        """Put an earlier question back in the composer; sending replaces it."""
        if self._service.is_streaming(self._conversation_id):
            self.notices.show_notice(
                EDIT_NOTICE,
                self.tr("Wait for the reply to finish, or stop it, to edit."),
                level="info",
            )
            return
        message = next(
            m
            for m in self._service.conversation(self._conversation_id).messages
            if m.id == message_id
        )
        if not self._editing:
            self._draft_before_editing = self.composer.text()
        self._editing = message_id
        self.composer.set_text(message.content)
        self.composer.edit.setFocus()
        self.notices.show_notice(
            EDIT_NOTICE,
            self.tr(
                "Editing a message: Enter sends it in place of the old one (which is kept "
                "as another version); Esc cancels."
            ),
            level="info",
            action=(self.tr("Cancel"), self.cancel_editing),
            closable=False,
        )

    def cancel_editing(self) -> None:
        if self._editing:
            self._editing = ""
            self.composer.set_text(self._draft_before_editing)
            self.notices.clear_notice(EDIT_NOTICE)

    def delete_conversation(self, conversation_id: str) -> None:
        self.tasks.run(self._delete(conversation_id))

    async def _delete(self, conversation_id: str) -> None:
        title = next((s.title for s in self._service.summaries() if s.id == conversation_id), "")
        entry = await self._service.delete(conversation_id)
        was_open = conversation_id == self._conversation_id
        if was_open:
            self._conversation_id = ""
            self.new_chat()
        if entry is not None:
            self.notices.show_notice(
                DELETED_NOTICE,
                self.tr("Deleted “%1”. It is in the trash folder.").replace("%1", title),
                level="info",
                action=(self.tr("Undo"), lambda: self.tasks.run(self._undelete(entry, was_open))),
            )

    async def _undelete(self, entry: TrashEntry, was_open: bool) -> None:
        """Bring a deleted chat back, and back on screen if it was open when deleted (and
        the user has not begun another chat since)."""
        conversation_id = await self._service.restore(entry)
        current = (
            self._service.conversation(self._conversation_id) if self._conversation_id else None
        )
        if conversation_id and was_open and (current is None or current.is_empty):
            self.open_conversation(conversation_id)

    @Slot()
    def _delete_selected(self) -> None:
        summary = self.conversation_model.summary_at(self.conversation_list.currentIndex())
        if summary is not None:
            self.delete_conversation(summary.id)

    @Slot(QPoint)
    def _list_menu(self, position: QPoint) -> None:
        from PySide6.QtWidgets import QMenu

        index = self.conversation_list.indexAt(position)
        if not index.isValid():
            return
        if not self.conversation_list.selectionModel().isSelected(index):
            self.conversation_list.setCurrentIndex(index)
        summary = self.conversation_model.summary_at(index)
        pinned = summary is not None and summary.pinned
        self.pin_action.setText(self.tr("Unpin") if pinned else self.tr("Pin"))
        selected = self._selected_ids()
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
        menu.popup(self.conversation_list.viewport().mapToGlobal(position))

    @Slot()
    def _toggle_pin(self) -> None:
        summary = self.conversation_model.summary_at(self.conversation_list.currentIndex())
        if summary is not None:
            self.tasks.run(self._service.set_pinned(summary.id, not summary.pinned))

    # --- service events --------------------------------------------------------------

    @Slot()
    def _on_conversations_changed(self) -> None:
        self.conversation_model.refresh()
        self._select_current()
        self.search.refresh()

    @Slot(str, str)
    def _on_message_added(self, conversation_id: str, message_id: str) -> None:
        if conversation_id == self._conversation_id:
            self.message_view.add_message(message_id)

    @Slot(str, str)
    def _on_message_changed(self, conversation_id: str, message_id: str) -> None:
        if conversation_id == self._conversation_id:
            self.message_view.refresh_message(message_id)

    @Slot(str)
    def _on_conversation_replaced(self, conversation_id: str) -> None:
        if conversation_id == self._conversation_id:
            self.message_view.show_conversation(self._service.conversation(conversation_id))

    @Slot(str)
    def _on_model_chosen(self, model: str) -> None:
        conversation = self._service.conversation(self._conversation_id)
        self._service.update_settings(conversation.id, model=model)
        if conversation.messages:  # another model may take what this one could not
            self.message_view.refresh_message(conversation.messages[-1].id)

    @Slot(str)
    def _on_conversation_settings_changed(self, conversation_id: str) -> None:
        if conversation_id == self._conversation_id:
            conversation = self._service.conversation(conversation_id)
            self.header.show_settings(conversation.settings, read_only=conversation.read_only)

    @Slot(str, bool)
    def _on_streaming_changed(self, conversation_id: str, streaming: bool) -> None:
        if conversation_id == self._conversation_id:
            self.composer.set_streaming(streaming)
            if not streaming:
                self._announce_reply(conversation_id)

    def _announce_reply(self, conversation_id: str) -> None:
        """Tell screen readers a reply has finished, and how it begins (or why it failed)."""
        messages = self._service.conversation(conversation_id).messages
        if not messages:
            return
        reply = messages[-1]
        start = " ".join(reply.content.split())[:ANNOUNCED_CHARS]
        if reply.error:
            text = self.tr("The reply stopped: %1").replace("%1", reply.error)
        else:
            text = self.tr("Reply finished: %1").replace("%1", start)
        self.announce(text)

    def announce(self, text: str) -> None:
        """Have screen readers say `text` (politely: after what they are saying)."""
        from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

        self.last_announcement = text
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.message_view, text))

    def _update_can_send(self, conversation: Conversation) -> None:
        problem = self._service.setup_problem()
        if problem and self._service.read_only:
            self.notices.show_notice(SETUP_NOTICE, problem, closable=False)
        elif problem and self.stack.currentWidget() is not self.welcome:
            action: tuple[str, Callable[[], object]] = (self.tr("Settings…"), self.open_settings)
            if self._settings.key_problem:  # a locked keyring: unlocking it is the fix
                action = (self.tr("Try again"), lambda: self.tasks.run(self._settings.reload_key()))
            self.notices.show_notice(
                SETUP_NOTICE, problem, closable=False, action=action, action_dismisses=False
            )
        else:
            self.notices.clear_notice(SETUP_NOTICE)
        if not problem and conversation.read_only:
            problem = self.tr("This conversation was saved by a newer version; it is read-only.")
        self.composer.set_can_send(problem is None, problem or "")
        self.empty_state.set_enabled_questions(problem is None, problem or "")

    # --- list ------------------------------------------------------------------------

    @Slot(QModelIndex)
    def _on_list_clicked(self, index: QModelIndex) -> None:
        summary = self.conversation_model.summary_at(index)
        if summary is not None and summary.id != self._conversation_id:
            self.open_conversation(summary.id)

    def _select_current(self) -> None:
        from PySide6.QtCore import QItemSelectionModel

        selection = self.conversation_list.selectionModel()
        row = self.conversation_model.row_of(self._conversation_id)
        if row < 0:
            selection.clearSelection()
            return
        index = self.conversation_model.index(row, 0)
        if selection.isSelected(index) and len(selection.selectedIndexes()) > 1:
            # Part of a selection being made with Ctrl or Shift: keep the others.
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            return
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    # --- search, find, export, import ----------------------------------------------------

    @Slot(str, str, str)
    def _open_search_result(self, conversation_id: str, message_id: str, query: str) -> None:
        self.tasks.run(self._reveal(conversation_id, message_id, query))

    async def _reveal(self, conversation_id: str, message_id: str, query: str) -> None:
        self._conversation_id = conversation_id
        conversation = await self._service.open_conversation(conversation_id)
        if conversation is None or self._conversation_id != conversation_id:
            return  # unreadable (the notice says why), or the user moved on meanwhile
        if self._shown_id != conversation_id:
            self._show(conversation)
        if message_id:
            self.message_view.reveal(message_id, query)

    @Slot()
    def show_shortcuts(self) -> None:
        from .shortcuts_help import ShortcutsHelp

        self.shortcuts_dialog = ShortcutsHelp(self.actions(), self)
        self.shortcuts_dialog.open()

    @Slot()
    def find_in_conversation(self) -> None:
        if self.stack.currentWidget() is self.message_view:
            self.find_bar.open_bar()

    def _selected_ids(self) -> list[str]:
        indexes = self.conversation_list.selectionModel().selectedIndexes()
        summaries = [
            self.conversation_model.summary_at(i) for i in sorted(indexes, key=lambda i: i.row())
        ]
        return [s.id for s in summaries if s is not None]

    @Slot()
    def export_current(self) -> None:
        self.export_conversations([self._conversation_id])

    @Slot()
    def export_selected(self) -> None:
        self.export_conversations(self._selected_ids())

    @Slot()
    def export_all(self) -> None:
        self.export_conversations([s.id for s in self._service.summaries()])

    def export_conversations(self, conversation_ids: list[str]) -> None:
        """Open the export dialog for these conversations (those saved at least once)."""
        listed = {s.id: s for s in self._service.summaries()}
        wanted = [i for i in conversation_ids if i in listed]
        if not wanted:
            self.notices.show_notice(
                EXPORT_NOTICE, self.tr("There is nothing to export yet."), level="info"
            )
            return
        from .export_dialog import ExportDialog

        title = listed[wanted[0]].title or self.tr("Conversation")
        self.export_dialog = ExportDialog(self._service, wanted, title, self._state, self)
        self.export_dialog.open()

    @Slot()
    def choose_import(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        dialog = QFileDialog(self, self.tr("Import conversations"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(
            [
                self.tr("ChatGPT export or Desktop Chat JSON (*.zip *.json)"),
                self.tr("All files (*)"),
            ]
        )
        dialog.fileSelected.connect(lambda path: self.import_from(Path(path)))
        self._import_dialog = dialog
        dialog.open()  # not exec(): no nested event loop under the running replies

    def import_from(self, path: Path) -> None:
        self.tasks.run(self._import(path))

    async def _import(self, path: Path) -> None:
        self.notices.show_notice(
            IMPORT_NOTICE, self.tr("Importing %1…").replace("%1", path.name), level="info"
        )
        try:
            outcome = await self._service.import_from(path)
        except ChatError as exc:
            self.notices.show_notice(IMPORT_NOTICE, exc.message)
            return
        from ..importers import describe_source  # not at start-up: the importers are large

        source = describe_source(outcome.source)
        if outcome.added == 1:
            text = self.tr("Imported 1 conversation from %1.").replace("%1", source)
        else:
            text = self.tr("Imported %1 conversations from %2.")
            text = text.replace("%1", str(outcome.added)).replace("%2", source)
        if outcome.already_there:
            text += " " + self.tr("%1 were already here and were left as they are.").replace(
                "%1", str(outcome.already_there)
            )
        self.notices.show_notice(IMPORT_NOTICE, text, level="info")

    def hide_for_replacement(self) -> None:
        """This window is about to be replaced by a new one (another language): keep the
        draft and the layout for it, then step aside."""
        self._keep_draft()
        self._save_window_state()
        self.hide()

    def start_after_replacement(self) -> None:
        """Catch up with what the window it replaces already had (the list of models)."""
        if self._service.is_ready:
            self.tasks.run(self._load_models())

    def tell_lock_taken_over(self, process: int) -> None:
        """Start-up found the data folder locked by a process that did not answer as
        Desktop Chat, and took the lock over: say so, once."""
        self.notices.show_notice(
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
        self._ask_before_closing = False
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._attached:  # closed while starting: nothing of the user's is here yet
            super().closeEvent(event)
            return
        if self._ask_before_closing and self._service.unsaved():
            event.ignore()  # nothing is dropped without the user saying so
            self._ask_about_unsaved()
            return
        self._keep_draft()
        self._save_window_state()
        self.tasks.cancel_all()
        self.search.tasks.cancel_all()
        if self.welcome is not None:
            self.welcome.tasks.cancel_all()
        if self.export_dialog is not None:
            self.export_dialog.reject()
        if self.settings_dialog is not None:
            self.settings_dialog.reject()
        super().closeEvent(event)

    # --- quitting with unsaved conversations -------------------------------------------

    def _ask_about_unsaved(self, reason: str = "") -> None:
        from .unsaved_dialog import UnsavedDialog

        if self.unsaved_dialog is None:
            self.unsaved_dialog = dialog = UnsavedDialog(self)
            dialog.retry_wanted.connect(lambda: self.tasks.run(self._retry_saving()))
            dialog.copy_wanted.connect(self._choose_copy_folder)
            dialog.quit_wanted.connect(self._quit_without_saving)
        self.unsaved_dialog.show_unsaved(
            self._service.unsaved(), self._service.save_problem, reason
        )
        self.unsaved_dialog.open()  # not exec(): no nested event loop under the replies

    async def _retry_saving(self) -> None:
        dialog = self.unsaved_dialog
        assert dialog is not None
        dialog.set_busy(True)
        still = await self._service.save_pending()
        if not still:
            dialog.accept()
            self.close()
            return
        dialog.show_unsaved(
            still, self._service.save_problem, self.tr("They still cannot be saved.")
        )

    @Slot()
    def _choose_copy_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chooser = QFileDialog(self, self.tr("Save a copy of the unsaved conversations"))
        chooser.setFileMode(QFileDialog.FileMode.Directory)
        chooser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        chooser.fileSelected.connect(lambda folder: self.tasks.run(self._copy_unsaved(folder)))
        self._copy_dialog = chooser
        chooser.open()

    async def _copy_unsaved(self, folder: str) -> None:
        dialog = self.unsaved_dialog
        assert dialog is not None
        dialog.set_busy(True)
        try:
            written = await self._service.copy_unsaved(Path(folder))
        except ChatError as exc:
            dialog.set_busy(False)
            dialog.set_problem(exc.message)
            return
        dialog.accept()
        self._ask_before_closing = False
        self.announce(self.tr("Copied %1 conversations.").replace("%1", str(len(written))))
        self.close()

    @Slot()
    def _quit_without_saving(self) -> None:
        self._service.discard_unsaved()
        if self.unsaved_dialog is not None:
            self.unsaved_dialog.accept()
        self._ask_before_closing = False
        self.close()

    @Slot(list)
    def _on_recovered(self, titles: list[str]) -> None:
        """An earlier run could not save some conversations and kept them elsewhere."""
        listing = ", ".join(f"“{t}”" for t in titles[:5]) + ("…" if len(titles) > 5 else "")
        text = (
            self.tr(
                "When Desktop Chat last quit, it could not save %1 and kept it in a recovery "
                "folder."
            )
            if len(titles) == 1
            else self.tr(
                "When Desktop Chat last quit, it could not save %1 and kept them in a recovery "
                "folder."
            )
        ).replace("%1", listing)
        self.notices.show_notice(
            RECOVERY_NOTICE,
            text,
            level="info",
            action=(self.tr("Restore"), lambda: self.tasks.run(self._restore_recovered())),
        )

    async def _restore_recovered(self) -> None:
        try:
            restored = await self._service.restore_recovered()
        except ChatError as exc:
            self.notices.show_notice(RECOVERY_NOTICE, exc.message)
            return
        self.notices.show_notice(
            RECOVERY_NOTICE,
            self.tr("Restored %1 conversations.").replace("%1", str(restored))
            if restored != 1
            else self.tr("Restored 1 conversation."),
            level="info",
        )

    # --- drafts and window state -----------------------------------------------------

    def _draft_key(self, conversation: Conversation) -> str:
        # A new chat has a new id each launch: its draft is kept under one name.
        return NEW_CHAT_DRAFT if conversation.is_empty else conversation.id

    @Slot()
    def _on_composer_changed(self) -> None:
        """Unsent text is kept as it is typed (the service writes it a moment later)."""
        if self._editing or self._shown_id != self._conversation_id:
            return  # an edited message is not a draft; a chat still opening has none yet
        if self._service.is_loaded(self._shown_id):
            conversation = self._service.conversation(self._shown_id)
            self._service.set_draft(self._draft_key(conversation), self.composer.text())

    def _keep_draft(self) -> None:
        if self._shown_id and self._service.is_loaded(self._shown_id):
            conversation = self._service.conversation(self._shown_id)
            if not self._editing:
                key = self._draft_key(conversation)
                self._service.set_draft(key, self.composer.text(), save_now=True)
                # Attachments not sent yet wait with their chat (for this session).
                previews = self.composer.strip.previews() if self.composer.strip else []
                attached = list(zip(self.composer.attachments(), previews, strict=True))
                if attached:
                    self._draft_attachments[key] = attached

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
        listed = self.conversation_model.row_of(self._conversation_id) >= 0
        self._state.setValue("window/conversation", self._conversation_id if listed else "")
        self._state.sync()

    @Slot()
    def _on_service_ready(self) -> None:
        self.tasks.run(self._load_models())
        current = self._service.conversation(self._conversation_id)
        if not current.is_empty or self.composer.text().strip():
            return  # the user is already busy in the window
        # Drafts are known only now; the new chat shown since the start gets its own first.
        self.composer.set_text(self._service.draft(NEW_CHAT_DRAFT))
        last = str(self._state.value("window/conversation", "") or "") if self._state else ""
        if last and self.conversation_model.row_of(last) >= 0:
            self.open_conversation(last)

    async def _load_models(self) -> None:
        models, _from_server = await self._service.models()
        self.header.set_models(models)


def _preferences_shortcuts() -> list[QKeySequence]:
    """The platform's Preferences key (Cmd+, on macOS) and Ctrl+, everywhere else."""
    from PySide6.QtGui import QKeySequence

    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences))
    comma = QKeySequence("Ctrl+,")
    return keys if comma in keys else [*keys, comma]
