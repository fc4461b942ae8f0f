"""Attachments below the window: what is accepted, what is sent, how they are stored, and
how exports and imports carry them (real files, a real store, real Qt images)."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import jsonschema
import pytest
from PySide6.QtGui import QColor, QImage

from desktop_chat.attachments import (
    SEND_MAX_BYTES,
    AttachmentError,
    from_bytes,
    image_for_sending,
    read_file,
)
from desktop_chat.domain import Conversation, Message, Role
from desktop_chat.export import ExportFormat, export_conversations, render
from desktop_chat.importers import read_import
from desktop_chat.storage import ConversationStore, decode
from desktop_chat.storage.attachments import AttachmentMissingError

ROOT = Path(__file__).resolve().parents[2]
CHATGPT = ROOT / "tests" / "data" / "chatgpt" / "conversations.json"


def _image_bytes(width: int, height: int, fmt: str = "PNG", alpha: bool = False) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    kind = QImage.Format.Format_ARGB32 if alpha else QImage.Format.Format_RGB32
    image = QImage(width, height, kind)
    image.fill(QColor(40, 120, 200, 128 if alpha else 255))
    for x in range(0, width, 7):  # detail, so compression cannot make it trivially small
        for y in range(0, height, 97):
            image.setPixelColor(x, y, QColor.fromHsv((x * 3 + y) % 360, 255, 255))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)
    return bytes(array.data())


# Qt reads GIF but cannot write it: the classic 1 by 1 transparent GIF, by hand.
TINY_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
    b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
def test_images_are_known_by_their_bytes_not_their_names(
    qapp, tmp_path: Path, fmt: str, media_type: str
) -> None:
    path = tmp_path / "misnamed.txt"
    path.write_bytes(TINY_GIF if fmt == "GIF" else _image_bytes(120, 80, fmt))
    attachment = read_file(path).attachment
    assert (attachment.kind.value, attachment.media_type) == ("image", media_type)
    assert (attachment.width, attachment.height) == ((1, 1) if fmt == "GIF" else (120, 80))
    assert attachment.digest == hashlib.sha256(path.read_bytes()).hexdigest()


def test_text_files_are_accepted_and_everything_else_explained(qapp, tmp_path: Path) -> None:
    code = from_bytes("main.rs", 'fn main() { println!("¡Hola!"); }\n'.encode())
    assert (code.attachment.kind.value, code.attachment.media_type) == ("file", "text/plain")
    with pytest.raises(AttachmentError, match=r"report.pdf cannot be attached: only images"):
        from_bytes("report.pdf", b"%PDF-1.7\n\x00\x01\x02binary")
    with pytest.raises(AttachmentError, match=r"latin1.txt cannot be attached"):
        from_bytes("latin1.txt", "café".encode("latin-1"))
    with pytest.raises(AttachmentError, match=r"big.csv is too large to attach \(600 KB"):
        from_bytes("big.csv", b"a,b\n" * 150_000)
    with pytest.raises(AttachmentError, match=r"gone.png could not be read"):
        read_file(tmp_path / "gone.png")
    with pytest.raises(AttachmentError, match="looks like an image but could not be read"):
        from_bytes("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)


def test_large_images_are_scaled_for_sending_small_ones_sent_as_they_are(qapp) -> None:
    small = from_bytes("small.png", _image_bytes(800, 600))
    assert image_for_sending(small.attachment, small.data) == ("image/png", small.data)

    wide = from_bytes("wide.jpg", _image_bytes(4000, 1000, "JPEG"))
    media_type, sent = image_for_sending(wide.attachment, wide.data)
    picture = QImage.fromData(sent)
    assert media_type == "image/jpeg"
    assert (picture.width(), picture.height()) == (2048, 512)

    # Transparency is kept (as PNG) when it fits the byte limit.
    clear = from_bytes("logo.png", _image_bytes(3000, 3000, alpha=True))
    media_type, sent = image_for_sending(clear.attachment, clear.data)
    assert media_type == "image/png" and len(sent) <= SEND_MAX_BYTES
    assert QImage.fromData(sent).hasAlphaChannel()
    assert clear.data == from_bytes("logo.png", clear.data).data  # the original untouched


def _conversation_with_attachments(store: ConversationStore) -> Conversation:
    photo = from_bytes("photo.png", _image_bytes(300, 200))
    notes = from_bytes("notes.md", b"# Plan\n\n- <b>bold</b> & more\n")
    for item in (photo, notes, photo):  # the same picture twice: one file
        store.attachments.put(item.attachment, item.data)
    question = Message(
        role=Role.USER,
        content="Compare these",
        attachments=(photo.attachment, notes.attachment),
    )
    answer = Message(role=Role.ASSISTANT, content="They match.", model="gpt-test")
    conversation = Conversation(title="With files", messages=[question, answer])
    store.save(conversation)
    return conversation


def test_attachments_are_stored_once_and_referenced_from_the_conversation(
    qapp, tmp_path: Path
) -> None:
    store = ConversationStore(tmp_path / "data")
    store.open()
    conversation = _conversation_with_attachments(store)
    stored = sorted(p.name for p in (tmp_path / "data" / "attachments").iterdir() if p.is_file())
    photo, notes = conversation.messages[0].attachments
    assert stored == sorted([f"{photo.digest}.png", f"{notes.digest}.txt"])
    raw = (store.conversations_dir / f"{conversation.id}.json").read_bytes()
    assert b"base64" not in raw and len(raw) < 3_000
    schema = json.loads((ROOT / "resources" / "conversation.schema.json").read_text("utf-8"))
    jsonschema.validate(json.loads(raw), schema)
    assert decode(raw, conversation_id=conversation.id) == conversation
    assert store.load(conversation.id).messages[0].attachments == (photo, notes)

    # A file changed or removed behind the app's back is reported, never sent wrong.
    store.attachments.path(notes).write_text("edited", encoding="utf-8")
    with pytest.raises(AttachmentMissingError, match=r"notes\.md has changed on disk"):
        store.attachments.read(notes)
    store.attachments.path(notes).unlink()
    (tmp_path / "data" / "attachments" / ("0" * 64 + ".png")).write_bytes(b"unused")
    report = store.doctor()
    assert report.attachments == 2
    assert report.missing_attachments == [("With files", "notes.md")]
    assert report.unused_attachments == 1
    assert report.problems == 1


def test_exports_embed_link_or_carry_the_attachments(qapp, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "data")
    store.open()
    conversation = _conversation_with_attachments(store)
    photo, notes = conversation.messages[0].attachments
    original = store.attachments.read(photo)

    page = render(conversation, ExportFormat.HTML, store.attachments).decode()
    embedded = page.split('<img src="data:image/png;base64,', 1)[1].split('"', 1)[0]
    assert base64.b64decode(embedded) == original  # self-contained: the picture is in it
    assert '<details class="attachment"><summary>notes.md' in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in page  # the file's text, escaped

    out = tmp_path / "out"
    report = export_conversations(store, [conversation.id], ExportFormat.MARKDOWN, out / "c.md")
    text = (out / "c.md").read_text(encoding="utf-8")
    assert "![photo.png](<c files/photo.png>)" in text
    assert "[notes.md](<c files/notes.md>)" in text
    assert (out / "c files" / "photo.png").read_bytes() == original
    assert report.missing_attachments == 0

    plain = render(conversation, ExportFormat.TEXT).decode()
    assert "[Image: photo.png, 300 × 200]" in plain  # noqa: RUF001
    assert "[File: notes.md]" in plain

    # JSON carries the references, and the files beside it: it imports back whole.
    export_conversations(store, [conversation.id], ExportFormat.JSON, out / "json" / "c.json")
    beside = sorted(p.name for p in (out / "json" / "attachments").iterdir())
    assert beside == sorted([f"{photo.digest}.png", f"{notes.digest}.txt"])
    elsewhere = ConversationStore(tmp_path / "elsewhere")
    elsewhere.open()
    batch = read_import(out / "json" / "c.json")
    elsewhere.import_conversations(batch.conversations, batch.files)
    assert elsewhere.load(conversation.id) == conversation
    assert elsewhere.attachments.read(photo) == original

    # And as a ZIP of a folder export, with one file lost on the way: named as missing.
    zipped = tmp_path / "export.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(out / "json" / "c.json", "c.json")
        archive.write(out / "json" / "attachments" / f"{photo.digest}.png",
                      f"attachments/{photo.digest}.png")  # fmt: skip
    third = ConversationStore(tmp_path / "third")
    third.open()
    batch = read_import(zipped)
    result = third.import_conversations(batch.conversations, batch.files)
    assert result.missing_attachments == 1
    assert third.attachments.exists(photo) and not third.attachments.exists(notes)


def test_the_pdf_prints_the_attached_picture(qapp, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "data")
    store.open()
    conversation = _conversation_with_attachments(store)
    data = render(conversation, ExportFormat.PDF, store.attachments)
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages (poppler-utils) is not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(listing) == 3, listing  # two header lines and the picture


def test_a_chatgpt_zip_keeps_the_images_it_contains(qapp, tmp_path: Path) -> None:
    picture = _image_bytes(1024, 768, "PNG")
    archive = tmp_path / "chatgpt.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(CHATGPT, "conversations.json")
        zipped.writestr("file-Lisbon123-lisbon-map.png", picture)
    batch = read_import(archive)
    lisbon = next(c for c in batch.conversations if c.title == "Trip to Lisbon")
    question = lisbon.messages[0]
    assert question.content == "Plan three days in Lisbon, with this map in mind."
    (map_,) = question.attachments
    assert (map_.name, map_.media_type, map_.width, map_.height) == (
        "lisbon-map.png",
        "image/png",
        1024,
        768,
    )
    store = ConversationStore(tmp_path / "data")
    store.open()
    store.import_conversations(batch.conversations, batch.files)
    assert store.attachments.read(map_) == picture
    # Without the picture in the export, it stays described in the text, as before.
    described = read_import(CHATGPT)
    lisbon = next(c for c in described.conversations if c.title == "Trip to Lisbon")
    assert lisbon.messages[0].content.startswith("[Image: file-Lisbon123")
    assert lisbon.messages[0].attachments == ()


def test_the_trash_keeps_attachments_so_a_restored_chat_has_them(qapp, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "data")
    store.open()
    conversation = _conversation_with_attachments(store)
    photo = conversation.messages[0].attachments[0]
    entry = store.delete(conversation.id)
    assert store.attachments.exists(photo)  # shared and content-addressed: never deleted
    assert store.doctor().unused_attachments == 2  # counted, kept
    restored = store.load(store.restore(entry))
    assert store.attachments.read(restored.messages[0].attachments[0]) == store.attachments.read(
        photo
    )
