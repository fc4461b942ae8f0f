"""The open conversation, rendered as one rich-text document with a frame per message.

One document (not a widget per message) keeps selection, find and scrolling natural and
lets a streaming reply re-render only its own frame. Updates are coalesced to the frame
rate: however fast tokens arrive, each dirty message is rendered at most once per frame.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextFrameFormat,
)
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from ..domain import Conversation, Message, MessageStatus, Role

FRAME_INTERVAL_MS = 16
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
ACTION_SCHEME = "desktop-chat"
# A chat pane is not an editor: of a giant message (a pasted file) show this much; the
# whole text is still in the conversation, sent, saved and copyable.
DISPLAY_LIMIT = 50_000
RETRY = "retry"
CONTINUE = "continue"
_MARKDOWN = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


class MessageView(QTextBrowser):
    action_requested = Signal(str, str)
    """(action, message id): the user clicked Retry or Continue under a reply."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageView")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_link)
        self.document().setDocumentMargin(16)
        self._conversation: Conversation | None = None
        self._frames: dict[str, QTextFrame] = {}
        self._dirty: set[str] = set()
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.setInterval(FRAME_INTERVAL_MS)
        self._frame_timer.timeout.connect(self._render_dirty)

    @property
    def conversation_id(self) -> str | None:
        return self._conversation.id if self._conversation else None

    def show_conversation(self, conversation: Conversation) -> None:
        self._conversation = conversation
        self._frames.clear()
        self._dirty.clear()
        self._frame_timer.stop()
        self.document().clear()
        for message in conversation.messages:
            self._append(message)
        self._scroll_to_bottom()

    def add_message(self, message_id: str) -> None:
        message = self._message(message_id)
        if message is None or message_id in self._frames:
            return
        at_bottom = self._at_bottom()
        previous = list(self._frames)[-1] if self._frames else None
        self._append(message)
        if previous is not None:
            self.refresh_message(previous)  # it is no longer last: no Retry under it
        if at_bottom or message.role is Role.USER:
            self._scroll_to_bottom()

    def refresh_message(self, message_id: str) -> None:
        """Re-render a message at the next frame, however many times this is called before it."""
        if message_id in self._frames:
            self._dirty.add(message_id)
            if not self._frame_timer.isActive():
                self._frame_timer.start()

    def message_text(self, message_id: str) -> str:
        """The text shown for a message, as a user would copy it."""
        frame = self._frames[message_id]
        cursor = frame.firstCursorPosition()
        cursor.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
        return cursor.selection().toPlainText()

    # --- rendering -------------------------------------------------------------------

    def _message(self, message_id: str) -> Message | None:
        if self._conversation is None:
            return None
        return next((m for m in self._conversation.messages if m.id == message_id), None)

    def _append(self, message: Message) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        frame = cursor.insertFrame(self._frame_format(message))
        self._frames[message.id] = frame
        self._render_into(frame.firstCursorPosition(), message)

    @Slot()
    def _render_dirty(self) -> None:
        at_bottom = self._at_bottom()
        for message_id in self._dirty:
            message = self._message(message_id)
            frame = self._frames.get(message_id)
            if message is None or frame is None:
                continue
            cursor = frame.firstCursorPosition()
            cursor.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
            cursor.beginEditBlock()
            cursor.removeSelectedText()
            self._render_into(cursor, message)
            cursor.endEditBlock()
        self._dirty.clear()
        if at_bottom:
            self._scroll_to_bottom()

    def _render_into(self, cursor: QTextCursor, message: Message) -> None:
        header = QTextCharFormat()
        header.setFontWeight(QFont.Weight.Bold)
        header.setForeground(self.palette().color(QPalette.ColorRole.Text))
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.insertText(
            self.tr("You") if message.role is Role.USER else self.tr("Assistant"), header
        )
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        if message.role is Role.USER or len(message.content) > DISPLAY_LIMIT * 4:
            cursor.insertText(message.content[:DISPLAY_LIMIT], QTextCharFormat())
        elif message.content:
            start = cursor.position()
            cursor.insertMarkdown(message.content, _MARKDOWN)
            self._tint_code(start, cursor.position())
        note = self._status_note(message)
        # After a code block, Markdown leaves an empty last block in the code's format.
        trailing_empty = bool(message.content) and not cursor.block().text()
        if trailing_empty:
            cursor.setBlockFormat(QTextBlockFormat())
        lines = [note] if note else []
        shown = DISPLAY_LIMIT if message.role is Role.USER else DISPLAY_LIMIT * 4
        if len(message.content) > shown:
            lines.append(
                (
                    self.tr("… Showing the first %1 of %2 characters.")
                    .replace("%1", self.locale().toString(DISPLAY_LIMIT))
                    .replace("%2", self.locale().toString(len(message.content))),
                    self.palette().color(QPalette.ColorRole.PlaceholderText),
                )
            )
        if message.context_omitted:
            count = message.context_omitted
            lines.append(
                (
                    self.tr(
                        "%n earlier message(s) were left out to fit the model's context window.",
                        "",
                        count,
                    ),
                    self.palette().color(QPalette.ColorRole.PlaceholderText),
                )
            )
        for text, color in lines:
            fmt = QTextCharFormat()
            fmt.setForeground(color)
            fmt.setFontItalic(True)
            if cursor.block().text():
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertText(text, fmt)
        actions = self._actions(message)
        if actions:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            for number, (action, label) in enumerate(actions):
                if number:
                    cursor.insertText("   ", QTextCharFormat())
                cursor.insertText(
                    label, self._link_format(f"{ACTION_SCHEME}:{action}/{message.id}")
                )
        elif trailing_empty and not lines:
            collapsed = QTextBlockFormat()
            collapsed.setLineHeight(0, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            cursor.setBlockFormat(collapsed)

    def _actions(self, message: Message) -> list[tuple[str, str]]:
        """Retry and Continue, under the last reply when it failed or stopped early."""
        conversation = self._conversation
        if (
            conversation is None
            or conversation.read_only
            or not conversation.messages
            or conversation.messages[-1] is not message
            or message.role is not Role.ASSISTANT
        ):
            return []
        if message.status is MessageStatus.ERROR:
            return [(RETRY, self.tr("Retry"))]
        if message.status is MessageStatus.PARTIAL:
            actions = [(RETRY, self.tr("Retry"))]
            if message.content:
                actions.append((CONTINUE, self.tr("Continue")))
            return actions
        return []

    def _link_format(self, href: str) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setForeground(self.palette().color(QPalette.ColorRole.Link))
        fmt.setFontUnderline(True)
        return fmt

    @Slot(QUrl)
    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == ACTION_SCHEME:
            action, _, message_id = url.path().partition("/")
            self.action_requested.emit(action, message_id)
        elif url.scheme().lower() in SAFE_LINK_SCHEMES:
            QDesktopServices.openUrl(url)

    def _tint_code(self, start: int, end: int) -> None:
        """Give code blocks and inline code a background, as readers of Markdown expect."""
        palette = self.palette()
        tint = _mix(
            palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.06
        )
        code_block = QTextBlockFormat()
        code_block.setBackground(tint)
        code_block.setLeftMargin(4)
        code_block.setRightMargin(4)
        inline_code = QTextCharFormat()
        inline_code.setBackground(tint)
        block = self.document().findBlock(start)
        while block.isValid() and block.position() <= end:
            cursor = QTextCursor(block)
            if block.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence):
                cursor.mergeBlockFormat(code_block)
            else:
                fragments = block.begin()
                while not fragments.atEnd():
                    fragment = fragments.fragment()
                    if fragment.charFormat().fontFixedPitch():
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(
                            fragment.position() + fragment.length(),
                            QTextCursor.MoveMode.KeepAnchor,
                        )
                        cursor.mergeCharFormat(inline_code)
                    fragments += 1
            block = block.next()

    def _status_note(self, message: Message) -> tuple[str, QColor] | None:
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        if message.status is MessageStatus.STREAMING:
            if message.error:  # a retry is under way
                return message.error, muted
            return (self.tr("Thinking…"), muted) if not message.content else None
        if message.status is MessageStatus.PARTIAL:
            return message.error or self.tr("Stopped: this reply is incomplete."), muted
        if message.status is MessageStatus.ERROR:
            return message.error or self.tr("The reply failed."), QColor("#c62828")
        return None

    def _frame_format(self, message: Message) -> QTextFrameFormat:
        fmt = QTextFrameFormat()
        fmt.setPadding(12)
        fmt.setTopMargin(6)
        fmt.setBottomMargin(6)
        if message.role is Role.USER:
            palette = self.palette()
            base = palette.color(QPalette.ColorRole.Base)
            accent = palette.color(QPalette.ColorRole.Highlight)
            fmt.setBackground(_mix(base, accent, 0.12))
        return fmt

    def _at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def _scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )
