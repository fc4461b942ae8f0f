"""The files attached to the message being written: a row of chips above the text, each
with its preview (or its name and size) and a button that takes it off again."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ...service import NewAttachment, describe_size

PREVIEW_HEIGHT = 44
CHIP_NAME_WIDTH = 150


class AttachmentChip(QFrame):
    removed = Signal(object)
    """This chip, whose attachment the user took off."""

    def __init__(self, item: NewAttachment, preview: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.image = preview
        attachment = item.attachment
        self.setObjectName("attachmentChip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.setSpacing(6)
        self.preview = QLabel(self)
        if attachment.is_image and not preview.isNull():
            ratio = self.devicePixelRatioF()
            pixmap = QPixmap.fromImage(
                preview.scaledToHeight(
                    round(PREVIEW_HEIGHT * ratio), Qt.TransformationMode.SmoothTransformation
                )
            )
            pixmap.setDevicePixelRatio(ratio)
            self.preview.setPixmap(pixmap)
        else:
            from ..icons import document

            color = self.palette().color(QPalette.ColorRole.WindowText)
            icon = document(color, 28, self.devicePixelRatioF())
            self.preview.setPixmap(QPixmap.fromImage(icon))
            self.preview.setFixedSize(QSize(32, PREVIEW_HEIGHT))
            self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.preview)
        size = describe_size(attachment.size)
        if attachment.is_image:
            details = self.tr("%1 × %2 px, %3").replace("%1", str(attachment.width))  # noqa: RUF001
            details = details.replace("%2", str(attachment.height)).replace("%3", size)
        else:
            details = size
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        metrics = self.label.fontMetrics()
        name = metrics.elidedText(attachment.name, Qt.TextElideMode.ElideMiddle, CHIP_NAME_WIDTH)
        self.label.setText(f"{name}\n{details}")
        layout.addWidget(self.label)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("\N{MULTIPLICATION X}")
        remove = self.tr("Remove %1").replace("%1", attachment.name)
        self.remove_button.setAccessibleName(remove)
        self.remove_button.setToolTip(remove)
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(lambda: self.removed.emit(self))
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setToolTip(f"{attachment.name}\n{details}")
        self.setAccessibleName(self.tr("Attached: %1").replace("%1", attachment.name))


class AttachmentStrip(QScrollArea):
    """Chips in the order attached; hidden while there are none."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentStrip")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        inner = self._inner = QWidget(self)
        self._row = QHBoxLayout(inner)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._row.addStretch(1)
        self.setWidget(inner)
        self.chips: list[AttachmentChip] = []
        self.hide()

    def sizeHint(self) -> QSize:
        bar = self.horizontalScrollBar().sizeHint().height()
        return QSize(super().sizeHint().width(), self._inner.sizeHint().height() + bar)

    def add(self, item: NewAttachment, preview: QImage) -> None:
        chip = AttachmentChip(item, preview, self._inner)
        chip.removed.connect(self._remove)
        self._row.insertWidget(len(self.chips), chip)
        self.chips.append(chip)
        self._update()

    def items(self) -> list[NewAttachment]:
        return [chip.item for chip in self.chips]

    def previews(self) -> list[QImage]:
        return [chip.image for chip in self.chips]

    def clear(self) -> None:
        for chip in self.chips:
            chip.deleteLater()
        self.chips = []
        self._update()

    def _remove(self, chip: AttachmentChip) -> None:
        index = self.chips.index(chip)
        self.chips.remove(chip)
        chip.deleteLater()
        # The keyboard stays in the strip: on the next chip's button, or the text box.
        if self.chips:
            self.chips[min(index, len(self.chips) - 1)].remove_button.setFocus()
        self._update()

    def _update(self) -> None:
        self.setFixedHeight(self.sizeHint().height())
        self.setVisible(bool(self.chips))
        self.changed.emit()
