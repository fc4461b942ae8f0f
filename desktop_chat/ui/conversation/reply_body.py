"""A reply's Markdown in its message frame, in O(new text) while it streams.

The body holds the finished top-level blocks (`markdown.stable_length`), each written once
by the document builder; the tail holds the block still arriving, written again each frame
or, inside a code block still being written, a line at a time. Blocks render the same
apart as together, so the finished reply is exactly what rendering it whole would give.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QTextCursor, QTextFrame

from ...markdown import parse, stable_length
from ...render.builder import DocumentBuilder
from .code_highlight import CodeHighlighter

SLICE_CHARS = 2_000
"""About this much Markdown is parsed and written at a time (a few milliseconds): a long
reply is written over several frames, never in one step that freezes the window."""
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*\S", re.MULTILINE)
"""A link reference definition: it turns [text] anywhere in the reply into a link."""


@dataclass
class _LiveCode:
    fence: str
    """The opening line, which identifies the block being written."""
    frame: Any
    lines: int = 0
    """Complete lines already in the document."""


@dataclass
class BodyState:
    """What a reply's body and tail frames hold."""

    body: QTextFrame
    tail: QTextFrame
    text: str = ""
    """The part of the content written into the body."""
    pieces: int = 0
    """How many times blocks were added to the body (1 when written whole)."""
    code_count: int = 0
    """Code blocks in the body: the next one's number, for Copy."""
    generation: int = 0
    """Bumped whenever the body is rebuilt, so queued colouring of old text is dropped."""
    tail_text: str = field(default="", repr=False)
    live: _LiveCode | None = None


def _next_cut(content: str, done: int, streaming: bool) -> int:
    """Where the next slice of finished blocks after `done` ends: a cut (see
    markdown.stable_length) about SLICE_CHARS on, or further if one block is longer.
    Only the text near `done` is scanned, so writing a long reply costs O(its length)."""
    window = SLICE_CHARS
    while True:
        end = done + window
        if end >= len(content):
            return stable_length(content, done) if streaming else len(content)
        cut = stable_length(content[:end], done)
        if cut > done:
            return cut
        window *= 2


class ReplyBody:
    def __init__(
        self, builder: Callable[[], DocumentBuilder], highlighter: CodeHighlighter
    ) -> None:
        self._builder = builder
        self._highlighter = highlighter

    def update(
        self,
        state: BodyState,
        owner: str,
        content: str,
        streaming: bool,
        deadline: float = float("inf"),
    ) -> bool:
        """Bring the frames up to date with `content`: only what is new is written, a
        slice of blocks at a time until `deadline` (time.perf_counter()). Returns False
        when there is more to write (call again, at the next frame)."""
        in_pieces = state.pieces > 1 or (state.pieces == 1 and state.text != content)
        if not content.startswith(state.text) or (
            not streaming and in_pieces and _REFERENCE.search(content)
        ):
            # Rewritten (another version), or a link reference that the blocks written
            # before it did not know of: the body is written again, whole.
            self.clear(state.body)
            state.text, state.pieces, state.code_count = "", 0, 0
            state.generation += 1
        while True:
            cut = _next_cut(content, len(state.text), streaming)
            if cut <= len(state.text):
                break
            if time.perf_counter() >= deadline:
                # Behind the text: no tail (it would be the whole rest) until caught up.
                self._render_tail(state, owner, "")
                return False
            self._append(state, owner, content[len(state.text) : cut])
        self._render_tail(state, owner, content[len(state.text) :] if streaming else "")
        return True

    def clear(self, frame: QTextFrame) -> None:
        """Empty a frame, down to one placeholder block."""
        cursor = frame.firstCursorPosition()
        cursor.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._builder().mark_placeholder(cursor)

    def _append(self, state: BodyState, owner: str, chunk: str) -> None:
        cursor = state.body.lastCursorPosition()
        written = self._builder().insert(
            cursor, parse(chunk), owner=owner, first_code_index=state.code_count
        )
        state.text += chunk
        state.pieces += 1
        state.code_count += len(written.code)
        generation = state.generation
        for span in written.code:
            if not self._highlighter.colour_now(span.start, span.text, span.language):
                self._highlighter.highlight(
                    span.start, span.text, span.language, lambda: state.generation == generation
                )

    def _render_tail(self, state: BodyState, owner: str, text: str) -> None:
        if text == state.tail_text:
            return
        state.tail_text = text
        first_line, _, code = text.partition("\n")
        fence = first_line.strip()
        if fence.startswith(("```", "~~~")) and "`" not in fence[3:].lstrip("`"):
            self._render_live_code(state, fence, code)
            return
        state.live = None
        self.clear(state.tail)
        if text:
            self._builder().insert(
                state.tail.firstCursorPosition(),
                parse(text),
                owner=owner,
                first_code_index=state.code_count,
            )

    def _render_live_code(self, state: BodyState, fence: str, code: str) -> None:
        """A code block still being written: append complete lines, rewrite the last one."""
        builder = self._builder()
        live = state.live
        lines = code.split("\n")
        if live is None or live.fence != fence or live.lines > len(lines) - 1:
            self.clear(state.tail)
            language = fence.lstrip("`~").strip().split(" ")[0]
            frame, _start = builder.code_block(state.tail.firstCursorPosition(), "", language, -1)
            live = state.live = _LiveCode(fence, frame)
        cursor = live.frame.lastCursorPosition()
        for line in lines[live.lines : len(lines) - 1]:
            cursor.movePosition(
                QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            cursor.insertText(line, builder.formats.code_char())
            cursor.insertBlock(builder.formats.code_line(), builder.formats.code_char())
            live.lines += 1
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(lines[-1], builder.formats.code_char())
