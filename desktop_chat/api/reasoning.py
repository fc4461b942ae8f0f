"""Reasoning models, whatever the server's dialect: the thoughts a stream carries, and how
hard the model is asked to think.

Servers send thoughts in one of four ways: a `reasoning_content` field in the delta
(DeepSeek, llama.cpp's server, vLLM), a `reasoning` field (OpenRouter, newer vLLM and
Ollama), OpenRouter's `reasoning_details` list, or inline in the content between
`<think>` and `</think>` (a server with no reasoning parser). `ThinkSplitter` turns the
last into the same thoughts-then-answer the fields give. OpenAI's own endpoint sends no
thoughts at all, only a count of reasoning tokens at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..domain import ReasoningEffort

OPEN_TAG, CLOSE_TAG = "<think>", "</think>"

# --- the stream's thoughts ----------------------------------------------------------------


def delta_reasoning(delta: Any) -> str:
    """The thoughts in one streamed delta, from whichever field the server uses."""
    for name in ("reasoning_content", "reasoning"):
        value = getattr(delta, name, None)
        if isinstance(value, str) and value:
            return value
    details = getattr(delta, "reasoning_details", None)
    if not isinstance(details, list):
        return ""
    texts = []
    for detail in details:
        if not isinstance(detail, dict):
            continue
        # Encrypted details ("reasoning.encrypted") carry nothing a person can read.
        kind = detail.get("type")
        text = detail.get("summary") if kind == "reasoning.summary" else detail.get("text")
        if kind in ("reasoning.text", "reasoning.summary") and isinstance(text, str):
            texts.append(text)
    return "".join(texts)


LONGEST_UNOPENED = 100_000
"""An answer this long without `</think>` is taken for an answer (and not kept twice)."""


@dataclass(frozen=True)
class Piece:
    """A piece of what the model wrote: thoughts, answer text, or (`moved` > 0) the news
    that the last `moved` characters given as answer were not: they were the thoughts
    `text` (and the tag that closed them)."""

    text: str = ""
    thought: bool = False
    moved: int = 0


@dataclass
class ThinkSplitter:
    """Splits inline `<think>…</think>` out of streamed content, a delta at a time.

    Thoughts count only at the start of the reply (after blank space). A tag cut across
    deltas is held back until it is whole (in thoughts only: answer text is given at once,
    so what arrived is shown and kept even if the stream breaks). Some templates put the
    opening tag in the prompt, so the reply starts inside the thoughts and only closes
    them: a `</think>` in an answer that never had a `<think>` takes the answer so far
    back as thoughts (a `Piece` with `moved`), unless the server already sends thoughts
    in a field of their own.
    """

    state: str = "start"  # "start" | "thinking" | "answer"
    pending: str = ""
    seen: str = ""
    """The answer so far, while a late `</think>` may still make it thoughts."""
    may_be_unopened: bool = True
    strip_next: bool = False
    """The answer right after `</think>` starts with blank lines: drop them."""
    _out: list[Piece] = field(default_factory=list, repr=False)

    def thoughts_in_fields(self) -> None:
        """The server sends thoughts in a field: `</think>` in the answer is just text."""
        self.may_be_unopened = False

    def feed(self, text: str) -> list[Piece]:
        self._out = []
        self.pending += text
        while self.pending:
            before = (self.state, self.pending)
            getattr(self, f"_{self.state}")()
            if (self.state, self.pending) == before:
                break  # waiting for more
        return self._out

    def finish(self) -> tuple[list[Piece], bool]:
        """What was held back; and whether the thoughts were left open (no answer)."""
        self._out = []
        unclosed = self.state == "thinking"
        if self.pending:
            self._emit(self.pending, thought=unclosed)
            self.pending = ""
        return self._out, unclosed

    # --- states ----------------------------------------------------------------------

    def _start(self) -> None:
        head = self.pending.lstrip()
        if not head:
            return  # only blank space so far
        if head.startswith(OPEN_TAG):
            self.state, self.pending = "thinking", head[len(OPEN_TAG) :].lstrip("\n")
            self.may_be_unopened = False
        elif not OPEN_TAG.startswith(head):
            self.state = "answer"
        # else: the start of "<think>", cut across deltas: wait

    def _thinking(self) -> None:
        end = self.pending.find(CLOSE_TAG)
        if end >= 0:
            self._emit(self.pending[:end].rstrip("\n"), thought=True)
            self.pending = self.pending[end + len(CLOSE_TAG) :]
            self.state, self.strip_next = "answer", True
            return
        keep = _partial_tag_length(self.pending, CLOSE_TAG)
        # Blank space at the end is held too: before `</think>` it is not part of them.
        ready = self.pending[: len(self.pending) - keep]
        keep += len(ready) - len(ready.rstrip())
        self._emit(self.pending[: len(self.pending) - keep], thought=True)
        self.pending = self.pending[len(self.pending) - keep :]

    def _answer(self) -> None:
        if self.strip_next:
            self.pending = self.pending.lstrip()
            if not self.pending:
                return
            self.strip_next = False
        # Given at once, never held back: what arrived is shown, and kept if the stream
        # breaks. A late `</think>` takes it back (a Piece with `moved`).
        text, self.pending = self.pending, ""
        self._emit(text, thought=False)
        if not self.may_be_unopened:
            return
        start = max(0, len(self.seen) - len(CLOSE_TAG))
        self.seen += text
        opened = self.seen.find(OPEN_TAG, start)
        end = self.seen.find(CLOSE_TAG, start)
        if (opened >= 0 and (end < 0 or opened < end)) or len(self.seen) > LONGEST_UNOPENED:
            self.may_be_unopened, self.seen = False, ""  # an answer about the tags
        elif end >= 0:
            thoughts = self.seen[:end].strip()
            self._out.append(Piece(thoughts, thought=True, moved=len(self.seen)))
            self.pending = self.seen[end + len(CLOSE_TAG) :]
            self.may_be_unopened, self.strip_next, self.seen = False, True, ""

    def _emit(self, text: str, *, thought: bool) -> None:
        if text:
            self._out.append(Piece(text, thought))


def answer_only(text: str) -> str:
    """A whole reply's answer, without inline thoughts (`<think>…</think>` first)."""
    splitter = ThinkSplitter()
    pieces = splitter.feed(text)
    pieces += splitter.finish()[0]
    answer = ""
    for piece in pieces:
        if piece.moved:
            answer = answer[: len(answer) - piece.moved]
        elif not piece.thought:
            answer += piece.text
    return answer


