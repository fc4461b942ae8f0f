"""The first launch: no key anywhere yet. A short page that asks for one (or for a local
server's address), tests it, and saves it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import new_id
from ...providers import PRESETS, validate_base_url
from ...service import KeyChange, SettingsService
from ...settings import OPENAI_PROFILE, Profile, Settings
from ..tasks import BackgroundTasks
from .key_widgets import (
    KeyField,
    KeyPageLink,
    KeyStorageChoice,
    failed_check,
    problem_label,
    show_check,
)

CARD_WIDTH = 560
SERVER_PRESETS = [p for p in PRESETS if p.id != "openai" and not p.is_template]
"""The kinds of server offered besides OpenAI (Azure needs its address typed: "Other")."""


class WelcomePage(QWidget):
    """Shown instead of the example questions until a connection is set up."""

    saved = Signal()
    """The connection was saved and is in use."""

    def __init__(self, settings: SettingsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self._settings = settings
        self.tasks = BackgroundTasks()

        title = QLabel(self.tr("Welcome to Desktop Chat"), self)
        title.setObjectName("welcomeTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        title.setFont(font)
        intro = QLabel(
            self.tr(
                "Chat with OpenAI's models using your own API key, or with a model server "
                "running on your computer (Ollama, LM Studio, llama.cpp…)."
            ),
            self,
        )
        intro.setWordWrap(True)

        self.use_openai = QRadioButton(self.tr("&OpenAI"), self)
        self.use_openai.setObjectName("useOpenAI")
        self.use_server = QRadioButton(self.tr("A &local or other server"), self)
        self.use_server.setObjectName("useServer")
        choice = QButtonGroup(self)
        choice.addButton(self.use_openai)
        choice.addButton(self.use_server)
        self.use_openai.setChecked(True)
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.use_openai)
        choice_row.addWidget(self.use_server)
        choice_row.addStretch(1)

        self.server_kind = QComboBox(self)
        self.server_kind.setObjectName("serverKind")
        for preset in SERVER_PRESETS:
            self.server_kind.addItem(preset.name, preset.id)
        self.server_kind.addItem(self.tr("Other (OpenAI-compatible)"), "custom")
        self.server_kind.setAccessibleName(self.tr("Server"))
        self.base_url = QLineEdit(self)
        self.base_url.setObjectName("baseUrl")
        self.base_url.setAccessibleName(self.tr("Base URL"))
        self.base_url.setPlaceholderText("http://localhost:11434/v1")
        self.url_problem = problem_label(self, "baseUrlProblem")
        self.key = KeyField(self)
        self.key_link = KeyPageLink(self)
        self.storage = KeyStorageChoice(self)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Connect to:"), choice_row)
        self.server_label = QLabel(self.tr("&Server:"), self)
        self.server_label.setBuddy(self.server_kind)
        form.addRow(self.server_label, self.server_kind)
        self.url_label = QLabel(self.tr("&Base URL:"), self)
        self.url_label.setBuddy(self.base_url)
        form.addRow(self.url_label, self.base_url)
        form.addRow("", self.url_problem)
        self.key_label = QLabel(self.tr("API &key:"), self)
        self.key_label.setBuddy(self.key.edit)
        form.addRow(self.key_label, self.key)
        form.addRow("", self.key_link)
        self._form = form

        self.test_button = QPushButton(self.tr("&Test"), self)
        self.test_button.setObjectName("testConnection")
        self.test_button.setToolTip(self.tr("Ask the server whether it accepts this key"))
        self.save_button = QPushButton(self.tr("&Save and start"), self)
        self.save_button.setObjectName("saveConnection")
        self.save_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        self.result = QLabel(self)
        self.result.setObjectName("checkResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        self.privacy = QLabel(self)
        self.privacy.setObjectName("welcomePrivacy")
        self.privacy.setWordWrap(True)
        self.privacy.setEnabled(False)
        self._explain_privacy(keyring=True)

        card = QFrame(self)
        card.setObjectName("welcomeCard")
        # A fixed width lets the wrapped texts take the height they need (an aligned
        # item in a box layout gets its size hint, which knows nothing of wrapping).
        card.setFixedWidth(CARD_WIDTH)
        card_layout = QVBoxLayout(card)
        card_layout.setSpacing(10)
        card_layout.addWidget(title)
        card_layout.addWidget(intro)
        card_layout.addSpacing(6)
        card_layout.addLayout(form)
        # What appears later (a check's result, the keyring's warning) goes below the
        # buttons, and the card hangs from a fixed top: a button never moves under the
        # pointer as a message appears.
        card_layout.addLayout(buttons)
        card_layout.addWidget(self.result)
        card_layout.addWidget(self.storage)
        card_layout.addWidget(self.privacy)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        layout = self._layout = QVBoxLayout(self)
        self._top = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        layout.addItem(self._top)
        layout.addLayout(row)
        layout.addStretch(1)

        self.use_openai.toggled.connect(self._update_fields)
        self.server_kind.currentIndexChanged.connect(self._on_server_kind)
        self.base_url.textChanged.connect(self._check_url)
        self.key.textChanged.connect(lambda _text: self.result.hide())
        self.key.textChanged.connect(self._show_storage_choice)
        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        self.key.edit.returnPressed.connect(self.save)
        self.base_url.returnPressed.connect(self.save)
        self._show_active_profile()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._top.changeSize(
            0, max(16, self.height() // 7), QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed
        )
        self._layout.invalidate()
        super().resizeEvent(event)

    def _show_active_profile(self) -> None:
        """Start from what is set up already (a profile without its key, say)."""
        active = self._settings.settings.active
        if active.preset == OPENAI_PROFILE.preset:
            self.use_openai.setChecked(True)
            self._on_server_kind()
            return
        self.use_server.setChecked(True)
        row = self.server_kind.findData(active.preset)
        self.server_kind.blockSignals(True)
        self.server_kind.setCurrentIndex(row if row >= 0 else self.server_kind.count() - 1)
        self.server_kind.blockSignals(False)
        self.base_url.setText(active.base_url)
        self._update_fields()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.tasks.run(self._look_at_keyring())
        self.key.setFocus()

    async def _look_at_keyring(self) -> None:
        self._set_keyring_problem(await self._settings.keyring_problem())

    def _set_keyring_problem(self, problem: str | None) -> None:
        self.storage.set_problem(problem, plaintext_chosen=self._settings.settings.plaintext_keys)
        self._explain_privacy(keyring=problem is None)
        self._show_storage_choice()

    def _show_storage_choice(self) -> None:
        # Where to keep a key matters only when there is one to keep.
        self.storage.set_wanted(self._profile().needs_key or bool(self.key.text()))

    def _explain_privacy(self, *, keyring: bool) -> None:
        later = self.tr("You can change all of this later in Settings (Ctrl+,).")
        if keyring:
            later = (
                self.tr("Your key is kept in the system keyring, never in a file or a log.")
                + " "
                + later
            )
        self.privacy.setText(later)

    # --- what the user chose ---------------------------------------------------------

    def _profile(self) -> Profile:
        """The profile the page describes: an existing one of the chosen kind, updated, or
        a new one."""
        profiles = self._settings.settings
        if self.use_openai.isChecked():
            return profiles.profile(OPENAI_PROFILE.id) or OPENAI_PROFILE
        kind = self.server_kind.currentData()
        active = profiles.active
        existing = (
            active
            if active.preset == kind
            else next((p for p in profiles.profiles if p.preset == kind), None)
        )
        base_url = self.base_url.text().strip()
        if existing is not None:
            return replace(existing, base_url=base_url)
        preset = next((p for p in PRESETS if p.id == kind), None)
        if preset is not None:
            return replace(Profile.from_preset(preset), base_url=base_url)
        return Profile(id=new_id(), name=self.tr("My server"), base_url=base_url, needs_key=False)

    def _draft(self) -> tuple[Settings, Profile]:
        profile = self._profile()
        settings = self._settings.settings.with_profile(profile)
        return replace(settings, active_profile=profile.id), profile

    # --- reacting ----------------------------------------------------------------------

    @Slot()
    def _update_fields(self) -> None:
        openai = self.use_openai.isChecked()
        for widget in (self.server_label, self.server_kind, self.url_label, self.base_url):
            widget.setVisible(not openai)
        self.url_problem.setVisible(not openai and bool(self.url_problem.text()))
        self.key_link.show_page(OPENAI_PROFILE.key_page if openai else self._profile().key_page)
        optional = not openai and not self._profile().needs_key
        self.key.setPlaceholderText(
            self.tr("Not needed by most local servers") if optional else "sk-…"
        )
        self.result.hide()
        self._show_storage_choice()

    @Slot()
    def _on_server_kind(self) -> None:
        kind = self.server_kind.currentData()
        existing = next((p for p in self._settings.settings.profiles if p.preset == kind), None)
        preset = next((p for p in PRESETS if p.id == kind), None)
        known = existing or preset
        self.base_url.setText(known.base_url if known else "")
        self._update_fields()

    @Slot()
    def _check_url(self) -> None:
        problem = validate_base_url(self.base_url.text()) if self.base_url.text() else ""
        self.url_problem.setText(problem or "")
        self.url_problem.setVisible(self.use_server.isChecked() and bool(problem))
        self.result.hide()

    def _problem(self) -> str | None:
        _settings, profile = self._draft()
        if self.use_server.isChecked():
            problem = validate_base_url(profile.base_url)
            if problem:
                return problem
        if profile.needs_key and not self.key.text():
            return self.tr("Enter your API key first.")
        return None

    # --- actions -----------------------------------------------------------------------

    @Slot()
    def test(self) -> None:
        problem = self._problem()
        if problem:
            show_check(self.result, failed_check(problem))
            return
        self.tasks.run(self._test())

    async def _test(self) -> None:
        settings, profile = self._draft()
        self._set_busy(True, self.tr("Testing…"))
        try:
            check = await self._settings.check(settings, profile, self.key.text() or None)
        finally:
            self._set_busy(False)
        show_check(self.result, check)

    @Slot()
    def save(self) -> None:
        problem = self._problem()
        if problem:
            show_check(self.result, failed_check(problem))
            return
        self.tasks.run(self._save())

    async def _save(self) -> None:
        settings, profile = self._draft()
        if self.storage.problem is None:
            # Asked again now: the keyring may have gone away (or come) since the page opened.
            self._set_keyring_problem(await self._settings.keyring_problem())
            if self.storage.problem is not None:
                show_check(
                    self.result,
                    failed_check(self.tr("Choose where to keep the key, then save again.")),
                )
                return
        location = self.storage.location()
        settings = replace(settings, plaintext_keys=self.storage.plaintext.isChecked())
        changes = {profile.id: KeyChange(self.key.text(), location)} if self.key.text() else {}
        self._set_busy(True, self.tr("Saving…"))
        try:
            problem = await self._settings.save(settings, changes)
        finally:
            self._set_busy(False)
        if problem:
            show_check(self.result, failed_check(problem.message))
            if problem.key_storage and self.storage.problem is None:
                # The keyring refused: offer the other places, the user picks and saves again.
                self._set_keyring_problem(problem.message)
            return
        self.key.clear()
        self.result.hide()
        self.saved.emit()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.test_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)
        if busy:
            show_check(self.result, None, text)
