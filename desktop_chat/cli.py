"""Command-line arguments. Parsing only: no Qt, so `--version` and `--help` are instant."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import __version__


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="desktop-chat",
        description="A desktop client for OpenAI and OpenAI-compatible chat models.",
    )
    parser.add_argument("--version", action="version", version=f"desktop-chat {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep all data (conversations, settings, logs) in DIR instead of the platform's "
        "application-data folder; also DESKTOP_CHAT_DATA_DIR",
    )
    # For start-up benchmarks and smoke tests: print "first-paint" when the window has
    # been painted once, then quit cleanly.
    parser.add_argument("--quit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)
