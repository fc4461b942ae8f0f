"""What an empty conversation shows: a greeting and example questions to start from."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


def example_questions() -> list[str]:
    """The tutorial's starter questions, in the UI language."""
    return [
        QCoreApplication.translate("ExampleQuestions", "What is a chatbot?"),
        QCoreApplication.translate("ExampleQuestions", "Can machines learn?"),
        QCoreApplication.translate("ExampleQuestions", "How does a neural network work?"),
        QCoreApplication.translate(
            "ExampleQuestions", "Give me three tips to write clearer emails."
        ),
    ]


_EXAMPLE_STYLE = (
    "QPushButton#exampleQuestion { border: 1px solid palette(mid); border-radius: 10px;"
    " padding: 10px 16px; background: palette(base); text-align: left; }"
    "QPushButton#exampleQuestion:hover { background: palette(alternate-base); }"
    "QPushButton#exampleQuestion:focus { border: 1.5px solid palette(highlight); }"
)
"""Example questions as cards, not grey push buttons."""


class EmptyState(QWidget):
    question_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        title = QLabel(self.tr("How can I help you today?"), self)
        title.setObjectName("emptyStateTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        title.setFont(font)
        hint = QLabel(self.tr("Try one of these, or write your own question below."), self)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(16)
        self.setStyleSheet(_EXAMPLE_STYLE)  # one style sheet for all of them: one polish
        self.buttons: list[QPushButton] = []
        for question in example_questions():
            button = QPushButton(question, self)
            button.setObjectName("exampleQuestion")
            button.setMinimumWidth(360)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, q=question: self.question_chosen.emit(q))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
            self.buttons.append(button)
        layout.addStretch(3)

    def set_enabled_questions(self, enabled: bool, reason: str = "") -> None:
        for button in self.buttons:
            button.setEnabled(enabled)
            button.setToolTip(reason)
