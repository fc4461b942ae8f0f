"""What a streamed reply is made of, as the rest of the app sees it, whatever the server's
dialect."""

from __future__ import annotations

from dataclasses import dataclass

from .. import errors
from ..domain import Usage


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class ReasoningDelta:
    """More of the model's thoughts, before (or, rarely, between) its answer's text."""

    text: str


@dataclass(frozen=True)
class ThoughtsMoved:
    """The last `chars` characters sent as answer were not: they were the thoughts
    `thoughts` and the `</think>` closing them (the server's template opened `<think>` in
    the prompt, and the reply only now closed it)."""

    chars: int
    thoughts: str


@dataclass(frozen=True)
class Answering:
    """The model the server says is answering (it may not be the one asked for: llama.cpp's
    server answers as its own model whatever the request named)."""

    model: str


@dataclass(frozen=True)
class StreamEnd:
    """The stream's last word. `finish_reason` None means the server stopped early."""

    finish_reason: str | None
    usage: Usage | None
    thoughts_unclosed: bool = False
    """The reply ended inside `<think>`: all of it was thoughts, there is no answer."""


@dataclass(frozen=True)
class Retrying:
    """The request failed before any text arrived and will be tried again after `delay`."""

    attempt: int
    delay: float
    error: errors.ChatError


@dataclass(frozen=True)
class Adjusted:
    """The model refused a parameter; the request was sent again without it."""

    parameter: str


StreamEvent = (
    TextDelta | ReasoningDelta | ThoughtsMoved | StreamEnd | Retrying | Adjusted | Answering
)
