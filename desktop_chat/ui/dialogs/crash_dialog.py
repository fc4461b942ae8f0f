"""What the user sees when something inside the app fails unexpectedly: not a vanished
window, but a plain message, where the details are, and the choice to go on or quit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


class CrashDialog(QMessageBox):
    def __init__(self, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("Desktop Chat"))
        self.setText(self.tr("Something went wrong inside Desktop Chat."))
        self.setInformativeText(
            self.tr(
                "Your conversations are saved. The details are in the log:\n%1\n\n"
                "You can keep working, or quit and start Desktop Chat again."
            ).replace("%1", str(log_file))
        )
        self._log_file = log_file
        self.open_log = self.addButton(
            self.tr("Open the log folder"), QMessageBox.ButtonRole.ActionRole
        )
        self.keep_working = self.addButton(
            self.tr("Keep working"), QMessageBox.ButtonRole.AcceptRole
        )
        self.quit_button = self.addButton(self.tr("Quit"), QMessageBox.ButtonRole.DestructiveRole)
        self.setDefaultButton(self.keep_working)
        self.open_log.clicked.disconnect()  # keep the dialog open after showing the folder
        self.open_log.clicked.connect(self._show_folder)

    @Slot()
    def _show_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_file.parent)))
