"""Rendering one message into its frame of the conversation document, in O(new text).

Each message is a frame holding these frames:
  header  who wrote it, and the model
  thoughts  a reasoning model's thoughts: a label, then their body and tail (see thoughts)
  body    a question as typed (with its attachments); a reply's finished Markdown blocks
  tail    a reply's block still arriving (see reply_body: the body and tail of a reply)
  notes   status, usage and cost, and a blank row the bar of buttons is laid over
So a streaming reply costs the new blocks plus the short tail per frame, however long it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextFrameFormat,
)

from ... import design
from ...domain import Attachment, Message, MessageStatus, Role
from ...pricing import estimated_cost
from ...render.builder import DocumentBuilder
from ...render.links import ACTION_SCHEME, Action
from ...render.style import TextStyle
from .attachment_cards import AttachmentCards, shown_part
from .code_highlight import CodeHighlighter
from .message_actions import ROW_HEIGHT as ACTIONS_ROW
from .message_actions import Offered
from .reading_column import BUBBLE
from .reply_body import BodyState, ReplyBody
from .thoughts import Thoughts, ThoughtsState, thinking_note

__all__ = ["ACTION_SCHEME", "Action", "MessageContext", "MessageRenderer", "Rendered"]

USER_DISPLAY_LIMIT = 50_000
REPLY_DISPLAY_LIMIT = 200_000
"""A chat pane is not an editor: of a giant message (a pasted file) this much is shown;
the whole text stays in the conversation, is sent, saved and copied."""


@dataclass(frozen=True)
class MessageContext:
    """What the message's place in the conversation allows."""

    is_last: bool = False
    read_only: bool = False
    retry: bool = True
    """Asking again for this reply may work (not while its question is too long)."""
    versions: tuple[int, int] = (0, 1)
    """(position of this version, how many versions) of the turn."""
    opened: frozenset[int] = frozenset()
    """Which of the message's file cards are open (by attachment index)."""
    thoughts_open: bool | None = None
    """The user unfolded (True) or folded (False) the reply's thoughts; None: open while
    the model thinks, folded once it answers."""


@dataclass
class Rendered:
    message_id: str
    frame: QTextFrame
    header: QTextFrame
    body: QTextFrame
    tail: QTextFrame
    notes: QTextFrame
    thoughts: ThoughtsState
    state: BodyState = field(init=False)
    """What the body and tail hold (a question's text, or a reply's blocks)."""
    header_key: object = field(default=None, repr=False)
    notes_key: object = field(default=None, repr=False)
    attachments_key: object = field(default=None, repr=False)
    """What the header and notes were drawn from: unchanged, they are not redrawn."""

    def __post_init__(self) -> None:
        self.state = BodyState(self.body, self.tail)


DETAILS_PROPERTY = int(QTextFormat.Property.UserProperty) + 1
"""On a message's role name: the message's id, whose details show on hover. They are
formatted then, not while rendering (a long date costs ~0.1 ms, per message opened)."""