def _partial_tag_length(text: str, tag: str) -> int:
    """How many characters at the end of `text` could be the start of `tag`."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


# --- how hard the model thinks ------------------------------------------------------------

OPENAI, AZURE, OPENROUTER, OLLAMA = "openai", "azure", "openrouter", "ollama"
LLAMA_CPP, VLLM, LM_STUDIO, CUSTOM = "llama-cpp", "vllm", "lm-studio", "custom"
SWITCH_SERVERS = (LLAMA_CPP, VLLM)
"""Servers whose thinking is on or off (Qwen3-style templates' `enable_thinking`)."""

_OPENAI_REASONING = re.compile(r"^(?:o[1-9](?:-|$)|gpt-5(?!-chat)|gpt-oss)")
_GPT5_0 = re.compile(r"^gpt-5(?:-(?:mini|nano|pro|codex)|$|-\d{4})")


def server_kind(preset: str, base_url: str | None) -> str:
    """Which server a profile talks to: its preset, else guessed from the URL."""
    if preset and preset != CUSTOM:
        return preset
    parts = urlsplit(base_url or "https://api.openai.com/v1")
    host = parts.hostname or ""
    if host == "api.openai.com":
        return OPENAI
    if host.endswith(".openai.azure.com"):
        return AZURE
    if host.endswith("openrouter.ai"):
        return OPENROUTER
    if parts.port == 11434:
        return OLLAMA
    return CUSTOM


def efforts_for(server: str, model: str) -> tuple[ReasoningEffort, ...]:
    """The efforts worth offering for `model` on `server` (empty: the model does not
    reason, as far as anyone can tell). OpenAI's models are known by name; elsewhere any
    model may reason, and a refusal takes the choice away (see ChatClient)."""
    effort = ReasoningEffort
    name = model.rsplit("/", 1)[-1].lower()
    if server in (OPENAI, AZURE):
        if not _OPENAI_REASONING.match(name):
            return ()
        if name.startswith("o") or name.startswith("gpt-oss"):
            return (effort.LOW, effort.MEDIUM, effort.HIGH)
        if _GPT5_0.match(name):
            return (effort.MINIMAL, effort.LOW, effort.MEDIUM, effort.HIGH)
        return (effort.NONE, effort.LOW, effort.MEDIUM, effort.HIGH)
    if server in SWITCH_SERVERS or (server == OLLAMA and "gpt-oss" not in name):
        return (effort.NONE, effort.MEDIUM)  # off or on
    if server in (OLLAMA, LM_STUDIO):
        return (effort.NONE, effort.LOW, effort.MEDIUM, effort.HIGH)
    return tuple(effort)


def is_switch(server: str, model: str) -> bool:
    """Thinking is only on or off here (MEDIUM stands for on)."""
    return efforts_for(server, model) == (ReasoningEffort.NONE, ReasoningEffort.MEDIUM)


def effort_arguments(server: str, model: str, effort: ReasoningEffort) -> dict[str, Any]:
    """The request fields that ask `server` for `effort`."""
    off = effort is ReasoningEffort.NONE
    if server == OPENROUTER:
        return {"reasoning": {"enabled": False} if off else {"effort": effort.value}}
    if server in SWITCH_SERVERS:
        return {"chat_template_kwargs": {"enable_thinking": not off}}
    if server == OLLAMA:
        if off or is_switch(server, model):
            return {"think": not off}
        return {"think": "low" if effort is ReasoningEffort.MINIMAL else effort.value}
    return {"reasoning_effort": effort.value}


REASONING_PARAMETERS = ("reasoning_effort", "reasoning", "chat_template_kwargs", "think")
