"""Export one conversation, a selection or all of them: the format, where to, and a
progress bar that can be cancelled. The work runs in the background; the window stays
usable, and replies keep arriving."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...errors import ChatError
from ...export_formats import ExportFormat
from ...service import LibraryService
from ..tasks import BackgroundTasks
from .key_widgets import buddy_label, error_style, ok_style


class ExportDialog(QDialog):
    def __init__(
        self,
        library: LibraryService,
        conversation_ids: list[str],
        title: str,
        state: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._library = library
        self._ids = conversation_ids
        self._state = state
        self._suggested = library.file_stem_for(title)
        self._cancelled = threading.Event()
        self._written_to: Path | None = None
        self.tasks = BackgroundTasks()
        count = len(conversation_ids)
        self.single = count == 1
        if self.single:
            self.setWindowTitle(self.tr("Export “%1”").replace("%1", title))
        else:
            self.setWindowTitle(self.tr("Export %1 conversations").replace("%1", str(count)))

        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        for choice in ExportFormat:
            self.format.addItem(choice.label, choice.value)
        self.format.setAccessibleName(self.tr("Format"))
        self.destination = QLineEdit(self)
        self.destination.setObjectName("exportDestination")
        self.destination.setAccessibleName(
            self.tr("File to write") if self.single else self.tr("Folder to write into")
        )
        self.choose = QPushButton(self.tr("&Choose…"), self)
        self.choose.setObjectName("chooseDestination")
        self.choose.clicked.connect(self._choose_destination)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(self.choose)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, count)
        self.progress.setValue(0)
        self.progress.hide()  # shown once a bulk export starts
        self.status = QLabel(self)
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("startExport")
        self.export_button.setDefault(True)
        self.open_folder = self.buttons.addButton(
            self.tr("&Open folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_folder.hide()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel)
        self.open_folder.clicked.connect(self._open_folder)

        form = QFormLayout()
        form.addRow(buddy_label(self.tr("&Format:"), self.format, self), self.format)
        form.addRow(
            buddy_label(
                self.tr("&Save as:") if self.single else self.tr("&Into folder:"),
                self.destination,
                self,
            ),
            where,
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

        last_format = str(state.value("export/format", "md")) if state else "md"
        self.format.setCurrentIndex(max(0, self.format.findData(last_format)))
        self.format.currentIndexChanged.connect(self._follow_format)
        self.destination.setText(str(self._default_destination()))

    # --- where to ------------------------------------------------------------------------

    def _extension(self) -> str:
        return f".{self.format.currentData()}"

    def _default_destination(self) -> Path:
        folder = Path(str(self._state.value("export/folder", ""))) if self._state else Path()
        if not str(folder) or str(folder) == "." or not folder.is_dir():
            documents = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            folder = Path(documents or Path.home())
        if self.single:
            return folder / f"{self._suggested}{self._extension()}"
        return folder / self.tr("Desktop Chat export")

    @Slot()
    def _follow_format(self) -> None:
        """A file name follows the format chosen: notes.md becomes notes.html."""
        if not self.single:
            return
        current = Path(self.destination.text())
        if current.suffix.lower() in {f.extension for f in ExportFormat}:
            self.destination.setText(str(current.with_suffix(self._extension())))

    @Slot()
    def _choose_destination(self) -> None:
        dialog = QFileDialog(self)
        current = Path(self.destination.text())
        if self.single:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setFileMode(QFileDialog.FileMode.AnyFile)
            dialog.setDirectory(str(current.parent))
            dialog.selectFile(current.name)
            dialog.setDefaultSuffix(self.format.currentData())
        else:
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
            dialog.setDirectory(str(current.parent if not current.is_dir() else current))
        dialog.fileSelected.connect(self.destination.setText)
        self._file_dialog = dialog
        dialog.open()  # not exec(): no nested event loop under the running replies

    # --- doing it ------------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        text = self.destination.text().strip()
        if not text:
            self._say(self.tr("Choose where to export to."), ok=False)
            return
        self.tasks.run(self._export(Path(text).expanduser()))

    async def _export(self, target: Path) -> None:
        self._cancelled.clear()
        self.export_button.setEnabled(False)
        self.format.setEnabled(False)
        self.destination.setEnabled(False)
        self.choose.setEnabled(False)
        self.progress.setValue(0)
        self.progress.setVisible(not self.single)
        self._say(self.tr("Exporting…"), ok=True)
        fmt = str(self.format.currentData())
        try:
            report = await self._library.export(
                self._ids, fmt, target, self._on_progress, self._cancelled
            )
        except ChatError as exc:
            self._say(exc.message, ok=False)
            self._ready_again()
            return
        self._remember(target, fmt)
        count = len(report.written)
        self._written_to = report.written[0].parent if report.written else None
        if report.cancelled:
            text = self.tr("Cancelled after %1 of %2.").replace("%1", str(count))
            self._say(text.replace("%2", str(report.total)), ok=False)
        else:
            where = str(report.written[0] if self.single and report.written else target)
            if count == 1:
                text = self.tr("Exported 1 conversation to %1.").replace("%1", where)
            else:
                text = self.tr("Exported %1 conversations to %2.").replace("%1", str(count))
                text = text.replace("%2", where)
            if report.failed:
                text += " " + self.tr("%1 could not be read and were left out.").replace(
                    "%1", str(len(report.failed))
                )
            self._say(text, ok=not report.failed)
        self.open_folder.setVisible(self._written_to is not None)
        self.export_button.hide()
        self.cancel_button.setText(self.tr("Close"))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _ready_again(self) -> None:
        self.export_button.setEnabled(True)
        self.format.setEnabled(True)
        self.destination.setEnabled(True)
        self.choose.setEnabled(True)

    def _remember(self, target: Path, fmt: str) -> None:
        if self._state is None:
            return
        self._state.setValue("export/folder", str(target.parent))
        self._state.setValue("export/format", fmt)

    def _say(self, text: str, *, ok: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ok_style(self) if ok else error_style(self))
        self.status.show()

    @Slot()
    def _cancel(self) -> None:
        if self.tasks.pending:
            self._cancelled.set()  # stops between two conversations; what is written stays
        else:
            self.reject()

    @Slot()
    def _open_folder(self) -> None:
        if self._written_to is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._written_to)))

    def done(self, result: int) -> None:
        self._cancelled.set()
        super().done(result)