class MessageRenderer:
    def __init__(
        self,
        document: QTextDocument,
        palette: Callable[[], QPalette],
        locale: Callable[[], QLocale],
        highlighter: CodeHighlighter,
        file_text: Callable[[Attachment], str | None] = lambda attachment: None,
    ) -> None:
        self._document = document
        self._palette = palette
        self._locale = locale
        self._highlighter = highlighter
        self._builder: DocumentBuilder | None = None
        self._replies = ReplyBody(self.builder, highlighter)
        self._thoughts = Thoughts(self.builder, highlighter, locale, self._clear)
        self.bubble: Callable[..., None] = lambda fmt, text, wide: fmt.setProperty(BUBBLE, True)
        """Shapes a question's frame format as a bubble (the view's reading column)."""
        self._cards = AttachmentCards(document, self.builder, locale, file_text)

    def builder(self) -> DocumentBuilder:
        """The document builder in the palette's colours (made again after `restyle`)."""
        if self._builder is None:
            style = TextStyle.for_palette(self._palette(), self._document.defaultFont())
            self._builder = DocumentBuilder(style)
        return self._builder

    @property
    def style(self) -> TextStyle:
        return self.builder().style

    def restyle(self) -> None:
        """The palette or the font changed: what is rendered next takes the new style."""
        self._builder = None

    # --- building ------------------------------------------------------------------

    def insert(
        self,
        cursor: QTextCursor,
        message: Message,
        context: MessageContext,
        deadline: float = float("inf"),
    ) -> tuple[Rendered, bool]:
        """Insert a message's frame at `cursor` (a position between messages), written as
        far as `deadline` allows; and whether it is complete (see `update`)."""
        frame = cursor.insertFrame(self._message_format(message))
        header, label, thinking, thought, body, tail, notes = (
            _child_frame(frame.lastCursorPosition(), indent=number in (2, 3)) for number in range(7)
        )
        builder = self.builder()
        for block in _own_blocks(frame):
            builder.mark_placeholder(QTextCursor(block))
        for part in (header, label, thinking, thought, body, tail, notes):
            builder.mark_placeholder(part.firstCursorPosition())  # no height until written
        thoughts = ThoughtsState(label, BodyState(thinking, thought))
        rendered = Rendered(message.id, frame, header, body, tail, notes, thoughts)
        return rendered, self.update(rendered, message, context, deadline)

    def update(
        self,
        rendered: Rendered,
        message: Message,
        context: MessageContext,
        deadline: float = float("inf"),
    ) -> bool:
        """Bring the message's frame up to date; costs only what changed in its text. A
        long reply is written in slices until `deadline` (time.perf_counter()): False when
        there is more to write."""
        limit = USER_DISPLAY_LIMIT if message.role is Role.USER else REPLY_DISPLAY_LIMIT
        content = message.content[:limit]
        done = True
        if message.role is Role.USER:
            self._update_question(rendered, message, content, context)
        else:
            streaming = message.status is MessageStatus.STREAMING
            done = self._thoughts.update(
                rendered.thoughts, message, context.thoughts_open, deadline
            )
            done = done and self._replies.update(
                rendered.state, message.id, content, streaming, deadline
            )
        self._render_header(rendered, message, context)
        self._render_notes(rendered, message, context)
        return done

    def _update_question(
        self, rendered: Rendered, message: Message, content: str, context: MessageContext
    ) -> None:
        """A question, as typed: plain text, after its attachments."""
        state = rendered.state
        key = self._cards.key(message, context.opened)
        if content != state.text or key != rendered.attachments_key:
            rendered.attachments_key = key
            self._replies.clear(rendered.body)
            state.text = ""
        if state.text or not (content or message.attachments):
            return
        cursor = rendered.body.firstCursorPosition()
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.setBlockCharFormat(QTextCharFormat())
        if message.attachments:
            self._cards.insert(cursor, message, context.opened)
            if content:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        cursor.insertText(content, QTextCharFormat())
        state.text = content

    # --- the parts -------------------------------------------------------------------

    def _render_header(self, rendered: Rendered, message: Message, context: MessageContext) -> None:
        """Who wrote it, and which model: set when the message arrives. (Nothing above a
        long reply may change as it ends: Qt would lay all of the reply out again.)"""
        key = (message.role, message.model, message.id)
        if key == rendered.header_key:
            return
        rendered.header_key = key
        self._clear(rendered.header)
        cursor = rendered.header.firstCursorPosition()
        cursor.setBlockFormat(QTextBlockFormat())
        role = (
            QCoreApplication.translate("MessageView", "You")
            if message.role is Role.USER
            else QCoreApplication.translate("MessageView", "Assistant")
        )
        name = QTextCharFormat()
        name.setFontWeight(QFont.Weight.Bold)
        name.setProperty(DETAILS_PROPERTY, message.id)  # details drawn up on hover
        cursor.insertText(role, name)
        if message.role is Role.ASSISTANT and message.model:
            cursor.insertText(f"  ·  {message.model}", self.builder().formats.muted())

    def offered(self, message: Message, context: MessageContext) -> Offered:
        """The actions under the message, for its bar of buttons (see message_actions)."""
        actions: list[Action] = []
        if message.content and message.status is not MessageStatus.STREAMING:
            actions.append(Action.COPY)
        reply = message.role is Role.ASSISTANT
        if not context.read_only:
            if message.role is Role.USER:
                actions.append(Action.EDIT)
            if reply and context.is_last and message.status is MessageStatus.COMPLETE:
                actions.append(Action.REGENERATE)
            if reply and context.is_last and message.status is not MessageStatus.STREAMING:
                if context.retry and message.status is not MessageStatus.COMPLETE:
                    actions.append(Action.RETRY)
                if message.status is MessageStatus.PARTIAL and message.content:
                    actions.append(Action.CONTINUE)
        return Offered(message.id, tuple(actions), context.versions, is_reply=reply)

    def _render_notes(self, rendered: Rendered, message: Message, context: MessageContext) -> None:
        lines = self._notes(message)
        offered = self.offered(message, context)
        # A reply's bar of buttons gets a row of its own; a question's goes under its bubble.
        room = offered.is_reply and (bool(offered.actions) or offered.versions[1] > 1)
        key = ([(text, fmt.foreground().color().rgba()) for text, fmt in lines], room)
        if key == rendered.notes_key:
            return
        rendered.notes_key = key
        self._clear(rendered.notes)
        cursor = rendered.notes.firstCursorPosition()
        if not lines and not room:
            return  # _clear left a placeholder: no height
        cursor.setBlockFormat(QTextBlockFormat())
        for number, (text, fmt) in enumerate(lines):
            if number:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertText(text, fmt)
        if room:
            row = QTextBlockFormat()
            row.setLineHeight(ACTIONS_ROW, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            if lines:
                cursor.insertBlock(row, QTextCharFormat())
            else:
                cursor.setBlockFormat(row)

    def _notes(self, message: Message) -> list[tuple[str, QTextCharFormat]]:
        muted, notes = self.builder().formats.muted(italic=True), []
        assistant = message.role is Role.ASSISTANT
        thinking = thinking_note(message, self._locale()) if assistant else None
        if message.status is MessageStatus.STREAMING:
            if message.error:  # a retry is under way
                notes.append((message.error, muted))
            elif thinking:
                notes.append((thinking, muted))
        elif message.status is MessageStatus.PARTIAL:
            notes.append(
                (
                    message.error
                    or QCoreApplication.translate(
                        "MessageView", "Stopped: this reply is incomplete."
                    ),
                    muted,
                )
            )
        elif message.status is MessageStatus.ERROR:
            failed = QTextCharFormat()
            failed.setForeground(self._error_color())
            notes.append(
                (
                    message.error or QCoreApplication.translate("MessageView", "The reply failed."),
                    failed,
                )
            )
        limit = USER_DISPLAY_LIMIT if message.role is Role.USER else REPLY_DISPLAY_LIMIT
        if len(message.content) > limit:
            notes.append((shown_part(self._locale(), limit, len(message.content)), muted))
        if message.context_omitted:
            notes.append(
                (
                    (
                        QCoreApplication.translate(
                            "MessageView",
                            "1 earlier message was left out to fit the model's context window.",
                        )
                        if message.context_omitted == 1
                        else QCoreApplication.translate(
                            "MessageView",
                            "%1 earlier messages were left out to fit the model's context window.",
                        ).replace("%1", self._locale().toString(message.context_omitted))
                    ),
                    muted,
                )
            )
        if thinking and message.status is not MessageStatus.STREAMING:
            notes.append((thinking, self.builder().formats.muted(small=True)))
        if message.usage and message.status is not MessageStatus.STREAMING:
            notes.append((self._usage_line(message), self.builder().formats.muted(small=True)))
        return notes

    def _usage_line(self, message: Message) -> str:
        assert message.usage is not None
        locale = self._locale()
        line = (
            QCoreApplication.translate("MessageView", "%1 tokens in · %2 out")
            .replace("%1", locale.toString(message.usage.prompt_tokens))
            .replace("%2", locale.toString(message.usage.completion_tokens))
        )
        cost = estimated_cost(message.model, message.usage)
        if cost is not None:
            line += " · ≈ $" + locale.toString(cost, "f", 4 if cost < 0.1 else 2)
        return line

    def details(self, message: Message) -> str:
        """When it was written, by which model, what it cost: shown on hover."""
        when = QDateTime.fromMSecsSinceEpoch(int(message.created_at.timestamp() * 1000))
        details = [self._locale().toString(when, QLocale.FormatType.LongFormat)]
        if message.model:
            details.append(message.model)
        if message.usage:
            details.append(self._usage_line(message))
        return "\n".join(details)

    # --- formats ---------------------------------------------------------------------

    def _message_format(self, message: Message) -> QTextFrameFormat:
        fmt = QTextFrameFormat()
        fmt.setPadding(design.SPACE[2])
        fmt.setTopMargin(design.SPACE[0] + 2)
        fmt.setBottomMargin(design.SPACE[0] + 2)
        if message.role is Role.USER:  # the view paints it as a rounded bubble
            fmt.setBottomMargin(ACTIONS_ROW + design.SPACE[0])  # its bar goes under it
            self.bubble(fmt, message.content, wide=bool(message.attachments))
        return fmt

    def code_background(self) -> QColor:
        return self.style.colour("code")

    def _error_color(self) -> QColor:
        return self.style.error

    def _clear(self, frame: QTextFrame) -> None:
        self._replies.clear(frame)


def _child_frame(cursor: QTextCursor, *, indent: bool = False) -> QTextFrame:
    fmt = QTextFrameFormat()
    fmt.setMargin(0)
    fmt.setPadding(0)
    fmt.setBorder(0)
    if indent:  # the thoughts, set in under their label
        fmt.setLeftMargin(design.SPACE[3])
    return cursor.insertFrame(fmt)


def _own_blocks(frame: QTextFrame) -> list[QTextBlock]:
    """The blocks directly in `frame` (between its child frames), not those inside them."""
    blocks = []
    iterator = frame.begin()
    while not iterator.atEnd():
        block = iterator.currentBlock()
        if block.isValid():
            blocks.append(block)
        iterator += 1
    return blocks
