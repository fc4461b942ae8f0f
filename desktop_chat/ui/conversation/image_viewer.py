"""An attached picture at full size (or as large as the screen allows), with a way to
open it in the system's own viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...domain import Attachment

SCREEN_SHARE = 0.85
"""The dialog takes at most this much of the screen; a larger picture is scaled to fit."""


class ImageViewer(QDialog):
    def __init__(self, attachment: Attachment, file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attachment = attachment
        self._file = file
        self.setWindowTitle(attachment.name)
        self.picture = QLabel(self.tr("Loading…"), self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAccessibleName(attachment.name)
        self.picture.setAccessibleDescription(
            self.tr("%1 × %2 pixels")  # noqa: RUF001
            .replace("%1", str(attachment.width))
            .replace("%2", str(attachment.height))
        )
        scroll = QScrollArea(self)
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = QPushButton(self.tr("Open in the &system viewer"), self)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self._open_externally)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(self._fitting(QSize(attachment.width, attachment.height)) + QSize(40, 80))

    def show_image(self, image: QImage | None, problem: str = "") -> None:
        """The decoded picture (decoded off the UI thread), or why there is none."""
        if image is None or image.isNull():
            self.picture.setText(problem)
            self.open_button.setEnabled(False)
            return
        ratio = self.devicePixelRatioF()
        fitted = self._fitting(image.size())
        if fitted != image.size():
            image = image.scaled(
                fitted * ratio,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio if fitted != image.size() else 1.0)
        self.picture.setPixmap(pixmap)

    def _fitting(self, size: QSize) -> QSize:
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableSize() * SCREEN_SHARE - QSize(40, 80)
        if size.width() <= room.width() and size.height() <= room.height():
            return size
        return size.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)

    def _open_externally(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._file)))
