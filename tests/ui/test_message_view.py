"""The message pane on its own: Markdown, code, links, actions, and rendering in
O(new text) while a reply streams."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QObject, QPoint, QUrl, Slot
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QImage,
    QPainter,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)

from desktop_chat.domain import Conversation, Message, MessageStatus, Role, Usage
from desktop_chat.ui.conversation.message_view import FIRST_MESSAGES, MessageView
from tests.helpers.views import blocks, click_link, fragments, offered, shown_lines

REPLY = """# Plan

Here is the plan, with **bold** words and `inline code`.

1. **First step**

   Some detail for the first step.

2. **Second step**

> A quoted line
> that continues.

| Name | Role |
| --- | --- |
| Ada | Engineer |
| Linus | Maintainer |

Code:
```python
def greet(name):
    return f"Hello, {name}!"
```

- last
- list

Final words, with a [link](https://example.com).
"""


def _view(qtbot, *messages: Message) -> tuple[MessageView, Conversation]:  # type: ignore[no-untyped-def]
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    conversation = Conversation(messages=list(messages))
    view.show_conversation(conversation)
    view.show()
    return view, conversation


def _render_now(view: MessageView) -> None:
    view.finish_rendering()  # the frame timer's work, without waiting for the frames


def _stream(view: MessageView, reply: Message, text: str, step: int) -> None:
    for end in range(step, len(text) + step, step):
        reply.content = text[:end]
        view.refresh_message(reply.id)
        _render_now(view)
    reply.status = MessageStatus.COMPLETE
    view.refresh_message(reply.id)
    _render_now(view)


STREAMED_CASES = {
    "a table last": "Intro line.\n\n| col a | col b |\n| --- | --- |\n| 1 | 2 |\n",
    "a table after a line": "Intro line.\n| col a | col b |\n| :-- | --: |\n| 1 | 2 |",
    "lists": "- one\n- two\n  - nested\n\n1. first\n\n   more\n2. second\n\n- [x] done\n",
    "quotes": "> quoted\n> more\n>\n> - item\n\nAfter.\n\n> again `code`",
    "code": "Code:\n```python\nx = 1\n\ny = 2\n```\n\n    indented\n\n~~~\nopen",
    "math": "Inline $a^2+b^2=c^2$ and \\(x\\), $5 and $10.\n\n$$\n\\frac{1}{2}\n$$\n\nEnd.",
    "links": "See [x] and https://example.com.\n\n[x]: https://example.org\n",
    "everything": REPLY,
}


def _document(view: MessageView) -> str:
    """What the view shows, formats and structure included (colours of code too)."""
    import re

    view.highlighter.finish()
    return re.sub(r"<head>.*?</head>", "", view.document().toHtml(), flags=re.DOTALL)


def _finished(qtbot, question: Message, reply: Message, text: str) -> MessageView:  # type: ignore[no-untyped-def]
    """The same conversation, opened with the reply finished."""
    whole, _ = _view(
        qtbot,
        question,
        Message(role=Role.ASSISTANT, content=text, id=reply.id, created_at=reply.created_at),
    )
    return whole


@pytest.mark.parametrize("name", list(STREAMED_CASES))
def test_a_reply_looks_the_same_streamed_at_every_cut_point_as_reopened(qtbot, name) -> None:
    text = STREAMED_CASES[name]
    question = Message(role=Role.USER, content="Plan?")
    reply = Message(role=Role.ASSISTANT, content="", status=MessageStatus.STREAMING)
    streamed, _ = _view(qtbot, question, reply)
    _stream(streamed, reply, text, 1)  # every prefix of the text rendered in turn
    assert _document(streamed) == _document(_finished(qtbot, question, reply, text))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_way_a_reply_arrives_ends_as_the_reopened_reply(qtbot, data) -> None:
    name = data.draw(st.sampled_from(sorted(STREAMED_CASES)))
    text = STREAMED_CASES[name]
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=8)))
    reply = Message(role=Role.ASSISTANT, content="", status=MessageStatus.STREAMING)
    streamed, _ = _view(qtbot, reply)
    for cut in cuts:
        reply.content = text[:cut]
        streamed.refresh_message(reply.id)
        _render_now(streamed)
    reply.content, reply.status = text, MessageStatus.COMPLETE
    streamed.refresh_message(reply.id)
    _render_now(streamed)
    whole, _ = _view(
        qtbot, Message(role=Role.ASSISTANT, content=text, id=reply.id, created_at=reply.created_at)
    )
    assert _document(streamed) == _document(whole)


@pytest.mark.parametrize("step", [1, 7, 40])
def test_streaming_shows_exactly_what_rendering_the_finished_reply_shows(qtbot, step) -> None:
    question = Message(role=Role.USER, content="Plan?")
    reply = Message(role=Role.ASSISTANT, content="", status=MessageStatus.STREAMING)
    streamed, _ = _view(qtbot, question, reply)
    _stream(streamed, reply, REPLY, step)
    whole = _finished(qtbot, question, reply, REPLY)
    assert _document(streamed) == _document(whole)
    lines = shown_lines(whole)
    assert "Plan" in lines and "# Plan" not in lines
    assert "Ada\tEngineer" in "\n".join(lines) or "Ada" in lines  # a real table
    assert '    return f"Hello, {name}!"' in lines


@pytest.mark.parametrize("step", [97, 1531])
def test_a_long_reply_written_in_pages_looks_the_same_streamed_as_reopened(qtbot, step) -> None:
    """Past a few thousand characters the body is written in pages (frames of its own):
    where a page begins must not depend on how the text arrived."""
    from desktop_chat.ui.conversation.reply_body import PAGE_CHARS

    text = "\n\n".join([REPLY, *STREAMED_CASES.values()] * 9)
    assert len(text) > 2.5 * PAGE_CHARS
    question = Message(role=Role.USER, content="Plan?")
    reply = Message(role=Role.ASSISTANT, content="", status=MessageStatus.STREAMING)
    streamed, _ = _view(qtbot, question, reply)
    _stream(streamed, reply, text, step)
    whole = _finished(qtbot, question, reply, text)
    _render_now(whole)  # a reply this long is written over several frames
    assert _document(streamed) == _document(whole)
    assert _picture(streamed) == _picture(whole)  # where each block lands, to the pixel
    assert whole.toPlainText().count("Ada") == streamed.toPlainText().count("Ada") == 18


def _picture(view: MessageView) -> QImage:
    """The whole conversation drawn, as tall as it is."""
    document = view.document()
    size = document.size().toSize()
    picture = QImage(size, QImage.Format.Format_ARGB32)
    picture.fill(QColor("white"))
    painter = QPainter(picture)
    document.drawContents(painter)
    painter.end()
    return picture


def _block_with(view: MessageView, text: str) -> QTextCursor:
    """A cursor at the start of the first block the view shows with `text` in it."""
    found = view.document().find(text)
    assert not found.isNull(), text
    found.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    return found


def _mark_block(view: MessageView, text: str) -> QTextCursor:
    cursor = _block_with(view, text)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    mark = QTextCharFormat()
    mark.setProperty(QTextFormat.Property.UserProperty, "rendered once")
    cursor.mergeCharFormat(mark)
    return cursor


def test_finished_blocks_are_rendered_once_while_the_reply_grows(qtbot) -> None:
    reply = Message(role=Role.ASSISTANT, content="", status=MessageStatus.STREAMING)
    view, _ = _view(qtbot, reply)
    reply.content = "First paragraph.\n\nSecond "
    view.refresh_message(reply.id)
    _render_now(view)
    marked = _mark_block(view, "First paragraph.")
    for word in range(200):
        reply.content += f"word{word} "
        view.refresh_message(reply.id)
        _render_now(view)
    assert marked.charFormat().property(QTextFormat.Property.UserProperty) == "rendered once"
    assert "word199" in view.toPlainText()


def test_a_code_block_still_being_written_grows_line_by_line(qtbot) -> None:
    reply = Message(role=Role.ASSISTANT, content="", status=MessageStatus.STREAMING)
    view, _ = _view(qtbot, reply)
    reply.content = "Look:\n\n```python\nx = 1\ny = 2\nz = "
    view.refresh_message(reply.id)
    _render_now(view)
    lines = shown_lines(view)
    assert lines[-4:] == ["python", "x = 1", "y = 2", "z ="] or lines[-4:] == [
        "python",
        "x = 1",
        "y = 2",
        "z = ",
    ]
    reply.content += "3\n```\n\nDone.\n"
    reply.status = MessageStatus.COMPLETE
    view.refresh_message(reply.id)
    _render_now(view)
    lines = shown_lines(view)
    assert lines[-5:] == ["python    Copy code", "x = 1", "y = 2", "z = 3", "Done."]
    # The message's own actions are buttons in the bar under it, not text.
    assert f"desktop-chat:copy/{reply.id}" in offered(view)


def _code_blocks_in(view: MessageView) -> list[str]:
    found = []
    block = view.document().begin()
    while block.isValid():
        if block.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence):
            found.append(block.text())
        block = block.next()
    return found


def test_code_blocks_get_a_header_a_tint_and_colours(qtbot) -> None:
    view, _ = _view(
        qtbot,
        Message(role=Role.ASSISTANT, content="Run:\n\n```python\ndef f():\n    return 1\n```\n"),
    )
    assert _code_blocks_in(view) == ["def f():", "    return 1"]
    assert "python    Copy code" in shown_lines(view)
    view.highlighter.finish()
    block = next(b for b in blocks(view.document()) if b.text() == "def f():")
    colours = {fragment.charFormat().foreground().color().name() for fragment in fragments(block)}
    assert len(colours) > 1, "the keyword is coloured differently from the name"
    frame = QTextCursor(block).currentFrame()  # the code block's own, with its tint
    assert frame.frameFormat().background().style().name != "NoBrush"


def _click(view: MessageView, href_start: str) -> None:
    click_link(view, href_start)


def test_copy_code_and_copy_message_put_the_source_on_the_clipboard(qtbot) -> None:
    content = "Two blocks:\n\n```\nfirst\n```\n\n```sh\nls -l\necho done\n```\n"
    message = Message(role=Role.ASSISTANT, content=content)
    view, _ = _view(qtbot, message)
    _click(view, f"desktop-chat:copy-code/{message.id}/1")
    assert QGuiApplication.clipboard().text() == "ls -l\necho done"
    _click(view, f"desktop-chat:copy/{message.id}")
    assert QGuiApplication.clipboard().text() == content


def test_user_text_is_shown_as_typed_and_replies_as_markdown(qtbot) -> None:
    view, _ = _view(
        qtbot,
        Message(role=Role.USER, content="keep *stars* and\nlines"),
        Message(role=Role.ASSISTANT, content="# Title\n\n- **bold** item\n"),
    )
    lines = shown_lines(view)
    assert "keep *stars* and" in lines and "lines" in lines
    assert "Title" in lines and "# Title" not in lines
    assert "bold item" in lines


def test_html_in_a_reply_is_shown_as_text_never_interpreted(qtbot) -> None:
    view, _ = _view(
        qtbot,
        Message(role=Role.ASSISTANT, content='<img src="http://x/t.png" onerror="x()"> <b>hi</b>'),
    )
    assert '<img src="http://x/t.png" onerror="x()"> <b>hi</b>' in shown_lines(view)


class _LinkCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_only_web_and_mail_links_are_opened(qtbot) -> None:
    view, _ = _view(qtbot, Message(role=Role.ASSISTANT, content="x"))
    catcher = _LinkCatcher()
    schemes = ("http", "https", "mailto", "file", "javascript")
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    try:
        for url in (
            "https://example.com",
            "mailto:a@b.c",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://example.org",
        ):
            view.anchorClicked.emit(QUrl(url))
    finally:
        for scheme in schemes:
            QDesktopServices.unsetUrlHandler(scheme)
    assert catcher.opened == ["https://example.com", "mailto:a@b.c", "http://example.org"]


def test_many_updates_within_a_frame_render_once(qtbot) -> None:
    reply = Message(role=Role.ASSISTANT, content="", status=MessageStatus.STREAMING)
    view, _ = _view(qtbot, reply)
    view.column.fit()  # the column's margins, which a first resize would set otherwise
    renders = []
    view.document().contentsChanged.connect(lambda: renders.append(1))
    for number in range(1000):
        reply.content += f"word{number} "
        view.refresh_message(reply.id)
    qtbot.waitUntil(lambda: "word999" in view.toPlainText())
    assert len(renders) == 1


def test_status_notes_for_partial_failed_and_waiting_replies(qtbot) -> None:
    view, _ = _view(
        qtbot,
        Message(role=Role.ASSISTANT, content="half", status=MessageStatus.PARTIAL),
        Message(role=Role.ASSISTANT, content="", status=MessageStatus.ERROR, error="Boom."),
        Message(role=Role.ASSISTANT, content="", status=MessageStatus.STREAMING),
    )
    lines = shown_lines(view)
    assert lines[lines.index("half") + 1] == "Stopped: this reply is incomplete."
    assert "Boom." in lines
    assert any(line.startswith("Thinking… ") and line.endswith(" s") for line in lines)


def test_usage_and_cost_under_a_reply_and_details_on_hover(qtbot) -> None:
    reply = Message(
        role=Role.ASSISTANT,
        content="Hi",
        model="gpt-4.1",
        created_at=datetime(2026, 11, 24, 14, 3, tzinfo=UTC),
        usage=Usage(prompt_tokens=1200, completion_tokens=300),
    )
    view, _ = _view(qtbot, reply)
    assert "1,200 tokens in · 300 out · ≈ $0.0048" in shown_lines(view)
    header = _block_with(view, "Assistant")
    header.movePosition(QTextCursor.MoveOperation.Right)
    tip = view.tooltip_for(header)
    assert "gpt-4.1" in tip and "2026" in tip and "1,200 tokens in" in tip


def test_the_last_reply_offers_regenerate_and_versions_switch(qtbot) -> None:
    question = Message(role=Role.USER, content="Q")
    first = Message(role=Role.ASSISTANT, content="first answer")
    conversation = Conversation(messages=[question, first])
    conversation.fork(1)
    second = Message(role=Role.ASSISTANT, content="second answer")
    conversation.messages.append(second)
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show_conversation(conversation)
    view.show()
    # The last reply's bar is there without hovering: Regenerate and its versions.
    qtbot.waitUntil(lambda: f"desktop-chat:regenerate/{second.id}" in offered(view))
    assert f"desktop-chat:previous-version/{second.id}" in offered(view)
    assert view.action_bar.bar.version.text() == "2/2"
    assert f"desktop-chat:next-version/{second.id}" not in offered(view)  # the newest
    view.action_bar.show_for(question.id)  # as hovering the question does
    assert f"desktop-chat:edit/{question.id}" in offered(view)
    with qtbot.waitSignal(view.action_requested) as signal:
        _click(view, f"desktop-chat:previous-version/{second.id}")
    assert signal.args == ["previous-version", second.id, ""]


def test_a_long_conversation_shows_its_end_first_then_fills_in(qtbot) -> None:
    messages = [
        Message(role=Role.USER if n % 2 == 0 else Role.ASSISTANT, content=f"message {n}")
        for n in range(300)
    ]
    view, _ = _view(qtbot, *messages)
    # The newest first, as many as the first frame's budget allows (the rest of the first
    # FIRST_MESSAGES at the next frames: how many fit is the machine's business).
    first = [line for line in shown_lines(view) if line.startswith("message ")]
    assert "message 299" in first and len(first) <= FIRST_MESSAGES
    assert not view.fully_rendered
    # Order and completeness are the point here, not speed (bench_ui measures that):
    # inserting at the top of a 300-message document takes seconds on a busy machine.
    qtbot.waitUntil(lambda: view.fully_rendered, timeout=60_000)
    numbers = [int(line.split()[1]) for line in shown_lines(view) if line.startswith("message ")]
    assert numbers == list(range(300))
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum(), "still looking at the newest messages"


def test_a_tooltip_only_where_there_is_one(qtbot) -> None:
    view, _ = _view(qtbot, Message(role=Role.ASSISTANT, content="plain text"))
    cursor = view.cursorForPosition(QPoint(200, 200))
    assert view.tooltip_for(cursor) == ""
    assert QColor  # keep the import used by the colour assertions above


def test_a_reply_that_failed_before_any_text_shows_its_error_right_under_its_name(
    qtbot,
) -> None:  # type: ignore[no-untyped-def]
    reply = Message(role=Role.ASSISTANT, content="", status=MessageStatus.ERROR, error="Boom.")
    view, _ = _view(qtbot, Message(role=Role.USER, content="Q"), reply)
    layout = view.document().documentLayout()
    header = layout.blockBoundingRect(_block_with(view, "Assistant").block())
    error = layout.blockBoundingRect(_block_with(view, "Boom.").block())
    assert error.top() - header.bottom() < view.fontMetrics().height() / 2, "no blank line"


def test_a_200000_character_reply_opens_at_once_and_is_written_over_the_next_frames(
    qtbot,
) -> None:
    """Opening must not lay out the whole reply in one step (that froze the window for
    25 s): the chat is shown at once, its text arrives in slices, and ends as it would have
    been written in one go."""
    from tests.bench.bench_ui import long_reply

    text = long_reply(200_000)
    question = Message(role=Role.USER, content="Everything, please")
    reply = Message(role=Role.ASSISTANT, content=text)
    view, conversation = _view(qtbot, question, reply)
    assert view.conversation_id == conversation.id
    assert not view.fully_rendered  # the rest follows, a slice a frame
    shown_at_first = len(view.toPlainText())
    qtbot.waitUntil(lambda: view.fully_rendered, timeout=60_000)
    assert len(view.toPlainText()) > shown_at_first
    sliced = _document(view)
    view.show_conversation(conversation)
    view.finish_rendering()
    assert _document(view) == sliced
    assert "def fibonacci(limit):" in view.toPlainText()


def test_a_theme_change_with_a_long_reply_open_does_not_write_it_all_at_once(qtbot) -> None:
    from PySide6.QtGui import QPalette

    from tests.bench.bench_ui import long_reply

    view, _ = _view(qtbot, Message(role=Role.ASSISTANT, content=long_reply(200_000)))
    qtbot.waitUntil(lambda: view.fully_rendered, timeout=60_000)
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1f22"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    view.setPalette(dark)
    assert not view.fully_rendered  # written again in the new colours, in slices
    qtbot.waitUntil(lambda: view.fully_rendered, timeout=60_000)
    view.hide()
    light = QPalette(view.palette())
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    view.setPalette(light)
    assert view.fully_rendered  # hidden (a window closing as the app quits): nothing now
