"""The open conversation, rendered as one rich-text document with a frame per message.

One document (not a widget per message) keeps selection, find and scrolling natural.
Updates are coalesced to the frame rate, each message renders only what changed in it
(see `message_render`), and a long conversation shows its newest messages first and
fills in the older ones above in short slices.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QHelpEvent,
    QHideEvent,
    QImage,
    QPalette,
    QShowEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QTextBrowser, QToolTip, QWidget

from ...domain import Conversation, Message
from ...markdown import code_texts
from ...render.math import Formulas, MathObjects, text_with_sources
from .attachment_cards import AttachmentContent
from .code_highlight import CodeHighlighter
from .drops import AttachmentDrops
from .find_marks import FindMarks
from .message_actions import ActionBar, Offered
from .message_render import (
    ACTION_SCHEME,
    DETAILS_PROPERTY,
    Action,
    MessageContext,
    MessageRenderer,
    Rendered,
)
from .reading_column import ReadingColumn
from .scroll_follow import ScrollFollow
from .thoughts import is_thinking, message_of

FRAME_INTERVAL_MS = 16
FRAME_BUDGET_S = 0.004
"""Of each frame, at most this long is spent writing messages (a long reply takes several);
Qt then lays out what changed, a few milliseconds more."""
COLOUR_SLICE_S = 0.002
"""Code is coloured this long a frame at most, in an event-loop turn of its own after the
frame's writing: keys and clicks are handled between the two."""
MATH_SLICE_S = 0.002  # formulas come back typeset: laid out again this long a frame at most
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
FIRST_MESSAGES = 30  # rendered before the first paint when a chat opens; older ones follow
BACKFILL_SLICE_S = 0.008
REVEAL_MARGIN_PX = 12  # space left above a message scrolled to the top of the view
THINKING_TICK_MS = 1000  # how often "Thinking… 12 s" counts on


