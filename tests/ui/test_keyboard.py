"""Keyboard and screen reader: the shortcuts help, the tab order, announced replies."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from desktop_chat.domain import MessageStatus
from tests.conftest import quit_app
from tests.helpers.conversations import make_conversation, save_conversations
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply
from tests.helpers.views import activate, open_file_dialog, show_conversation


def test_f1_lists_the_shortcuts_from_the_actions_themselves(qtbot, launch) -> None:
    chat = launch()
    window = chat.window
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "shortcuts_dialog", None) is not None)
    dialog = window.shortcuts_dialog
    qtbot.waitUntil(dialog.isVisible)
    listed = dict(dialog.rows)
    assert listed["New chat"] == "Ctrl+N"
    assert listed["Search all chats"] == "Ctrl+K"
    assert listed["Find in conversation"] == "Ctrl+F"
    assert "Ctrl+," in listed["Settings"]
    assert listed["Export this conversation"] == "Ctrl+Shift+S"
    assert "Ctrl+/" in listed["Keyboard shortcuts"] and "F1" in listed["Keyboard shortcuts"]
    assert "Ctrl+K" in dialog.text.toPlainText()
    dialog.reject()
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.shortcuts_dialog.isVisible)


def test_the_shortcuts_are_written_one_way_in_each_language(qtbot, launch, data_dir: Path) -> None:
    from dataclasses import replace

    from desktop_chat.settings import Settings
    from desktop_chat.storage.settings_file import SettingsFile

    chat = launch()
    chat.window.show_shortcuts()
    english = dict(chat.window.shortcuts_dialog.rows)
    assert english["Send the message"] == "Enter (or Ctrl+Enter, as set)"
    assert english["Next / previous match in Find"] == "Enter / Shift+Enter"
    chat.window.shortcuts_dialog.reject()
    quit_app(qtbot, chat)

    SettingsFile(data_dir / "config").save(replace(Settings(), language="es"))
    spanish = launch()
    spanish.window.show_shortcuts()
    keys = " ".join(keys for _what, keys in spanish.window.shortcuts_dialog.rows)
    # As a Spanish keyboard labels its keys, the same in the actions' rows and the others.
    assert "Ctrl+N" in keys and "Ctrl+Intro" in keys and "Mayús+Intro" in keys
    assert "Control" not in keys and "Mayúsculas" not in keys and "Enter" not in keys
    spanish.window.shortcuts_dialog.reject()

    spanish.window.attach_action.trigger()
    qtbot.waitUntil(lambda: open_file_dialog(spanish.window) is not None)
    dialog = open_file_dialog(spanish.window)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "&Ver en:" in labels and "&Tipo de archivo:" in labels
    assert not [text for text in labels if "Look in" in text or "Files of" in text]
    dialog.reject()


def test_tab_walks_every_part_of_the_window_in_a_sensible_order(
    qtbot, launch, data_dir: Path
) -> None:
    conversation = make_conversation("Tab order")
    save_conversations(data_dir, conversation)
    chat = launch()
    window = chat.window
    show_conversation(qtbot, window, conversation.id)
    activate(qtbot, window)
    window.sidebar.new_chat_button.setFocus()
    # Widgets in the order Tab first reaches them, once round; the conversation's links
    # (Copy, Edit…) take Tab presses of their own before focus moves on.
    order = [window.sidebar.new_chat_button]
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is window.sidebar.new_chat_button:
            break
        if widget not in order:
            order.append(widget)
    names = [w.objectName() for w in order]
    expected = [
        "newChatButton",
        "searchField",
        "conversationList",
        "settingsButton",
        "modelPicker",
        "systemPromptButton",
        "messageView",
        "composerEdit",
        "sendButton",
    ]
    reached = [n for n in names if n in expected]
    assert reached == expected, names
    # Every control has a name a screen reader can say.
    for widget in order:
        assert widget.accessibleName() or widget.text(), widget.objectName()  # type: ignore[attr-defined]
    # And the focus is visible: the controls take it from the keyboard.
    assert all(w.focusPolicy() & Qt.FocusPolicy.TabFocus for w in order)


def test_a_finished_reply_is_announced_to_screen_readers(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.enqueue(ScriptedReply(text="Machines can learn from examples."))
    chat = launch()
    window = chat.window
    qtbot.keyClicks(window.panel.composer.edit, "Can machines learn?")
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            chat.service.conversation(window.conversation_id).messages[-1].status
            is MessageStatus.COMPLETE
        )
    )
    qtbot.waitUntil(lambda: window.panel.last_announcement != "")
    assert window.panel.last_announcement == "Reply finished: Machines can learn from examples."
