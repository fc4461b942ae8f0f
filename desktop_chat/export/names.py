"""File names that every desktop system accepts, made from conversation titles."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_BYTES = 120
"""Well under the 255 bytes of ext4/APFS and the 260-character paths of old Windows APIs,
leaving room for the folder, " (12)" and the extension."""
FALLBACK_NAME = "Conversation"

# Windows forbids these characters; "/" and NUL are forbidden everywhere; ":" confuses macOS.
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Names Windows reserves for devices, with or without an extension (CON.txt is CON too).
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)


def safe_file_stem(title: str) -> str:
    """A file name without extension for `title`: readable, and valid on Windows, macOS
    and Linux (no illegal or control characters, no reserved device names, no trailing
    dot or space, not too long)."""
    text = unicodedata.normalize("NFC", title)
    text = _ILLEGAL.sub(" ", text)
    text = " ".join(text.split())
    text = _shorten(text, MAX_NAME_BYTES)
    text = text.strip(" .")  # Windows drops trailing dots and spaces; leading dots hide files
    if not text:
        return FALLBACK_NAME
    if _RESERVED.match(text):
        text = f"_{text}"
    return text


def _shorten(text: str, limit: int) -> str:
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    word_break = cut.rfind(" ")
    return cut[:word_break] if word_break > limit // 2 else cut


class UniqueNames:
    """Hands out names that differ from each other and from `taken`, as a case-insensitive
    file system (Windows, macOS) sees them: "Notes.md", "Notes (2).md", …"""

    def __init__(self, taken: set[str] | None = None) -> None:
        self._used = {name.casefold() for name in taken or set()}

    def name(self, title: str, extension: str) -> str:
        stem = safe_file_stem(title)
        candidate = f"{stem}{extension}"
        number = 1
        while candidate.casefold() in self._used:
            number += 1
            candidate = f"{stem} ({number}){extension}"
        self._used.add(candidate.casefold())
        return candidate
