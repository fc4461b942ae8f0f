"""A message's actions as real buttons: Copy, Edit, Regenerate, Retry, Continue and the
version switcher (previous, 1/2, next), in a small bar laid over the conversation under one message.

The bar shows under the message the mouse is over, and under the last reply otherwise (so
its actions are always at hand); Tab reaches its buttons and keeps it where it is. The
document keeps a blank row under each message for it (see message_render), so it never
covers text. Each button has an icon, a tooltip (with its shortcut where it has one) and an
accessible name: a screen reader finds and presses them like any other button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from ... import design
from ...render.links import Action
from ..icons import themed

ROW_HEIGHT = 30
"""The height of the bar, and of the blank row kept for it under each message."""


@dataclass(frozen=True)
class Offered:
    """What one message offers: its actions, in order, and (position, count) of versions."""

    message_id: str
    actions: tuple[Action, ...]
    versions: tuple[int, int] = (0, 1)
    is_reply: bool = False


_ICONS = {
    Action.COPY: "copy",
    Action.EDIT: "pencil",
    Action.REGENERATE: "refresh-cw",
    Action.RETRY: "rotate-ccw",
    Action.CONTINUE: "play",
    Action.PREVIOUS_VERSION: "chevron-left",
    Action.NEXT_VERSION: "chevron-right",
}
_VERSION_ACTIONS = (Action.PREVIOUS_VERSION, Action.NEXT_VERSION)
_WITH_TEXT = (Action.RETRY, Action.CONTINUE)
"""Shown with their words: what to do after a failure should not be a riddle."""


class MessageActions(QWidget):
    triggered = Signal(str, str)
    """(action, message id)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("messageActions")
        self.setAccessibleName(self.tr("Message actions"))
        self._offered: Offered | None = None
        self._buttons: dict[Action, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for action in _ICONS:
            button = QToolButton(self)
            button.setObjectName(str(action))
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            themed(button, _ICONS[action], design.ICON_SMALL, QPalette.ColorRole.PlaceholderText)
            if action in _WITH_TEXT:
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.clicked.connect(lambda _=False, a=action: self._trigger(a))
            self._buttons[action] = button
            layout.addWidget(button)
            if action is Action.PREVIOUS_VERSION:
                self.version = QLabel(self)
                self.version.setObjectName("versionLabel")
                layout.addWidget(self.version)
        layout.addStretch(1)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        names = {
            Action.COPY: (self.tr("Copy"), ""),
            Action.EDIT: (self.tr("Edit"), ""),
            Action.REGENERATE: (self.tr("Regenerate"), "Ctrl+R"),
            Action.RETRY: (self.tr("Retry"), "Ctrl+R"),
            Action.CONTINUE: (self.tr("Continue"), ""),
            Action.PREVIOUS_VERSION: (self.tr("Previous version"), ""),
            Action.NEXT_VERSION: (self.tr("Next version"), ""),
        }
        for action, (name, keys) in names.items():
            button = self._buttons[action]
            button.setText(name)
            button.setAccessibleName(name)
            shortcut = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{name} ({shortcut})" if keys else name)

    @property
    def offered(self) -> Offered | None:
        """The message the bar is for now, and what it offers (None: hidden)."""
        return self._offered if self.isVisible() else None

    def button(self, action: Action) -> QToolButton:
        return self._buttons[action]

    def has_focus(self) -> bool:
        return any(button.hasFocus() for button in self._buttons.values())

    def show_for(self, offered: Offered | None, where: QPoint) -> None:
        """Show `offered`'s buttons with the bar's top-left at `where` (viewport
        coordinates); hide the bar for None or an empty offer."""
        if offered is None or not (offered.actions or offered.versions[1] > 1):
            self._offered = None
            self.hide()
            return
        if offered != self._offered:
            self._offered = offered
            position, count = offered.versions
            for action, button in self._buttons.items():
                if action in (Action.PREVIOUS_VERSION, Action.NEXT_VERSION):
                    button.setVisible(count > 1)
                    first, last = position == 0, position == count - 1
                    button.setEnabled(not (first if action is Action.PREVIOUS_VERSION else last))
                else:
                    button.setVisible(action in offered.actions)
            self.version.setVisible(count > 1)
            self.version.setText(f"{position + 1}/{count}")
            self.version.setAccessibleName(
                self.tr("Version %1 of %2")
                .replace("%1", str(position + 1))
                .replace("%2", str(count))
            )
            self.adjustSize()
        self.move(where)
        self.show()
        self.raise_()

    def _trigger(self, action: Action) -> None:
        if self._offered is not None:
            self.triggered.emit(str(action), self._offered.message_id)


class ActionBar(QObject):
    """Keeps the bar under the right message: the one under the mouse, else the last reply;
    where it is while one of its buttons has the keyboard."""

    triggered = Signal(str, str)
    """(action, message id): one of the bar's buttons was pressed."""

    def __init__(
        self,
        view: Any,
        rendered: Callable[[], dict[str, Any]],
        offered: Callable[[str], Offered | None],
    ) -> None:
        super().__init__(view)
        self._view = view
        self._rendered = rendered
        self._offered = offered
        self._hovered = ""
        self._keyboard = ""
        """The message the view's cursor went to by Tab (until the mouse moves)."""
        self._bar: MessageActions | None = None
        self._watching = False
        view.installEventFilter(self)  # its first show: then the viewport (see below)
        view.verticalScrollBar().valueChanged.connect(self.place)
        view.document().documentLayout().documentSizeChanged.connect(self.place)

    @property
    def bar(self) -> MessageActions:
        """The bar, built when first needed (an empty chat, as at start, has none)."""
        if self._bar is None:
            self._bar = MessageActions(self._view.viewport())
            self._bar.triggered.connect(self.triggered)
        return self._bar

    def show_for(self, message_id: str) -> None:
        """Show the bar under `message_id` (as hovering it does)."""
        self._hovered = message_id
        self.place()

    def offering(self, action: Action) -> str:
        """The newest message whose bar offers `action` ("" if none does)."""
        for message_id in reversed(self._rendered()):
            offered = self._offered(message_id)
            if offered is not None and (
                action in offered.actions
                or (action in _VERSION_ACTIONS and offered.versions[1] > 1)
            ):
                return message_id
        return ""

    def offered_now(self) -> list[str]:
        """What the bar shows now, as `desktop-chat:<action>/<message id>` (enabled ones)."""
        offered = self._bar.offered if self._bar is not None else None
        if offered is None:
            return []
        return [
            f"desktop-chat:{action}/{offered.message_id}"
            for action in _ICONS
            if self.bar.button(action).isVisible() and self.bar.button(action).isEnabled()
        ]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and watched is self._view and not self._watching:
            # The mouse over the messages, from the view's first show on (a first
            # `viewport()` call costs PySide ~10 ms, which start-up need not pay).
            self._watching = True
            view: Any = watched
            view.viewport().installEventFilter(self)
        elif kind == QEvent.Type.MouseMove:
            found = self._message_at(event.position().toPoint())  # type: ignore[attr-defined]
            if found and (found != self._hovered or self._keyboard):
                self._hovered, self._keyboard = found, ""
                self.place()
        elif kind == QEvent.Type.Leave and not (self._bar and self._bar.underMouse()):
            self._hovered = ""
            self.place()
        return False

    def place(self) -> None:
        if self._bar is None and not self._rendered():
            return  # nothing to offer yet: no need to build the bar
        if self.bar.has_focus() and self.bar.offered is not None:
            message_id = self.bar.offered.message_id  # keyboard users keep their place
        elif self._keyboard in self._rendered() and self._view.hasFocus():
            message_id = self._keyboard
        elif self._hovered in self._rendered():
            message_id = self._hovered
        else:  # nothing hovered, or it is gone (another version shows in its place)
            message_id = self._last_reply()
        rendered = self._rendered().get(message_id)
        offered = self._offered(message_id) if rendered is not None else None
        if rendered is None or offered is None:
            self.bar.show_for(None, QPoint())
            return
        layout = self._view.document().documentLayout()
        frame = layout.frameBoundingRect(rendered.frame)
        fmt = rendered.frame.frameFormat()
        scroll = self._view.verticalScrollBar().value()
        if offered.is_reply:  # in the row kept for it at the end of the reply
            notes = layout.frameBoundingRect(rendered.notes)
            where = QPoint(round(frame.left() + fmt.padding()), round(notes.bottom() - ROW_HEIGHT))
        else:  # under the question's bubble, on its end side
            self.bar.show_for(offered, QPoint())  # sized for what it offers
            bubble_end = frame.right() - fmt.rightMargin()
            x = bubble_end - self.bar.sizeHint().width()
            if self._view.layoutDirection() == Qt.LayoutDirection.RightToLeft:
                x = frame.left() + fmt.leftMargin()
            where = QPoint(round(x), round(frame.bottom() - fmt.bottomMargin() + 2))
        self.bar.show_for(offered, QPoint(where.x(), where.y() - scroll))

    def follow_cursor(self) -> None:
        """Tab moved the view's cursor to a link: the bar goes to that link's message, so
        keyboard users get the actions of the message they are in."""
        position = self._view.textCursor().position()
        for message_id, rendered in reversed(self._rendered().items()):
            if rendered.frame.firstPosition() <= position <= rendered.frame.lastPosition():
                self._keyboard = message_id
                self.place()
                return

    def _last_reply(self) -> str:
        rendered = self._rendered()
        last = next(reversed(rendered), "") if rendered else ""
        offered = self._offered(last) if last else None
        return last if offered is not None and offered.is_reply else ""

    def _message_at(self, point: QPoint) -> str:
        layout = self._view.document().documentLayout()
        y = point.y() + self._view.verticalScrollBar().value()
        # Newest first: the mouse is usually near the end of a long chat.
        for message_id, rendered in reversed(self._rendered().items()):
            box = layout.frameBoundingRect(rendered.frame)
            if box.top() <= y <= box.bottom():
                return message_id
            if box.bottom() < y:
                break  # above the mouse now: it is between two messages
        return ""
