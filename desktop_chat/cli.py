"""Command-line arguments. Parsing only: no Qt, so `--version` and `--help` are instant."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import __version__

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
    return parser.parse_args(argv)