class MessageView(AttachmentDrops, QTextBrowser):
    action_requested = Signal(str, str, str)
    """(action, message id, argument): Retry, Continue, Edit, Regenerate, a version,
    viewing an attached image."""
    files_offered = Signal(list)
    """Files dropped on the conversation: to attach to the next question."""
    image_offered = Signal(QImage)

    def __init__(self, formulas: Formulas | None = None, parent: QWidget | None = None) -> None:
        """`formulas`: typesets on a worker, shared by the app's windows; without one,
        formulas are typeset here, as they are drawn."""
        super().__init__(parent)
        self.setObjectName("messageView")
        self.setAccessibleName(self.tr("Conversation"))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_link)
        # Nothing here is edited by the user: an undo history would only keep every
        # rendered frame of every reply in memory.
        self.document().setUndoRedoEnabled(False)
        option = self.document().defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDefaultTextOption(option)
        self.setAcceptDrops(True)
        self.highlighter = CodeHighlighter(self.document(), self, wanted=self._want_frame)
        self.attachment_content = AttachmentContent(
            lambda: self._renderer.code_background(), self.palette
        )
        """Previews and file texts: the panel's attachment flows load them into it."""
        self._renderer = MessageRenderer(
            self.document(),
            self.palette,
            self.locale,
            self.highlighter,
            self.attachment_content.file_text,
        )
        self.formulas = formulas or Formulas(None)
        self._math = MathObjects(self.formulas, lambda: self._renderer.style.colour("text"), self)
        self._math.install(self.document())
        self.formulas.ready.connect(self._on_formulas_typeset)
        self.can_retry: Callable[[], bool] = lambda: True
        """Whether asking again for the last reply may work."""
        self._opened: dict[str, frozenset[int]] = {}
        self._thoughts_open: dict[str, bool] = {}
        self._conversation: Conversation | None = None
        self._restyle_when_shown = False
        self._rendered: dict[str, Rendered] = {}
        self._dirty: set[str] = set()
        self._older: list[Message] = []
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.setInterval(FRAME_INTERVAL_MS)
        self._frame_timer.timeout.connect(self._render_dirty)
        self._colour_timer = QTimer(self)
        self._colour_timer.setSingleShot(True)
        self._colour_timer.setInterval(0)
        self._colour_timer.timeout.connect(self._colour)
        self._math_timer = QTimer(self)
        self._math_timer.setSingleShot(True)
        self._math_timer.setInterval(FRAME_INTERVAL_MS)
        self._math_timer.timeout.connect(self._on_formulas_typeset)
        self._backfill_timer = QTimer(self)
        self._backfill_timer.setSingleShot(True)
        self._backfill_timer.setInterval(0)
        self._backfill_timer.timeout.connect(self._backfill)
        self._tick = QTimer(self)
        self._tick.setSingleShot(True)
        self._tick.setInterval(THINKING_TICK_MS)
        self._tick.timeout.connect(self._count_thinking)
        self._scroll = ScrollFollow(self.verticalScrollBar())
        self._marks = FindMarks(self)
        self.column = ReadingColumn(self, lambda: self._renderer.style.colour("bubble"))
        self._renderer.bubble = self.column.shape
        self.action_bar = ActionBar(self, lambda: self._rendered, self._offered_for)
        self.action_bar.triggered.connect(self._on_action)
        self._update_style()

    @property
    def conversation_id(self) -> str | None:
        return self._conversation.id if self._conversation else None

    @property
    def fully_rendered(self) -> bool:
        """Every message is in the document, written whole."""
        return not self._older and not self._dirty

    def finish_rendering(self) -> None:
        """Write everything still to come now (older messages, the rest of long replies):
        before finding or revealing text, which must be in the document."""
        if self._older:
            self._backfill(deadline=float("inf"))
        self._render_dirty(deadline=float("inf"))

    def show_conversation(self, conversation: Conversation) -> None:
        """Show a conversation: its newest messages at once, older ones just after."""
        self._conversation = conversation
        self._rendered.clear()
        self._dirty.clear()
        self._frame_timer.stop()
        self._colour_timer.stop()
        self._backfill_timer.stop()
        self._scroll.let_go()
        self.highlighter.forget()
        self._math.forget()
        self._marks.clear()
        self.document().clear()
        self.column.fit(again=True)  # clearing gave the document a new root frame
        self._restyle_when_shown = False
        messages = conversation.messages
        self._older = messages[: max(0, len(messages) - FIRST_MESSAGES)]
        # Their frames first, in order; then their text, the newest (on screen) first, for
        # as long as a frame allows: a long reply goes on over the next frames.
        for message in messages[len(self._older) :]:
            self._append(message, deadline=float("-inf"))
        self._render_dirty()
        # The widget keeps its own cursor in view: at the start it would pull the view up
        # each time older messages are inserted there.
        self.moveCursor(QTextCursor.MoveOperation.End)
        self._scroll.to_bottom()
        if self._older:
            self._backfill_timer.start()

    def add_message(self, message_id: str) -> None:
        message = self._message(message_id)
        if message is None or message_id in self._rendered:
            return
        at_bottom = self._scroll.at_bottom()
        previous = next(reversed(self._rendered), None)
        self._append(message)
        if previous is not None:
            self.refresh_message(previous)  # no longer last: its actions change
        if at_bottom or message.role.value == "user":
            self._scroll.to_bottom()

    def refresh_message(self, message_id: str) -> None:
        """Re-render a message at the next frame, however many times this is called before it."""
        if message_id in self._rendered:
            self._dirty.add(message_id)
            self._want_frame()

    def reveal(self, message_id: str, words: str = "") -> bool:
        """Scroll a message to the top of the view and highlight it, and the first place
        in it where `words` occur. False if the message is not in this conversation."""
        # Where it is depends on everything above it being written.
        self.finish_rendering()
        rendered = self._rendered.get(message_id)
        if rendered is None:
            return False
        self._marks.reveal(rendered.frame, words)
        self._scroll.let_go()
        self._scroll_to_cursor(rendered.frame.firstCursorPosition())
        return True

    def find_all(
        self, text: str, *, backwards: bool = False, step: bool = False
    ) -> tuple[int, int]:
        """Highlight every place `text` occurs and bring the current one into view; with
        `step`, move to the next (or previous) one. Returns (current, count), 1-based."""
        self.finish_rendering()
        place, current, count = self._marks.find(text, backwards=backwards, step=step)
        if place is not None:
            self._scroll.let_go()
            # A third of the way down, so the text before the match shows too.
            self._scroll_to_cursor(place, self.viewport().height() // 3)
        return current, count

    def clear_found(self) -> None:
        self._marks.clear_found()

    def _scroll_to_cursor(self, cursor: QTextCursor, margin: int = REVEAL_MARGIN_PX) -> None:
        top = self.cursorRect(cursor).top()  # lays the document out that far if needed
        bar = self.verticalScrollBar()
        self._scroll.move_to(bar.value() + top - margin)

    def message_text(self, message_id: str) -> str:
        """The text shown for a message, as a user would copy it."""
        frame = self._rendered[message_id].frame
        cursor = frame.firstCursorPosition()
        cursor.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
        return cursor.selection().toPlainText()

    # --- rendering -------------------------------------------------------------------

    def _message(self, message_id: str) -> Message | None:
        if self._conversation is None:
            return None
        return next((m for m in reversed(self._conversation.messages) if m.id == message_id), None)

    def _context(self, message: Message) -> MessageContext:
        conversation = self._conversation
        assert conversation is not None
        messages = conversation.messages
        is_last = bool(messages) and messages[-1] is message
        versions = (0, 1)
        if conversation.branches:
            index = len(messages) - 1 if is_last else messages.index(message)
            alternatives = conversation.alternatives(index)
            if alternatives:
                versions = (alternatives.index(None), len(alternatives))
        self.attachment_content.know(message.attachments)
        return MessageContext(
            is_last=is_last,
            read_only=conversation.read_only,
            retry=is_last and self.can_retry(),
            versions=versions,
            opened=self._opened.get(message.id, frozenset()),
            thoughts_open=self._thoughts_open.get(message.id),
        )

    def toggle_thoughts(self, message_id: str) -> None:
        """Unfold a reply's thoughts, or fold them."""
        message = self._message(message_id)
        if message is not None and message.reasoning:
            shown = self._thoughts_open.get(message_id, is_thinking(message))
            self._thoughts_open[message_id] = not shown
            self.refresh_message(message_id)

    def focusNextPrevChild(self, next: bool) -> bool:
        moved = super().focusNextPrevChild(next)
        if moved and self.hasFocus():  # Tab went to a link: its message's actions follow
            self.action_bar.follow_cursor()
        return moved

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copy gives plain text, formulas as their LaTeX source (not as pictures)."""
        data = QMimeData()
        data.setText(text_with_sources(self.textCursor()))
        return data

    def _append(self, message: Message, deadline: float | None = None) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self._insert(cursor, message, deadline)

    def _insert(self, cursor: QTextCursor, message: Message, deadline: float | None) -> None:
        if deadline is None:
            deadline = time.perf_counter() + FRAME_BUDGET_S
        rendered, done = self._renderer.insert(cursor, message, self._context(message), deadline)
        self._rendered[message.id] = rendered
        if not done:
            self.refresh_message(message.id)

    @Slot()
    def _render_dirty(self, deadline: float | None = None) -> None:
        """Bring the messages asked for up to date, the newest first, for as long as a
        frame allows (or until `deadline`); what is left goes on at the next frame."""
        if deadline is None:
            deadline = time.perf_counter() + FRAME_BUDGET_S
        at_bottom = self._scroll.at_bottom()
        waiting = [m for m in reversed(self._rendered) if m in self._dirty]
        self._dirty.clear()
        for message_id in waiting:
            message = self._message(message_id)
            if message is None:
                continue
            rendered = self._rendered[message_id]
            cursor = QTextCursor(self.document())
            cursor.beginEditBlock()  # one layout for the message's changes
            done = self._renderer.update(rendered, message, self._context(message), deadline)
            cursor.endEditBlock()
            if not done:
                self._dirty.add(message_id)
            if is_thinking(message) and not self._tick.isActive():
                self._tick.start()
        if deadline == float("inf"):
            self.highlighter.finish()
        elif self.highlighter.pending:
            self._colour_timer.start()
        if self._dirty:
            self._want_frame()
        if at_bottom:
            self._scroll.to_bottom()
        self.action_bar.place()

    def _offered_for(self, message_id: str) -> Offered | None:
        message = self._message(message_id)
        return None if message is None else self._renderer.offered(message, self._context(message))

    @Slot(str, str)
    def _on_action(self, action: str, message_id: str) -> None:
        """A button of a message's bar."""
        if action == Action.COPY:
            self._copy(message_id, None)
        else:
            self.action_requested.emit(action, message_id, "")

    @Slot()
    def _count_thinking(self) -> None:
        """A second on: the replies still thinking say so."""
        for message in (self._conversation.messages if self._conversation else [])[-2:]:
            if is_thinking(message):
                self.refresh_message(message.id)

    @Slot()
    def _colour(self) -> None:
        """A slice of code colouring; the rest at the next frames."""
        self.highlighter.work(time.perf_counter() + COLOUR_SLICE_S)
        if self.highlighter.pending:
            self._want_frame()

    def _want_frame(self) -> None:
        """Work is waiting: do it at the next frame (while shown)."""
        if self.isVisible() and not self._frame_timer.isActive():
            self._frame_timer.start()

    @Slot()
    def _backfill(self, deadline: float | None = None) -> None:
        """Render some of the older messages above the ones shown, keeping the view still
        (all of them, given no deadline)."""
        self._scroll.keep_still()
        if deadline is None:
            deadline = time.perf_counter() + BACKFILL_SLICE_S
        rendered = dict(self._rendered)
        self._rendered.clear()
        while self._older and time.perf_counter() < deadline:
            message = self._older.pop()
            cursor = QTextCursor(self.document())
            cursor.movePosition(QTextCursor.MoveOperation.Start)
            self._insert(cursor, message, deadline)
        # Keep display order (oldest first) in the dict too: "the last message" uses it.
        older_first = dict(reversed(list(self._rendered.items())))
        self._rendered = older_first | rendered
        if self._older:
            self._backfill_timer.start()

    @Slot()
    def _on_formulas_typeset(self) -> None:
        """Formulas shown as their source came back typeset: a slice of them is laid out
        again now, the rest at the next frames."""
        self.formulas.take_announcement()
        at_bottom = self._scroll.at_bottom()
        if not self._math.lay_out_typeset(time.perf_counter() + MATH_SLICE_S):
            self._math_timer.start()
        if at_bottom:
            self._scroll.to_bottom()

    def _update_style(self) -> None:
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        self.highlighter.set_colours(
            dark, self._renderer.code_background(), palette.color(QPalette.ColorRole.Text)
        )

    # --- links and tooltips ----------------------------------------------------------

    @Slot(QUrl)
    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == ACTION_SCHEME:
            action, _, rest = url.path().partition("/")
            message_id, _, argument = rest.partition("/")
            if action == Action.COPY:
                self._copy(message_id, None)
            elif action == Action.COPY_CODE:
                self._copy(message_id, int(argument or 0))
            elif action == Action.TOGGLE_FILE:
                self.toggle_file(message_id, int(argument or 0))
            elif action == Action.TOGGLE_THOUGHTS:
                self.toggle_thoughts(message_id)
            else:
                self.action_requested.emit(action, message_id, argument)
        elif url.scheme().lower() in SAFE_LINK_SCHEMES:
            QDesktopServices.openUrl(url)

    def copy_message(self, message_id: str) -> None:
        self._copy(message_id, None)

    def _copy(self, owner: str, code_block: int | None) -> None:
        message_id, in_thoughts = message_of(owner)
        message = self._message(message_id)
        if message is None:
            return
        text = message.reasoning if in_thoughts else message.content
        if code_block is not None:
            blocks = code_texts(text)
            if not 0 <= code_block < len(blocks):
                return
            text = blocks[code_block]
        QGuiApplication.clipboard().setText(text)
        QToolTip.showText(self.cursor().pos(), self.tr("Copied"), self)

    def tooltip_for(self, cursor: QTextCursor) -> str:
        """The tooltip for the text at `cursor`: a message's details on its author's name."""
        fmt = cursor.charFormat()
        message_id = fmt.stringProperty(DETAILS_PROPERTY)
        if message_id:
            message = self._message(message_id)
            return self._renderer.details(message) if message is not None else ""
        return fmt.toolTip()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_for(self.cursorForPosition(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        if event.type() == QEvent.Type.PaletteChange:
            self._renderer.restyle()
            self._update_style()
            if self._conversation is not None:
                # Light to dark or back: the messages' colours come from the palette. Not
                # while hidden (a window closing as the app quits): when next shown.
                if self.isVisible():
                    self.show_conversation(self._conversation)
                else:
                    self._restyle_when_shown = True
        return super().event(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._restyle_when_shown and self._conversation is not None:
            self.show_conversation(self._conversation)
        elif self._dirty or self.highlighter.pending:
            self._want_frame()

    def hideEvent(self, event: QHideEvent) -> None:
        # Nothing to draw for: the rest is written when shown again.
        self._frame_timer.stop()
        self._colour_timer.stop()
        super().hideEvent(event)
