"""The Settings dialog's simpler tabs: the defaults of new chats, the interface, the
network, and the data folder. Each shows its part of the settings and gives back what the
user chose; the dialog puts the parts together (see `SettingsDialog.draft`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain import DEFAULT_SYSTEM_PROMPT
from ...settings import (
    MAX_OUTPUT_TOKENS_LIMIT,
    MAX_TEMPERATURE,
    ProxyMode,
    SendKey,
    Settings,
    validate_proxy_url,
)
from ..language import LANGUAGES, SYSTEM, resolve
from .key_widgets import buddy_label, problem_label


class ChatDefaultsTab(QWidget):
    """How new chats start: model, system prompt, temperature, output limit; and the
    key that sends."""

    def __init__(self, models: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default_model = QComboBox(self)
        self.default_model.setObjectName("defaultModel")
        self.default_model.setEditable(True)
        self.default_model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.default_model.addItems(models)
        self.default_model.setAccessibleName(self.tr("Default model"))
        self.system_prompt = QPlainTextEdit(self)
        self.system_prompt.setObjectName("defaultSystemPrompt")
        self.system_prompt.setAccessibleName(self.tr("Default system prompt"))
        self.system_prompt.setTabChangesFocus(True)
        restore_prompt = QPushButton(self.tr("Restore the defa&ult prompt"), self)
        restore_prompt.clicked.connect(
            lambda: self.system_prompt.setPlainText(DEFAULT_SYSTEM_PROMPT)
        )
        self.server_temperature = QCheckBox(self.tr("Leave it to the ser&ver"), self)
        self.server_temperature.setObjectName("serverTemperature")
        self.temperature = QDoubleSpinBox(self)
        self.temperature.setObjectName("temperature")
        self.temperature.setRange(0.0, MAX_TEMPERATURE)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(1)
        self.temperature.setAccessibleName(self.tr("Temperature"))
        self.server_temperature.toggled.connect(lambda on: self.temperature.setEnabled(not on))
        temperature_row = QHBoxLayout()
        temperature_row.addWidget(self.temperature)
        temperature_row.addWidget(self.server_temperature)
        temperature_row.addStretch(1)
        self.max_tokens = QSpinBox(self)
        self.max_tokens.setObjectName("maxOutputTokens")
        self.max_tokens.setRange(0, MAX_OUTPUT_TOKENS_LIMIT)
        self.max_tokens.setSingleStep(500)
        self.max_tokens.setSpecialValueText(self.tr("No limit"))
        self.max_tokens.setGroupSeparatorShown(True)
        self.max_tokens.setAccessibleName(self.tr("Maximum output tokens"))
        self.max_tokens.setMinimumWidth(140)
        self.send_key = QComboBox(self)
        self.send_key.setObjectName("sendKey")
        self.send_key.addItem(self.tr("Enter (Shift+Enter for a new line)"), SendKey.ENTER.value)
        self.send_key.addItem(
            self.tr("Ctrl+Enter (Enter for a new line)"), SendKey.CTRL_ENTER.value
        )
        self.send_key.setAccessibleName(self.tr("Send messages with"))

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        note = QLabel(self.tr("For new chats. Each chat keeps its own model and prompt."), self)
        note.setWordWrap(True)
        note.setEnabled(False)
        form.addRow(note)
        form.addRow(
            buddy_label(self.tr("Default &model:"), self.default_model, self), self.default_model
        )
        form.addRow(
            buddy_label(self.tr("System &prompt:"), self.system_prompt, self), self.system_prompt
        )
        restore_row = QHBoxLayout()
        restore_row.addWidget(restore_prompt)
        restore_row.addStretch(1)
        form.addRow("", restore_row)
        form.addRow(buddy_label(self.tr("&Temperature:"), self.temperature, self), temperature_row)
        tokens_row = QHBoxLayout()
        tokens_row.addWidget(self.max_tokens)
        tokens_row.addStretch(1)
        form.addRow(buddy_label(self.tr("Max &output tokens:"), self.max_tokens, self), tokens_row)
        form.addRow(
            buddy_label(self.tr("S&end messages with:"), self.send_key, self), self.send_key
        )

    def show_settings(self, settings: Settings) -> None:
        self.default_model.setCurrentText(settings.default_model)
        self.system_prompt.setPlainText(settings.system_prompt)
        self.server_temperature.setChecked(settings.temperature is None)
        self.temperature.setEnabled(settings.temperature is not None)
        self.temperature.setValue(1.0 if settings.temperature is None else settings.temperature)
        self.max_tokens.setValue(settings.max_output_tokens or 0)
        self.send_key.setCurrentIndex(max(0, self.send_key.findData(settings.send_key.value)))

    def chosen(self) -> dict[str, Any]:
        """The fields of `Settings` this tab sets, as the user left them."""
        temperature = None
        if not self.server_temperature.isChecked():
            temperature = round(self.temperature.value(), 2)
        return {
            "default_model": self.default_model.currentText().strip(),
            "system_prompt": self.system_prompt.toPlainText().strip(),
            "temperature": temperature,
            "max_output_tokens": self.max_tokens.value() or None,
            "send_key": SendKey(self.send_key.currentData()),
        }


class InterfaceTab(QWidget):
    """The interface's language and colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.setAccessibleName(self.tr("Language"))
        system_name = LANGUAGES[resolve(SYSTEM)]
        self.language.addItem(self.tr("As the system (%1)").replace("%1", system_name), SYSTEM)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.theme = QComboBox(self)
        self.theme.setObjectName("theme")
        self.theme.setAccessibleName(self.tr("Colours"))
        self.theme.addItem(self.tr("As the system (light or dark)"), "system")
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Dark"), "dark")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label(self.tr("&Language:"), self.language, self), self.language)
        form.addRow(buddy_label(self.tr("C&olours:"), self.theme, self), self.theme)

    def show_settings(self, settings: Settings) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))

    def chosen(self) -> dict[str, Any]:
        return {
            "language": str(self.language.currentData()),
            "theme": str(self.theme.currentData()),
        }


