"""Reading what the window shows, as a user sees it."""

from __future__ import annotations

from desktop_chat.ui.sidebar.conversation_list import ConversationListModel, IsHeaderRole


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
    qtbot.waitUntil(lambda: window.panel.message_view.conversation_id == conversation_id)


BAR_ACTIONS = (
    "copy",
    "edit",
    "regenerate",
    "retry",
    "continue",
    "previous-version",
    "next-version",
)
"""Actions offered as buttons in a message's bar, not as links in the text."""


def press_action(view, action: str, message_id: str = "") -> None:  # type: ignore[no-untyped-def]
    """Click, with the mouse, the button for `action` in the bar under `message_id` (or
    under the newest message offering it), as a user hovering that message would."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from desktop_chat.render.links import Action

    wanted = Action(action)
    bar = view.action_bar
    bar.show_for(message_id or bar.offering(wanted))
    button = bar.bar.button(wanted)
    assert button.isVisible() and button.isEnabled(), f"{action} is not offered"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def blocks(document):  # type: ignore[no-untyped-def]
    """The blocks of a QTextDocument, in order."""
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def fragments(document_or_block):  # type: ignore[no-untyped-def]
    """The text fragments (runs of one format) of a QTextDocument or of one block."""
    from PySide6.QtGui import QTextBlock

    if isinstance(document_or_block, QTextBlock):
        iterator = document_or_block.begin()
        while not iterator.atEnd():
            yield iterator.fragment()
            iterator += 1
        return
    for block in blocks(document_or_block):
        yield from fragments(block)


def offered(view) -> list[str]:  # type: ignore[no-untyped-def]
    """The links in a message view's text, then what its bar of buttons offers now, each
    as `desktop-chat:<action>/<message id>`."""
    hrefs = [f.charFormat().anchorHref() for f in fragments(view.document())]
    return [href for href in hrefs if href] + view.action_bar.offered_now()


def click_link(view, href_start: str) -> None:  # type: ignore[no-untyped-def]
    """Click, with the mouse, the first link in a message view whose target starts with
    `href_start` (an attachment, Copy code…); a message's own actions are buttons in its
    bar (see `press_action`)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    action, _, rest = href_start.removeprefix("desktop-chat:").partition("/")
    if href_start.startswith("desktop-chat:") and action in BAR_ACTIONS:
        press_action(view, action, rest.partition("/")[0])
        return
    for fragment in fragments(view.document()):
        if fragment.charFormat().anchorHref().startswith(href_start):
            cursor = QTextCursor(view.document())
            cursor.setPosition(fragment.position() + fragment.length())
            view.setTextCursor(cursor)
            view.ensureCursorVisible()
            end = view.cursorRect(cursor)
            cursor.setPosition(fragment.position())
            start = view.cursorRect(cursor)
            where = QPoint((start.left() + end.left()) // 2, start.center().y())
            QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
            return
    raise AssertionError(f"no link to {href_start} is shown")


def open_file_dialog(window):  # type: ignore[no-untyped-def]
    """The file dialog open over `window` (Attach, Import, Save a copy…), or None."""
    from PySide6.QtWidgets import QFileDialog

    return next((d for d in window.findChildren(QFileDialog) if d.isVisible()), None)


def version_shown(view) -> str:  # type: ignore[no-untyped-def]
    """The version switcher's "n/m" in the bar of buttons now shown ("" if none)."""
    label = view.action_bar.bar.version
    return label.text() if view.action_bar.bar.isVisible() and label.isVisible() else ""


def offers(view, action: str) -> bool:  # type: ignore[no-untyped-def]
    """Some message in the view offers `action` in its bar of buttons."""
    from desktop_chat.render.links import Action

    return bool(view.action_bar.offering(Action(action)))
