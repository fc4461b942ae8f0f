"""What the composer holds for each chat: the unsent text (a draft, which the service keeps
across restarts and crashes), the attachments not sent yet (kept for this session), and
the earlier question being edited, with the draft it displaced."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QImage

from ...domain import Conversation
from ...service import NEW_CHAT_DRAFT, ChatService
from ..notices import NoticeBar
from .composer import Composer

if TYPE_CHECKING:
    from ...service import NewAttachment

EDIT_NOTICE = "editing"


class ComposerState(QObject):
    def __init__(
        self,
        chats: ChatService,
        composer: Composer,
        notices: NoticeBar,
        selected: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        """`selected`: the conversation chosen, which may still be opening."""
        super().__init__(parent)
        self._chats = chats
        self._composer = composer
        self._notices = notices
        self._selected = selected
        self._shown_id = ""
        """The conversation whose draft is in the box."""
        self._editing = ""
        self._before_editing = ""
        """What was in the box when editing began: it comes back when editing ends."""
        self._attachments: dict[str, list[tuple[NewAttachment, QImage]]] = {}
        """Attachments of chats switched away from before sending, by draft key."""
        composer.text_changed.connect(self._on_text_changed)

    @property
    def shown_id(self) -> str:
        return self._shown_id

    @property
    def editing(self) -> str:
        """The id of the question being edited; "" when none is."""
        return self._editing

    def switch_to(self, conversation: Conversation) -> None:
        """The box takes `conversation`'s draft; the one it held is kept."""
        if conversation.id == self._shown_id:
            return
        self.cancel_editing()
        self.keep()
        self._shown_id = ""  # the box takes the other chat's draft: no change to keep
        key = draft_key(conversation)
        self._composer.set_text(self._chats.draft(key))
        self._composer.clear_attachments()
        for item, preview in self._attachments.pop(key, []):
            self._composer.add_attachment(item, preview)
        self._shown_id = conversation.id

    def keep(self) -> None:
        """Keep what the box holds for the chat it belongs to (saved now)."""
        if not self._shown_id or not self._chats.is_loaded(self._shown_id) or self._editing:
            return
        key = draft_key(self._chats.conversation(self._shown_id))
        self._chats.set_draft(key, self._composer.text(), save_now=True)
        # Attachments not sent yet wait with their chat (for this session).
        attached = self._composer.attached()
        if attached:
            self._attachments[key] = attached

    # --- editing an earlier question --------------------------------------------------

    def start_editing(self, message_id: str) -> None:
        """Put an earlier question back in the composer; sending replaces it."""
        if self._chats.is_streaming(self._shown_id):
            self._notices.show_notice(
                EDIT_NOTICE,
                self.tr("Wait for the reply to finish, or stop it, to edit."),
                level="info",
            )
            return
        messages = self._chats.conversation(self._shown_id).messages
        message = next(m for m in messages if m.id == message_id)
        if not self._editing:
            self._before_editing = self._composer.text()
        self._editing = message_id
        self._composer.set_text(message.content)
        self._composer.edit.setFocus()
        self._notices.show_notice(
            EDIT_NOTICE,
            self.tr(
                "Editing a message: Enter sends it in place of the old one (which is kept "
                "as another version); Esc cancels."
            ),
            level="info",
            action=(self.tr("Cancel"), self.cancel_editing),
            closable=False,
        )

    def finish_editing(self) -> str:
        """Editing ends with the edit sent: the displaced draft comes back. Returns the id
        of the question edited."""
        editing, self._editing = self._editing, ""
        self._notices.clear_notice(EDIT_NOTICE)
        self._composer.set_text(self._before_editing)
        return editing

    def cancel_editing(self) -> None:
        if self._editing:
            self._editing = ""
            self._composer.set_text(self._before_editing)
            self._notices.clear_notice(EDIT_NOTICE)

    @Slot()
    def _on_text_changed(self) -> None:
        """Unsent text is kept as it is typed (the service writes it a moment later)."""
        if self._editing or self._shown_id != self._selected():
            return  # an edited message is not a draft; a chat still opening has none yet
        if self._chats.is_loaded(self._shown_id):
            key = draft_key(self._chats.conversation(self._shown_id))
            self._chats.set_draft(key, self._composer.text())


def draft_key(conversation: Conversation) -> str:
    # A new chat has a new id each launch: its draft is kept under one name.
    return NEW_CHAT_DRAFT if conversation.is_empty else conversation.id
