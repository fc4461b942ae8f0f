"""Above the conversation: which model answers, and with what system prompt."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QKeySequence, QMouseEvent, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ... import design
from ...domain import DEFAULT_SYSTEM_PROMPT, GenerationSettings, ReasoningEffort
from ..icons import document, outlined


class ChatTitle(QLabel):
    """The open chat's title, elided to its room; a double-click renames it in place."""

    renamed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatTitle")
        font = self.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)
        self.setMinimumWidth(60)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setToolTip(self.tr("Double-click to rename"))
        self._title = ""
        self.editable = True
        self.editor: QLineEdit | None = None

    def set_title(self, title: str) -> None:
        self._title = title
        self.setAccessibleName(title)
        self._elide()

    def title(self) -> str:
        return self._title

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        room = self.contentsRect().width()
        self.setText(metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, room))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.editable:
            self.start_renaming()

    def start_renaming(self) -> None:
        editor = QLineEdit(self._title, self.parentWidget())
        editor.setAccessibleName(self.tr("Conversation title"))
        editor.setGeometry(self.geometry())
        editor.selectAll()
        editor.show()
        editor.setFocus()
        self.editor = editor

        def done() -> None:
            text = " ".join(editor.text().split())
            self.editor = None
            editor.deleteLater()
            if text and text != self._title:
                self.renamed.emit(text)

        editor.editingFinished.connect(done)


class HeaderBar(QWidget):
    renamed = Signal(str)
    """The user renamed the chat from its title."""
    model_chosen = Signal(str)
    system_prompt_changed = Signal(str)
    effort_chosen = Signal(object)
    """The chat's reasoning effort (a ReasoningEffort, or None for the server's default)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerBar")
        self.title = ChatTitle(self)
        self.title.renamed.connect(self.renamed)
        label = QLabel(self.tr("&Model:"), self)
        self.model = QComboBox(self)
        self.model.setObjectName("modelPicker")
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model.setMinimumContentsLength(12)
        self.model.setAccessibleName(self.tr("Model"))
        self.model.setToolTip(self.tr("The model that answers in this conversation"))
        label.setBuddy(self.model)
        self.model.activated.connect(self._on_model_picked)
        line_edit = self.model.lineEdit()
        if line_edit is not None:
            line_edit.editingFinished.connect(self._on_model_picked)
            line_edit.setAccessibleName(self.tr("Model"))  # else a nameless text field
        self.effort_label = QLabel(self.tr("&Reasoning:"), self)
        self.effort = QComboBox(self)
        self.effort.setObjectName("reasoningEffort")
        self.effort.setAccessibleName(self.tr("Reasoning effort"))
        self.effort.setToolTip(
            self.tr("How hard the model thinks before it answers, in this conversation")
        )
        self.effort_label.setBuddy(self.effort)
        self.effort.activated.connect(self._on_effort_picked)
        # An icon button: the header keeps room for the model and the reasoning effort.
        for box in (self.model, self.effort):
            outlined(box)
        self.prompt_button = QToolButton(self)
        self.prompt_button.setObjectName("systemPromptButton")
        self.prompt_button.setAutoRaise(True)
        self.prompt_button.setAccessibleName(self.tr("System prompt"))
        shortcut = QKeySequence(self.tr("Alt+P", "System prompt"))
        self.prompt_button.setShortcut(shortcut)
        self.prompt_button.setToolTip(
            self.tr("System prompt: how the assistant should behave in this conversation")
            + f" ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        self.prompt_button.clicked.connect(self.edit_system_prompt)
        self._paint_icon()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 0)
        layout.addWidget(self.title, 1)
        layout.addSpacing(12)
        layout.addWidget(label)
        layout.addWidget(self.model)
        layout.addSpacing(12)
        layout.addWidget(self.effort_label)
        layout.addWidget(self.effort)
        layout.addWidget(self.prompt_button)
        self._system_prompt = ""
        self.prompt_dialog: SystemPromptDialog | None = None

    def _paint_icon(self) -> None:
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        ratio = self.devicePixelRatioF()
        size = design.ICON_LARGE
        self.prompt_button.setIcon(QIcon(QPixmap.fromImage(document(colour, size, ratio))))
        self.prompt_button.setIconSize(QSize(size, size))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light to dark: the icon follows
            self._paint_icon()

    def show_settings(
        self,
        settings: GenerationSettings,
        *,
        read_only: bool,
        efforts: tuple[ReasoningEffort, ...] = (),
        title: str = "",
    ) -> None:
        """Show a chat's title and settings; `efforts`: the reasoning efforts its model
        takes (the choice is hidden when there are none)."""
        self.title.set_title(title)
        self.title.editable = not read_only
        self._system_prompt = settings.system_prompt
        self.model.blockSignals(True)
        self.model.setCurrentText(settings.model)
        self.model.blockSignals(False)
        self.model.setEnabled(not read_only)
        self.prompt_button.setEnabled(not read_only)
        self._show_efforts(efforts, settings.reasoning_effort)
        self.effort.setEnabled(not read_only)

    def _show_efforts(
        self, efforts: tuple[ReasoningEffort, ...], chosen: ReasoningEffort | None
    ) -> None:
        self.effort.blockSignals(True)
        self.effort.clear()
        self.effort.addItem(self.tr("Default"), None)
        switch = efforts == (ReasoningEffort.NONE, ReasoningEffort.MEDIUM)
        for effort in efforts:
            self.effort.addItem(self._effort_name(effort, switch), effort.value)
        if chosen is not None and chosen not in efforts:  # kept, not lost
            self.effort.addItem(self._effort_name(chosen, switch), chosen.value)
        self.effort.setCurrentIndex(max(0, self.effort.findData(chosen.value if chosen else None)))
        self.effort.blockSignals(False)
        for widget in (self.effort_label, self.effort):
            widget.setVisible(bool(efforts))

    def _effort_name(self, effort: ReasoningEffort, switch: bool) -> str:
        if switch:  # a server whose thinking is only on or off
            return self.tr("Off") if effort is ReasoningEffort.NONE else self.tr("On")
        names = {
            ReasoningEffort.NONE: self.tr("None"),
            ReasoningEffort.MINIMAL: self.tr("Minimal"),
            ReasoningEffort.LOW: self.tr("Low"),
            ReasoningEffort.MEDIUM: self.tr("Medium"),
            ReasoningEffort.HIGH: self.tr("High"),
        }
        return names[effort]

    def set_models(self, models: list[str]) -> None:
        current = self.model.currentText()
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItems(models)
        self.model.setCurrentText(current)
        self.model.blockSignals(False)

    @Slot(int)
    def _on_effort_picked(self, index: int) -> None:
        value = self.effort.itemData(index)  # Qt hands the enum back as its text
        self.effort_chosen.emit(ReasoningEffort(value) if value else None)

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
