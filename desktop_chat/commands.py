"""The command-line commands (no window): same store, same code paths as the app.

`list`, `search` and `export` only read, so they also work beside a running app (through
the index it keeps). `import` and `doctor` change the data folder and need it to
themselves. Errors go to stderr with a non-zero status.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .domain import SNIPPET_MARK_END, SNIPPET_MARK_START, ConversationSummary
from .errors import ChatError
from .instance import InstanceLock
from .paths import AppPaths
from .storage import ConversationStore

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2
EXIT_BUSY = 3
SHORTEST_PREFIX = 4


class CommandError(Exception):
    """A message for stderr, and the exit status that goes with it."""

    def __init__(self, message: str, status: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.status = status


def run_command(
    args: argparse.Namespace, paths: AppPaths, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    commands = {
        "doctor": doctor,
        "list": list_conversations,
        "search": search,
        "export": export,
        "import": import_path,
    }
    try:
        status = commands[args.command](args, paths, out, err)
        out.flush()
        return status
    except BrokenPipeError:
        # The reader stopped reading (`| head`): end quietly, as Unix tools do. What is
        # still buffered goes nowhere, so Python's own flush at exit fails no more.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return 0
    except CommandError as exc:
        print(f"desktop-chat: {exc}", file=err)
        return exc.status
    except ChatError as exc:
        print(f"desktop-chat: {exc.message}", file=err)
        return EXIT_ERROR


# --- opening the store -------------------------------------------------------------------


@contextmanager
def _reading(paths: AppPaths) -> Iterator[ConversationStore]:
    """The store for reading: fully opened when the app is not running, else beside it."""
    lock = InstanceLock(paths.data_dir)
    owned = lock.try_acquire()
    # No lock to take, and no app holding it: a folder that cannot be written. Read it
    # as it is, with a search index kept in memory.
    read_only = not owned and not lock.held_by_another_app
    store = ConversationStore(paths.data_dir, read_only=read_only)
    try:
        if owned or read_only:
            store.open()
        else:
            store.open_for_reading()
        yield store
    finally:
        store.close()
        if owned:
            lock.release()


@contextmanager
def _owning(paths: AppPaths, doing: str) -> Iterator[ConversationStore]:
    """The store, with the data folder to ourselves."""
    lock = InstanceLock(paths.data_dir)
    acquired = lock.try_acquire()
    if not acquired and not lock.held_by_another_app:
        raise CommandError(
            f"cannot write to the data folder {paths.data_dir} (is it on a read-only disk?), "
            f"so it cannot {doing}."
        )
    if not acquired:
        raise CommandError(
            f"Desktop Chat is running with the data folder {paths.data_dir} "
            f"(process {lock.owner_pid()}). Close it, then {doing} again"
            + (" (or use File ▸ Import in the window)." if doing == "import" else "."),
            EXIT_BUSY,
        )
    store = ConversationStore(paths.data_dir)
    try:
        yield store
    finally:
        store.close()
        lock.release()


# --- the commands ------------------------------------------------------------------------


def list_conversations(
    args: argparse.Namespace, paths: AppPaths, out: TextIO, err: TextIO = sys.stderr
) -> int:
    with _reading(paths) as store:
        summaries = store.summaries()
    if args.json:
        json.dump([_summary_json(s) for s in summaries], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return EXIT_OK
    for summary in summaries:
        when = summary.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        pin = "*" if summary.pinned else " "
        print(
            f"{summary.id}  {when}  {summary.message_count:>4}  {pin} {summary.title or '-'}",
            file=out,
        )
    return EXIT_OK


def search(args: argparse.Namespace, paths: AppPaths, out: TextIO, err: TextIO = sys.stderr) -> int:
    if not args.query.strip():
        raise CommandError("Give some words to search for.")
    with _reading(paths) as store:
        hits = store.search(args.query, max(1, args.limit))
    if args.json:
        results = []
        for hit in hits:
            text, marks = _unmarked(hit.snippet)
            results.append(
                {
                    "conversation_id": hit.conversation_id,
                    "title": hit.conversation_title,
                    "message_id": hit.message_id,
                    "role": hit.role.value,
                    "in_reasoning": hit.in_reasoning,
                    "snippet": text,
                    "highlights": marks,
                }
            )
        json.dump(results, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return EXIT_OK
    if not hits:
        print("No matches.", file=out)
    current = None
    for hit in hits:
        if hit.conversation_id != current:
            current = hit.conversation_id
            print(f"{hit.conversation_title or '-'}  [{hit.conversation_id}]", file=out)
        snippet = hit.snippet.replace(SNIPPET_MARK_START, "*").replace(SNIPPET_MARK_END, "*")
        where = f"{hit.role.value} (reasoning)" if hit.in_reasoning else hit.role.value
        print(f"  {where}: {snippet}", file=out)
    return EXIT_OK


def export(args: argparse.Namespace, paths: AppPaths, out: TextIO, err: TextIO = sys.stderr) -> int:
    from .export import ExportFormat, export_conversations

    fmt = ExportFormat.of(args.format)
    if fmt is ExportFormat.PDF:
        _ensure_gui_application()
    target = Path(args.out).expanduser()
    with _reading(paths) as store:
        summaries = store.summaries()
        ids = [s.id for s in summaries] if args.all else _resolve(args.ids, summaries)
        if args.all and not ids:
            raise CommandError("There are no conversations to export.")
        if len(ids) > 1 and target.is_file():
            raise CommandError(f"{target} is a file; several conversations need a folder.")
        report = export_conversations(store, ids, fmt, target)
    for conversation_id, reason in report.failed:
        print(f"desktop-chat: {conversation_id} was not exported: {reason}", file=err)
    where = report.written[0] if len(report.written) == 1 else target
    count = len(report.written)
    print(f"Exported {count} conversation{'s' if count != 1 else ''} to {where}", file=out)
    return EXIT_PROBLEMS if report.failed else EXIT_OK


def import_path(
    args: argparse.Namespace, paths: AppPaths, out: TextIO, err: TextIO = sys.stderr
) -> int:
    from .importers import describe_source, read_import

    source = Path(args.path).expanduser()
    with _owning(paths, "import") as store:
        batch = read_import(source)
        store.open()
        report = store.import_conversations(batch.conversations, batch.files)
    added, already = len(report.added), len(report.already_there)
    kind = describe_source(batch.source)
    line = f"Imported {added} conversation{'s' if added != 1 else ''} from {kind}"
    if already:
        line += f" ({already} already here)"
    print(f"{line}.", file=out)
    if report.missing_attachments:
        print(
            f"desktop-chat: {report.missing_attachments} attached file(s) were not in the "
            "export; their conversations show them as missing.",
            file=err,
        )
    return EXIT_OK


def doctor(args: argparse.Namespace, paths: AppPaths, out: TextIO, err: TextIO = sys.stderr) -> int:
    with _owning(paths, "run doctor") as store:
        try:
            report = store.doctor()
        except OSError as exc:
            raise CommandError(f"cannot check {paths.data_dir}: {exc}") from None

    print(f"Data folder: {paths.data_dir}", file=out)
    print(f"Files checked: {report.files_checked}", file=out)
    print(f"Conversations: {report.conversations}", file=out)
    print(f"Messages: {report.messages}", file=out)
    print(f"Problems: {report.problems}", file=out)
    for moved in report.quarantined:
        print(f"  unreadable: {moved.name}: {moved.reason}", file=out)
        print(f"    moved to {moved.moved_to}", file=out)
    for name in report.newer_unreadable:
        print(f"  from a newer version of Desktop Chat, cannot be read here: {name}", file=out)
    for title, name in report.missing_attachments:
        print(f"  attachment missing: {name} (in “{title}”)", file=out)
    print(f"Attachments: {report.attachments}", file=out)
    if report.missing_attachments:
        print(
            f"  missing from {store.attachments.folder}: {len(report.missing_attachments)}",
            file=out,
        )
    if report.unused_attachments:
        print(
            f"  files no conversation uses (kept; the trash may need them): "
            f"{report.unused_attachments}",
            file=out,
        )
    if report.read_only:
        print(f"Read-only (saved by a newer version): {len(report.read_only)}", file=out)
    if report.temp_files_removed:
        print(f"Leftovers of interrupted saves removed: {report.temp_files_removed}", file=out)
    if report.in_quarantine:
        print(
            f"Already in quarantine from earlier: {report.in_quarantine} ({store.quarantine_dir})",
            file=out,
        )
    print(f"In the trash: {report.in_trash}", file=out)
    if report.index_unavailable:
        print(f"  the index could not be built: {report.index_unavailable}", file=out)
    else:
        print("Index: rebuilt", file=out)
    return EXIT_PROBLEMS if report.problems else EXIT_OK


# --- helpers -------------------------------------------------------------------------------


def _resolve(wanted: list[str], summaries: list[ConversationSummary]) -> list[str]:
    """Full ids for the ids or unique prefixes given, in the order given."""
    known = [s.id for s in summaries]
    resolved = []
    for text in wanted:
        if text in known:
            resolved.append(text)
            continue
        matches = [i for i in known if i.startswith(text)] if len(text) >= SHORTEST_PREFIX else []
        if not matches:
            raise CommandError(f"No conversation has the id {text!r} (see `desktop-chat list`).")
        if len(matches) > 1:
            raise CommandError(
                f"{text!r} matches {len(matches)} conversations; give more of the id."
            )
        resolved.append(matches[0])
    return list(dict.fromkeys(resolved))


def _summary_json(summary: ConversationSummary) -> dict[str, object]:
    return {
        "id": summary.id,
        "title": summary.title,
        "created_at": summary.created_at.isoformat(),
        "updated_at": summary.updated_at.isoformat(),
        "messages": summary.message_count,
        "pinned": summary.pinned,
    }


def _unmarked(snippet: str) -> tuple[str, list[list[int]]]:
    """The snippet without its match marks, and where the marked words are."""
    text: list[str] = []
    marks: list[list[int]] = []
    length = 0
    for char in snippet:
        if char == SNIPPET_MARK_START:
            marks.append([length, length])
        elif char == SNIPPET_MARK_END:
            if marks:
                marks[-1][1] = length
        else:
            text.append(char)
            length += 1
    return "".join(text), marks


def _ensure_gui_application() -> None:
    """PDFs are laid out by Qt, which needs fonts: an offscreen application gives them."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        _GUI.append(QGuiApplication(["desktop-chat", "-platform", "offscreen"]))


_GUI: list[object] = []
"""Keeps the offscreen application alive until the process ends."""
