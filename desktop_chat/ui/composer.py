"""The box the user writes in, with its Send / Stop button."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QSizePolicy, QWidget

MIN_LINES = 2
MAX_LINES = 10
# Qt wraps one paragraph in a single pass whose cost grows with the square of its length
# when it has no spaces: 400,000 characters take 6 s. Longer lines are shown unwrapped.
LONGEST_WRAPPED_LINE = 20_000


class ComposerEdit(QPlainTextEdit):
    """Enter sends; Shift+Enter starts a new line."""

    submitted = Signal()

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            self.prepare_for(source.text())
        super().insertFromMimeData(source)

    def prepare_for(self, text: str) -> None:
        """Stop wrapping before a huge line arrives, so the window does not freeze on it."""
        if len(text) > LONGEST_WRAPPED_LINE and _longest_line(text) > LONGEST_WRAPPED_LINE:
            self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit()
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    send_requested = Signal(str)
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = ComposerEdit(self)
        self.edit.setObjectName("composerEdit")
        self.edit.setPlaceholderText(
            self.tr("Ask anything… (Enter to send, Shift+Enter for a new line)")
        )
        self.edit.setTabChangesFocus(True)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.edit.textChanged.connect(self._fit_height)
        self.edit.submitted.connect(self._on_submit)
        self.button = QPushButton(self.tr("Send"), self)
        self.button.setObjectName("sendButton")
        self.button.setDefault(False)
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self._on_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.addWidget(self.edit)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignBottom)
        self._streaming = False
        self._can_send = True
        self._fit_height()
        self._update_button()

    def set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self._update_button()

    def set_can_send(self, can_send: bool, reason: str = "") -> None:
        self._can_send = can_send
        self.button.setToolTip(reason)
        self._update_button()

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.prepare_for(text)
        self.edit.setPlainText(text)

    @Slot()
    def _on_submit(self) -> None:
        if self._streaming or not self._can_send:
            return
        text = self.edit.toPlainText()
        if not text.strip():
            return
        self.edit.clear()
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.send_requested.emit(text)

    @Slot()
    def _on_button(self) -> None:
        if self._streaming:
            self.stop_requested.emit()
        else:
            self._on_submit()

    def _update_button(self) -> None:
        if self._streaming:
            self.button.setText(self.tr("Stop"))
            self.button.setEnabled(True)
        else:
            self.button.setText(self.tr("Send"))
            self.button.setEnabled(self._can_send)

    @Slot()
    def _fit_height(self) -> None:
        line = self.edit.fontMetrics().lineSpacing()
        lines = max(MIN_LINES, min(MAX_LINES, self.edit.blockCount()))
        margins = self.edit.contentsMargins()
        frame = 2 * self.edit.frameWidth() + int(2 * self.edit.document().documentMargin())
        self.edit.setFixedHeight(lines * line + frame + margins.top() + margins.bottom())


def _longest_line(text: str) -> int:
    return max(map(len, text.splitlines()), default=0)
