"""The box the user writes in, with its attachments, its Attach and its Send / Stop buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QMimeData, QObject, Qt, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QKeyEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ... import design
from ...settings import SendKey
from ..icons import themed

if TYPE_CHECKING:
    from ...service import NewAttachment
    from .attachment_strip import AttachmentStrip

MIN_LINES = 2
MAX_LINES = 10
"""Until the window is known; then the box grows to MAX_SHARE of its height."""
MAX_SHARE = 0.4
SEND_SIZE = 32
_CARD_STYLE = (
    "QFrame#composerCard {{ border: 1px solid {outline}; border-radius: 16px;"
    " background: palette(base); }}"
    'QFrame#composerCard[focused="true"] {{ border: 1.5px solid palette(highlight); }}'
    "QPlainTextEdit#composerEdit {{ background: transparent; }}"
    "QToolButton#sendButton {{ background: palette(highlight); border: none;"
    " border-radius: 16px; }}"
    "QToolButton#sendButton:disabled {{ background: palette(mid); }}"
)
"""The card's outline is the design's (≥ 3:1 on its background in both themes): the
palette's own mid-tones all but vanish on a dark background."""


def card_style(palette: QPalette) -> str:
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return _CARD_STYLE.format(outline=(design.DARK if dark else design.LIGHT).outline)


# Qt wraps one paragraph in a single pass whose cost grows with the square of its length
# when it has no spaces: 400,000 characters take 6 s. Longer lines are shown unwrapped.
LONGEST_WRAPPED_LINE = 20_000
LARGE_PASTE = 100_000
"""Text longer than this is kept beside the box as one block, not laid out in it: Qt lays
out a 5 MB line in ~2 s, a 5 MB text of short lines in ~0.3 s. It is sent after what was
typed."""


