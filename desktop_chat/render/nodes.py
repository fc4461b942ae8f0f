"""markdown-it's flat token list as a tree, and what the builder reads off its nodes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import Qt

from ..markdown import Token


@dataclass
class Node:
    token: Token
    children: list[Node] = field(default_factory=list)

    @property
    def type(self) -> str:
        return str(self.token.type).removesuffix("_open")


def nodes_of(tokens: list[Token]) -> list[Node]:
    """The flat token list as a tree: each *_open token holds what is up to its *_close."""
    root: list[Node] = []
    stack: list[list[Node]] = [root]
    for token in tokens:
        if token.nesting == 1:
            node = Node(token)
            stack[-1].append(node)
            stack.append(node.children)
        elif token.nesting == -1:
            stack.pop()
        else:
            stack[-1].append(Node(token))
    return root


def task_checked(item: Node) -> bool:
    for node in walk(item.children):
        for child in node.token.children or ():
            if child.type == "html_inline" and "task-list-item-checkbox" in child.content:
                return "checked" in child.content
    return False


def walk(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        yield from walk(node.children)


def alignment(token: Token) -> Qt.AlignmentFlag:
    style = str(token.attrGet("style") or "")
    if "right" in style:
        return Qt.AlignmentFlag.AlignRight
    if "center" in style:
        return Qt.AlignmentFlag.AlignHCenter
    return Qt.AlignmentFlag.AlignLeft
