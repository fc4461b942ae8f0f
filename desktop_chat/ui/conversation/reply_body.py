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

from PySide6.QtGui import QTextCursor, QTextFrame, QTextFrameFormat

from ...markdown import Token, parse, stable_length, top_level_blocks
from ...render.builder import DocumentBuilder, Written
from .code_highlight import CodeHighlighter

SLICE_CHARS = 2_000
"""About this much Markdown is parsed and written at a time (a few milliseconds): a long
reply is written over several frames, never in one step that freezes the window."""
PAGE_CHARS = 4_000
"""The body is written in pages of about this much Markdown, each a frame of its own: Qt
lays out again the whole frame a change is in, so adding blocks to one frame holding all
of a long reply would cost more as the reply grows (0.9 ms at 50,000 characters, 2.7 ms at
200,000, against 0.45 ms in a page). A page begins with the first block that starts
PAGE_CHARS or more after the page before it (a paragraph that follows a
paragraph): a rule of the text alone, so a reply written as it streams and one written
whole are paged alike."""
_PAGE_STARTS = frozenset({"paragraph_open"})
"""A page begins only with a paragraph after a paragraph: where splitting the body
changes nothing on screen (the margin Qt drops at a frame's end is given back)."""
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
    page: QTextFrame | None = field(default=None, repr=False)
    """The body's last page, which blocks are added to."""
    page_start: int = 0
    """Where in the text the last page begins."""
    last_kind: str = ""
    """The type of the last top-level block written (its first token's)."""


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
            state.page, state.page_start, state.last_kind = None, 0, ""
            state.generation += 1
        while True:
            cut = _next_cut(content, len(state.text), streaming)
            if cut <= len(state.text):
                break
            if time.perf_counter() >= deadline:
                # Behind the text: no tail (it would be the whole rest) until caught up.
                self._render_tail(state, owner, "")
                return False
            # Opened whole: short code is coloured at once (no plain first paint). Streamed:
            # its last blocks too are coloured in the slices after the frame.
            whole = not streaming and state.pieces == 0
            self._append(state, owner, content[len(state.text) : cut], colour_now=whole)
        self._render_tail(state, owner, content[len(state.text) :] if streaming else "")
        return True

    def clear(self, frame: QTextFrame) -> None:
        """Empty a frame, down to one placeholder block."""
        cursor = frame.firstCursorPosition()
        cursor.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._builder().mark_placeholder(cursor)

    def _append(self, state: BodyState, owner: str, chunk: str, *, colour_now: bool) -> None:
        """Write finished blocks at the end of the body. A reply opened has its short code
        blocks coloured at once (no plain first paint); one streaming has them coloured in
        the frames' colouring slices (it was plain while it was being written anyway)."""
        builder = self._builder()
        line_starts = _line_starts(chunk)
        written = Written()
        for block in top_level_blocks(parse(chunk)):
            start = len(state.text) + _start_of(block, line_starts)
            kind = str(block[0].type)
            if state.page is None or (
                start - state.page_start >= PAGE_CHARS
                and kind in _PAGE_STARTS
                and state.last_kind == "paragraph_open"
            ):
                state.page, state.page_start = self._new_page(state.body, state.page), start
            state.last_kind = kind
            part = builder.insert(
                state.page.lastCursorPosition(),
                block,
                owner=owner,
                first_code_index=state.code_count + len(written.code),
            )
            written.code.extend(part.code)
            written.formulas.extend(part.formulas)
        state.text += chunk
        state.pieces += 1
        state.code_count += len(written.code)
        generation = state.generation
        for span in written.code:
            coloured = colour_now and self._highlighter.colour_now(
                span.start, span.text, span.language
            )
            if not coloured:
                self._highlighter.highlight(
                    span.start, span.text, span.language, lambda: state.generation == generation
                )

    def _new_page(self, body: QTextFrame, before: QTextFrame | None) -> QTextFrame:
        """A frame at the end of the body to write the next blocks in (no border, margin or
        padding: it only splits the body for layout's sake). Qt drops the bottom margin of
        the last block in a frame: the new page starts that much lower, so the text reads
        exactly as it would without pages."""
        builder = self._builder()
        cursor = body.lastCursorPosition()
        fmt = QTextFrameFormat()
        fmt.setBorder(0)
        fmt.setMargin(0)
        fmt.setPadding(0)
        if before is not None:
            fmt.setTopMargin(before.lastCursorPosition().block().blockFormat().bottomMargin())
        page = cursor.insertFrame(fmt)
        builder.mark_placeholder(page.firstCursorPosition())
        builder.mark_placeholder(body.lastCursorPosition())  # the block Qt puts after it
        return page

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


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def _start_of(block: list[Token], line_starts: list[int]) -> int:
    """Where a top-level block begins in the text parsed (its first line)."""
    line = block[0].map[0] if block[0].map else 0
    return line_starts[min(line, len(line_starts) - 1)]
