"""A reasoning model's thoughts, above its answer: live while it thinks, then folded.

While the model thinks (thoughts arriving, no answer yet) the block reads "Thinking… 12 s"
over the thoughts as they stream, muted and a step smaller, written by the same pipeline
as the answer (so in O(new text) a frame). When the answer starts it folds to "Thought for
12 s ▸"; a click, or Enter on the focused link, unfolds it. Where the server hides the
thoughts (OpenAI), the notes under the reply say how long it reasoned instead (see
`thinking_note`): nothing above a long answer changes as it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextFrame

from ... import design
from ...domain import Message, MessageStatus, utc_now
from ...render.builder import DocumentBuilder
from ...render.links import Action, action_href
from .code_highlight import CodeHighlighter
from .reply_body import BodyState, ReplyBody

THOUGHTS_OWNER = "{id}.thoughts"
"""Whose "Copy code" links the thoughts' code blocks carry (the message id, marked)."""
OPEN_MARK, CLOSED_MARK = "\u25be", "\u25b8"  # small triangles: ▾ open, ▸ folded
INDENT_PX = design.SPACE[3]


@dataclass
class ThoughtsState:
    label: QTextFrame
    body: BodyState
    label_key: object = None
    shown: bool = False
    """The thoughts' text is in the document (not folded)."""


def owner_of(message_id: str) -> str:
    return THOUGHTS_OWNER.format(id=message_id)


def message_of(owner: str) -> tuple[str, bool]:
    """(message id, whether the owner is its thoughts) of a link's owner."""
    suffix = THOUGHTS_OWNER.format(id="")
    if owner.endswith(suffix):
        return owner[: -len(suffix)], True
    return owner, False


def is_thinking(message: Message) -> bool:
    """The model is thinking: the reply streams and no answer has come yet."""
    return message.status is MessageStatus.STREAMING and not message.content


def waited(message: Message) -> int:
    """Whole seconds since the reply was asked for."""
    return max(0, int((utc_now() - message.created_at).total_seconds()))


class Thoughts:
    def __init__(
        self,
        builder: Callable[[], DocumentBuilder],
        highlighter: CodeHighlighter,
        locale: Callable[[], QLocale],
        clear: Callable[[QTextFrame], None],
    ) -> None:
        self._builder = builder
        self._quiet: DocumentBuilder | None = None
        self._quiet_for: object = None
        self._body = ReplyBody(self._quiet_builder, highlighter)
        self._locale = locale
        self._clear = clear

    def _quiet_builder(self) -> DocumentBuilder:
        """The answer's builder, quieter (made again when the answer's style changes)."""
        builder = self._builder()
        if self._quiet is None or self._quiet_for is not builder:
            self._quiet = DocumentBuilder(builder.style.for_thoughts())
            self._quiet_for = builder
        return self._quiet

    def update(
        self,
        state: ThoughtsState,
        message: Message,
        opened: bool | None,
        deadline: float,
    ) -> bool:
        """Bring the block up to date: `opened` is the user's choice (None: open while
        thinking, folded after). False when there is more to write."""
        if not message.reasoning:
            if state.label_key is not None:
                self._fold(state)
                self._clear(state.label)
                state.label_key = None
                fmt = state.body.tail.frameFormat()
                fmt.setBottomMargin(0)
                state.body.tail.setFrameFormat(fmt)
            return True
        if state.label_key is None:  # the first thoughts: room between them and the answer
            fmt = state.body.tail.frameFormat()
            fmt.setBottomMargin(design.SPACE[2])
            state.body.tail.setFrameFormat(fmt)
        thinking = is_thinking(message)
        show = thinking if opened is None else opened
        self._render_label(state, message, thinking, show)
        if not show:
            self._fold(state)
            return True
        state.shown = True
        streaming = message.status is MessageStatus.STREAMING
        return self._body.update(
            state.body, owner_of(message.id), message.reasoning, streaming, deadline
        )

    def _fold(self, state: ThoughtsState) -> None:
        if state.shown:
            self._body.update(state.body, "", "", streaming=False)  # rewritten as nothing
            state.shown = False

    def _render_label(
        self, state: ThoughtsState, message: Message, thinking: bool, shown: bool
    ) -> None:
        seconds = waited(message) if thinking else None
        key = (thinking, shown, seconds, message.reasoning_seconds)
        if key == state.label_key:
            return
        state.label_key = key
        self._clear(state.label)
        cursor = state.label.firstCursorPosition()
        block = QTextBlockFormat()
        block.setBottomMargin(design.SPACE[1])
        cursor.setBlockFormat(block)
        formats = self._builder().formats
        text = self.label(message, thinking, seconds or 0)
        mark = OPEN_MARK if shown else CLOSED_MARK
        link = formats.link(action_href(Action.TOGGLE_THOUGHTS, message.id), formats.muted())
        link.setForeground(formats.muted().foreground())
        link.setFontUnderline(False)
        link.setToolTip(
            QCoreApplication.translate("MessageView", "Hide the thoughts")
            if shown
            else QCoreApplication.translate("MessageView", "Show the thoughts")
        )
        cursor.insertText(f"{mark} {text}", link)
        cursor.insertText("", QTextCharFormat())

    def label(self, message: Message, thinking: bool, seconds: int) -> str:
        locale = self._locale()
        if thinking:
            return _thinking_for(locale, seconds)
        if message.reasoning_seconds is None:
            return QCoreApplication.translate("MessageView", "Thoughts")
        return QCoreApplication.translate("MessageView", "Thought for %1 s").replace(
            "%1", locale.toString(round(message.reasoning_seconds))
        )


def thinking_note(message: Message, locale: QLocale) -> str | None:
    """The notes' words on reasoning the thoughts block does not show: the wait before
    anything arrives ("Thinking… 12 s"), and hidden reasoning once done ("Reasoned for 12
    s · 384 reasoning tokens")."""
    if is_thinking(message) and not message.reasoning:
        return _thinking_for(locale, waited(message))
    if message.reasoning or message.status is MessageStatus.STREAMING:
        return None
    tokens = message.usage.reasoning_tokens if message.usage else 0
    if message.reasoning_seconds is None and not tokens:
        return None
    parts = []
    if message.reasoning_seconds is not None:
        parts.append(
            QCoreApplication.translate("MessageView", "Reasoned for %1 s").replace(
                "%1", locale.toString(round(message.reasoning_seconds))
            )
        )
    if tokens:
        parts.append(
            QCoreApplication.translate("MessageView", "%1 reasoning tokens").replace(
                "%1", locale.toString(tokens)
            )
        )
    return " · ".join(parts)


def _thinking_for(locale: QLocale, seconds: int) -> str:
    """ "Thinking… 12 s": the live count, in the thoughts' label or the notes."""
    return QCoreApplication.translate("MessageView", "Thinking… %1 s").replace(
        "%1", locale.toString(seconds)
    )
