"""Rendering one message into its frame of the conversation document, in O(new text).

Each message is a frame holding four frames:
  header  who wrote it, the model, Copy / Edit / Regenerate, the version switcher
  body    the complete Markdown blocks: rendered once, code decorated and coloured
  tail    the block still arriving: re-rendered each frame, or, inside a code block
          still being written, one line appended at a time ("live code")
  notes   status, usage and cost, Retry / Continue
So a streaming reply costs the new blocks plus the short tail per frame, however long it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPalette,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextFrameFormat,
    QTextImageFormat,
)

from ..domain import Attachment, Message, MessageStatus, Role
from ..pricing import estimated_cost
from .code_highlight import CodeHighlighter
from .markdown_blocks import CodeBlock, code_blocks, stable_length

ACTION_SCHEME = "desktop-chat"
PREVIOUS_MARK, NEXT_MARK = "\u2039", "\u203a"  # the single angle quotation marks of a pager
USER_DISPLAY_LIMIT = 50_000
REPLY_DISPLAY_LIMIT = 200_000
"""A chat pane is not an editor: of a giant message (a pasted file) this much is shown;
the whole text stays in the conversation, is sent, saved and copied."""
_ABSORBER = "\u2060"  # WORD JOINER: a paragraph with nothing visible in it
MARKDOWN = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


class Action(StrEnum):
    RETRY = "retry"
    CONTINUE = "continue"
    COPY = "copy"
    COPY_CODE = "copy-code"
    EDIT = "edit"
    REGENERATE = "regenerate"
    PREVIOUS_VERSION = "previous-version"
    NEXT_VERSION = "next-version"
    VIEW_ATTACHMENT = "view-attachment"
    TOGGLE_FILE = "toggle-file"


ATTACHMENT_SCHEME = "attachment"
"""Image resources of the document: attachment:<digest>, a preview (see MessageView)."""
PREVIEW_MAX_HEIGHT = 180
PREVIEW_MAX_WIDTH = 320
FILE_ICON_SIZE = 16
FILE_SHOWN_LIMIT = 20_000
"""Of an opened file card, this many characters are shown; all of it is sent and saved."""


def attachment_url(attachment: Attachment) -> str:
    return f"{ATTACHMENT_SCHEME}:{attachment.digest}"


def preview_size(attachment: Attachment) -> tuple[int, int]:
    """Where an image's preview fits: known before it is loaded, so nothing moves after."""
    return attachment.fitted(PREVIEW_MAX_WIDTH, PREVIEW_MAX_HEIGHT)


def action_href(action: Action, message_id: str, argument: str = "") -> str:
    return f"{ACTION_SCHEME}:{action.value}/{message_id}" + (f"/{argument}" if argument else "")


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


@dataclass
class _LiveCode:
    fence: str
    """The opening line, which identifies the block being written."""
    lines: int = 0
    """Complete lines already in the document."""


