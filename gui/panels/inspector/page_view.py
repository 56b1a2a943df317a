"""The Inspector's body: the page of formula lines (formula.Page) shown as HTML, packed to its width, and
scrolled to the section of the phase the training is in.

A text browser, not a label: prose wraps to the width while formula lines keep their layout
(white-space: pre) and scroll sideways when a full-precision term is wider than the panel. Re-rendering
after every step must not throw the reader back to the top of a long explanation; only when the training
moves on to another section (forward → backward → update) does the view scroll, so the lines of the
current phase are in sight without the reader scrolling.
"""

from __future__ import annotations

from backprop_studio.gui.panels.inspector.formula import Line
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget


class PageView(QTextBrowser):
    """The page shown, its width in characters, and where it is scrolled to."""

    repack_needed = Signal()  # the width in characters changed: the page should be packed again

    def __init__(self, mono: QFont, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mono = mono
        self.columns = 0  # the width in characters the page shown was packed to
        self.lines: list[Line] = []  # the page shown
        self._section_key: tuple | None = None  # (selection, section) last scrolled to
        self._pending_section: str | None = None  # scrolled to while hidden: again once laid out
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self.viewport().installEventFilter(self)

    def fit_columns(self) -> int:
        """The width in characters to pack the next page to (kept as `columns`)."""
        self.columns = self._columns_available()
        return self.columns

    def _columns_available(self) -> int:
        # Reserve the scroll bar even when it is hidden: packing must not depend on whether it shows,
        # or a long explanation would re-pack itself as the bar appears and disappears.
        bar = self.verticalScrollBar().sizeHint().width()
        viewport = self.viewport().width()
        if self.verticalScrollBar().isVisible():
            viewport += self.verticalScrollBar().width()
        width = viewport - bar - 8
        advance = QFontMetricsF(self._mono).horizontalAdvance("0") or 7.0
        return max(int(width / advance), 24)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Sums are packed to the width, so re-pack when the viewport changes width.
        if (
            watched is self.viewport()
            and event.type() == QEvent.Type.Resize
            and self._columns_available() != self.columns
        ):
            self.repack_needed.emit()
        return super().eventFilter(watched, event)

    def show_page(self, lines: list[Line], html: str, key: tuple, section: str | None) -> bool:
        """Show `html`, the page of `lines`, where the reader was; when `key` (selection, section) is
        new, scroll to the heading of `section` instead. True when it scrolled there."""
        self.lines = lines
        bars = (self.verticalScrollBar(), self.horizontalScrollBar())
        positions = [bar.value() for bar in bars]
        self.setHtml(html)
        if key != self._section_key and self._scroll_to_section(section):
            self._section_key = key
            return True
        for bar, position in zip(bars, positions):
            bar.setValue(position)
        return False

    def clear_page(self) -> None:
        self.lines = []
        self.clear()

    def section_heading(self, section: str | None) -> str | None:
        """The heading text of `section` on the page shown, or None when the page has no such section."""
        return next((line.text for line in self.lines if line.style == section), None)

    def section_visible(self, section: str | None) -> bool:
        """Whether the heading of `section` and the line under it are inside the visible part."""
        top = self._heading_top(section)
        if top is None:
            return False
        shown = self.verticalScrollBar().value()
        line = QFontMetricsF(self.font()).lineSpacing()
        return shown <= top and top + 2 * line <= shown + self.viewport().height()

    def scroll_pending(self) -> None:
        """Scroll to the section asked for while hidden, now that the Inspector is shown."""
        if self._pending_section is not None:
            section = self._pending_section
            # After this event the body has its size and the document its layout for that width.
            QTimer.singleShot(0, lambda: self._scroll_to_section(section))

    def _heading_top(self, section: str | None) -> float | None:
        heading = self.section_heading(section)
        if heading is None:
            return None
        document = self.document()
        for number in range(document.blockCount()):
            block = document.findBlockByNumber(number)
            if block.text() == heading:
                return document.documentLayout().blockBoundingRect(block).top()
        return None

    def _scroll_to_section(self, section: str | None) -> bool:
        top = self._heading_top(section)
        if top is None:
            return False
        if not self.isVisible():
            # A hidden tab has no real size yet: its scroll range is wrong. Scroll once it is shown.
            self._pending_section = section
        else:
            self._pending_section = None
        self.verticalScrollBar().setValue(int(top))
        self.horizontalScrollBar().setValue(0)
        # The text was just set: its layout (and so the heading's place and the scroll range) may only be
        # complete after this event. Look the heading up again then, and scroll there.
        QTimer.singleShot(0, lambda: self._scroll_again(section))
        return True

    def _scroll_again(self, section: str | None) -> None:
        top = self._heading_top(section)
        if top is not None and self._section_key is not None and self._section_key[1] == section:
            self.verticalScrollBar().setValue(int(top))
