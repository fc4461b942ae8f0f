"""The open conversation: its header (model, system prompt), the notices, its messages
(or, for an empty chat, the example questions or the welcome), the find bar and the
composer; and its flows: send, edit, attach, the reply actions, drafts, and what screen
readers are told.

The panel follows its conversation's events from the chat service (`ChatService.events`):
whatever changes a message (a streamed chunk, another version, a restore) is shown because
the service announced it, not because someone passed it on. What the panel cannot do itself
it asks for (`settings_wanted`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, SignalInstance, Slot
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from ...domain import Conversation, MessageStatus, Role
from ...render.math import Formulas
from ...service import (
    NEW_CHAT_DRAFT,
    AttachmentService,
    ChatService,
    SettingsService,
)
from ..notices import NoticeBar
from ..tasks import BackgroundTasks
from .attaching import Attaching
from .composer import Composer
from .composer_state import ComposerState
from .empty_state import EmptyState
from .find_bar import FindBar
from .header_bar import HeaderBar
from .message_render import Action
from .message_view import MessageView

if TYPE_CHECKING:
    from ...service import NewAttachment
    from ..dialogs.welcome import WelcomePage

SETUP_NOTICE = "setup"
ANNOUNCED_CHARS = 200
"""How much of a finished reply is read out: enough to know what it is about."""


class ConversationPanel(QWidget):
    settings_wanted = Signal()
    """The user asked for Settings (from a notice): the window opens them."""
    conversation_selected = Signal(str)
    """(conversation id): the conversation chosen to be shown, which may still be opening."""
    welcome_shown = Signal(bool)
    """The first-launch welcome fills the window (True), or is gone (False)."""

    def __init__(
        self,
        chats: ChatService,
        settings: SettingsService,
        files: AttachmentService,
        formulas: Formulas | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # One surface: the header and the composer sit on the conversation's own colour.
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self._chats = chats
        self._settings = settings
        self._conversation_id = ""
        """The conversation selected (being opened, or shown)."""
        self._shown_id = ""
        """The conversation on screen, whose events the panel follows."""
        self._events: list[tuple[SignalInstance, Callable[..., object]]] = []
        self.last_announcement = ""
        """What was last given to screen readers to say."""
        self.tasks = BackgroundTasks()
        self.header = HeaderBar()
        self.notices = NoticeBar()
        self.empty_state = EmptyState()
        self.welcome: WelcomePage | None = None
        """Built the first time it is needed: most launches never show it."""
        self.message_view = MessageView(formulas)
        self.message_view.can_retry = lambda: chats.can_retry(self._shown_id)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.message_view)
        self.composer = Composer()
        self.find_bar = FindBar(self.message_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.notices)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.composer)
        self.box = ComposerState(chats, self.composer, self.notices, lambda: self._conversation_id)
        self.attaching = Attaching(
            files, self.composer, self.message_view, self.notices, self.tasks, self
        )
        self.composer.send_requested.connect(self._send)
        self.composer.stop_requested.connect(self.stop_or_cancel)
        self.empty_state.question_chosen.connect(self._send)
        self.message_view.action_requested.connect(self._on_reply_action)
        self.header.model_chosen.connect(
            lambda model: chats.update_settings(self._conversation_id, model=model)
        )
        self.header.system_prompt_changed.connect(
            lambda text: chats.update_settings(self._conversation_id, system_prompt=text)
        )
        self.header.renamed.connect(
            lambda title: self.tasks.run(chats.rename(self._conversation_id, title))
        )
        chats.conversations_changed.connect(self._on_titles_changed)
        self.header.effort_chosen.connect(
            lambda effort: chats.update_settings(self._conversation_id, reasoning_effort=effort)
        )
        settings.changed.connect(self._on_settings_changed)
        settings.connection_changed.connect(self._on_connection_changed)
        chats.notice.connect(self.notices.show_notice)
        chats.notice_cleared.connect(self.notices.clear_notice)
        self.composer.set_send_key(settings.settings.send_key)

    @property
    def conversation_id(self) -> str:
        return self._conversation_id

    # --- which conversation ----------------------------------------------------------------

    def new_chat(self) -> None:
        current = self._conversation_id
        if self._chats.is_loaded(current) and self._chats.conversation(current).is_empty:
            self.composer.edit.setFocus()
            return
        self._show(self._chats.new_conversation())

    def open_conversation(self, conversation_id: str) -> None:
        """Show a conversation, loading it from disk first if needed."""
        if self._chats.is_loaded(conversation_id):
            self._show(self._chats.conversation(conversation_id))
            return
        self._select(conversation_id)
        self.tasks.run(self._load_and_show(conversation_id))

    async def _load_and_show(self, conversation_id: str) -> None:
        conversation = await self._chats.open_conversation(conversation_id)
        if self._conversation_id != conversation_id:
            return  # the user moved on meanwhile
        if conversation is None:
            self._conversation_id = ""
            self.new_chat()
        else:
            self._show(conversation)

    def reveal(self, conversation_id: str, message_id: str, query: str) -> None:
        """Open a conversation at a message, its words matching `query` marked."""
        self.tasks.run(self._reveal(conversation_id, message_id, query))

    async def _reveal(self, conversation_id: str, message_id: str, query: str) -> None:
        self._conversation_id = conversation_id
        conversation = await self._chats.open_conversation(conversation_id)
        if conversation is None or self._conversation_id != conversation_id:
            return  # unreadable (the notice says why), or the user moved on meanwhile
        if self._shown_id != conversation_id:
            self._show(conversation)
        if message_id:
            self.message_view.reveal(message_id, query)

    def current_is_empty(self) -> bool:
        """No conversation is shown, or the one shown has no messages yet."""
        current = self._conversation_id
        return not self._chats.is_loaded(current) or self._chats.conversation(current).is_empty

    def _show_header(self, conversation: Conversation) -> None:
        efforts = self._chats.efforts_for(conversation.settings.model)
        self.header.show_settings(
            conversation.settings,
            read_only=conversation.read_only,
            efforts=efforts,
            title=conversation.display_title(self.tr("New chat")),
        )
        # A chat with no message yet is not saved, so not listed: nothing to rename.
        self.header.title.editable = not (conversation.read_only or conversation.is_empty)

    @Slot()
    def _on_titles_changed(self) -> None:
        """A title may have changed (the model's, a rename in the list): the header's too."""
        if self._chats.is_loaded(self._shown_id):
            conversation = self._chats.conversation(self._shown_id)
            self.header.title.set_title(conversation.display_title(self.tr("New chat")))

    def _select(self, conversation_id: str) -> None:
        self._conversation_id = conversation_id
        self.conversation_selected.emit(conversation_id)

    def _show(self, conversation: Conversation) -> None:
        self.box.switch_to(conversation)
        self._follow(conversation.id)
        self._select(conversation.id)
        self._show_header(conversation)
        self.message_view.show_conversation(conversation)
        self._show_page(conversation)
        self.composer.set_streaming(self._chats.is_streaming(conversation.id))
        self._update_can_send(conversation)
        self.find_bar.refresh()
        self.composer.edit.setFocus()

    def _follow(self, conversation_id: str) -> None:
        """Listen to this conversation's events (and no longer to the last one's)."""
        if conversation_id == self._shown_id:
            return
        for signal, slot in self._events:
            signal.disconnect(slot)
        self._shown_id = conversation_id
        events = self._chats.events(conversation_id)
        self._events = [
            (events.message_added, self._on_message_added),
            (events.message_changed, self.message_view.refresh_message),
            (events.replaced, self._on_replaced),
            (events.streaming_changed, self._on_streaming_changed),
            (events.settings_changed, self._on_conversation_settings_changed),
        ]
        for signal, slot in self._events:
            signal.connect(slot)

    def _show_page(self, conversation: Conversation) -> None:
        """Messages; or, for an empty chat, the examples (or the welcome, if there is no
        connection yet)."""
        if not conversation.is_empty:
            page: QWidget = self.message_view
        elif self._settings.needs_welcome and not self._chats.read_only:
            page = self._welcome_page()
        else:
            page = self.empty_state
        self.stack.setCurrentWidget(page)
        # Nothing to pick a model for, or to type, before there is a server to ask: the
        # welcome is a page of its own, the window's sidebar steps aside too.
        welcome = page is self.welcome
        self.header.setVisible(not welcome)
        self.composer.setVisible(not welcome)
        self.welcome_shown.emit(welcome)

    def _welcome_page(self) -> WelcomePage:
        if self.welcome is None:
            from ..dialogs.welcome import WelcomePage

            self.welcome = WelcomePage(self._settings)
            self.welcome.saved.connect(self._on_welcome_saved)
            self.stack.addWidget(self.welcome)
        return self.welcome

    # --- asking -------------------------------------------------------------------------

    @Slot(str)
    def _send(self, text: str) -> None:
        conversation_id = self._conversation_id
        if self._chats.send_problem(conversation_id):
            self._update_can_send(self._chats.conversation(conversation_id))
            return
        if self.box.editing:
            editing = self.box.finish_editing()
            self._chats.edit_and_resend(conversation_id, editing, text)
            return
        attached = self.attaching.take()
        if not attached:
            self._chats.send(conversation_id, text)
            return
        self.tasks.run(self._send_with(conversation_id, text, attached))

    async def _send_with(
        self, conversation_id: str, text: str, attached: list[tuple[NewAttachment, QImage]]
    ) -> None:
        kept = await self.attaching.keep(
            attached, text, lambda: conversation_id == self._conversation_id
        )
        if kept is not None:
            self._chats.send(conversation_id, text, kept)

    @Slot()
    def stop_or_cancel(self) -> None:
        """Esc: leave message editing, or stop the reply."""
        if self.box.editing:
            self.box.cancel_editing()
        elif self._conversation_id:
            self._chats.stop(self._conversation_id)

    @Slot(str, str, str)
    def _on_reply_action(self, action: str, message_id: str, argument: str) -> None:
        chats, conversation_id = self._chats, self._shown_id
        messages = chats.conversation(conversation_id).messages
        index = next((i for i, m in enumerate(messages) if m.id == message_id), None)
        if action == Action.RETRY:
            chats.retry(conversation_id)
        elif action == Action.CONTINUE:
            chats.continue_reply(conversation_id)
        elif action == Action.REGENERATE:
            chats.regenerate(conversation_id)
        elif action == Action.EDIT:
            self.box.start_editing(message_id)
        elif action in (Action.PREVIOUS_VERSION, Action.NEXT_VERSION) and index is not None:
            position, _count = chats.versions(conversation_id, index)
            step = -1 if action == Action.PREVIOUS_VERSION else 1
            chats.show_version(conversation_id, index, position + step)
        elif action == Action.VIEW_ATTACHMENT and index is not None:
            self.attaching.view(messages[index], int(argument or 0))

    def ask_again(self) -> None:
        """Ctrl+R: Retry the last reply if it failed or stopped, else Regenerate it."""
        chats, conversation_id = self._chats, self._shown_id
        if not chats.is_loaded(conversation_id) or chats.is_streaming(conversation_id):
            return
        messages = chats.conversation(conversation_id).messages
        if not messages or messages[-1].role is not Role.ASSISTANT:
            return
        if chats.can_retry(conversation_id):
            chats.retry(conversation_id)
        elif messages[-1].status is MessageStatus.COMPLETE:
            chats.regenerate(conversation_id)

    def copy_last_reply(self) -> None:
        """Ctrl+Shift+C: the last reply's text to the clipboard."""
        chats, conversation_id = self._chats, self._shown_id
        if not chats.is_loaded(conversation_id):
            return
        replies = [
            m for m in chats.conversation(conversation_id).messages if m.role is Role.ASSISTANT
        ]
        if replies and replies[-1].content:
            self.message_view.copy_message(replies[-1].id)

    def find_in_conversation(self) -> None:
        """Find in this conversation (Ctrl+F), when it has messages."""
        if self.stack.currentWidget() is self.message_view:
            self.find_bar.open_bar()

    # --- the conversation's events ----------------------------------------------------------

    @Slot(str)
    def _on_message_added(self, message_id: str) -> None:
        if self.stack.currentWidget() is not self.message_view:
            self.stack.setCurrentWidget(self.message_view)  # the first question was sent
            self.header.show()
        self.message_view.add_message(message_id)

    @Slot()
    def _on_replaced(self) -> None:
        self.message_view.show_conversation(self._chats.conversation(self._shown_id))

    @Slot()
    def _on_conversation_settings_changed(self) -> None:
        conversation = self._chats.conversation(self._shown_id)
        self._show_header(conversation)

    @Slot(bool)
    def _on_streaming_changed(self, streaming: bool) -> None:
        self.composer.set_streaming(streaming)
        if not streaming:  # a model that refused the reasoning effort is offered none
            self._show_header(self._chats.conversation(self._shown_id))
        if not streaming:
            self._announce_reply()

    def _announce_reply(self) -> None:
        """Tell screen readers a reply has finished, and how it begins (or why it failed)."""
        messages = self._chats.conversation(self._shown_id).messages
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
        from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent  # ~2 ms: not at start

        self.last_announcement = text
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.message_view, text))

    # --- the app's state ------------------------------------------------------------------

    def start(self, last_conversation: str) -> None:
        """The conversations are known: offer the server's models; unless the user is busy
        already, bring back the new chat's draft, or the conversation open at the last quit."""
        self.load_models()
        if not self.current_is_empty() or self.composer.text().strip():
            return
        self.composer.set_text(self._chats.draft(NEW_CHAT_DRAFT))
        if last_conversation and any(
            s.id == last_conversation for s in self._chats.summaries(ordered=False)
        ):
            self.open_conversation(last_conversation)

    def load_models(self) -> None:
        self.tasks.run(self._load_models())

    async def _load_models(self) -> None:
        models, _from_server = await self._chats.models()
        self.header.set_models(models)

    def offered_models(self) -> list[str]:
        return [self.header.model.itemText(i) for i in range(self.header.model.count())]

    def close_tasks(self) -> None:
        self.tasks.cancel_all()
        if self.welcome is not None:
            self.welcome.tasks.cancel_all()

    @Slot()
    def _on_welcome_saved(self) -> None:
        if self._chats.is_loaded(self._conversation_id):
            self._show(self._chats.conversation(self._conversation_id))
        self.composer.edit.setFocus()

    @Slot()
    def _on_settings_changed(self) -> None:
        self.composer.set_send_key(self._settings.settings.send_key)
        if not self._chats.is_loaded(self._conversation_id):
            return
        conversation = self._chats.conversation(self._conversation_id)
        if conversation.is_empty:
            self._show_header(conversation)
        if self.stack.currentWidget() is not self.message_view:
            self._show_page(conversation)
        self._update_can_send(conversation)

    @Slot()
    def _on_connection_changed(self) -> None:
        if self._chats.is_ready:
            self.load_models()

    def _update_can_send(self, conversation: Conversation) -> None:
        problem = self._chats.setup_problem()
        if problem and self._chats.read_only:
            self.notices.show_notice(SETUP_NOTICE, problem, closable=False)
        elif problem and self.stack.currentWidget() is not self.welcome:
            action: tuple[str, Callable[[], object]] = (
                self.tr("Settings…"),
                self.settings_wanted.emit,
            )
            if self._settings.key_problem:  # a locked keyring: unlocking it is the fix
                action = (self.tr("Try again"), lambda: self.tasks.run(self._settings.reload_key()))
            self.notices.show_notice(
                SETUP_NOTICE, problem, closable=False, action=action, action_dismisses=False
            )
        else:
            self.notices.clear_notice(SETUP_NOTICE)
        reason = problem or self._chats.send_problem(conversation.id)
        self.composer.set_can_send(reason is None, reason or "")
        self.empty_state.set_enabled_questions(reason is None, reason or "")
