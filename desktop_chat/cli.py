"""Command-line arguments. Parsing only: no Qt, so `--version` and `--help` are instant."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import __version__
from .export_formats import ExportFormat

DATA_DIR_HELP = (
    "keep all data (conversations, settings, logs) in DIR instead of the platform's "
    "application-data folder; also DESKTOP_CHAT_DATA_DIR"
)


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="desktop-chat",
        description="A desktop client for OpenAI and OpenAI-compatible chat models. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"desktop-chat {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    # For start-up benchmarks and smoke tests: print "first-paint" when the window has
    # been painted once, then quit cleanly.
    parser.add_argument("--quit-after-first-paint", action="store_true", help=argparse.SUPPRESS)

    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # `--data-dir` is accepted after the command too (`desktop-chat doctor --data-dir DIR`);
    # SUPPRESS keeps a value given before the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP)
    commands.add_parser(
        "doctor",
        parents=[common],
        help="check every conversation file, move unreadable ones to quarantine, rebuild "
        "the index; exits non-zero if anything is wrong",
    )
    listing = commands.add_parser(
        "list", parents=[common], help="list the conversations, most recent first"
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    search = commands.add_parser(
        "search", parents=[common], help="search every message of every conversation"
    )
    search.add_argument("query", metavar="QUERY", help="words to find (all of them)")
    search.add_argument("--json", action="store_true", help="print JSON instead of text")
    search.add_argument(
        "--limit", type=int, default=50, metavar="N", help="at most N matches (default 50)"
    )
    export = commands.add_parser(
        "export",
        parents=[common],
        help="export conversations to Markdown, HTML, PDF, JSON or plain text",
        description="Export one conversation to a file, or several (or --all) into a "
        "folder, one file each named after its title.",
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every conversation")
    which.add_argument(
        "ids", nargs="*", default=[], metavar="ID", help="conversation ids (or unique prefixes)"
    )
    export.add_argument(
        "--format", required=True, choices=[f.value for f in ExportFormat], help="the file format"
    )
    export.add_argument(
        "--out", required=True, metavar="PATH", help="the file (one conversation) or folder"
    )
    importing = commands.add_parser(
        "import",
        parents=[common],
        help="import a ChatGPT data export (ZIP or conversations.json) or conversations "
        "exported as JSON",
    )
    importing.add_argument("path", metavar="PATH", help="the file or folder to import")
    return parser.parse_args(argv)
