"""Markdown as Desktop Chat reads it: one parser for the screen and every export.

A reply is parsed once by markdown-it-py into tokens; the window's document, the HTML page,
the PDF and the plain-text export are all built from those tokens, so a Markdown feature
is added in one place. No Qt here.
"""

from .blocks import CodeBlock, code_blocks, stable_length
from .parse import (
    SAFE_LINK_SCHEMES,
    Token,
    code_texts,
    parse,
    parser,
    safe_link,
    top_level_blocks,
)

__all__ = [
    "SAFE_LINK_SCHEMES",
    "CodeBlock",
    "Token",
    "code_blocks",
    "code_texts",
    "parse",
    "parser",
    "safe_link",
    "stable_length",
    "top_level_blocks",
]
