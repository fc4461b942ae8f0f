"""The command-line commands (no window): same store, same code paths as the app."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from .instance import InstanceLock
from .paths import AppPaths
from .storage import ConversationStore

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2
EXIT_BUSY = 3


def run_command(
    args: argparse.Namespace, paths: AppPaths, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    if args.command == "doctor":
        return doctor(paths, out, err)
    raise ValueError(f"unknown command {args.command!r}")


def doctor(paths: AppPaths, out: TextIO, err: TextIO) -> int:
    lock = InstanceLock(paths.data_dir)
    if not lock.try_acquire():
        print(
            f"desktop-chat: Desktop Chat is running with the data folder {paths.data_dir} "
            f"(process {lock.owner_pid()}). Close it, then run doctor again.",
            file=err,
        )
        return EXIT_BUSY
    store = ConversationStore(paths.data_dir)
    try:
        report = store.doctor()
    except OSError as exc:
        print(f"desktop-chat: cannot check {paths.data_dir}: {exc}", file=err)
        return EXIT_ERROR
    finally:
        store.close()
        lock.release()

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
