"""The keyboard shortcuts, listed (F1 or Ctrl+/): taken from the window's own actions, so
the list cannot drift from what the keys do."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


def _keys(sequences: list[QKeySequence]) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)


def _key(text: str) -> str:
    """One key combination, written by Qt as it writes the actions' shortcuts (with the
    interface's key names: "Ctrl", "Mayús", "Intro"…), so the whole list has one form."""
    return QKeySequence(text).toString(QKeySequence.SequenceFormat.NativeText)


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(what, keys) for every action with a shortcut, then the keys that are not actions."""
    rows = [
        (action.text().replace("&", "").rstrip("…"), _keys(action.shortcuts()))
        for action in actions
        if action.shortcuts()
    ]
    translate = QCoreApplication.translate
    # Enter, not Return: the key's name on most keyboards (Qt writes both as "Intro" in
    # Spanish).
    enter, shift_enter, ctrl_enter = _key("Enter"), _key("Shift+Enter"), _key("Ctrl+Enter")
    rows += [
        (
            translate("ShortcutsHelp", "Send the message"),
            translate("ShortcutsHelp", "{key} (or {other}, as set)").format(
                key=enter, other=ctrl_enter
            ),
        ),
        (
            translate("ShortcutsHelp", "New line in the message"),
            translate("ShortcutsHelp", "{key} (or {other})").format(key=shift_enter, other=enter),
        ),
        (
            translate("ShortcutsHelp", "Attach a copied picture or files"),
            _keys([QKeySequence(QKeySequence.StandardKey.Paste)]),
        ),
        (translate("ShortcutsHelp", "Rename the selected chat"), _key("F2")),
        (
            translate("ShortcutsHelp", "Delete the selected chat"),
            _keys([QKeySequence(QKeySequence.StandardKey.Delete)]),
        ),
        (
            translate("ShortcutsHelp", "Next / previous match in Find"),
            f"{enter} / {shift_enter}",
        ),
        (
            translate("ShortcutsHelp", "Move between parts of the window"),
            f"{_key('Tab')} / {_key('Shift+Tab')}",
        ),
    ]
    return rows


class ShortcutsHelp(QDialog):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsHelp")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.rows = shortcut_rows(actions)
        table = "".join(
            f"<tr><td>{escape(what)}</td><td>&nbsp;&nbsp;<b>{escape(keys)}</b></td></tr>"
            for what, keys in self.rows
        )
        self.text = QTextBrowser(self)
        self.text.setObjectName("shortcutsList")
        self.text.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.text.setHtml(f"<table cellpadding='3'>{table}</table>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(520, 460)
