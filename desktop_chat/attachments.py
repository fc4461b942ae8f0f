"""Files attached to a question: what is accepted, and what is sent.

Images (PNG, JPEG, WebP, GIF) are recognised by their first bytes, not their names, and
sent as image parts; a large one is scaled down for sending (longest side and bytes
limited), the original kept untouched. Text and code files are sent as their name and
content; they must be UTF-8 and reasonably small. Everything else is refused with words
that say why.

Uses QImage (not QPixmap), which is safe on worker threads: reading a 20 MB photo or
scaling it never happens on the UI thread. The functions here work where they are called;
the app calls those that touch pictures on its one image thread (see `images`).
"""

from __future__ import annotations

import base64
import contextlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from .domain import Attachment, AttachmentKind
from .errors import ChatError
from .i18n import number, translate
from .storage.attachments import AttachmentFiles, digest_of

MAX_IMAGE_BYTES = 20_000_000
"""OpenAI's own limit for one image."""
MAX_IMAGE_PIXELS = 100_000_000
"""Larger pictures are refused before decoding (a 10,000 by 10,000 image is 400 MB)."""
MAX_FILE_BYTES = 500_000
"""About 125,000 tokens of code: more would not leave room in most context windows."""
SEND_LONGEST_SIDE = 2048
"""OpenAI scales larger images to fit 2048 by 2048 anyway; sending more only costs time."""
SEND_MAX_BYTES = 4 * 1024 * 1024
JPEG_QUALITY = 85
THUMBNAIL_SIDE = 360
"""Previews are shown at up to 180 px: twice that stays sharp on a high-density screen."""
PASTED_IMAGE_NAME = "pasted-image.png"

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_FORMATS = {"image/png": b"png", "image/jpeg": b"jpeg", "image/webp": b"webp", "image/gif": b"gif"}


class AttachmentError(ChatError):
    """A file that cannot be attached; the message says which and why."""

    kind = "attachment"


@dataclass(frozen=True)
class NewAttachment:
    """A file read and checked, not stored yet (that happens when the question is sent)."""

    attachment: Attachment
    data: bytes


def image_type(data: bytes) -> str | None:
    """The media type of an image this app accepts, from its first bytes; None otherwise."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def read_file(path: Path) -> NewAttachment:
    """The file at `path`, ready to attach. Raises AttachmentError saying what is wrong."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise _too_large(name, size, MAX_IMAGE_BYTES)
        data = path.read_bytes()
    except OSError as exc:
        raise AttachmentError(
            translate("Attachments", "{name} could not be read: {reason}.").format(
                name=name, reason=exc.strerror or exc
            )
        ) from None
    return from_bytes(name, data)


