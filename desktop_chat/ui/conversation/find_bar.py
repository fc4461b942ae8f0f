"""Find in the open conversation (Ctrl+F): every match marked, Enter for the next."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ..icons import with_named_clear_button
from .message_view import MessageView


class FindField(QLineEdit):
    """Enter: next match; Shift+Enter: previous; Esc: close."""

    step = Signal(bool)
    """(backwards)"""
    closed = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()  # Esc closes the bar here, rather than stopping a reply
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step.emit(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return
        if event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    def __init__(self, view: MessageView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._view = view
        self.field = FindField(self)
        self.field.setObjectName("findField")
        self.field.setPlaceholderText(self.tr("Find in this conversation"))
        self.field.setAccessibleName(self.tr("Find in this conversation"))
        with_named_clear_button(self.field, self.tr("Clear"))
        self.count = QLabel(self)
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(90)
        self.previous = QToolButton(self)
        self.previous.setText("↑")
        self.previous.setToolTip(self.tr("Previous match (Shift+Enter)"))
        self.previous.setAccessibleName(self.tr("Previous match"))
        self.next = QToolButton(self)
        self.next.setText("↓")
        self.next.setToolTip(self.tr("Next match (Enter)"))
        self.next.setAccessibleName(self.tr("Next match"))
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip(self.tr("Close (Esc)"))
        close.setAccessibleName(self.tr("Close the find bar"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.previous)
        layout.addWidget(self.next)
        layout.addWidget(close)
        self.field.textChanged.connect(self._search)
        self.field.step.connect(self._step)
        self.field.closed.connect(self.close_bar)
        self.previous.clicked.connect(lambda: self._step(True))
        self.next.clicked.connect(lambda: self._step(False))
        close.clicked.connect(self.close_bar)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self._search()

    @Slot()
    def close_bar(self) -> None:
        self.hide()
        self._view.clear_found()
        self._view.setFocus()

    def refresh(self) -> None:
        """The conversation on screen changed: find again in it."""
        if self.isVisible():
            self._search()

    @Slot()
    def _search(self) -> None:
        self._show_count(*self._view.find_all(self.field.text()))

    @Slot(bool)
    def _step(self, backwards: bool) -> None:
        self._show_count(*self._view.find_all(self.field.text(), backwards=backwards, step=True))

    def _show_count(self, current: int, total: int) -> None:
        if not self.field.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText(self.tr("No matches"))
        else:
            self.count.setText(
                self.tr("%1 of %2").replace("%1", str(current)).replace("%2", str(total))
            )