class NetworkTab(QWidget):
    """The proxy to the server: the system's, none, or one given here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy_system = QRadioButton(self.tr("Use the s&ystem's proxy settings"), self)
        self.proxy_system.setObjectName("proxySystem")
        self.proxy_system.setToolTip(
            self.tr("HTTPS_PROXY and NO_PROXY from the environment, else the system's settings")
        )
        self.proxy_none = QRadioButton(self.tr("No pro&xy"), self)
        self.proxy_none.setObjectName("proxyNone")
        self.proxy_manual = QRadioButton(self.tr("&Manual proxy:"), self)
        self.proxy_manual.setObjectName("proxyManual")
        group = QButtonGroup(self)
        for button in (self.proxy_system, self.proxy_none, self.proxy_manual):
            group.addButton(button)
        self.proxy_url = QLineEdit(self)
        self.proxy_url.setObjectName("proxyUrl")
        self.proxy_url.setPlaceholderText("http://proxy.example.com:3128")
        self.proxy_url.setAccessibleName(self.tr("Proxy URL"))
        self.proxy_manual.toggled.connect(self.proxy_url.setEnabled)
        self.proxy_problem = problem_label(self)
        self.proxy_url.textChanged.connect(self._check_proxy)
        self.proxy_manual.toggled.connect(self._check_proxy)
        manual_row = QHBoxLayout()
        manual_row.addWidget(self.proxy_manual)
        manual_row.addWidget(self.proxy_url, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Connect to the server through:"), self))
        layout.addWidget(self.proxy_system)
        layout.addWidget(self.proxy_none)
        layout.addLayout(manual_row)
        layout.addWidget(self.proxy_problem)
        layout.addStretch(1)

    def show_settings(self, settings: Settings) -> None:
        {
            ProxyMode.SYSTEM: self.proxy_system,
            ProxyMode.NONE: self.proxy_none,
            ProxyMode.MANUAL: self.proxy_manual,
        }[settings.proxy_mode].setChecked(True)
        self.proxy_url.setText(settings.proxy_url)
        self.proxy_url.setEnabled(settings.proxy_mode is ProxyMode.MANUAL)

    def chosen(self) -> dict[str, Any]:
        if self.proxy_none.isChecked():
            proxy_mode = ProxyMode.NONE
        elif self.proxy_manual.isChecked():
            proxy_mode = ProxyMode.MANUAL
        else:
            proxy_mode = ProxyMode.SYSTEM
        return {"proxy_mode": proxy_mode, "proxy_url": self.proxy_url.text().strip()}

    @Slot()
    def _check_proxy(self) -> None:
        problem = None
        if self.proxy_manual.isChecked():
            problem = validate_proxy_url(self.proxy_url.text())
        self.proxy_problem.setText(problem or "")
        self.proxy_problem.setVisible(bool(problem))


class DataTab(QWidget):
    """Where the conversations are kept, and a way to open that folder."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_folder = QLineEdit(str(data_dir), self)
        self.data_folder.setObjectName("dataFolder")
        self.data_folder.setReadOnly(True)
        self.data_folder.setAccessibleName(self.tr("Data folder"))
        self.open_folder = QPushButton(self.tr("&Open folder"), self)
        self.open_folder.setObjectName("openDataFolder")
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir)))
        )
        row = QHBoxLayout()
        row.addWidget(self.data_folder, 1)
        row.addWidget(self.open_folder)
        about = QLabel(
            self.tr(
                "Your conversations are plain JSON files in this folder, one per chat. "
                "Start Desktop Chat with --data-dir to use another folder. API keys are never "
                "kept here."
            ),
            self,
        )
        about.setWordWrap(True)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label(self.tr("Data &folder:"), self.data_folder, self), row)
        form.addRow("", about)