class ComposerEdit(QPlainTextEdit):
    """Enter sends and Shift+Enter starts a new line; or, if the user prefers, Ctrl+Enter
    sends and Enter starts a new line. Ctrl+Enter sends either way."""

    submitted = Signal()
    large_paste = Signal(str)
    """Text too long to lay out in the box was pasted (or dropped): it was not inserted."""
    files_offered = Signal(list)
    """Local files were pasted or dropped (their paths): to attach, not to insert."""
    image_offered = Signal(QImage)
    """A picture without a file was pasted or dropped (a screenshot tool's copy)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.send_key = SendKey.ENTER

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return carries_attachments(source) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if hand_over_attachments(source, self.files_offered.emit, self.image_offered.emit):
            return
        if source.hasText():
            text = source.text()
            if len(text) > LARGE_PASTE:
                self.large_paste.emit(text)
                return
            self.prepare_for(text)
        super().insertFromMimeData(source)

    def prepare_for(self, text: str) -> None:
        """Stop wrapping before a huge line arrives, so the window does not freeze on it."""
        if len(text) > LONGEST_WRAPPED_LINE and _longest_line(text) > LONGEST_WRAPPED_LINE:
            self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            modifiers = event.modifiers()
            ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
            shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            if ctrl or (self.send_key is SendKey.ENTER and not shift):
                self.submitted.emit()
            else:
                self.insertPlainText("\n")
            return
        super().keyPressEvent(event)


class PastedText(QFrame):
    """A long pasted text waiting to be sent: its size and first words, and Remove."""

    removed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pastedText")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.remove = QToolButton(self)
        self.remove.setText("✕")
        self.remove.setAccessibleName(self.tr("Remove the pasted text"))
        self.remove.setToolTip(self.tr("Remove the pasted text"))
        self.remove.clicked.connect(self.removed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 2, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.remove)

    def show_text(self, text: str) -> None:
        size = QLocale().toString(len(text))
        start = " ".join(text[:200].split())
        summary = self.tr("Pasted text, %1 characters").replace("%1", size)
        self.label.setText(f"{summary}:  {start}")
        self.setToolTip(summary)


class Composer(QWidget):
    send_requested = Signal(str)
    """Send was asked for: the text; the attachments are in `attachments()`."""
    text_changed = Signal()
    """What `text()` gives changed (typed, pasted, or set)."""
    stop_requested = Signal()
    attach_requested = Signal()
    files_offered = Signal(list)
    image_offered = Signal(QImage)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.strip: AttachmentStrip | None = None
        """Built with the first attachment: most messages have none."""
        self._pasted = ""
        self.pasted = PastedText(self)
        self.pasted.removed.connect(self._remove_pasted)
        self.pasted.hide()
        self.edit = ComposerEdit(self)
        self.edit.setObjectName("composerEdit")
        self.edit.setAccessibleName(self.tr("Message"))
        self.set_send_key(SendKey.ENTER)
        self.edit.setTabChangesFocus(True)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.edit.textChanged.connect(self._fit_height)
        self.edit.textChanged.connect(self.text_changed)
        self.edit.submitted.connect(self._on_submit)
        self.edit.large_paste.connect(self._add_pasted)
        self.edit.files_offered.connect(self.files_offered)
        self.edit.image_offered.connect(self.image_offered)
        self.attach_button = QToolButton(self)
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setAccessibleName(self.tr("Attach images or files"))
        self.attach_button.setToolTip(
            self.tr("Attach images or text files (Ctrl+U), or drop or paste them here")
        )
        self.attach_button.setAutoRaise(True)
        themed(self.attach_button, "paperclip", design.ICON_LARGE)
        self.attach_button.clicked.connect(self.attach_requested)
        # Send, turning into Stop while a reply streams: a round icon button in the card.
        self.button = QToolButton(self)
        self.button.setObjectName("sendButton")
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.button.setFixedSize(SEND_SIZE, SEND_SIZE)
        self.button.clicked.connect(self._on_button)
        self.edit.setFrameShape(QFrame.Shape.NoFrame)
        # One rounded card holds the chips, the text, and the buttons inside it.
        self.card = QFrame(self)
        self.card.setObjectName("composerCard")
        self.card.setStyleSheet(card_style(self.palette()))
        self.card.setMaximumWidth(design.READING_COLUMN_PX)
        row = QHBoxLayout()
        row.setSpacing(design.SPACE[1])
        row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.edit)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignBottom)
        self._card_layout = QVBoxLayout(self.card)
        self._card_layout.setContentsMargins(
            design.SPACE[1], design.SPACE[1], design.SPACE[1], design.SPACE[1]
        )
        self._card_layout.addWidget(self.pasted)
        self._card_layout.addLayout(row)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(self.card, 100)
        centred.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(
            design.SPACE[3], design.SPACE[1], design.SPACE[3], design.SPACE[3]
        )
        layout.addLayout(centred)
        self.edit.installEventFilter(self)
        self._streaming = False
        self._can_send = True
        self._reason = ""
        self._fit_height()
        self._update_button()

    def set_send_key(self, send_key: SendKey) -> None:
        self.edit.send_key = send_key
        if send_key is SendKey.CTRL_ENTER:
            hint = self.tr("Ask anything… (Ctrl+Enter to send, Enter for a new line)")
        else:
            hint = self.tr("Ask anything… (Enter to send, Shift+Enter for a new line)")
        self.edit.setPlaceholderText(hint)

    def set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self._update_button()

    def set_can_send(self, can_send: bool, reason: str = "") -> None:
        self._can_send = can_send
        self._reason = reason
        self._update_button()

    def text(self) -> str:
        """What Send would send: the typed text, then any long pasted text."""
        typed = self.edit.toPlainText()
        if not self._pasted:
            return typed
        return f"{typed}\n\n{self._pasted}" if typed.strip() else self._pasted

    def set_text(self, text: str) -> None:
        self._set_pasted("")
        if len(text) > LARGE_PASTE:
            self.edit.clear()
            self._set_pasted(text)
            return
        self.edit.prepare_for(text)
        self.edit.setPlainText(text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light to dark: the outline follows
            self.card.setStyleSheet(card_style(self.palette()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            # The card shows the focus ring the frameless text box no longer draws.
            self.card.setProperty("focused", event.type() == QEvent.Type.FocusIn)
            self.card.style().unpolish(self.card)
            self.card.style().polish(self.card)
        return super().eventFilter(watched, event)

    def add_attachment(self, item: NewAttachment, preview: QImage) -> None:
        if self.strip is None:
            from .attachment_strip import AttachmentStrip

            self.strip = AttachmentStrip(self)
            self.strip.changed.connect(self._update_button)
            self._card_layout.insertWidget(0, self.strip)  # chips inside the card, above
        self.strip.add(item, preview)

    def attachments(self) -> list[NewAttachment]:
        """What Send would send with the text, in the order attached."""
        return self.strip.items() if self.strip else []

    def attached(self) -> list[tuple[NewAttachment, QImage]]:
        """What Send would send with the text, each with the preview its chip shows."""
        if self.strip is None:
            return []
        return list(zip(self.strip.items(), self.strip.previews(), strict=True))

    def clear_attachments(self) -> None:
        if self.strip is not None:
            self.strip.clear()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if carries_attachments(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        # Dropped beside the text box (on the buttons, the chips, the margins).
        self.edit.insertFromMimeData(event.mimeData())
        event.acceptProposedAction()

    @Slot()
    def _on_submit(self) -> None:
        if self._streaming or not self._can_send:
            return
        text = self.text()
        if not text.strip() and not self.attachments():
            return
        self.set_text("")
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.send_requested.emit(text)

    @Slot(str)
    def _add_pasted(self, text: str) -> None:
        self._set_pasted(f"{self._pasted}\n\n{text}" if self._pasted else text)

    @Slot()
    def _remove_pasted(self) -> None:
        self._set_pasted("")
        self.edit.setFocus()

    def _set_pasted(self, text: str) -> None:
        changed = text != self._pasted
        self._pasted = text
        if text:
            self.pasted.show_text(text)
        self.pasted.setVisible(bool(text))
        if changed:
            self.text_changed.emit()

    @Slot()
    def _on_button(self) -> None:
        if self._streaming:
            self.stop_requested.emit()
        else:
            self._on_submit()

    def _update_button(self) -> None:
        if self._streaming:
            self.button.setText(self.tr("Stop"))
            self.button.setEnabled(True)
            themed(self.button, "square", design.ICON_SMALL, QPalette.ColorRole.HighlightedText)
            self.button.setToolTip(self.tr("Stop the reply (Esc)"))
        else:
            self.button.setText(self.tr("Send"))
            self.button.setEnabled(self._can_send)
            themed(self.button, "arrow-up", design.ICON_LARGE, QPalette.ColorRole.HighlightedText)
            self.button.setToolTip(self._reason or self.tr("Send (Enter)"))
        self.button.setAccessibleName(self.button.text())

    @Slot()
    def _fit_height(self) -> None:
        """As tall as the text (wrapped lines counted), from MIN_LINES up to about 40 % of
        the window; beyond that the box scrolls."""
        line = self.edit.fontMetrics().lineSpacing()
        shown = self.edit.document().documentLayout().documentSize().height()
        window = self.window()
        most = max(MIN_LINES, int(window.height() * MAX_SHARE / line)) if window else MAX_LINES
        lines = max(MIN_LINES, min(most, int(shown) or self.edit.blockCount()))
        margins = self.edit.contentsMargins()
        frame = 2 * self.edit.frameWidth() + int(2 * self.edit.document().documentMargin())
        self.edit.setFixedHeight(lines * line + frame + margins.top() + margins.bottom())


def _longest_line(text: str) -> int:
    return max(map(len, text.splitlines()), default=0)


def carries_attachments(source: QMimeData) -> bool:
    """Whether a paste or a drop carries local files or a picture: to attach, not insert."""
    return bool(offered_files(source)) or source.hasImage()


def hand_over_attachments(
    source: QMimeData,
    files: Callable[[list[str]], object],
    image: Callable[[QImage], object],
) -> bool:
    """Give what a paste or a drop carries to attach: its local files to `files`, or else
    its picture to `image`. False when it carries neither."""
    paths = offered_files(source)
    if paths:
        files(paths)
    elif source.hasImage():
        image(image_of(source))
    else:
        return False
    return True


def offered_files(source: QMimeData) -> list[str]:
    """The local files a paste or a drop carries (a file manager's copy), as paths."""
    if not source.hasUrls():
        return []
    urls = source.urls()
    if not urls or not all(url.isLocalFile() for url in urls):
        return []
    return [url.toLocalFile() for url in urls]


def image_of(source: QMimeData) -> QImage:
    """The picture a paste or a drop carries (some applications offer a pixmap)."""
    data = source.imageData()
    if isinstance(data, QImage):
        return data
    if isinstance(data, QPixmap):
        return data.toImage()
    return QImage()