def from_bytes(name: str, data: bytes) -> NewAttachment:
    """`data` (a file named `name`) as an image or a text file to attach."""
    media_type = image_type(data)
    if media_type is not None:
        return _image(name, data, media_type)
    if len(data) > MAX_FILE_BYTES:
        if b"\x00" in data[:8192]:
            raise _unsupported(name)
        raise _too_large(name, len(data), MAX_FILE_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unsupported(name) from None
    if "\x00" in text:
        raise _unsupported(name)
    return NewAttachment(
        Attachment(
            kind=AttachmentKind.FILE,
            name=name,
            media_type="text/plain",
            digest=digest_of(data),
            size=len(data),
        ),
        data,
    )


def from_image(image: QImage, name: str = PASTED_IMAGE_NAME) -> NewAttachment:
    """A picture that came without a file (pasted from a screenshot tool), as a PNG."""
    if image.isNull():
        raise AttachmentError(translate("Attachments", "The pasted picture is empty."))
    return from_bytes(name, _encode(image, "png"))


def _image(name: str, data: bytes, media_type: str) -> NewAttachment:
    buffer = _buffer(data)  # held: the reader does not keep its device alive
    reader = QImageReader(buffer, _FORMATS[media_type])
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        raise AttachmentError(
            translate(
                "Attachments", "{name} looks like an image but could not be read: {reason}."
            ).format(name=name, reason=reader.errorString())
        )
    if size.width() * size.height() > MAX_IMAGE_PIXELS:
        raise AttachmentError(
            translate(
                "Attachments",
                "{name} is too large a picture ({width} × {height} pixels).",  # noqa: RUF001
            ).format(name=name, width=number(size.width()), height=number(size.height()))
        )
    return NewAttachment(
        Attachment(
            kind=AttachmentKind.IMAGE,
            name=name,
            media_type=media_type,
            digest=digest_of(data),
            size=len(data),
            width=size.width(),
            height=size.height(),
        ),
        data,
    )


# --- for sending -------------------------------------------------------------------------


def image_for_sending(attachment: Attachment, data: bytes) -> tuple[str, bytes]:
    """(media type, bytes) to send: the original when it is within the limits, else a
    copy scaled to fit SEND_LONGEST_SIDE and SEND_MAX_BYTES (PNG if it keeps transparency
    and fits, else JPEG). The original is never changed."""
    fits = max(attachment.width, attachment.height) <= SEND_LONGEST_SIDE
    if fits and len(data) <= SEND_MAX_BYTES:
        return attachment.media_type, data
    image = _shrunk(decode_image(data, attachment.media_type), SEND_LONGEST_SIDE)
    if image.hasAlphaChannel():
        png = _encode(image, "png")
        if len(png) <= SEND_MAX_BYTES:
            return "image/png", png
        image = _flattened(image)
    quality = JPEG_QUALITY
    jpeg = _encode(image, "jpeg", quality)
    while len(jpeg) > SEND_MAX_BYTES and quality > 40:
        quality -= 15
        jpeg = _encode(image, "jpeg", quality)
    return "image/jpeg", jpeg


def data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def file_text(attachment: Attachment, data: bytes) -> str:
    """How a text file is put before the model: its name, then its content fenced."""
    text = data.decode("utf-8-sig")
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{attachment.name}:\n{fence}\n{text.rstrip()}\n{fence}"


# --- for showing -------------------------------------------------------------------------


def thumbnail(data: bytes, media_type: str, side: int = THUMBNAIL_SIDE) -> QImage:
    """A preview no larger than `side` on its longest side (read scaled where the format
    allows: a JPEG photo is never decoded at full size for it)."""
    buffer = _buffer(data)  # held: the reader does not keep its device alive
    reader = QImageReader(buffer, _FORMATS.get(media_type, b""))
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > side:
        reader.setScaledSize(size.scaled(QSize(side, side), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return QImage()
    return _shrunk(image, side)  # for formats that cannot scale as they read


def with_preview(source: Path | QImage) -> tuple[NewAttachment, QImage]:
    """A file (or a pasted picture) read and checked for the composer, with its preview
    (a null image for a text file). Raises AttachmentError."""
    item = from_image(source) if isinstance(source, QImage) else read_file(source)
    preview = QImage()
    if item.attachment.is_image:
        preview = thumbnail(item.data, item.attachment.media_type)
    return item, preview


def stored_preview(files: AttachmentFiles, attachment: Attachment) -> QImage:
    """An image attachment's preview: the one kept beside it, or made (and kept) now.
    Raises AttachmentMissingError when the picture itself is gone."""
    with contextlib.suppress(OSError):
        return decode_png(files.thumbnail_path(attachment).read_bytes())
    made = thumbnail(files.read(attachment), attachment.media_type)
    if not made.isNull():
        files.put_thumbnail(attachment, png_bytes(made))
    return made


def png_bytes(image: QImage) -> bytes:
    return _encode(image, "png")


def decode_png(data: bytes) -> QImage:
    """A preview kept as PNG, decoded (a null image if it is not one)."""
    return QImage.fromData(data)


def decode_image(data: bytes, media_type: str) -> QImage:
    buffer = _buffer(data)  # held: the reader does not keep its device alive
    reader = QImageReader(buffer, _FORMATS.get(media_type, b""))
    reader.setAutoTransform(True)  # a phone photo's EXIF rotation, as viewers show it
    image = reader.read()
    if image.isNull():
        raise AttachmentError(
            translate("Attachments", "The image could not be read: {reason}.").format(
                reason=reader.errorString()
            )
        )
    return image


def _shrunk(image: QImage, side: int) -> QImage:
    """`image` scaled down, smoothly, to fit `side` by `side`; as it is if it fits."""
    if max(image.width(), image.height()) <= side:
        return image
    return image.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def _flattened(image: QImage) -> QImage:
    """On white, as most viewers show a transparent picture: JPEG has no transparency."""
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(Qt.GlobalColor.white)
    from PySide6.QtGui import QPainter

    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    return flat


def _buffer(data: bytes) -> QBuffer:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    return buffer


def _encode(image: QImage, fmt: str, quality: int = -1) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, fmt, quality)  # type: ignore[call-overload]  # stubs say bytes; only str works
    buffer.close()
    return bytes(array.data())


def _too_large(name: str, size: int, limit: int) -> AttachmentError:
    return AttachmentError(
        translate(
            "Attachments", "{name} is too large to attach ({size}; the limit is {limit})."
        ).format(name=name, size=describe_size(size), limit=describe_size(limit))
    )


def _unsupported(name: str) -> AttachmentError:
    return AttachmentError(
        translate(
            "Attachments",
            "{name} cannot be attached: only images (PNG, JPEG, WebP, GIF) and UTF-8 text "
            "files can be.",
        ).format(name=name)
    )


def describe_size(size: int) -> str:
    """ "512 bytes", "3.4 KB", "12 MB": sizes as people read them (decimal units)."""
    if size < 1000:
        return translate("Attachments", "{count} bytes").format(count=number(size))
    for unit, scale in (("KB", 1e3), ("MB", 1e6)):
        value = size / scale
        if value < 999.5:
            return f"{number(value, 1 if value < 10 else 0)} {unit}"
    return f"{number(size / 1e9, 1)} GB"
