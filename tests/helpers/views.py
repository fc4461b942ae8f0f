"""Reading what the window shows, as a user sees it."""

from __future__ import annotations

from desktop_chat.ui.conversation_list import ConversationListModel, IsHeaderRole


def listed_titles(model: ConversationListModel) -> list[str]:
    """The conversations in the sidebar, top to bottom, without the group headers."""
    return [
        model.index(row, 0).data()
        for row in range(model.rowCount())
        if not model.index(row, 0).data(IsHeaderRole)
    ]


def shown_lines(view) -> list[str]:  # type: ignore[no-untyped-def]
    """The non-empty lines of a message view's text."""
    return [line for line in view.toPlainText().splitlines() if line.strip()]


def activate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Give `window` the keyboard, as a window manager would after a dialog closes
    (offscreen has none), so its shortcuts work."""
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def show_conversation(qtbot, window, conversation_id: str) -> None:  # type: ignore[no-untyped-def]
    """Open a saved conversation in the window and wait until its messages are shown."""
    window.open_conversation(conversation_id)
    qtbot.waitUntil(lambda: window.message_view.conversation_id == conversation_id)
