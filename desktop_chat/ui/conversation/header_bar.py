"""Above the conversation: which model answers, and with what system prompt."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...domain import DEFAULT_SYSTEM_PROMPT, GenerationSettings


class HeaderBar(QWidget):
    model_chosen = Signal(str)
    system_prompt_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerBar")
        label = QLabel(self.tr("&Model:"), self)
        self.model = QComboBox(self)
        self.model.setObjectName("modelPicker")
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model.setMinimumContentsLength(18)
        self.model.setAccessibleName(self.tr("Model"))
        self.model.setToolTip(self.tr("The model that answers in this conversation"))
        label.setBuddy(self.model)
        self.model.activated.connect(self._on_model_picked)
        line_edit = self.model.lineEdit()
        if line_edit is not None:
            line_edit.editingFinished.connect(self._on_model_picked)
        self.prompt_button = QPushButton(self.tr("System &prompt…"), self)
        self.prompt_button.setObjectName("systemPromptButton")
        self.prompt_button.setToolTip(
            self.tr("How the assistant should behave in this conversation")
        )
        self.prompt_button.clicked.connect(self.edit_system_prompt)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 0)
        layout.addWidget(label)
        layout.addWidget(self.model)
        layout.addStretch(1)
        layout.addWidget(self.prompt_button)
        self._system_prompt = ""
        self.prompt_dialog: SystemPromptDialog | None = None

    def show_settings(self, settings: GenerationSettings, *, read_only: bool) -> None:
        self._system_prompt = settings.system_prompt
        self.model.blockSignals(True)
        self.model.setCurrentText(settings.model)
        self.model.blockSignals(False)
        self.model.setEnabled(not read_only)
        self.prompt_button.setEnabled(not read_only)

    def set_models(self, models: list[str]) -> None:
        current = self.model.currentText()
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItems(models)
        self.model.setCurrentText(current)
        self.model.blockSignals(False)

    @Slot()
    def _on_model_picked(self) -> None:
        name = self.model.currentText().strip()
        if name:
            self.model_chosen.emit(name)

    @Slot()
    def edit_system_prompt(self) -> None:
        dialog = SystemPromptDialog(self._system_prompt, self)
        dialog.accepted.connect(lambda: self._prompt_edited(dialog.text()))
        self.prompt_dialog = dialog
        dialog.open()  # not exec(): a nested event loop would stall the replies

    def _prompt_edited(self, text: str) -> None:
        if text != self._system_prompt:
            self._system_prompt = text
            self.system_prompt_changed.emit(text)


class SystemPromptDialog(QDialog):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("System prompt"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        explanation = QLabel(
            self.tr(
                "Instructions the assistant follows in this conversation. They are sent "
                "with every question."
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.editor = QPlainTextEdit(text, self)
        self.editor.setAccessibleName(self.tr("System prompt"))
        self.editor.setTabChangesFocus(True)
        self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(lambda: self.editor.setPlainText(DEFAULT_SYSTEM_PROMPT))
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)
        self.resize(520, 300)
        self.editor.setFocus()

    def text(self) -> str:
        return self.editor.toPlainText().strip()
