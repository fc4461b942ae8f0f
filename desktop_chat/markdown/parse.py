"""The parser: CommonMark with GitHub's tables, strikethrough, task lists and autolinks, and
math as models write it (`$…$`, `\\(…\\)`, `$$…$$`, `\\[…\\]`). Raw HTML is text, and only
http, https and mailto links are links."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
else:
    Token = Any

SAFE_LINK_SCHEMES = ("http:", "https:", "mailto:")


def safe_link(url: str) -> bool:
    """Whether `url` may be opened: the web and e-mail, nothing that runs or reads files."""
    return url.strip().lower().startswith(SAFE_LINK_SCHEMES)


def parser(highlight: Callable[[str, str, str], str] | None = None) -> MarkdownIt:
    """The parser, set up the one way every output shares (`highlight` colours code blocks
    in HTML). Cached: building one costs about a millisecond."""
    return _parser(highlight)


@cache
def _parser(highlight: Callable[[str, str, str], str] | None) -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin
    from mdit_py_plugins.texmath import texmath_plugin

    options: dict[str, Any] = {"html": False, "linkify": True, "typographer": False}
    if highlight is not None:
        options["highlight"] = highlight
    md = MarkdownIt("commonmark", options).enable(["table", "strikethrough", "linkify"])
    # `$5 and $10` stays text: a dollar sign next to a space or a digit opens no formula.
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False)
    md.use(texmath_plugin, delimiters="brackets")
    md.use(tasklists_plugin)
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


def parse(text: str) -> list[Token]:
    """The tokens of `text` (markdown-it's block tokens, each inline one with children)."""
    return parser().parse(text)


def top_level_blocks(tokens: list[Token]) -> Iterator[list[Token]]:
    """The tokens grouped by top-level block: a paragraph, a list, a table, a code block…"""
    start = 0
    depth = 0
    for index, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0:
            yield tokens[start : index + 1]
            start = index + 1


def code_texts(text: str) -> list[str]:
    """The code of each code block in `text` (fenced or indented, at any depth), in order:
    what Copy code copies, numbered as the document builder numbers them."""
    return [
        str(token.content).removesuffix("\n")
        for token in parse(text)
        if token.type in ("fence", "code_block")
    ]
