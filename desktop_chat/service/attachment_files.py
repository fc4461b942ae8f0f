"""The files attached to questions: reading and checking them, keeping them in the data
folder, and giving back their bytes, previews and request parts. Picture work runs on the
image thread, file reading off the UI thread: the window only ever awaits results."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import Attachment
from ..i18n import translate
from ..images import ImageThread
from ..storage.attachments import AttachmentFiles

if TYPE_CHECKING:
    from PySide6.QtGui import QImage  # the previews pass through; attachments makes them

    from ..attachments import NewAttachment

MAX_ATTACHMENTS = 10
"""Per message: more would not fit a context window, nor the composer."""
PREVIEWS_KEPT = 64
"""Previews of recently attached pictures, kept for the message once it is sent."""

Part = dict[str, Any]


@dataclass(frozen=True)
class Prepared:
    """Files read and checked for the composer: each with its preview (a null image for a
    text file), and the refusals, in words for the user."""

    attached: list[tuple[NewAttachment, QImage]]
    refused: list[str]


class AttachmentService:
    def __init__(self, files: AttachmentFiles, images: ImageThread) -> None:
        self._files = files
        self._images = images
        self._previews: OrderedDict[str, QImage] = OrderedDict()

    async def prepare(self, sources: Sequence[Path | QImage], room: int) -> Prepared:
        """Read and check files (or a pasted picture) to attach, at most `room` of them;
        each good one gets its preview, each refusal says why (the rest still come)."""
        # Loaded with the first attachment, not at start-up (it loads Qt's image readers).
        from ..attachments import AttachmentError, with_preview

        attached: list[tuple[NewAttachment, QImage]] = []
        refused: list[str] = []
        for source in sources:
            if len(attached) >= room:
                refused.append(
                    translate(
                        "Attachments", "A message can carry at most {count} attachments."
                    ).format(count=MAX_ATTACHMENTS)
                )
                break
            try:
                attached.append(await self._images.run_async(with_preview, source))
            except AttachmentError as exc:
                refused.append(exc.message)
        return Prepared(attached, refused)

    async def keep(
        self, new: Sequence[NewAttachment], previews: Sequence[QImage] = ()
    ) -> list[Attachment]:
        """Store files the user attached (each once, by content); returns what a message
        refers to them by. Raises StorageError (a full disk). The previews shown in the
        composer serve the sent message too: not read and scaled again."""
        files = self._files

        def keep() -> list[Attachment]:
            for item in new:
                files.put(item.attachment, item.data)
            return [item.attachment for item in new]

        kept = await asyncio.get_running_loop().run_in_executor(None, keep)
        for attachment, preview in zip(kept, previews, strict=False):
            if attachment.is_image and not preview.isNull():
                self._remember(attachment.digest, preview)
        return kept

    def path(self, attachment: Attachment) -> Path:
        """Where the attachment's file is (for the system's own viewer)."""
        return self._files.path(attachment)

    async def read(self, attachment: Attachment) -> bytes:
        """The attachment's bytes. Raises AttachmentMissingError when its file is gone."""
        return await asyncio.get_running_loop().run_in_executor(None, self._files.read, attachment)

    async def text(self, attachment: Attachment) -> str:
        """An attached file's text (raises ChatError when it is gone)."""
        data = await self.read(attachment)
        return data.decode("utf-8-sig", errors="replace")

    async def preview(self, attachment: Attachment) -> QImage:
        """A small preview of an image attachment (made, and kept, if there is none).
        Raises AttachmentMissingError when the picture itself is gone."""
        kept = self._previews.get(attachment.digest)
        if kept is not None:
            return kept
        from ..attachments import stored_preview

        image = await self._images.run_async(stored_preview, self._files, attachment)
        if not image.isNull():
            self._remember(attachment.digest, image)
        return image

    async def full_image(self, attachment: Attachment) -> QImage:
        """The picture at its full size (raises ChatError when its file is gone)."""
        from ..attachments import decode_image

        data = await self.read(attachment)
        return await self._images.run_async(decode_image, data, attachment.media_type)

    def request_part(self, attachment: Attachment) -> Part:
        """The part of a request that carries the attachment (blocking: for a worker)."""
        from ..attachments import data_url, file_text, image_for_sending

        data = self._files.read(attachment)
        if attachment.is_image:
            media_type, sent = self._images.run(image_for_sending, attachment, data)
            return {"type": "image_url", "image_url": {"url": data_url(media_type, sent)}}
        return {"type": "text", "text": file_text(attachment, data)}

    def _remember(self, digest: str, preview: QImage) -> None:
        self._previews[digest] = preview
        self._previews.move_to_end(digest)
        while len(self._previews) > PREVIEWS_KEPT:
            self._previews.popitem(last=False)
