"""Conversations out of the app: Markdown, self-contained HTML, PDF, JSON and plain text.

One code path for the window and the command line: `export_conversations` loads each
conversation from the store, renders it and writes it atomically, reporting progress and
stopping when asked. A single conversation goes to the file named; several go into a
folder, one file each, named after their titles (safe on every system, never clashing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ..domain import Conversation
from ..errors import ChatError
from ..i18n import translate
from ..storage import ConversationStore, encode, write_atomic
from ..storage.files import fsync_folder
from .names import UniqueNames
from .text import markdown, plain_text, title_of


class ExportFormat(StrEnum):
    MARKDOWN = "md"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"
    TEXT = "txt"

    @property
    def extension(self) -> str:
        return f".{self.value}"


class ExportFailedError(ChatError):
    kind = "export"


def render(conversation: Conversation, fmt: ExportFormat) -> bytes:
    """One conversation in one format, as the bytes of its file."""
    if fmt is ExportFormat.MARKDOWN:
        return markdown(conversation).encode("utf-8")
    if fmt is ExportFormat.TEXT:
        return plain_text(conversation).encode("utf-8")
    if fmt is ExportFormat.JSON:
        return encode(conversation)  # the conversation file format: it imports back as is
    if fmt is ExportFormat.HTML:
        from .html import html

        return html(conversation).encode("utf-8")
    from .pdf import pdf  # Qt's printing: loaded only when asked for

    return pdf(conversation)


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(conversation id, why) for conversations that could not be read."""
    cancelled: bool = False
    total: int = 0


def export_conversations(
    store: ConversationStore,
    conversation_ids: Sequence[str],
    fmt: ExportFormat,
    out: Path,
    *,
    progress: Callable[[int, int], object] = lambda done, total: None,
    should_stop: Callable[[], bool] = lambda: False,
    renderer: Callable[[Conversation, ExportFormat], bytes] = render,
) -> ExportReport:
    """Write each conversation to `out` (a file for one, a folder for several).

    Blocking I/O, run it on a worker thread; it only reads the store (`peek`), so it may
    run beside the store's own thread. `renderer` turns a conversation into bytes (the
    PDF's must run on the GUI thread: Qt's text layout needs its event loop). Raises
    ExportFailedError when the destination cannot be used; a conversation that cannot be
    read is reported and skipped.
    """
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
            write_atomic(target, renderer(conversation, fmt), sync_folder=single)
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
