"""Quitting with conversations the data folder would not take (a full disk): nothing is
dropped without the user saying so. Closing the window asks first: try saving again, save
a copy in a folder the user picks (Import brings it back), or quit without saving. At a
logout or a `kill` there is no one to ask: the service keeps them in a recovery folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QFileDialog, QWidget

from ..errors import ChatError
from ..service import ChatService
from .tasks import BackgroundTasks

if TYPE_CHECKING:
    from .dialogs.unsaved_dialog import UnsavedDialog


class QuitGuard(QObject):
    def __init__(
        self,
        chats: ChatService,
        window: QWidget,
        announce: Callable[[str], None],
        tasks: BackgroundTasks,
    ) -> None:
        super().__init__(window)
        self._chats = chats
        self._window = window
        self._announce = announce
        self._tasks = tasks
        self._ask = True
        """Closing asks first while conversations could not be saved (not at a logout)."""
        self.dialog: UnsavedDialog | None = None

    def may_close(self) -> bool:
        """Whether the window may close now; if not, the user is being asked."""
        if not self._ask or not self._chats.unsaved():
            return True
        self._open_dialog()
        return False

    def close_without_asking(self) -> None:
        """Close now, with no question (a logout, `kill`): what could not be saved is kept
        in the recovery folder by the service."""
        self._ask = False
        self._window.close()

    def _open_dialog(self) -> None:
        from .dialogs.unsaved_dialog import UnsavedDialog

        if self.dialog is None:
            self.dialog = dialog = UnsavedDialog(self._window)
            dialog.retry_wanted.connect(lambda: self._tasks.run(self._retry_saving()))
            dialog.copy_wanted.connect(self._choose_copy_folder)
            dialog.quit_wanted.connect(self._quit_without_saving)
        self.dialog.show_unsaved(self._chats.unsaved(), self._chats.save_problem)
        self.dialog.open()  # not exec(): no nested event loop under the replies

    async def _retry_saving(self) -> None:
        dialog = self.dialog
        assert dialog is not None
        dialog.set_busy(True)
        still = await self._chats.save_pending()
        if not still:
            dialog.accept()
            self._window.close()
            return
        dialog.show_unsaved(still, self._chats.save_problem, self.tr("They still cannot be saved."))

    @Slot()
    def _choose_copy_folder(self) -> None:
        chooser = QFileDialog(self._window, self.tr("Save a copy of the unsaved conversations"))
        chooser.setFileMode(QFileDialog.FileMode.Directory)
        chooser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        chooser.fileSelected.connect(lambda folder: self._tasks.run(self._copy_unsaved(folder)))
        chooser.open()

    async def _copy_unsaved(self, folder: str) -> None:
        dialog = self.dialog
        assert dialog is not None
        dialog.set_busy(True)
        try:
            written = await self._chats.copy_unsaved(Path(folder))
        except ChatError as exc:
            dialog.set_busy(False)
            dialog.set_problem(exc.message)
            return
        dialog.accept()
        self._announce(self.tr("Copied %1 conversations.").replace("%1", str(len(written))))
        self.close_without_asking()

    @Slot()
    def _quit_without_saving(self) -> None:
        self._chats.discard_unsaved()
        if self.dialog is not None:
            self.dialog.accept()
        self.close_without_asking()
