"""Pieces shared by the welcome page and the app's dialogs: the masked key field, where keys
are kept when the system keyring cannot keep them, the link to create a key, the result of
a test, and the labels of a form."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...service import ConnectionCheck, KeyLocation, KeySource
from ..icons import with_named_clear_button
from ..notices import notice_colours
from ..theme import is_dark


def error_style(widget: QWidget) -> str:
    """A style sheet for an error's text, readable (≥ 4.5:1) on light and dark windows."""
    return "color: #ff8a80;" if is_dark(widget.palette()) else "color: #b3261e;"


def ok_style(widget: QWidget) -> str:
    return "color: #81c995;" if is_dark(widget.palette()) else "color: #1b6e2d;"


def warning_style(widget: QWidget) -> str:
    """A warning box in the colours of the window's warning notices."""
    colours = notice_colours("warning", is_dark(widget.palette()))
    return f"{colours} border-radius: 6px; padding: 6px;"


def buddy_label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    """A form label whose mnemonic (the letter after &) moves the focus to `buddy`."""
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


def problem_label(parent: QWidget, object_name: str = "") -> QLabel:
    """A label, hidden until needed, that says what is wrong, in the error colour."""
    label = QLabel(parent)
    if object_name:
        label.setObjectName(object_name)
    label.setStyleSheet(error_style(parent))
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class KeyPageLink(QLabel):
    """ "Create a key": a link to the provider's page for API keys, opened in the browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyLink")
        self.setOpenExternalLinks(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)

    def show_page(self, page: str | None) -> None:
        """Link to `page`; hidden when there is none."""
        if page:
            self.setText(
                self.tr('<a href="%1">Create a key</a> (it opens in your browser)').replace(
                    "%1", page
                )
            )
        self.setVisible(bool(page))


class KeyField(QWidget):
    """An API key: masked, with a button that shows it while the user checks it."""

    textChanged = Signal(str)  # noqa: N815  (named like Qt's own signal)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("apiKey")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(self.tr("API key"))
        # No completion or history for a secret, and no input-method snooping.
        self.edit.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        with_named_clear_button(self.edit, self.tr("Clear"))
        self.edit.textChanged.connect(self.textChanged)
        self.reveal = QToolButton(self)
        self.reveal.setObjectName("showKey")
        self.reveal.setCheckable(True)
        self.reveal.setText(self.tr("Show"))
        self.reveal.setAccessibleName(self.tr("Show the key"))
        self.reveal.setToolTip(self.tr("Show or hide the key"))
        self.reveal.toggled.connect(self._set_revealed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.reveal)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        """The key typed, without the spaces a copy and paste brings along."""
        return "".join(self.edit.text().split())

    def clear(self) -> None:
        self.edit.clear()
        self.reveal.setChecked(False)

    def setPlaceholderText(self, text: str) -> None:
        self.edit.setPlaceholderText(text)

    @Slot(bool)
    def _set_revealed(self, revealed: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password
        self.edit.setEchoMode(mode)
        self.reveal.setText(self.tr("Hide") if revealed else self.tr("Show"))


class KeyStorageChoice(QWidget):
    """Shown only when the system keyring cannot keep keys: says why, and lets the user
    choose between this session only (the default) and, knowingly, a plain-text file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyStorageChoice")
        self.explanation = QLabel(self)
        self.explanation.setObjectName("keyringProblem")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setStyleSheet(warning_style(self))
        self.session = QRadioButton(self.tr("Keep it for this session &only"), self)
        self.session.setObjectName("sessionOnly")
        self.session.setToolTip(self.tr("Desktop Chat asks for the key again next time."))
        self.plaintext = QRadioButton(
            self.tr("Save it in a plain-text &file (not encrypted)"), self
        )
        self.plaintext.setObjectName("plaintextFile")
        self.plaintext.setToolTip(
            self.tr("Anyone who can read your files, or a backup of them, can use the key.")
        )
        group = QButtonGroup(self)
        group.addButton(self.session)
        group.addButton(self.plaintext)
        self.session.setChecked(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.explanation)
        layout.addWidget(self.session)
        layout.addWidget(self.plaintext)
        self._problem: str | None = None
        self._wanted = True
        self.hide()

    def set_wanted(self, wanted: bool) -> None:
        """Whether there is a key to keep (the server needs one, or one is typed): where
        to keep it matters only then, so this shows only then."""
        self._wanted = wanted
        self.setVisible(bool(self._problem) and wanted)

    def set_problem(self, problem: str | None, *, plaintext_chosen: bool = False) -> None:
        """Why the keyring cannot be used, or None when it can (then this hides)."""
        self._problem = problem
        if problem:
            self.explanation.setText(
                problem
                + " "
                + self.tr(
                    "The key cannot be kept safely on this computer now. You can keep it "
                    "for this session only, or save it unencrypted in a file that anyone "
                    "who can read your files could use."
                )
            )
            (self.plaintext if plaintext_chosen else self.session).setChecked(True)
        self.setVisible(bool(problem) and self._wanted)

    @property
    def problem(self) -> str | None:
        return self._problem

    def location(self) -> KeyLocation:
        """Where a new key goes, as the user chose."""
        if not self._problem:
            return KeyLocation.KEYRING
        return KeyLocation.FILE if self.plaintext.isChecked() else KeyLocation.SESSION


def describe_key_source(source: KeySource) -> str:
    """Where a key comes from, in a sentence for the user."""

    return {
        KeySource.UNKNOWN: QCoreApplication.translate("KeySource", "Looking for a saved key…"),
        KeySource.ENVIRONMENT: QCoreApplication.translate(
            "KeySource",
            "Using the key from the environment (OPENAI_API_KEY). A key saved here is used "
            "when that variable is not set.",
        ),
        KeySource.KEYRING: QCoreApplication.translate(
            "KeySource", "A key is saved in the system keyring."
        ),
        KeySource.SESSION: QCoreApplication.translate(
            "KeySource", "A key is kept for this session only."
        ),
        KeySource.FILE: QCoreApplication.translate(
            "KeySource", "A key is saved in a plain-text file (not encrypted)."
        ),
        KeySource.NONE: QCoreApplication.translate("KeySource", "No key is saved."),
    }[source]


def show_check(label: QLabel, check: ConnectionCheck | None, busy_text: str = "") -> None:
    """Put a test's result (or "testing…") in `label`, coloured by outcome."""
    if check is None:
        label.setStyleSheet("")
        label.setText(busy_text)
    else:
        label.setStyleSheet(ok_style(label) if check.ok else error_style(label))
        label.setText(("✓ " if check.ok else "✗ ") + check.message)
    label.setVisible(bool(label.text()))


def failed_check(message: str) -> ConnectionCheck:
    """A problem found before asking the server, shown like a failed test."""
    return ConnectionCheck(False, message)
