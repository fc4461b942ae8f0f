"""Images and files attached to a question: through the real window, the real store and
real HTTP to the test server, checking the exact request the model receives."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QPainter,
)
from PySide6.QtWidgets import QApplication

from desktop_chat.attachments import SEND_LONGEST_SIDE
from desktop_chat.domain import MessageStatus
from desktop_chat.storage import ConversationStore
from tests.helpers.openai_server import FakeOpenAIServer
from tests.helpers.views import click_link

CODE = 'def greet(name):\n    return f"Hola, {name}"\n'


def _photo(path: Path, width: int = 3000, height: int = 2000) -> Path:
    """A picture larger than what is sent, with detail (a flat one would compress away)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    painter = QPainter(image)
    for step in range(0, width, 37):
        painter.setPen(QColor.fromHsv(step % 360, 200, 230))
        painter.drawLine(step, 0, width - step, height)
    painter.end()
    assert image.save(str(path))
    return path


def ask(qtbot, chat, text: str):  # type: ignore[no-untyped-def]
    """Send what the composer holds with `text`, and wait for the reply to end. (The
    attachments are stored first, so the question appears a moment after Enter.)"""
    conversation_id = chat.window.conversation_id
    before = len(chat.service.conversation(conversation_id).messages)
    edit = chat.window.panel.composer.edit
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)

    def ended() -> bool:
        messages = chat.service.conversation(conversation_id).messages
        return (
            len(messages) >= before + 2
            and not chat.service.is_streaming(conversation_id)
            and messages[-1].status is not MessageStatus.STREAMING
        )

    qtbot.waitUntil(ended, timeout=15_000)
    return chat.service.conversation(conversation_id).messages[-1]


def _attach(qtbot, window, *paths: Path) -> None:  # type: ignore[no-untyped-def]
    before = len(window.panel.composer.attachments())
    window.panel.attaching.attach_files([str(p) for p in paths])
    qtbot.waitUntil(lambda: len(window.panel.composer.attachments()) == before + len(paths))


def _last_reply_request(server: FakeOpenAIServer) -> dict:  # type: ignore[type-arg]
    """The body of the last request for a reply (not for a title, which follows it)."""
    return [r.body for r in server.chat_requests() if r.body and r.body.get("stream")][-1]


def _last_user_content(server: FakeOpenAIServer) -> list[dict]:  # type: ignore[type-arg]
    user = [m for m in _last_reply_request(server)["messages"] if m["role"] == "user"][-1]
    return user["content"]  # type: ignore[no-any-return]


def _decoded(url: str) -> QImage:
    header, _, data = url.partition(",")
    assert header.startswith("data:image/") and header.endswith(";base64")
    return QImage.fromData(base64.b64decode(data))


def test_an_image_and_a_text_file_reach_the_model_as_parts(
    qtbot, launch, data_dir: Path, tmp_path: Path, openai_server: FakeOpenAIServer
) -> None:
    photo = _photo(tmp_path / "photo.png")
    original = photo.read_bytes()
    code = tmp_path / "greet.py"
    code.write_text(CODE, encoding="utf-8")
    chat = launch()
    window = chat.window
    _attach(qtbot, window, photo, code)
    chips = window.panel.composer.strip.chips
    assert [c.item.attachment.name for c in chips] == ["photo.png", "greet.py"]
    assert "3000 × 2000" in chips[0].toolTip()  # noqa: RUF001

    reply = ask(qtbot, chat, "What do these show?")
    assert reply.status is MessageStatus.COMPLETE
    content = _last_user_content(openai_server)
    assert [part["type"] for part in content] == ["text", "image_url", "text"]
    assert content[0]["text"] == "What do these show?"
    sent = _decoded(content[1]["image_url"]["url"])
    assert max(sent.width(), sent.height()) == SEND_LONGEST_SIDE  # scaled for sending…
    assert (sent.width(), sent.height()) == (2048, 1365)
    assert photo.read_bytes() == original  # …the user's file untouched
    assert content[2]["text"] == f"greet.py:\n```\n{CODE.rstrip()}\n```"
    assert window.panel.composer.attachments() == []

    # Stored once, by content, and referred to from the conversation: no base64 in it.
    digest = hashlib.sha256(original).hexdigest()
    stored = data_dir / "attachments" / f"{digest}.png"
    assert stored.read_bytes() == original
    conversation_file = data_dir / "conversations" / f"{window.conversation_id}.json"
    qtbot.waitUntil(lambda: conversation_file.exists())
    saved = json.loads(conversation_file.read_text(encoding="utf-8"))
    question = saved["messages"][0]
    assert [a["name"] for a in question["attachments"]] == ["photo.png", "greet.py"]
    assert question["attachments"][0] == {
        "kind": "image",
        "name": "photo.png",
        "media_type": "image/png",
        "sha256": digest,
        "size": len(original),
        "width": 3000,
        "height": 2000,
    }
    assert conversation_file.stat().st_size < 5_000

    # The message shows the picture's preview and the file's card, which opens.
    view = window.panel.message_view
    question = chat.service.conversation(window.conversation_id).messages[0]
    qtbot.waitUntil(lambda: view.preview_of(question.attachments[0]) is not None)
    assert "greet.py" in view.toPlainText()
    message_id = question.id
    view.toggle_file(message_id, 1)
    qtbot.waitUntil(lambda: 'return f"Hola, {name}"' in view.toPlainText())

    # A follow-up question sends the earlier attachments again (the model has no memory).
    ask(qtbot, chat, "And the colours?")
    earlier = next(m for m in _last_reply_request(openai_server)["messages"] if m["role"] == "user")
    assert [part["type"] for part in earlier["content"]] == ["text", "image_url", "text"]


