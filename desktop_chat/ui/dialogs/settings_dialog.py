"""Settings (Ctrl+,): server profiles and their keys, chat defaults, network, data folder.

Nothing is changed until Save, except "Remove key", which removes the key at once, as it
says. Saving runs in the background (the keyring may take a moment); the dialog stays open
and says why if it fails, so nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import DEFAULT_SYSTEM_PROMPT, new_id
from ...providers import PRESETS, validate_base_url
from ...service import KeyChange, KeySource, SettingsService
from ...settings import (
    MAX_OUTPUT_TOKENS_LIMIT,
    MAX_TEMPERATURE,
    Profile,
    ProxyMode,
    SendKey,
    Settings,
    validate_proxy_url,
)
from ..language import LANGUAGES, SYSTEM, resolve
from ..tasks import BackgroundTasks
from .key_widgets import (
    KeyField,
    KeyPageLink,
    KeyStorageChoice,
    buddy_label,
    describe_key_source,
    failed_check,
    problem_label,
    show_check,
)
from .profile_list import ProfileListModel


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: SettingsService,
        data_dir: Path,
        models: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._service = settings
        self._data_dir = data_dir
        self._initial = settings.settings
        self._typed_keys: dict[str, str] = {}
        """Keys typed per profile, kept while the user moves between profiles."""
        self._row = -1
        self.tasks = BackgroundTasks()

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._connection_tab(), self.tr("Co&nnection"))
        self.tabs.addTab(self._chat_tab(models or []), self.tr("C&hat"))
        self.tabs.addTab(self._interface_tab(), self.tr("&Interface"))
        self.tabs.addTab(self._network_tab(), self.tr("Net&work"))
        self.tabs.addTab(self._data_tab(), self.tr("&Data"))

        self.problem = problem_label(self, "settingsProblem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(760, 560)
        self._load(self._initial)

    # --- building ----------------------------------------------------------------------

    def _connection_tab(self) -> QWidget:
        tab = QWidget(self)
        self.profile_model = ProfileListModel(
            list(self._initial.profiles), self._initial.active_profile, self
        )
        self.profile_list = QListView(tab)
        self.profile_list.setObjectName("profileList")
        self.profile_list.setAccessibleName(self.tr("Server profiles"))
        self.profile_list.setModel(self.profile_model)
        self.profile_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.profile_list.setMaximumWidth(220)
        self.profile_list.selectionModel().currentRowChanged.connect(self._on_profile_chosen)
        self.add_button = QPushButton(self.tr("&Add"), tab)
        self.add_button.setObjectName("addProfile")
        add_menu = QMenu(self.add_button)
        self._preset_actions = []
        for preset in PRESETS:
            action = add_menu.addAction(preset.name)
            action.triggered.connect(lambda _=False, p=preset: self._add_profile(p.id))
            self._preset_actions.append((action, preset))
        add_menu.aboutToShow.connect(self._offer_presets)
        add_menu.addAction(self.tr("Other server…")).triggered.connect(
            lambda: self._add_profile("custom")
        )
        self.add_button.setMenu(add_menu)
        self.remove_button = QPushButton(self.tr("Re&move"), tab)
        self.remove_button.setObjectName("removeProfile")
        self.remove_button.clicked.connect(self._remove_profile)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        left.addLayout(list_buttons)

        self.name = QLineEdit(tab)
        self.name.setObjectName("profileName")
        self.name.setAccessibleName(self.tr("Profile name"))
        self.base_url = QLineEdit(tab)
        self.base_url.setObjectName("baseUrl")
        self.base_url.setAccessibleName(self.tr("Base URL"))
        self.url_problem = problem_label(tab, "baseUrlProblem")
        self.url_note = QLabel(tab)
        self.url_note.setObjectName("baseUrlNote")
        self.url_note.setWordWrap(True)
        self.url_note.hide()
        self.needs_key = QCheckBox(self.tr("This server &requires an API key"), tab)
        self.needs_key.setObjectName("needsKey")
        self.key = KeyField(tab)
        self.key_status = QLabel(tab)
        self.key_status.setObjectName("keyStatus")
        self.key_status.setWordWrap(True)
        self.key_link = KeyPageLink(tab)
        self.remove_key_button = QPushButton(self.tr("Remo&ve key"), tab)
        self.remove_key_button.setObjectName("removeKey")
        self.remove_key_button.setToolTip(
            self.tr("Delete this profile's saved key from the keyring now")
        )
        self.remove_key_button.clicked.connect(self._remove_key)
        self.test_button = QPushButton(self.tr("&Test connection"), tab)
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self._test)
        self.use_button = QPushButton(self.tr("&Use this profile"), tab)
        self.use_button.setObjectName("useProfile")
        self.use_button.clicked.connect(self._use_profile)
        self.check_result = QLabel(tab)
        self.check_result.setObjectName("checkResult")
        self.check_result.setWordWrap(True)
        self.check_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_result.hide()
        self.storage = KeyStorageChoice(tab)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label(self.tr("&Profile name:"), self.name, tab), self.name)
        form.addRow(buddy_label(self.tr("&Base URL:"), self.base_url, tab), self.base_url)
        form.addRow("", self.url_problem)
        form.addRow("", self.url_note)
        form.addRow("", self.needs_key)
        form.addRow(buddy_label(self.tr("API &key:"), self.key.edit, tab), self.key)
        # Wrapped labels as whole rows: the form gives them the height their text needs.
        form.addRow("", self.key_status)
        form.addRow("", self.key_link)
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addWidget(self.use_button)
        actions.addWidget(self.remove_key_button)
        actions.addStretch(1)
        form.addRow("", actions)
        form.addRow("", self.check_result)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.storage)
        right.addStretch(1)

        layout = QHBoxLayout(tab)
        layout.addLayout(left)
        layout.addLayout(right, 1)

        self.name.textEdited.connect(self._on_profile_edited)
        self.base_url.textEdited.connect(self._on_profile_edited)
        self.needs_key.toggled.connect(self._on_profile_edited)
        self.key.textChanged.connect(self._on_key_typed)
        return tab

    def _chat_tab(self, models: list[str]) -> QWidget:
        tab = QWidget(self)
        self.default_model = QComboBox(tab)
        self.default_model.setObjectName("defaultModel")
        self.default_model.setEditable(True)
        self.default_model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.default_model.addItems(models)
        self.default_model.setAccessibleName(self.tr("Default model"))
        self.system_prompt = QPlainTextEdit(tab)
        self.system_prompt.setObjectName("defaultSystemPrompt")
        self.system_prompt.setAccessibleName(self.tr("Default system prompt"))
        self.system_prompt.setTabChangesFocus(True)
        restore_prompt = QPushButton(self.tr("Restore the defa&ult prompt"), tab)
        restore_prompt.clicked.connect(
            lambda: self.system_prompt.setPlainText(DEFAULT_SYSTEM_PROMPT)
        )
        self.server_temperature = QCheckBox(self.tr("Leave it to the ser&ver"), tab)
        self.server_temperature.setObjectName("serverTemperature")
        self.temperature = QDoubleSpinBox(tab)
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
        self.max_tokens = QSpinBox(tab)
        self.max_tokens.setObjectName("maxOutputTokens")
        self.max_tokens.setRange(0, MAX_OUTPUT_TOKENS_LIMIT)
        self.max_tokens.setSingleStep(500)
        self.max_tokens.setSpecialValueText(self.tr("No limit"))
        self.max_tokens.setGroupSeparatorShown(True)
        self.max_tokens.setAccessibleName(self.tr("Maximum output tokens"))
        self.max_tokens.setMinimumWidth(140)
        self.send_key = QComboBox(tab)
        self.send_key.setObjectName("sendKey")
        self.send_key.addItem(self.tr("Enter (Shift+Enter for a new line)"), SendKey.ENTER.value)
        self.send_key.addItem(
            self.tr("Ctrl+Enter (Enter for a new line)"), SendKey.CTRL_ENTER.value
        )
        self.send_key.setAccessibleName(self.tr("Send messages with"))

        form = QFormLayout(tab)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        note = QLabel(self.tr("For new chats. Each chat keeps its own model and prompt."), tab)
        note.setWordWrap(True)
        note.setEnabled(False)
        form.addRow(note)
        form.addRow(
            buddy_label(self.tr("Default &model:"), self.default_model, tab), self.default_model
        )
        form.addRow(
            buddy_label(self.tr("System &prompt:"), self.system_prompt, tab), self.system_prompt
        )
        restore_row = QHBoxLayout()
        restore_row.addWidget(restore_prompt)
        restore_row.addStretch(1)
        form.addRow("", restore_row)
        form.addRow(buddy_label(self.tr("&Temperature:"), self.temperature, tab), temperature_row)
        tokens_row = QHBoxLayout()
        tokens_row.addWidget(self.max_tokens)
        tokens_row.addStretch(1)
        form.addRow(buddy_label(self.tr("Max &output tokens:"), self.max_tokens, tab), tokens_row)
        form.addRow(buddy_label(self.tr("S&end messages with:"), self.send_key, tab), self.send_key)
        return tab

    def _interface_tab(self) -> QWidget:
        tab = QWidget(self)
        self.language = QComboBox(tab)
        self.language.setObjectName("language")
        self.language.setAccessibleName(self.tr("Language"))
        system_name = LANGUAGES[resolve(SYSTEM)]
        self.language.addItem(self.tr("As the system (%1)").replace("%1", system_name), SYSTEM)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.theme = QComboBox(tab)
        self.theme.setObjectName("theme")
        self.theme.setAccessibleName(self.tr("Colours"))
        self.theme.addItem(self.tr("As the system (light or dark)"), "system")
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Dark"), "dark")
        form = QFormLayout(tab)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label(self.tr("&Language:"), self.language, tab), self.language)
        form.addRow(buddy_label(self.tr("C&olours:"), self.theme, tab), self.theme)
        return tab

    def _network_tab(self) -> QWidget:
        tab = QWidget(self)
        self.proxy_system = QRadioButton(self.tr("Use the s&ystem's proxy settings"), tab)
        self.proxy_system.setObjectName("proxySystem")
        self.proxy_system.setToolTip(
            self.tr("HTTPS_PROXY and NO_PROXY from the environment, else the system's settings")
        )
        self.proxy_none = QRadioButton(self.tr("No pro&xy"), tab)
        self.proxy_none.setObjectName("proxyNone")
        self.proxy_manual = QRadioButton(self.tr("&Manual proxy:"), tab)
        self.proxy_manual.setObjectName("proxyManual")
        group = QButtonGroup(tab)
        for button in (self.proxy_system, self.proxy_none, self.proxy_manual):
            group.addButton(button)
        self.proxy_url = QLineEdit(tab)
        self.proxy_url.setObjectName("proxyUrl")
        self.proxy_url.setPlaceholderText("http://proxy.example.com:3128")
        self.proxy_url.setAccessibleName(self.tr("Proxy URL"))
        self.proxy_manual.toggled.connect(self.proxy_url.setEnabled)
        self.proxy_problem = problem_label(tab)
        self.proxy_url.textChanged.connect(self._check_proxy)
        self.proxy_manual.toggled.connect(self._check_proxy)
        manual_row = QHBoxLayout()
        manual_row.addWidget(self.proxy_manual)
        manual_row.addWidget(self.proxy_url, 1)
        layout = QVBoxLayout(tab)
        layout.addWidget(QLabel(self.tr("Connect to the server through:"), tab))
        layout.addWidget(self.proxy_system)
        layout.addWidget(self.proxy_none)
        layout.addLayout(manual_row)
        layout.addWidget(self.proxy_problem)
        layout.addStretch(1)
        return tab

    def _data_tab(self) -> QWidget:
        tab = QWidget(self)
        self.data_folder = QLineEdit(str(self._data_dir), tab)
        self.data_folder.setObjectName("dataFolder")
        self.data_folder.setReadOnly(True)
        self.data_folder.setAccessibleName(self.tr("Data folder"))
        self.open_folder = QPushButton(self.tr("&Open folder"), tab)
        self.open_folder.setObjectName("openDataFolder")
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_dir)))
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
            tab,
        )
        about.setWordWrap(True)
        form = QFormLayout(tab)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label(self.tr("Data &folder:"), self.data_folder, tab), row)
        form.addRow("", about)
        return tab

    # --- showing the settings ----------------------------------------------------------

    def _load(self, settings: Settings) -> None:
        self.default_model.setCurrentText(settings.default_model)
        self.system_prompt.setPlainText(settings.system_prompt)
        self.server_temperature.setChecked(settings.temperature is None)
        self.temperature.setEnabled(settings.temperature is not None)
        self.temperature.setValue(1.0 if settings.temperature is None else settings.temperature)
        self.max_tokens.setValue(settings.max_output_tokens or 0)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.send_key.setCurrentIndex(max(0, self.send_key.findData(settings.send_key.value)))
        {
            ProxyMode.SYSTEM: self.proxy_system,
            ProxyMode.NONE: self.proxy_none,
            ProxyMode.MANUAL: self.proxy_manual,
        }[settings.proxy_mode].setChecked(True)
        self.proxy_url.setText(settings.proxy_url)
        self.proxy_url.setEnabled(settings.proxy_mode is ProxyMode.MANUAL)
        self._select_row(self.profile_model.row_of(settings.active_profile))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.tasks.run(self._look_at_keyring())

    async def _look_at_keyring(self) -> None:
        problem = await self._service.keyring_problem()
        self.storage.set_problem(problem, plaintext_chosen=self._initial.plaintext_keys)

    def _select_row(self, row: int) -> None:
        index = self.profile_model.index(max(row, 0), 0)
        self.profile_list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self._on_profile_chosen(index)

    @Slot(QModelIndex)
    def _on_profile_chosen(self, index: QModelIndex) -> None:
        self._row = index.row() if index.isValid() else -1
        has_profile = self._row >= 0
        for widget in (self.name, self.base_url, self.needs_key, self.key, self.test_button):
            widget.setEnabled(has_profile)
        self.remove_button.setEnabled(self.profile_model.rowCount() > 1)
        if not has_profile:
            return
        profile = self.profile_model.profile(self._row)
        self.name.setText(profile.name)
        self.base_url.setText(profile.base_url)
        self.needs_key.blockSignals(True)
        self.needs_key.setChecked(profile.needs_key)
        self.needs_key.blockSignals(False)
        self.key.blockSignals(True)
        self.key.clear()
        self.key.edit.setText(self._typed_keys.get(profile.id, ""))
        self.key.blockSignals(False)
        self.check_result.hide()
        self._show_profile_notes(profile)
        self.key_status.setText(describe_key_source(KeySource.UNKNOWN))
        self.remove_key_button.setEnabled(False)
        self.tasks.run(self._show_key_status(profile.id))

    async def _show_key_status(self, profile_id: str) -> None:
        status = await self._service.key_status(profile_id)
        if self._current_profile_id() != profile_id:
            return  # the user moved on to another profile meanwhile
        text = describe_key_source(status.source)
        if status.problem:
            text = self.tr("The saved key could not be read: %1").replace("%1", status.problem)
        self.key_status.setText(text)
        stored = status.source in (KeySource.KEYRING, KeySource.SESSION, KeySource.FILE)
        self.remove_key_button.setEnabled(stored)
        self.key.setPlaceholderText(
            self.tr("Saved. Type a new key to replace it.") if stored else "sk-…"
        )

    def _show_profile_notes(self, profile: Profile) -> None:
        problem = validate_base_url(profile.base_url)
        self.url_problem.setText(problem or "")
        self.url_problem.setVisible(bool(problem))
        env_url = self._service.environment_base_url
        in_use = profile.id == self.profile_model.active
        self.url_note.setText(
            self.tr("OPENAI_BASE_URL is set, so requests go to %1 instead.").replace(
                "%1", env_url or ""
            )
        )
        self.url_note.setVisible(bool(env_url) and in_use)
        self.key_link.show_page(profile.key_page if profile.needs_key else None)
        self._show_storage_choice()
        self.use_button.setEnabled(not in_use)
        self.use_button.setText(self.tr("In use") if in_use else self.tr("&Use this profile"))

    def _show_storage_choice(self) -> None:
        # Where to keep a key matters only when there is one to keep.
        self.storage.set_wanted(self.needs_key.isChecked() or bool(self.key.text()))

    def _current_profile_id(self) -> str | None:
        if not 0 <= self._row < self.profile_model.rowCount():
            return None
        return self.profile_model.profile(self._row).id

    # --- editing -----------------------------------------------------------------------

    @Slot()
    def _on_profile_edited(self) -> None:
        if self._row < 0:
            return
        profile = replace(
            self.profile_model.profile(self._row),
            name=self.name.text().strip(),
            base_url=self.base_url.text().strip(),
            needs_key=self.needs_key.isChecked(),
        )
        self.profile_model.replace_profile(self._row, profile)
        self._show_profile_notes(profile)
        self.check_result.hide()

    @Slot(str)
    def _on_key_typed(self, _text: str) -> None:
        profile_id = self._current_profile_id()
        if profile_id is None:
            return
        if self.key.text():
            self._typed_keys[profile_id] = self.key.text()
        else:
            self._typed_keys.pop(profile_id, None)
        self.check_result.hide()
        self._show_storage_choice()

    @Slot()
    def _offer_presets(self) -> None:
        """The Add menu offers a preset server only while no profile points at it."""
        used = {p.base_url.rstrip("/") for p in self.profile_model.profiles}
        for action, preset in self._preset_actions:
            action.setVisible(preset.is_template or preset.base_url.rstrip("/") not in used)

    def _add_profile(self, preset_id: str) -> None:
        preset = next((p for p in PRESETS if p.id == preset_id), None)
        if preset is not None:
            profile = Profile.from_preset(preset, profile_id=new_id())
        else:
            profile = Profile(id=new_id(), name=self.tr("My server"), base_url="", needs_key=False)
        # Two profiles of one name could not be told apart in the list: number the new one.
        names = {p.name for p in self.profile_model.profiles}
        name, number = profile.name, 2
        while name in names:
            name, number = f"{profile.name} {number}", number + 1
        row = self.profile_model.add(replace(profile, name=name))
        self._select_row(row)
        self.name.setFocus()
        self.name.selectAll()

    @Slot()
    def _remove_profile(self) -> None:
        if self._row < 0 or self.profile_model.rowCount() <= 1:
            return
        removed = self.profile_model.remove(self._row)
        self._typed_keys.pop(removed.id, None)
        self._select_row(min(self._row, self.profile_model.rowCount() - 1))

    @Slot()
    def _use_profile(self) -> None:
        profile_id = self._current_profile_id()
        if profile_id is not None:
            self.profile_model.set_active(profile_id)
            self._show_profile_notes(self.profile_model.profile(self._row))

    @Slot()
    def _remove_key(self) -> None:
        profile_id = self._current_profile_id()
        if profile_id is not None:
            self.tasks.run(self._remove_key_now(profile_id))

    async def _remove_key_now(self, profile_id: str) -> None:
        self.remove_key_button.setEnabled(False)
        problem = await self._service.remove_key(profile_id)
        if problem is not None:
            show_check(self.check_result, failed_check(problem.message))
        await self._show_key_status(profile_id)

    @Slot()
    def _check_proxy(self) -> None:
        problem = None
        if self.proxy_manual.isChecked():
            problem = validate_proxy_url(self.proxy_url.text())
        self.proxy_problem.setText(problem or "")
        self.proxy_problem.setVisible(bool(problem))

    # --- the result --------------------------------------------------------------------

    def draft(self) -> Settings:
        """The settings as they stand in the dialog."""
        if self.server_temperature.isChecked():
            temperature = None
        else:
            temperature = round(self.temperature.value(), 2)
        if self.proxy_none.isChecked():
            proxy_mode = ProxyMode.NONE
        elif self.proxy_manual.isChecked():
            proxy_mode = ProxyMode.MANUAL
        else:
            proxy_mode = ProxyMode.SYSTEM
        return replace(
            self._initial,
            profiles=tuple(self.profile_model.profiles),
            active_profile=self.profile_model.active,
            default_model=self.default_model.currentText().strip(),
            system_prompt=self.system_prompt.toPlainText().strip(),
            temperature=temperature,
            max_output_tokens=self.max_tokens.value() or None,
            send_key=SendKey(self.send_key.currentData()),
            proxy_mode=proxy_mode,
            proxy_url=self.proxy_url.text().strip(),
            plaintext_keys=self.storage.problem is not None and self.storage.plaintext.isChecked(),
            language=str(self.language.currentData()),
            theme=str(self.theme.currentData()),
        )

    @Slot()
    def _test(self) -> None:
        profile_id = self._current_profile_id()
        if profile_id is None:
            return
        self.tasks.run(self._test_now(profile_id))

    async def _test_now(self, profile_id: str) -> None:
        draft = self.draft()
        profile = draft.profile(profile_id)
        assert profile is not None
        problem = profile.problem()
        if problem:
            show_check(self.check_result, failed_check(problem))
            return
        self.test_button.setEnabled(False)
        show_check(self.check_result, None, self.tr("Testing…"))
        try:
            check = await self._service.check(draft, profile, self._typed_keys.get(profile_id))
        finally:
            self.test_button.setEnabled(True)
        if self._current_profile_id() == profile_id:
            show_check(self.check_result, check)

    @Slot()
    def save(self) -> None:
        self.tasks.run(self._save())

    async def _save(self) -> None:
        draft = self.draft()
        problems = draft.problems()
        if problems:
            self._show_problem(problems[0])
            return
        location = self.storage.location()
        changes = {pid: KeyChange(key, location) for pid, key in self._typed_keys.items()}
        self.buttons.setEnabled(False)
        try:
            problem = await self._service.save(draft, changes)
        finally:
            self.buttons.setEnabled(True)
        if problem is not None:
            self._show_problem(problem.message)
            if problem.key_storage and self.storage.problem is None:
                self.storage.set_problem(problem.message)
            return
        self.accept()

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(True)

    def done(self, result: int) -> None:
        self.tasks.cancel_all()
        super().done(result)
