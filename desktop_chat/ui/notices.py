"""Messages for the user above the conversation: each one closable, some with an action."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .theme import is_dark

# (light, dark): text on its background at ≥ 7:1 in both.
_STYLE = {
    "warning": (
        "background: #fff4e5; color: #5f3b00; border: 1px solid #f0c36d;",
        "background: #3a2c10; color: #ffe2b0; border: 1px solid #7a5a1e;",
    ),
    "info": (
        "background: #e8f1fb; color: #0b3a67; border: 1px solid #9cc3ea;",
        "background: #132a42; color: #d3e6fb; border: 1px solid #2f5a85;",
    ),
}


def notice_colours(level: str, dark: bool) -> str:
    """The style sheet colours of a notice of `level` ("warning", "info")."""
    light_colours, dark_colours = _STYLE[level]
    return dark_colours if dark else light_colours


class NoticeBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 8, 12, 0)
        self._layout.setSpacing(6)
        self._rows: dict[str, tuple[QFrame, QLabel]] = {}
        self.hide()

    def show_notice(
        self,
        key: str,
        text: str,
        *,
        level: str = "warning",
        action: tuple[str, Callable[[], object]] | None = None,
        closable: bool = True,
        action_dismisses: bool = True,
    ) -> None:
        """Show `text`; a notice with the same key is replaced. Its action button closes
        it unless `action_dismisses` is False (a notice that stays until fixed)."""
        self.clear_notice(key)
        row = QFrame(self)
        row.setObjectName("notice")
        row.setProperty("noticeKey", key)
        row.setProperty("noticeLevel", level)
        self._style(row)
        label = QLabel(text, row)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet("background: transparent; border: none;")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(label, 1)
        if action is not None:
            button = QPushButton(action[0], row)
            button.setObjectName("noticeAction")
            if action_dismisses:
                button.clicked.connect(lambda: self._act(key, action[1]))
            else:
                button.clicked.connect(action[1])
            layout.addWidget(button)
        if closable:
            close = QPushButton("✕", row)
            close.setFlat(True)
            close.setAccessibleName(self.tr("Dismiss"))
            close.setToolTip(self.tr("Dismiss"))
            close.setFixedWidth(28)
            close.clicked.connect(lambda: self.clear_notice(key))
            layout.addWidget(close)
        self._layout.addWidget(row)
        self._rows[key] = (row, label)
        self.show()

    def _style(self, row: QFrame) -> None:
        colours = notice_colours(str(row.property("noticeLevel")), is_dark(self.palette()))
        row.setStyleSheet(f"QFrame#notice {{ {colours} border-radius: 6px; }}")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            for row, _label in self._rows.values():
                self._style(row)
        super().changeEvent(event)

    def _act(self, key: str, callback: Callable[[], object]) -> None:
        self.clear_notice(key)
        callback()

    def clear_notice(self, key: str) -> None:
        found = self._rows.pop(key, None)
        if found is not None:
            found[0].hide()
            found[0].deleteLater()
        if not self._rows:
            self.hide()

    def text_of(self, key: str) -> str | None:
        found = self._rows.get(key)
        return found[1].text() if found else None

    def keys(self) -> list[str]:
        return list(self._rows)
