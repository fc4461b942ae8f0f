"""Asked on quitting while some conversations could not be saved (a full disk): try again,
keep a copy elsewhere, or quit without them. Nothing is dropped without the user saying so."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain import ConversationSummary
from .key_widgets import warning_style

SHOWN_TITLES = 8


class UnsavedDialog(QDialog):
    retry_wanted = Signal()
    copy_wanted = Signal()
    quit_wanted = Signal()
    """Quit without saving them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unsavedDialog")
        self.setWindowTitle(self.tr("Some conversations are not saved"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        heading = QLabel(self.tr("Some conversations are not saved"), self)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        self.message = QLabel(self)
        self.message.setObjectName("unsavedMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.problem = QLabel(self)
        self.problem.setObjectName("unsavedProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet(warning_style(self))
        self.problem.hide()
        buttons = QDialogButtonBox(self)
        self.retry_button = QPushButton(self.tr("&Try again"), self)
        self.retry_button.setDefault(True)
        self.copy_button = QPushButton(self.tr("&Save a copy…"), self)
        self.copy_button.setToolTip(
            self.tr("Write them into another folder, from where Import brings them back")
        )
        self.quit_button = QPushButton(self.tr("&Quit without saving"), self)
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.retry_button.clicked.connect(self.retry_wanted)
        self.copy_button.clicked.connect(self.copy_wanted)
        self.quit_button.clicked.connect(self.quit_wanted)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.message)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(520, 220)

    def show_unsaved(self, unsaved: list[ConversationSummary], why: str, problem: str = "") -> None:
        """`why`: the reason the saves fail; `problem`: what went wrong just now."""
        titles = [f"“{s.title or self.tr('Untitled')}”" for s in unsaved[:SHOWN_TITLES]]
        more = len(unsaved) - len(titles)
        listing = ", ".join(titles)
        if more:
            listing += self.tr(" and %1 more").replace("%1", str(more))
        text = (
            self.tr("This conversation could not be saved, and would be lost: %1.")
            if len(unsaved) == 1
            else self.tr("These conversations could not be saved, and would be lost: %1.")
        ).replace("%1", listing)
        self.message.setText(f"{text}\n\n{why}" if why else text)
        self.set_problem(problem)
        self.set_busy(False)

    def set_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        for button in (self.retry_button, self.copy_button, self.quit_button):
            button.setEnabled(not busy)
