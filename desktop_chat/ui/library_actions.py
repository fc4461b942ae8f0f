"""What the window does with whole conversations: import, export, delete (with Undo), and
putting back what an earlier run had to keep in a recovery folder. Each says how it went
in the notice bar; the work itself is the library's and the chat service's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Slot
from PySide6.QtWidgets import QFileDialog, QWidget

from ..errors import ChatError
from ..service import ChatService, LibraryService, TrashEntry
from .conversation.panel import ConversationPanel
from .tasks import BackgroundTasks

if TYPE_CHECKING:
    from .dialogs.export_dialog import ExportDialog

DELETED_NOTICE = "deleted"
EXPORT_NOTICE = "export"
IMPORT_NOTICE = "import"
RECOVERY_NOTICE = "recovery"


class LibraryActions(QObject):
    def __init__(
        self,
        chats: ChatService,
        library: LibraryService,
        panel: ConversationPanel,
        state: QSettings | None,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._chats = chats
        self._library = library
        self._panel = panel
        self._notices = panel.notices
        self._state = state
        self._window = window
        self.tasks = BackgroundTasks()
        self.export_dialog: ExportDialog | None = None
        chats.recovered.connect(self._on_recovered)

    # --- export ------------------------------------------------------------------------

    def export_conversations(self, conversation_ids: list[str]) -> None:
        """Open the export dialog for these conversations (those saved at least once)."""
        listed = {s.id: s for s in self._chats.summaries(ordered=False)}
        wanted = [i for i in conversation_ids if i in listed]
        if not wanted:
            self._notices.show_notice(
                EXPORT_NOTICE, self.tr("There is nothing to export yet."), level="info"
            )
            return
        from .dialogs.export_dialog import ExportDialog

        title = listed[wanted[0]].title or self.tr("Conversation")
        self.export_dialog = ExportDialog(self._library, wanted, title, self._state, self._window)
        self.export_dialog.open()

    def export_all(self) -> None:
        self.export_conversations([s.id for s in self._chats.summaries()])

    # --- import ------------------------------------------------------------------------

    @Slot()
    def choose_import(self) -> None:
        dialog = QFileDialog(self._window, self.tr("Import conversations"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(
            [
                self.tr("ChatGPT export or Desktop Chat JSON (*.zip *.json)"),
                self.tr("All files (*)"),
            ]
        )
        dialog.fileSelected.connect(lambda path: self.import_from(Path(path)))
        dialog.open()  # not exec(): no nested event loop under the running replies

    def import_from(self, path: Path) -> None:
        self.tasks.run(self._import(path))

    async def _import(self, path: Path) -> None:
        self._notices.show_notice(
            IMPORT_NOTICE, self.tr("Importing %1…").replace("%1", path.name), level="info"
        )
        try:
            outcome = await self._library.import_from(path)
        except ChatError as exc:
            self._notices.show_notice(IMPORT_NOTICE, exc.message)
            return
        if outcome.added == 1:
            text = self.tr("Imported 1 conversation from %1.").replace("%1", outcome.source)
        else:
            text = self.tr("Imported %1 conversations from %2.")
            text = text.replace("%1", str(outcome.added)).replace("%2", outcome.source)
        if outcome.already_there:
            text += " " + self.tr("%1 were already here and were left as they are.").replace(
                "%1", str(outcome.already_there)
            )
        self._notices.show_notice(IMPORT_NOTICE, text, level="info")

    # --- delete ------------------------------------------------------------------------

    def delete(self, conversation_id: str) -> None:
        self.tasks.run(self._delete(conversation_id))

    async def _delete(self, conversation_id: str) -> None:
        summaries = self._chats.summaries(ordered=False)
        title = next((s.title for s in summaries if s.id == conversation_id), "")
        entry = await self._chats.delete(conversation_id)
        was_open = conversation_id == self._panel.conversation_id
        if was_open:
            self._panel.new_chat()
        if entry is not None:
            self._notices.show_notice(
                DELETED_NOTICE,
                self.tr("Deleted “%1”. It is in the trash folder.").replace("%1", title),
                level="info",
                action=(self.tr("Undo"), lambda: self.tasks.run(self._undelete(entry, was_open))),
            )

    async def _undelete(self, entry: TrashEntry, was_open: bool) -> None:
        """Bring a deleted chat back, and back on screen if it was open when deleted (and
        the user has not begun another chat since)."""
        conversation_id = await self._chats.restore(entry)
        if conversation_id and was_open and self._panel.current_is_empty():
            self._panel.open_conversation(conversation_id)

    # --- recovered from an earlier run ---------------------------------------------------

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
        self._notices.show_notice(
            RECOVERY_NOTICE,
            text,
            level="info",
            action=(self.tr("Restore"), lambda: self.tasks.run(self._restore_recovered())),
        )

    async def _restore_recovered(self) -> None:
        try:
            restored = await self._chats.restore_recovered()
        except ChatError as exc:
            self._notices.show_notice(RECOVERY_NOTICE, exc.message)
            return
        self._notices.show_notice(
            RECOVERY_NOTICE,
            self.tr("Restored %1 conversations.").replace("%1", str(restored))
            if restored != 1
            else self.tr("Restored 1 conversation."),
            level="info",
        )
