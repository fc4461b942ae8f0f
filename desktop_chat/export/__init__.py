"""Conversations out of the app: Markdown, self-contained HTML, PDF, JSON and plain text.

One code path for the window and the command line: `export_conversations` loads each
conversation from the store, renders it and writes it atomically, reporting progress and
stopping when asked. A single conversation goes to the file named; several go into a
folder, one file each, named after their titles (safe on every system, never clashing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from ..domain import Attachment, Conversation, attachments_of
from ..errors import ChatError
from ..export_formats import ExportFormat
from ..i18n import translate
from ..storage import ConversationStore, encode, write_atomic
from ..storage.attachments import FOLDER as ATTACHMENTS_FOLDER
from ..storage.attachments import AttachmentFiles, file_name
from ..storage.files import fsync_folder
from .names import UniqueNames

if TYPE_CHECKING:
    from ..images import ImageThread
    from ..render.math import Formulas
from .text import markdown, plain_text, title_of

Links = Mapping[str, str]
"""Where each attachment's copy was written beside an export, relative to it, by digest."""
Renderer = Callable[[Conversation, "ExportFormat", Links], bytes]


class ExportFailedError(ChatError):
    kind = "export"


def render(
    conversation: Conversation,
    fmt: ExportFormat,
    attachments: AttachmentFiles | None = None,
    links: Links | None = None,
    formulas: Formulas | None = None,
    images: ImageThread | None = None,
) -> bytes:
    """One conversation in one format, as the bytes of its file. HTML and PDF embed the
    attached images (read from `attachments`); Markdown links to the copies in `links`;
    JSON refers to them by digest, as the conversation files do. The PDF's formulas may be
    typeset beforehand into `formulas` (see `pdf.formulas_in`)."""
    read = attachments.read if attachments is not None else None
    if fmt is ExportFormat.MARKDOWN:
        return markdown(conversation, links).encode("utf-8")
    if fmt is ExportFormat.TEXT:
        return plain_text(conversation).encode("utf-8")
    if fmt is ExportFormat.JSON:
        return encode(conversation)  # the conversation file format: it imports back as is
    if fmt is ExportFormat.HTML:
        from .html import html

        return html(conversation, read=read, images=images).encode("utf-8")
    from .pdf import pdf  # Qt's printing: loaded only when asked for

    return pdf(conversation, read, formulas, images)


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(conversation id, why) for conversations that could not be read."""
    cancelled: bool = False
    total: int = 0
    missing_attachments: int = 0
    """Attachments not written beside the export because their file is gone."""


def export_conversations(
    store: ConversationStore,
    conversation_ids: Sequence[str],
    fmt: ExportFormat,
    out: Path,
    *,
    progress: Callable[[int, int], object] = lambda done, total: None,
    should_stop: Callable[[], bool] = lambda: False,
    renderer: Renderer | None = None,
) -> ExportReport:
    """Write each conversation to `out` (a file for one, a folder for several).

    Blocking I/O, run it on a worker thread; it only reads the store (`peek`), so it may
    run beside the store's own thread. `renderer` turns a conversation into bytes (the
    PDF's must run on the GUI thread: Qt's text layout needs its event loop). Raises
    ExportFailedError when the destination cannot be used; a conversation that cannot be
    read is reported and skipped.
    """
    if renderer is None:
        files = store.attachments

        def renderer(conversation: Conversation, fmt: ExportFormat, links: Links) -> bytes:
            return render(conversation, fmt, files, links)

    report = ExportReport(total=len(conversation_ids))
    if not conversation_ids:
        raise ExportFailedError(translate("Export", "There is nothing to export."))
    single = len(conversation_ids) == 1 and not out.is_dir()
    folder = out.parent if single else out
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportFailedError(
            translate("Export", "Cannot create the folder {folder}: {reason}.").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from None
    if not folder.is_dir():
        raise ExportFailedError(
            translate("Export", "{folder} is not a folder.").format(folder=folder)
        )
    names = UniqueNames({p.name for p in folder.iterdir()} if not single else set())
    for done, conversation_id in enumerate(conversation_ids):
        if should_stop():
            report.cancelled = True
            break
        try:
            conversation = store.peek(conversation_id)
        except ChatError as exc:
            report.failed.append((conversation_id, exc.message))
            continue
        target = out if single else folder / names.name(title_of(conversation), fmt.extension)
        try:
            links = _copy_attachments(store.attachments, conversation, fmt, target, report)
            write_atomic(target, renderer(conversation, fmt, links), sync_folder=single)
        except OSError as exc:
            raise ExportFailedError(
                translate(
                    "Export", "Could not write {file}: {reason}. {done} of {total} were exported."
                ).format(
                    file=target,
                    reason=exc.strerror or exc,
                    done=len(report.written),
                    total=report.total,
                )
            ) from None
        report.written.append(target)
        progress(done + 1, report.total)
    if not single and report.written:
        with contextlib.suppress(OSError):
            fsync_folder(folder)  # once for all the files, not once each
    return report


def _copy_attachments(
    files: AttachmentFiles,
    conversation: Conversation,
    fmt: ExportFormat,
    target: Path,
    report: ExportReport,
) -> dict[str, str]:
    """Write the attachments a format keeps beside its file, and say where (by digest):
    JSON keeps every one in attachments/ by digest, as the data folder does (so a folder
    of exports imports back whole); Markdown keeps the shown ones in "<name> files/"
    under their own names. Other formats embed or name them."""
    if fmt is ExportFormat.JSON:
        wanted = {a.digest: a for a in attachments_of(conversation)}
        folder = target.parent / ATTACHMENTS_FOLDER
        named = {digest: file_name(a) for digest, a in wanted.items()}
    elif fmt is ExportFormat.MARKDOWN:
        wanted = {a.digest: a for m in conversation.messages for a in m.attachments}
        folder = target.parent / f"{target.stem} files"
        names = UniqueNames()
        named = {digest: _side_name(names, a) for digest, a in wanted.items()}
    else:
        return {}
    links = {}
    for digest, attachment in wanted.items():
        copy = folder / named[digest]
        try:
            data = files.read(attachment)
        except ChatError:
            report.missing_attachments += 1
            continue
        folder.mkdir(parents=True, exist_ok=True)
        if fmt is not ExportFormat.JSON or not copy.exists():
            write_atomic(copy, data, sync_folder=False)
        links[digest] = f"{folder.name}/{copy.name}"
    return links


def _side_name(names: UniqueNames, attachment: Attachment) -> str:
    name = PurePath(attachment.name)
    return names.name(name.stem or attachment.kind.value, name.suffix or ".bin")
