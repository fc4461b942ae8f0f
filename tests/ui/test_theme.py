"""Light and dark: switched at run time, and every text colour of a rendered conversation
readable on what is behind it (WCAG contrast ≥ 4.5:1)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette, QTextFrame
from PySide6.QtWidgets import QApplication, QFrame

from desktop_chat.domain import Message, MessageStatus, Role
from desktop_chat.settings import Settings
from desktop_chat.storage.settings_file import SettingsFile
from desktop_chat.ui.theme import contrast, is_dark
from tests.helpers.conversations import make_conversation, save_conversations
from tests.helpers.views import activate, fragments, show_conversation

REPLY = """Some **bold** and *italic* text, `inline code` and a [link](https://example.com).

```python
# a comment, a "string", a number 42 and a decorator
@cache
def fibonacci(n: int) -> int:
    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)
```

> A quote.
"""


def _seed(data_dir: Path, theme: str) -> str:
    conversation = make_conversation("Colours")
    conversation.messages[1].content = REPLY
    conversation.messages.append(Message(role=Role.USER, content="And now?"))
    conversation.messages.append(
        Message(
            role=Role.ASSISTANT,
            content="",
            status=MessageStatus.ERROR,
            error="The server is rate limiting requests (429). Retry in a moment.",
        )
    )
    save_conversations(data_dir, conversation)
    SettingsFile(data_dir / "config").save(replace(Settings(), theme=theme))
    return conversation.id


def _background(view, cursor) -> QColor:  # type: ignore[no-untyped-def]
    """What is behind the text at `cursor`: its own background, its block's, the
    enclosing frames', or the view's."""
    char = cursor.charFormat().background()
    if char.style().value:
        return char.color()
    block = cursor.blockFormat().background()
    if block.style().value:
        return block.color()
    frame: QTextFrame | None = cursor.currentFrame()
    from desktop_chat.design import DARK, LIGHT
    from desktop_chat.ui.conversation.reading_column import BUBBLE

    while frame is not None:
        brush = frame.frameFormat().background()
        if brush.style().value:
            return brush.color()
        if frame.frameFormat().boolProperty(BUBBLE):  # painted by the view, rounded
            return QColor((DARK if is_dark(view.palette()) else LIGHT).bubble)
        frame = frame.parentFrame()
    return view.palette().color(QPalette.ColorRole.Base)


def _text_colours(view) -> list[tuple[str, QColor, QColor]]:  # type: ignore[no-untyped-def]
    """(text, colour, background) of every run of visible text in the conversation."""
    from PySide6.QtGui import QTextCursor

    found = []
    for fragment in fragments(view.document()):
        text = fragment.text()
        if text.strip() and fragment.isValid():
            fmt = fragment.charFormat()
            brush = fmt.foreground()
            colour = (
                brush.color()
                if brush.style().value
                else view.palette().color(QPalette.ColorRole.Text)
            )
            cursor = QTextCursor(view.document())
            cursor.setPosition(fragment.position() + 1)
            found.append((text, colour, _background(view, cursor)))
    return found


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_text_colour_reads_on_its_background(
    qtbot, launch, data_dir: Path, theme: str
) -> None:
    conversation_id = _seed(data_dir, theme)
    chat = launch()
    window = chat.window
    assert is_dark(QApplication.palette()) == (theme == "dark")
    show_conversation(qtbot, window, conversation_id)
    view = window.panel.message_view
    view.highlighter.finish()  # the code colours, applied in slices, all now
    runs = _text_colours(view)
    texts = " ".join(text for text, _, _ in runs)
    assert "fibonacci" in texts and "rate limiting" in texts and "link" in texts
    coloured = {colour.name() for _, colour, _ in runs}
    assert len(coloured) >= 5  # code tokens, link, error, muted notes: really sampled
    poor = [
        (text[:30], colour.name(), background.name(), round(contrast(colour, background), 2))
        for text, colour, background in runs
        if contrast(colour, background) < 4.5
    ]
    assert poor == []
    palette = QApplication.palette()
    selection = (
        palette.color(QPalette.ColorRole.HighlightedText),
        palette.color(QPalette.ColorRole.Highlight),
    )
    assert contrast(*selection) >= 4.5


def test_the_theme_switches_at_run_time_from_settings(qtbot, launch, data_dir: Path) -> None:
    conversation_id = _seed(data_dir, "light")
    chat = launch()
    window = chat.window
    show_conversation(qtbot, window, conversation_id)
    view = window.panel.message_view
    assert not is_dark(view.palette())
    light_text = {colour.name() for _, colour, _ in _text_colours(view)}

    activate(qtbot, window)
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.interface.theme.setCurrentIndex(dialog.interface.theme.findData("dark"))
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: is_dark(view.palette()))
    assert view.conversation_id == conversation_id  # same chat, redrawn in the new colours
    dark_text = {colour.name() for _, colour, _ in _text_colours(view)}
    assert dark_text != light_text
    window.panel.notices.show_notice("probe", "A notice in the dark", level="info")
    row = next(
        f for f in window.panel.notices.findChildren(QFrame) if f.property("noticeKey") == "probe"
    )
    assert "#132a42" in row.styleSheet()  # the dark notice colours
