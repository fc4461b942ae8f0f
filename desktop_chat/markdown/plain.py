"""A reply as plain text, from the same tokens the window and the HTML page are built from:
what it says, without Markdown's marks (emphasis, link syntax, fences), laid out for a
monospace reader (lists bulleted, quotes marked, tables in columns, code indented).
Formulas keep their LaTeX between dollar signs."""

from __future__ import annotations

from .parse import Token, parse


def plain_text(markdown: str) -> str:
    """`markdown` as plain text."""
    blocks, _end = _blocks(parse(markdown), 0)
    return "\n\n".join(block for block in blocks if block)


def _blocks(tokens: list[Token], start: int, stop_level: int = -1) -> tuple[list[str], int]:
    """Blocks from `tokens[start]` until a closing token at `stop_level`; returns the
    blocks' texts and the index after what was read."""
    blocks: list[str] = []
    index = start
    while index < len(tokens):
        token = tokens[index]
        if token.nesting == -1 and token.level == stop_level:
            return blocks, index + 1
        kind = token.type
        if kind in ("paragraph_open", "heading_open"):
            blocks.append(_inline(tokens[index + 1]))
            index += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items, index = _list(tokens, index)
            blocks.append(items)
        elif kind == "blockquote_open":
            inner, index = _blocks(tokens, index + 1, token.level)
            blocks.append(
                "\n".join("> " + line if line else ">" for line in "\n\n".join(inner).split("\n"))
            )
        elif kind in ("fence", "code_block"):
            code = str(token.content).removesuffix("\n")
            blocks.append("\n".join("    " + line if line else "" for line in code.split("\n")))
            index += 1
        elif kind == "table_open":
            table, index = _table(tokens, index)
            blocks.append(table)
        elif kind == "hr":
            blocks.append("-" * 40)
            index += 1
        elif kind in ("math_block", "math_block_eqno"):
            blocks.append(f"$${str(token.content).strip()}$$")
            index += 1
        elif kind == "inline":
            blocks.append(_inline(token))
            index += 1
        else:
            if token.nesting == 0 and token.content:
                blocks.append(str(token.content).rstrip("\n"))
            index += 1
    return blocks, index


def _list(tokens: list[Token], index: int) -> tuple[str, int]:
    opening = tokens[index]
    ordered = opening.type == "ordered_list_open"
    number = int(opening.attrGet("start") or 1)
    level = opening.level
    index += 1
    items: list[str] = []
    while index < len(tokens):
        token = tokens[index]
        if token.nesting == -1 and token.level == level:
            index += 1
            break
        if token.type == "list_item_open":
            inner, index = _blocks(tokens, index + 1, token.level)
            marker = f"{number}." if ordered else "-"
            number += 1
            if "task-list-item" in str(token.attrGet("class") or ""):
                marker += " [x]" if _checked(tokens, index) else " [ ]"
            text = "\n".join(inner).strip("\n")
            lines = text.split("\n") or [""]
            pad = " " * (len(marker) + 1)
            items.append(
                "\n".join(
                    [f"{marker} {lines[0]}", *[pad + line if line else "" for line in lines[1:]]]
                )
            )
        else:
            index += 1
    return "\n".join(items), index


def _checked(tokens: list[Token], after: int) -> bool:
    """Whether the task item just read (its tokens end before `after`) is ticked."""
    for token in reversed(tokens[:after]):
        for child in token.children or ():
            if child.type == "html_inline" and "task-list-item-checkbox" in child.content:
                return "checked" in child.content
        if token.type == "list_item_open":
            break
    return False


def _table(tokens: list[Token], index: int) -> tuple[str, int]:
    rows: list[list[str]] = []
    header_rows = 0
    in_head = False
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.type == "table_close":
            break
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            rows.append([])
            header_rows += in_head
        elif token.type == "inline":
            rows[-1].append(_inline(token))
    if not rows:
        return "", index
    columns = max(len(row) for row in rows)
    widths = [max(len(row[c]) if c < len(row) else 0 for row in rows) for c in range(columns)]
    lines = []
    for number, row in enumerate(rows):
        cells = [(row[c] if c < len(row) else "").ljust(widths[c]) for c in range(columns)]
        lines.append("  ".join(cells).rstrip())
        if number + 1 == header_rows:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines), index


def _inline(token: Token) -> str:
    parts: list[str] = []
    links: list[tuple[int, str]] = []
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            if "task-list-item-checkbox" not in child.content:
                parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")  # the writer's own line breaks
        elif kind == "link_open":
            links.append((len(parts), str(child.attrGet("href") or "")))
        elif kind == "link_close" and links:
            at, href = links.pop()
            text = "".join(parts[at:])
            if href and href not in (text, f"http://{text}", f"mailto:{text}"):
                parts.append(f" ({href})")
        elif kind == "image":
            source = str(child.attrGet("src") or "")
            parts.append(f"{child.content or source} ({source})" if source else child.content)
        elif kind == "math_inline":
            parts.append(f"${child.content.strip()}$")
        elif kind == "math_inline_double":
            parts.append(f"$${child.content.strip()}$$")
    return "".join(parts).strip()