@dataclass
class Rendered:
    message_id: str
    frame: QTextFrame
    header: QTextFrame
    body: QTextFrame
    tail: QTextFrame
    notes: QTextFrame
    body_text: str = ""
    """The part of the content rendered into `body`."""
    generation: int = 0
    """Bumped whenever the body is rebuilt, so queued colouring of old text is dropped."""
    live: _LiveCode | None = None
    tail_text: str = field(default="", repr=False)
    code_count: int = 0
    """Fenced code blocks in `body_text`: the next one's number for Copy code."""
    header_key: object = field(default=None, repr=False)
    notes_key: object = field(default=None, repr=False)
    attachments_key: object = field(default=None, repr=False)
    """What the header and notes were drawn from: unchanged, they are not redrawn."""


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
        self._file_text = file_text
        """An attached file's text once loaded (None: not yet, and it is asked for)."""
        self._file_icon: tuple[str, QImage] = ("", QImage())

    # --- building ------------------------------------------------------------------

    def insert(self, cursor: QTextCursor, message: Message, context: MessageContext) -> Rendered:
        """Insert a message's frame at `cursor` (a position between messages)."""
        frame = cursor.insertFrame(self._message_format(message))
        header, body, tail, notes = (_child_frame(frame.lastCursorPosition()) for _ in range(4))
        for block in _own_blocks(frame):
            _collapse(block)
        for part in (body, tail):  # no blank line until text arrives
            _collapse(part.firstCursorPosition().block())
        rendered = Rendered(message.id, frame, header, body, tail, notes)
        self.update(rendered, message, context)
        return rendered

    def update(self, rendered: Rendered, message: Message, context: MessageContext) -> None:
        """Bring the message's frame up to date; costs only what changed in its text."""
        limit = USER_DISPLAY_LIMIT if message.role is Role.USER else REPLY_DISPLAY_LIMIT
        content = message.content[:limit]
        streaming = message.status is MessageStatus.STREAMING
        if not content.startswith(rendered.body_text):
            self._clear(rendered.body)
            rendered.body_text = ""
            rendered.code_count = 0
            rendered.generation += 1
        if message.role is Role.USER:
            key = self._attachments_key(message, context)
            if key != rendered.attachments_key:
                rendered.attachments_key = key
                if message.attachments:
                    self._clear(rendered.body)
                    rendered.body_text = ""
            if not rendered.body_text and (content or message.attachments):
                cursor = rendered.body.firstCursorPosition()
                cursor.setBlockFormat(QTextBlockFormat())
                if message.attachments:
                    self._insert_attachments(cursor, message, context)
                    if content:
                        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
                cursor.insertText(content, QTextCharFormat())
                rendered.body_text = content
        else:
            done = len(rendered.body_text)
            stable = stable_length(content, done) if streaming else len(content)
            if stable > done:
                self._append_body(rendered, content[done:stable])
            self._render_tail(rendered, content[len(rendered.body_text) :] if streaming else "")
        self._render_header(rendered, message, context)
        self._render_notes(rendered, message, context)

    # --- the parts -------------------------------------------------------------------

    def _attachments_key(self, message: Message, context: MessageContext) -> object:
        if not message.attachments:
            return None
        loaded = tuple(
            self._file_text(a) is not None
            for i, a in enumerate(message.attachments)
            if i in context.opened
        )
        return (message.attachments, context.opened, loaded)

    def _insert_attachments(
        self, cursor: QTextCursor, message: Message, context: MessageContext
    ) -> None:
        """Images as previews in a row (click for the full picture), then a card per file
        (its name and size; Show opens it below)."""
        images = [(i, a) for i, a in enumerate(message.attachments) if a.is_image]
        files = [(i, a) for i, a in enumerate(message.attachments) if not a.is_image]
        for number, (index, attachment) in enumerate(images):
            if number:
                cursor.insertText("  ", QTextCharFormat())
            image = QTextImageFormat()
            image.setName(attachment_url(attachment))
            width, height = preview_size(attachment)
            image.setWidth(width)
            image.setHeight(height)
            image.setAnchor(True)
            image.setAnchorHref(action_href(Action.VIEW_ATTACHMENT, message.id, str(index)))
            image.setToolTip(
                QCoreApplication.translate("MessageView", "%1 (click to view)").replace(
                    "%1", attachment.name
                )
            )
            cursor.insertImage(image)
        for number, (index, attachment) in enumerate(files):
            if images or number:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._insert_file_card(cursor, message, index, attachment, index in context.opened)

    def _insert_file_card(
        self,
        cursor: QTextCursor,
        message: Message,
        index: int,
        attachment: Attachment,
        opened: bool,
    ) -> None:
        from ..attachments import describe_size
        from .icons import document

        color = self._palette().color(QPalette.ColorRole.Text)
        icon_name = f"icon:document-{color.name()}"
        if self._file_icon[0] != icon_name:
            self._file_icon = (icon_name, document(color, FILE_ICON_SIZE, 2.0))
        # Added each time: clearing the document (another chat opened) drops resources.
        self._document.addResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl(icon_name), self._file_icon[1]
        )
        icon = QTextImageFormat()
        icon.setName(icon_name)
        icon.setWidth(FILE_ICON_SIZE)
        icon.setHeight(FILE_ICON_SIZE)
        icon.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
        cursor.insertImage(icon)
        name = QTextCharFormat()
        name.setFontWeight(QFont.Weight.DemiBold)
        cursor.insertText(" ", QTextCharFormat())
        cursor.insertText(attachment.name, name)
        cursor.insertText(f"  ·  {describe_size(attachment.size)}   ", self._muted_format())
        label = (
            QCoreApplication.translate("MessageView", "Hide")
            if opened
            else QCoreApplication.translate("MessageView", "Show")
        )
        cursor.insertText(
            label, self._link_format(action_href(Action.TOGGLE_FILE, message.id, str(index)))
        )
        if not opened:
            return
        text = self._file_text(attachment)
        if text is None:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertText(
                QCoreApplication.translate("MessageView", "Loading…"),
                self._muted_format(italic=True),
            )
            return
        shown = text[:FILE_SHOWN_LIMIT]
        for line in shown.rstrip("\n").split("\n"):
            cursor.insertBlock(self._code_block_format(), self._code_char_format())
            cursor.insertText(line, self._code_char_format())
        if len(text) > len(shown):
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertText(
                self._shown_part(len(shown), len(text)), self._muted_format(italic=True)
            )
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())

    def _shown_part(self, shown: int, total: int) -> str:
        """The note under text shown in part: how many of its characters are on screen."""
        locale = self._locale()
        return (
            QCoreApplication.translate("MessageView", "… Showing the first %1 of %2 characters.")
            .replace("%1", locale.toString(shown))
            .replace("%2", locale.toString(total))
        )

    def _append_body(self, rendered: Rendered, chunk: str) -> None:
        start, end = self._insert_markdown(rendered.body.lastCursorPosition(), chunk)
        rendered.body_text += chunk
        sources = code_blocks(chunk)
        self._decorate(rendered, start, end, chunk, sources)
        rendered.code_count += len(sources)

    def _insert_markdown(self, cursor: QTextCursor, text: str) -> tuple[int, int]:
        """Insert Markdown at `cursor` (the end of a frame); returns the range it took.

        Qt merges the first inserted block into the block at the cursor, keeping that
        block's format: a chunk starting with a code block or a list would lose it. A
        throwaway paragraph goes first to take the merge; it is then emptied and collapsed.
        """
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.setBlockCharFormat(QTextCharFormat())
        absorber = cursor.block()
        cursor.insertMarkdown(_ABSORBER + "\n\n" + text, MARKDOWN)
        end = cursor.position()
        eraser = QTextCursor(absorber)
        eraser.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        eraser.removeSelectedText()
        _collapse(absorber)
        if not cursor.block().text():
            _collapse(cursor.block())  # what Markdown leaves after the last block
        start = absorber.next().position() if absorber.next().isValid() else end
        return start, cursor.position()

    def _render_tail(self, rendered: Rendered, text: str) -> None:
        if text == rendered.tail_text:
            return
        rendered.tail_text = text
        first_line, _, code = text.partition("\n")
        fence = first_line.strip()
        if fence.startswith(("```", "~~~")) and "`" not in fence[3:].lstrip("`"):
            self._render_live_code(rendered, first_line, code)
            return
        rendered.live = None
        self._clear(rendered.tail)
        if text:
            start, end = self._insert_markdown(rendered.tail.firstCursorPosition(), text)
            if "`" in text:
                self._tint_inline_code(start, end)
        else:
            _collapse(rendered.tail.firstCursorPosition().block())

    def _render_live_code(self, rendered: Rendered, fence: str, code: str) -> None:
        """A code block still being written: append complete lines, rewrite the last one."""
        live = rendered.live
        lines = code.split("\n")
        if live is None or live.fence != fence or live.lines > len(lines) - 1:
            self._clear(rendered.tail)
            cursor = rendered.tail.firstCursorPosition()
            language = fence.lstrip("`~").strip().split(" ")[0]
            self._code_header(cursor, language, rendered.message_id, index=-1)
            cursor.insertBlock(self._code_block_format(), self._code_char_format())
            live = rendered.live = _LiveCode(fence)
        cursor = rendered.tail.lastCursorPosition()
        for line in lines[live.lines : len(lines) - 1]:
            cursor.movePosition(
                QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            cursor.insertText(line, self._code_char_format())
            cursor.insertBlock(self._code_block_format(), self._code_char_format())
            live.lines += 1
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(lines[-1], self._code_char_format())

    def _render_header(self, rendered: Rendered, message: Message, context: MessageContext) -> None:
        key = (
            message.role,
            message.model,
            message.created_at,
            message.usage,
            message.status,
            bool(message.content),
            context,
        )
        if key == rendered.header_key:
            return  # the usual case while a reply streams: only its text changes
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
        muted = self._muted_format()
        if message.role is Role.ASSISTANT and message.model:
            cursor.insertText(f"  ·  {message.model}", muted)
        links: list[tuple[str, str | None]] = []
        if message.content:
            links.append(
                (
                    QCoreApplication.translate("MessageView", "Copy"),
                    action_href(Action.COPY, message.id),
                )
            )
        if not context.read_only:
            if message.role is Role.USER and message.status is not MessageStatus.STREAMING:
                links.append(
                    (
                        QCoreApplication.translate("MessageView", "Edit"),
                        action_href(Action.EDIT, message.id),
                    )
                )
            if (
                message.role is Role.ASSISTANT
                and context.is_last
                and message.status is MessageStatus.COMPLETE
            ):
                links.append(
                    (
                        QCoreApplication.translate("MessageView", "Regenerate"),
                        action_href(Action.REGENERATE, message.id),
                    )
                )
        position, count = context.versions
        if count > 1:
            previous = action_href(Action.PREVIOUS_VERSION, message.id) if position else None
            following = (
                action_href(Action.NEXT_VERSION, message.id) if position < count - 1 else None
            )
            shown = f"{position + 1}/{count}"
            links += [(PREVIOUS_MARK, previous), (shown, None), (NEXT_MARK, following)]
        if links:
            cursor.insertText("      ", muted)
            for number, (text, href) in enumerate(links):
                if number:
                    cursor.insertText("  ", muted)
                cursor.insertText(text, self._link_format(href) if href else muted)

    def _render_notes(self, rendered: Rendered, message: Message, context: MessageContext) -> None:
        lines = self._notes(message)
        actions = self._actions(message, context)
        key = ([(text, fmt.foreground().color().rgba()) for text, fmt in lines], actions)
        if key == rendered.notes_key:
            return
        rendered.notes_key = key
        self._clear(rendered.notes)
        cursor = rendered.notes.firstCursorPosition()
        if not lines and not actions:
            _collapse(cursor.block())
            return
        cursor.setBlockFormat(QTextBlockFormat())
        for number, (text, fmt) in enumerate(lines):
            if number:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertText(text, fmt)
        if actions:
            if lines:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            for number, (text, href) in enumerate(actions):
                if number:
                    cursor.insertText("   ", QTextCharFormat())
                cursor.insertText(text, self._link_format(href))

    def _notes(self, message: Message) -> list[tuple[str, QTextCharFormat]]:
        muted, notes = self._muted_format(italic=True), []
        if message.status is MessageStatus.STREAMING:
            if message.error:  # a retry is under way
                notes.append((message.error, muted))
            elif not message.content:
                notes.append((QCoreApplication.translate("MessageView", "Thinking…"), muted))
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
            notes.append((self._shown_part(limit, len(message.content)), muted))
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
        if message.usage and message.status is not MessageStatus.STREAMING:
            notes.append((self._usage_line(message), self._muted_format(small=True)))
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

    def _actions(self, message: Message, context: MessageContext) -> list[tuple[str, str]]:
        """Retry and Continue, under the last reply when it failed or stopped early."""
        if context.read_only or not context.is_last or message.role is not Role.ASSISTANT:
            return []
        retry = (
            [
                (
                    QCoreApplication.translate("MessageView", "Retry"),
                    action_href(Action.RETRY, message.id),
                )
            ]
            if context.retry
            else []
        )
        if message.status is MessageStatus.ERROR:
            return retry
        if message.status is MessageStatus.PARTIAL:
            keep_going = (
                QCoreApplication.translate("MessageView", "Continue"),
                action_href(Action.CONTINUE, message.id),
            )
            return [*retry, keep_going] if message.content else retry
        return []

    def details(self, message: Message) -> str:
        """When it was written, by which model, what it cost: shown on hover."""
        when = QDateTime.fromMSecsSinceEpoch(int(message.created_at.timestamp() * 1000))
        details = [self._locale().toString(when, QLocale.FormatType.LongFormat)]
        if message.model:
            details.append(message.model)
        if message.usage:
            details.append(self._usage_line(message))
        return "\n".join(details)

    # --- code ------------------------------------------------------------------------

    def _decorate(
        self, rendered: Rendered, start: int, end: int, chunk: str, sources: list[CodeBlock]
    ) -> None:
        """Tint code, give each code block a header with Copy, queue its colouring."""
        if "`" in chunk:
            self._tint_inline_code(start, end)
        if not sources:
            return
        code_lines: list[QTextBlock] = []
        block = self._document.findBlock(start)
        while block.isValid() and block.position() < end:
            if block.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence):
                code_lines.append(block)
            block = block.next()
        # Adjacent code blocks are adjacent in the document too: split them by the source.
        for number, source in enumerate(sources):
            count = source.code.count("\n") + 1
            run, code_lines = code_lines[:count], code_lines[count:]
            if run:
                self._decorate_run(rendered, run, rendered.code_count + number)

    def _decorate_run(self, rendered: Rendered, run: list[QTextBlock], index: int) -> None:
        language = run[0].blockFormat().stringProperty(QTextFormat.Property.BlockCodeLanguage)
        text = "\n".join(block.text() for block in run)
        code_format = self._code_block_format()
        for block in run:
            QTextCursor(block).mergeBlockFormat(code_format)
        # A header line above the block: split its first line off, then rewrite the upper part.
        first = run[0]
        cursor = QTextCursor(first)
        cursor.insertBlock(first.blockFormat(), first.charFormat())
        cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
        self._code_header(cursor, language, rendered.message_id, index)
        code_start = cursor.block().next().position()
        generation = rendered.generation
        self._highlighter.highlight(
            code_start, text, language, lambda: rendered.generation == generation
        )

    def _code_header(self, cursor: QTextCursor, language: str, message_id: str, index: int) -> None:
        """Write "python   Copy" as the current block: a caption joined to the code below."""
        fmt = self._code_block_format()
        fmt.clearProperty(QTextFormat.Property.BlockCodeFence)
        fmt.setProperty(QTextFormat.Property.BlockCodeLanguage, "")
        fmt.setTopMargin(6)
        cursor.setBlockFormat(fmt)
        cursor.setBlockCharFormat(QTextCharFormat())
        caption = self._muted_format(small=True)
        cursor.insertText(language or "code", caption)
        if index >= 0:  # a block still being written is copied from the message itself
            cursor.insertText("    ", caption)
            link = self._link_format(action_href(Action.COPY_CODE, message_id, str(index)))
            link.setFontPointSize(caption.fontPointSize())
            cursor.insertText(QCoreApplication.translate("MessageView", "Copy code"), link)

    def _tint_inline_code(self, start: int, end: int) -> None:
        inline = QTextCharFormat()
        inline.setBackground(self.code_background())
        block = self._document.findBlock(start)
        cursor = QTextCursor(self._document)
        while block.isValid() and block.position() < end:
            if not block.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence):
                fragments = block.begin()
                while not fragments.atEnd():
                    fragment = fragments.fragment()
                    if fragment.charFormat().fontFixedPitch():
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(
                            fragment.position() + fragment.length(),
                            QTextCursor.MoveMode.KeepAnchor,
                        )
                        cursor.mergeCharFormat(inline)
                    fragments += 1
            block = block.next()

    # --- formats ---------------------------------------------------------------------

    def _message_format(self, message: Message) -> QTextFrameFormat:
        fmt = QTextFrameFormat()
        fmt.setPadding(12)
        fmt.setTopMargin(6)
        fmt.setBottomMargin(6)
        if message.role is Role.USER:
            palette = self._palette()
            fmt.setBackground(
                _mix(
                    palette.color(QPalette.ColorRole.Base),
                    palette.color(QPalette.ColorRole.Highlight),
                    0.12,
                )
            )
        return fmt

    def code_background(self) -> QColor:
        palette = self._palette()
        return _mix(
            palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.06
        )

    def _code_block_format(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setBackground(self.code_background())
        fmt.setLeftMargin(4)
        fmt.setRightMargin(4)
        fmt.setTopMargin(0)
        fmt.setBottomMargin(0)
        fmt.setNonBreakableLines(True)
        fmt.setProperty(QTextFormat.Property.BlockCodeFence, "`")
        return fmt

    def _code_char_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontFamilies(["monospace"])
        fmt.setFontFixedPitch(True)
        return fmt

    def _muted_format(self, *, italic: bool = False, small: bool = False) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(self._palette().color(QPalette.ColorRole.PlaceholderText))
        fmt.setFontItalic(italic)
        if small:
            fmt.setFontPointSize(max(7.0, self._document.defaultFont().pointSizeF() * 0.85))
        return fmt

    def _link_format(self, href: str) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setForeground(self._palette().color(QPalette.ColorRole.Link))
        fmt.setFontUnderline(True)
        return fmt

    def _error_color(self) -> QColor:
        dark = self._palette().color(QPalette.ColorRole.Base).lightness() < 128
        return QColor("#ff8a80") if dark else QColor("#b71c1c")

    # --- document helpers ------------------------------------------------------------

    def _clear(self, frame: QTextFrame) -> None:
        cursor = frame.firstCursorPosition()
        cursor.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.setBlockCharFormat(QTextCharFormat())

    def _set_plain(self, frame: QTextFrame, text: str) -> None:
        cursor = frame.firstCursorPosition()
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.insertText(text, QTextCharFormat())


def _child_frame(cursor: QTextCursor) -> QTextFrame:
    fmt = QTextFrameFormat()
    fmt.setMargin(0)
    fmt.setPadding(0)
    fmt.setBorder(0)
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


def _collapse(block: QTextBlock) -> None:
    """Make an empty separator block take no height."""
    fmt = QTextBlockFormat()
    fmt.setLineHeight(0, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    fmt.setTopMargin(0)
    fmt.setBottomMargin(0)
    cursor = QTextCursor(block)
    cursor.setBlockFormat(fmt)
    cursor.setBlockCharFormat(QTextCharFormat())


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )
