r"""Where a Markdown text can be cut into parts that render the same on their own.

A streaming reply is rendered in two parts: complete top-level blocks, rendered once, and
the unfinished tail, re-rendered each frame. A cut is safe at the start of a line that
follows a blank line, outside a fenced code block or a display formula ($$ … $$, \[ … \]),
where no list continues (a list item or an indented line would still belong to the list
above it). Blocks on either side of a cut parse the same apart as together, so rendering
the parts one by one gives what rendering the whole gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_MATH_OPEN = re.compile(r"^ {0,3}(\$\$|\\\[)(.*)$")
_MATH_CLOSE = {"$$": "$$", "\\[": "\\]"}
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
# What a line still being written may turn out to be the start of a list item.
_LIST_ITEM_SO_FAR = re.compile(r"^ {0,3}(?:[-*+]|\d{0,9}[.)]?)$")


@dataclass(frozen=True)
class CodeBlock:
    language: str
    code: str


def _opening_fence(line: str) -> str | None:
    """The fence (```, ~~~~…) if `line` opens a fenced code block."""
    match = _FENCE.match(line)
    if match is None:
        return None
    fence, info = match.group(1), match.group(2)
    if fence[0] == "`" and "`" in info:
        return None  # ```inline``` code, not a fence
    return fence


def stable_length(text: str, start: int = 0) -> int:
    """The length of the longest prefix of `text` made of complete top-level blocks.

    `start` must itself be such a length (0, or an earlier result): scanning resumes there.
    """
    best = start
    fence: str | None = None
    math_close: str | None = None
    """What ends the display formula the line is in, if it is in one."""
    blank_before = False
    in_list = False
    position = start
    for line in text[start:].splitlines(keepends=True):
        content = line.rstrip("\r\n")
        if not line.endswith(("\n", "\r")):
            # The line still being written: its start is a cut if it begins a new block.
            could_be_item = bool(_LIST_ITEM.match(content) or _LIST_ITEM_SO_FAR.match(content))
            new_block = (
                fence is None
                and math_close is None
                and blank_before
                and content
                and not content[0].isspace()
            )
            if new_block and not (in_list and could_be_item):
                best = position
            break
        if fence is not None:
            closing = _FENCE.match(content)
            if (
                closing
                and closing.group(1)[0] == fence[0]
                and len(closing.group(1)) >= len(fence)
                and not closing.group(2).strip()
            ):
                fence = None
            position += len(line)
            blank_before = False
            continue
        if math_close is not None:
            if content.rstrip().endswith(math_close):
                math_close = None
            position += len(line)
            blank_before = False
            continue
        if not content.strip():
            blank_before = True
            position += len(line)
            continue
        opening = _opening_fence(content)
        math = _MATH_OPEN.match(content)
        # A fence at the margin interrupts a paragraph: the paragraph above is complete.
        starts_block = not content[0].isspace() and (
            blank_before or (opening is not None and not in_list)
        )
        if math is not None and not content[0].isspace() and (blank_before or not in_list):
            starts_block = True
            closer = _MATH_CLOSE[math.group(1)]
            if not math.group(2).rstrip().endswith(closer) or not math.group(2).strip():
                math_close = closer  # closed on a later line
        is_item = bool(_LIST_ITEM.match(content))
        if starts_block and not (in_list and is_item):
            best = position
            in_list = False
        if is_item:
            in_list = True
        elif not content[0].isspace() and blank_before:
            in_list = False
        if opening is not None:
            fence = opening
        blank_before = False
        position += len(line)
    return best


def code_blocks(text: str) -> list[CodeBlock]:
    """The fenced code blocks of `text`, in order (closed or still open at the end)."""
    blocks: list[CodeBlock] = []
    fence: str | None = None
    language = ""
    lines: list[str] = []
    for line in text.splitlines():
        match = _FENCE.match(line)
        if fence is None:
            opening = _opening_fence(line)
            if opening is not None and match is not None:
                fence, language, lines = opening, match.group(2).strip().split(" ")[0], []
            continue
        if (
            match
            and match.group(1)[0] == fence[0]
            and len(match.group(1)) >= len(fence)
            and not match.group(2).strip()
        ):
            blocks.append(CodeBlock(language, "\n".join(lines)))
            fence = None
        else:
            lines.append(line)
    if fence is not None:
        blocks.append(CodeBlock(language, "\n".join(lines)))
    return blocks