def test_drop_and_paste_attach_and_remove_takes_off(
    qtbot, launch, tmp_path: Path, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    window = chat.window
    notes = tmp_path / "notes.md"
    notes.write_text("# Shopping\n- bread\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])
    target = window.panel.composer.edit.viewport()
    # What a file manager's drag delivers: the drag entering, then the drop.
    enter = QDragEnterEvent(
        QPoint(20, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(20, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    qtbot.waitUntil(lambda: len(window.panel.composer.attachments()) == 1)
    assert window.panel.composer.edit.toPlainText() == ""  # attached, not pasted as text

    picture = QImage(64, 48, QImage.Format.Format_ARGB32)
    picture.fill(QColor("orange"))
    QGuiApplication.clipboard().setImage(picture)
    window.panel.composer.edit.setFocus()
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.panel.composer.attachments()) == 2)
    pasted = window.panel.composer.attachments()[1].attachment
    assert (pasted.name, pasted.media_type, pasted.width, pasted.height) == (
        "pasted-image.png",
        "image/png",
        64,
        48,
    )

    qtbot.mouseClick(window.panel.composer.strip.chips[0].remove_button, Qt.MouseButton.LeftButton)
    assert [a.attachment.name for a in window.panel.composer.attachments()] == ["pasted-image.png"]
    reply = ask(qtbot, chat, "")  # an image alone is a question too
    assert reply.status is MessageStatus.COMPLETE
    content = _last_user_content(openai_server)
    assert [part["type"] for part in content] == ["image_url"]
    assert _decoded(content[0]["image_url"]["url"]).size().toTuple() == (64, 48)
    assert chat.service.conversation(window.conversation_id).title == "pasted-image.png"


def test_refused_files_are_explained_and_the_draft_is_kept(qtbot, launch, tmp_path: Path) -> None:
    chat = launch()
    window = chat.window
    qtbot.keyClicks(window.panel.composer.edit, "Half a question")
    binary = tmp_path / "program.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    huge = tmp_path / "huge.log"
    huge.write_text("line\n" * 200_000, encoding="utf-8")  # 1 MB
    fine = tmp_path / "fine.txt"
    fine.write_text("ok", encoding="utf-8")
    window.panel.attaching.attach_files([str(binary), str(huge), str(fine)])
    qtbot.waitUntil(lambda: len(window.panel.composer.attachments()) == 1)
    qtbot.waitUntil(lambda: bool(window.panel.notices.text_of("attach")))
    notice = window.panel.notices.text_of("attach") or ""
    assert "program.bin cannot be attached: only images (PNG, JPEG, WebP, GIF)" in notice
    assert "huge.log is too large to attach (1.0 MB; the limit is 500 KB)" in notice
    assert window.panel.composer.edit.toPlainText() == "Half a question"
    assert window.panel.composer.attachments()[0].attachment.name == "fine.txt"


def test_a_model_that_takes_no_images_is_explained_and_retry_works_with_another(
    qtbot, launch, tmp_path: Path, openai_server: FakeOpenAIServer
) -> None:
    openai_server.text_only_models = {"text-only-model"}
    chat = launch()
    window = chat.window
    conversation_id = window.conversation_id
    chat.service.update_settings(conversation_id, model="text-only-model")
    _attach(qtbot, window, _photo(tmp_path / "chart.png", 300, 200))
    reply = ask(qtbot, chat, "Describe the chart")
    assert reply.status is MessageStatus.ERROR
    assert reply.error.startswith("This model does not accept images (400).")
    question = chat.service.conversation(conversation_id).messages[0]
    assert question.content == "Describe the chart"
    assert [a.name for a in question.attachments] == ["chart.png"]  # nothing lost

    chat.service.update_settings(conversation_id, model="vision-model")
    chat.service.retry(conversation_id)
    qtbot.waitUntil(lambda: reply.status is MessageStatus.COMPLETE, timeout=15_000)
    assert [p["type"] for p in _last_user_content(openai_server)] == ["text", "image_url"]


def test_a_missing_attachment_is_reported_not_a_crash(
    qtbot, launch, data_dir: Path, tmp_path: Path, openai_server: FakeOpenAIServer
) -> None:
    from tests.conftest import quit_app

    chat = launch()
    _attach(qtbot, chat.window, _photo(tmp_path / "gone.png", 400, 300))
    ask(qtbot, chat, "Keep this")
    conversation_id = chat.window.conversation_id
    quit_app(qtbot, chat)
    for stored in (data_dir / "attachments").rglob("*.png"):
        stored.unlink()  # the picture and its preview

    again = launch()
    from tests.helpers.views import show_conversation

    show_conversation(qtbot, again.window, conversation_id)
    view = again.window.panel.message_view
    gone = again.service.conversation(conversation_id).messages[0].attachments[0]
    qtbot.waitUntil(lambda: view.preview_of(gone) is not None)  # "Missing", no exception
    reply = ask(qtbot, again, "Still there?")
    assert reply.status is MessageStatus.ERROR
    assert "gone.png is missing from the data folder" in reply.error
    title = again.service.conversation(conversation_id).title  # the model's, if it came
    quit_app(qtbot, again)  # the doctor is for a folder no app is using
    report = ConversationStore(data_dir).doctor()
    assert report.missing_attachments == [(title, "gone.png")]


def test_attachments_not_sent_yet_stay_with_their_chat(
    qtbot, launch, tmp_path: Path, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    window = chat.window
    ask(qtbot, chat, "First chat")
    first = window.conversation_id
    notes = tmp_path / "todo.txt"
    notes.write_text("milk", encoding="utf-8")
    _attach(qtbot, window, notes)
    window.panel.new_chat()
    assert window.conversation_id != first
    assert window.panel.composer.attachments() == []  # not carried into another chat
    window.open_conversation(first)
    qtbot.waitUntil(lambda: window.conversation_id == first)
    assert [a.attachment.name for a in window.panel.composer.attachments()] == ["todo.txt"]


def test_clicking_a_picture_shows_it_large(
    qtbot, launch, tmp_path: Path, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    window = chat.window
    _attach(qtbot, window, _photo(tmp_path / "view.png", 900, 600))
    ask(qtbot, chat, "Look")
    question = chat.service.conversation(window.conversation_id).messages[0]
    with qtbot.waitSignal(window.panel.message_view.action_requested) as clicked:
        click_link(window.panel.message_view, f"desktop-chat:view-attachment/{question.id}/0")
    assert clicked.args == ["view-attachment", question.id, "0"]
    viewer = window.panel.attaching.image_viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.isVisible() and viewer.picture.pixmap().width() > 0)
    shown = viewer.picture.pixmap()
    room = viewer.screen().availableSize()
    # As large as it is, unless the screen is smaller (offscreen's is 800 by 600).
    assert shown.width() <= 900 and shown.width() < room.width()
    assert shown.height() < room.height()
    assert abs(shown.width() / shown.height() - 1.5) < 0.01
    larger_than_shown = shown.width() >= 0.7 * room.width() or shown.height() >= 0.6 * room.height()
    assert shown.width() == 900 or larger_than_shown  # scaled only as far as needed
    assert viewer.windowTitle() == "view.png"
    viewer.reject()


def test_after_a_restart_the_preview_is_made_once_and_kept(
    qtbot, launch, data_dir: Path, tmp_path: Path, openai_server: FakeOpenAIServer
) -> None:
    from tests.conftest import quit_app
    from tests.helpers.views import show_conversation

    chat = launch()
    _attach(qtbot, chat.window, _photo(tmp_path / "kept.png", 1200, 800))
    ask(qtbot, chat, "Remember this")
    conversation_id = chat.window.conversation_id
    attachment = chat.service.conversation(conversation_id).messages[0].attachments[0]
    digest = attachment.digest
    quit_app(qtbot, chat)
    kept = data_dir / "attachments" / "thumbnails" / f"{digest}.png"
    assert not kept.exists()  # the chip's preview served the sent message

    again = launch()
    show_conversation(qtbot, again.window, conversation_id)
    view = again.window.panel.message_view
    qtbot.waitUntil(lambda: view.preview_of(attachment) is not None)
    shown = view.preview_of(attachment)
    assert shown is not None and shown.size().toTuple() == (360, 240)  # not a "Missing" card
    assert QImage(str(kept)).size().toTuple() == (360, 240)  # kept for the next time
