"""Settings (Ctrl+,): server profiles and their keys, chat defaults, network, data folder.

Nothing is changed until Save, except "Remove key", which removes the key at once, as it
says. Saving runs in the background (the keyring may take a moment); the dialog stays open
and says why if it fails, so nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import new_id
from ...providers import PRESETS, validate_base_url
from ...service import KeyChange, KeySource, SettingsService
from ...settings import (
    Profile,
    Settings,
)
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
from .settings_tabs import ChatDefaultsTab, DataTab, InterfaceTab, NetworkTab


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
        self.chat = ChatDefaultsTab(models or [], self)
        self.interface = InterfaceTab(self)
        self.network = NetworkTab(self)
        self.data = DataTab(data_dir, self)
        self.tabs.addTab(self.chat, self.tr("C&hat"))
        self.tabs.addTab(self.interface, self.tr("&Interface"))
        self.tabs.addTab(self.network, self.tr("Net&work"))
        self.tabs.addTab(self.data, self.tr("&Data"))

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

    # --- showing the settings ----------------------------------------------------------

    def _load(self, settings: Settings) -> None:
        for tab in (self.chat, self.interface, self.network):
            tab.show_settings(settings)
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

    # --- the result --------------------------------------------------------------------

    def draft(self) -> Settings:
        """The settings as they stand in the dialog."""
        return replace(
            self._initial,
            profiles=tuple(self.profile_model.profiles),
            active_profile=self.profile_model.active,
            plaintext_keys=self.storage.problem is not None and self.storage.plaintext.isChecked(),
            **self.chat.chosen(),
            **self.interface.chosen(),
            **self.network.chosen(),
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
