"""The message pane on its own: Markdown, code, links, and frame-rate coalescing."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextFormat

from desktop_chat.domain import Conversation, Message, MessageStatus, Role
from desktop_chat.ui.message_view import MessageView


def _view(qtbot, *messages: Message) -> tuple[MessageView, Conversation]:  # type: ignore[no-untyped-def]
    view = MessageView()
    qtbot.addWidget(view)
    conversation = Conversation(messages=list(messages))
    view.show_conversation(conversation)
    view.resize(600, 400)
    view.show()
    return view, conversation


def _blocks(view: MessageView) -> list[tuple[str, bool]]:
    result = []
    block = view.document().begin()
    while block.isValid():
        fmt = block.blockFormat()
        result.append((block.text(), fmt.hasProperty(QTextFormat.Property.BlockCodeFence)))
        block = block.next()
    return result


def test_code_blocks_are_tinted_without_a_trailing_empty_line(qtbot) -> None:
    view, _ = _view(
        qtbot, Message(role=Role.ASSISTANT, content="Run:\n\n```python\nprint(1)\n```\n")
    )
    blocks = _blocks(view)
    assert ("print(1)", True) in blocks
    assert ("", True) not in blocks
    code = next(b for b in _iter_blocks(view) if b.text() == "print(1)")
    assert code.blockFormat().background().style().name != "NoBrush"


def _iter_blocks(view: MessageView):  # type: ignore[no-untyped-def]
    block = view.document().begin()
    while block.isValid():
        yield block
        block = block.next()


def test_user_text_is_shown_as_typed_and_replies_as_markdown(qtbot) -> None:
    view, _ = _view(
        qtbot,
        Message(role=Role.USER, content="keep *stars* and\nlines"),
        Message(role=Role.ASSISTANT, content="# Title\n\n- **bold** item\n"),
    )
    text = view.toPlainText()
    assert "keep *stars* and\nlines" in text
    assert "Title" in text and "# Title" not in text
    assert "bold item" in text and "**" not in text


def test_html_in_a_reply_is_shown_as_text_never_interpreted(qtbot) -> None:
    view, _ = _view(
        qtbot,
        Message(role=Role.ASSISTANT, content='<img src="http://x/t.png" onerror="x()"> <b>hi</b>'),
    )
    assert '<img src="http://x/t.png" onerror="x()">' in view.toPlainText()
    assert "<b>hi</b>" in view.toPlainText()


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
    renders = []
    view.document().contentsChanged.connect(lambda: renders.append(1))
    for number in range(1000):
        reply.content += f"word{number} "
        view.refresh_message(reply.id)
    qtbot.waitUntil(lambda: "word999" in view.toPlainText())
    assert len(renders) == 1


def test_status_notes_for_partial_and_failed_replies(qtbot) -> None:
    view, _ = _view(
        qtbot,
        Message(role=Role.ASSISTANT, content="half", status=MessageStatus.PARTIAL),
        Message(role=Role.ASSISTANT, content="", status=MessageStatus.ERROR, error="Boom."),
        Message(role=Role.ASSISTANT, content="", status=MessageStatus.STREAMING),
    )
    text = view.toPlainText()
    assert "half\nStopped: this reply is incomplete." in text
    assert "Boom." in text
    assert "Thinking…" in text
