"""The window's look and its controls, as a user meets them: the reading column and the
question bubbles, the bar of buttons under a message, the composer card, the sidebar that
hides, the header's title, the keyboard shortcuts, and contrast in both themes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QMouseEvent, QPalette, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QStyle, QToolButton

from desktop_chat import design
from desktop_chat.domain import Conversation, Message, MessageStatus, Role
from desktop_chat.render.links import Action
from desktop_chat.settings import Settings
from desktop_chat.storage.settings_file import SettingsFile
from desktop_chat.ui.conversation.message_view import MessageView
from desktop_chat.ui.theme import contrast, is_dark
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply
from tests.helpers.views import activate, offered, version_shown


def _send(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.panel.composer.edit, text)
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)


def _reply_done(qtbot, chat):  # type: ignore[no-untyped-def]
    conversation = chat.service.conversation(chat.window.conversation_id)
    qtbot.waitUntil(lambda: conversation.messages[-1].status is MessageStatus.COMPLETE)
    return conversation


def _shown(qtbot, *messages: Message, width: int = 900) -> MessageView:  # type: ignore[no-untyped-def]
    """A message view showing `messages`, exposed and written whole."""
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(width, 600)
    view.show_conversation(Conversation(messages=list(messages)))
    view.show()
    qtbot.waitExposed(view)
    view.finish_rendering()
    return view


def test_a_wide_window_reads_in_a_centred_column_with_questions_on_the_end_side(qtbot) -> None:
    question = Message(role=Role.USER, content="A question")
    reply = Message(role=Role.ASSISTANT, content="An answer " * 200)
    view = _shown(qtbot, question, reply, width=1600)
    layout = view.document().documentLayout()
    frames = view.document().rootFrame().childFrames()
    asked, answered = (layout.frameBoundingRect(f) for f in frames[:2])
    root = view.document().rootFrame().frameFormat()
    column = view.viewport().width() - root.leftMargin() - root.rightMargin()
    extent = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    assert column <= design.READING_COLUMN_PX + extent  # lines of a readable length
    assert abs(root.leftMargin() - root.rightMargin()) < 20  # centred (less a scroll bar)
    bubble = frames[0].frameFormat()
    # A short question: a bubble as wide as its words, on the end side.
    assert bubble.leftMargin() > column / 2 and bubble.rightMargin() == 0
    assert asked.right() == pytest.approx(answered.right(), abs=1)  # ends with the column
    long = Message(role=Role.USER, content="A long question " * 40)
    view.show_conversation(Conversation(messages=[long, reply]))
    view.finish_rendering()
    bubble = view.document().rootFrame().childFrames()[0].frameFormat()
    assert bubble.leftMargin() == design.BUBBLE_INSET  # a long one takes the most it may
    # Right to left: the question moves to the other side.
    view.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    view.show_conversation(Conversation(messages=[question, reply]))
    view.finish_rendering()
    bubble = view.document().rootFrame().childFrames()[0].frameFormat()
    assert bubble.leftMargin() == 0 and bubble.rightMargin() > column / 2
    # A narrow window: the column is the window, less a small margin.
    view.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    view.resize(420, 600)
    qtbot.waitUntil(lambda: view.document().rootFrame().frameFormat().leftMargin() < 40)


def test_each_message_offers_its_actions_as_named_buttons_shown_on_hover(qtbot) -> None:
    question = Message(role=Role.USER, content="A question")
    reply = Message(role=Role.ASSISTANT, content="An answer")
    view = _shown(qtbot, question, reply)
    bar = view.action_bar.bar
    # The last reply's actions are there without hovering.
    qtbot.waitUntil(lambda: bar.isVisible())
    assert bar.offered is not None and bar.offered.message_id == reply.id
    buttons = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    assert {b.accessibleName() for b in buttons} == {"Copy", "Regenerate"}
    assert all(b.toolTip() and not b.icon().isNull() for b in buttons)
    assert "Ctrl+R" in bar.button(Action.REGENERATE).toolTip()
    # Hovering the question moves the bar under it: Copy and Edit.
    layout = view.document().documentLayout()
    asked = layout.frameBoundingRect(view.document().rootFrame().childFrames()[0])
    at = QPointF(asked.center().x(), asked.top() + 8)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        at,
        view.viewport().mapToGlobal(at),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), move)  # the mouse over the question
    qtbot.waitUntil(lambda: bar.offered is not None and bar.offered.message_id == question.id)
    assert {b.accessibleName() for b in bar.findChildren(QToolButton) if b.isVisible()} == {
        "Copy",
        "Edit",
    }
    # Under the bubble, on its end side, not over its text.
    assert bar.geometry().top() >= asked.bottom() - view.verticalScrollBar().value() - 40
    with qtbot.waitSignal(view.action_requested) as signal:
        QTest.mouseClick(bar.button(Action.EDIT), Qt.MouseButton.LeftButton)
    assert signal.args == ["edit", question.id, ""]
    QTest.mouseClick(bar.button(Action.COPY), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "A question"


def test_keyboard_regenerate_copy_the_last_reply_and_hide_the_sidebar(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.enqueue(
        ScriptedReply(text="First answer."), ScriptedReply(), ScriptedReply(text="Second.")
    )
    chat = launch()
    window = chat.window
    activate(qtbot, window)
    _send(qtbot, window, "Tell me something")
    conversation = _reply_done(qtbot, chat)
    QTest.keyClick(
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert QGuiApplication.clipboard().text() == "First answer."
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: conversation.messages[-1].content == "Second.")
    view = window.panel.message_view
    qtbot.waitUntil(lambda: version_shown(view) == "2/2")
    sidebar = window.sidebar
    assert sidebar.isVisible()
    QTest.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not sidebar.isVisible()
    QTest.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert sidebar.isVisible()
    # All three are in the shortcuts help, which lists the window's actions.
    names = {a.text().replace("&", "") for a in window.actions() if a.shortcuts()}
    assert {"Retry or regenerate the last reply", "Copy the last reply", "Sidebar"} <= names


def test_the_composer_is_one_card_that_grows_with_its_text_to_40_percent(qtbot, launch) -> None:
    chat = launch()
    window = chat.window
    window.resize(1000, 800)
    composer = window.panel.composer
    card = composer.card
    assert card.isAncestorOf(composer.edit)
    assert card.isAncestorOf(composer.attach_button) and card.isAncestorOf(composer.button)
    assert composer.button.accessibleName() == "Send"
    short = composer.edit.height()
    composer.set_text("line\n" * 5)
    qtbot.waitUntil(lambda: composer.edit.height() > short)
    composer.set_text("line\n" * 200)
    qtbot.waitUntil(lambda: composer.edit.height() > short * 3)
    assert composer.edit.height() <= window.height() * 0.4 + 20  # then it scrolls
    assert composer.edit.verticalScrollBar().maximum() > 0


def test_the_header_shows_the_title_and_a_double_click_renames_it(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    window = chat.window
    _send(qtbot, window, "What is a chatbot?")
    conversation = _reply_done(qtbot, chat)
    title = window.panel.header.title
    qtbot.waitUntil(lambda: title.title() == conversation.title != "")
    QTest.mouseDClick(title, Qt.MouseButton.LeftButton)
    editor = title.editor
    assert isinstance(editor, QLineEdit) and editor.hasFocus()
    editor.selectAll()
    QTest.keyClicks(editor, "Chatbots 101")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: conversation.title == "Chatbots 101")
    qtbot.waitUntil(lambda: title.title() == "Chatbots 101")


def test_the_first_launch_welcome_fills_the_window(qtbot, launch) -> None:
    chat = launch(env={})  # no key, no server: the welcome
    window = chat.window
    qtbot.waitUntil(lambda: window.panel.welcome is not None and window.panel.welcome.isVisible())
    assert not window.sidebar.isVisible()
    assert not window.panel.composer.isVisible() and not window.panel.header.isVisible()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_new_controls_read_on_their_backgrounds(
    qtbot, launch, data_dir: Path, theme: str
) -> None:
    SettingsFile(data_dir / "config").save(replace(Settings(), theme=theme))
    chat = launch()
    qtbot.waitUntil(lambda: is_dark(QApplication.palette()) == (theme == "dark"))
    palette = QApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    window_colour = palette.color(QPalette.ColorRole.Window)
    # Icons of the action bar and the field icons: muted, yet ≥ 3:1 as controls must be.
    assert contrast(palette.color(QPalette.ColorRole.PlaceholderText), base) >= 3
    # The send button's arrow on its accent.
    assert (
        contrast(
            palette.color(QPalette.ColorRole.HighlightedText),
            palette.color(QPalette.ColorRole.Highlight),
        )
        >= 3
    )
    # The composer card's outline and the sidebar's selected row on their backgrounds.
    card = chat.window.panel.composer.card.styleSheet()
    outline = QColor(card.split("border: 1px solid ")[1].split(";")[0])
    assert outline.isValid() and contrast(outline, base) >= 3
    assert contrast(palette.color(QPalette.ColorRole.Highlight), window_colour) >= 3
    assert offered(chat.window.panel.message_view) == []  # nothing offered in an empty chat


def test_tab_to_a_link_in_an_earlier_reply_brings_its_actions_there(qtbot) -> None:
    first = Message(role=Role.ASSISTANT, content="First:\n\n```\ncode one\n```\n")
    second = Message(role=Role.ASSISTANT, content="Second:\n\n```\ncode two\n```\n")
    view = _shown(qtbot, first, second)
    bar = view.action_bar.bar
    qtbot.waitUntil(lambda: bar.offered is not None and bar.offered.message_id == second.id)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    view.moveCursor(QTextCursor.MoveOperation.Start)  # reading from the top
    view.focusNextPrevChild(True)  # Tab: the first link, "Copy code" of the first reply
    assert view.textCursor().selectedText() == "Copy code"
    qtbot.waitUntil(lambda: bar.offered is not None and bar.offered.message_id == first.id)
    assert bar.button(Action.COPY).isVisible()
