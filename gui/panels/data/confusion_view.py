"""The confusion matrix of a classifier, for the training and the test samples, as two heat grids.

Row = the true class, column = the class the network predicts; each cell holds its count. Diagonal cells
(right answers) are tinted blue and the others (mistakes) orange, stronger the larger their share of
the row, so a good classifier reads as a dark blue diagonal. Accuracy is written above each grid; the two
grids share one column of row labels, and column labels turn on their side when they do not fit.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.analysis.confusion import ConfusionFrame
from backprop_studio.core.display.numbers import format_number
from backprop_studio.gui.panels.data.legend import dot, joined
from backprop_studio.gui.style.colors import RGB, mix, palette, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

SPLITS = ("train", "test")
TITLES = {"train": "Training samples", "test": "Test samples"}
_MARGIN = 8.0


def accuracy_line(frame: ConfusionFrame, split: str) -> str:
    """ "accuracy 93.3% (140 of 150)" for `split`, or why there is none."""
    counts = frame.train if split == "train" else frame.test
    total = frame.total_train if split == "train" else frame.total_test
    counted = int(counts.sum())
    if total == 0:
        return "no samples"
    right = int(np.trace(counts))
    text = f"accuracy {format_number(100 * right / counted, 3)}% ({right:,}/{counted:,})"
    if counted < total:
        text += f", first {counted:,} of {total:,} counted"
    return text


class ConfusionView(QWidget):
    """Paints the training and test confusion matrices side by side, sharing the row labels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dark = False
        self.frame: ConfusionFrame | None = None
        self._painted: dict[tuple[str, int, int], str] = {}  # the count text drawn in each cell
        self._cells: dict[tuple[str, int, int], QRectF] = {}
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(420, 300)

    def minimumSizeHint(self) -> QSize:
        # Small like the plots beside it: the window's docks put a taller panel in a scroll area.
        return QSize(80, 60)

    def set_frame(self, frame: ConfusionFrame | None) -> None:
        self.frame = frame
        self.update()

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self.update()

    # ----------------------------------------------------------------- readable by tests

    def displayed_counts(self, split: str) -> np.ndarray:
        """(k, k) the counts as last painted in `split`'s cells (row = true class)."""
        k = 0 if self.frame is None else len(self.frame.names)
        out = np.full((k, k), -1, dtype=np.int64)
        for (s, i, j), text in self._painted.items():
            if s == split and i < k and j < k:
                out[i, j] = int(text.replace(",", ""))
        return out

    def cell_center(self, split: str, true: int, predicted: int) -> tuple[float, float] | None:
        """Where the cell was last painted (widget pixels), for hovering in tests."""
        rect = self._cells.get((split, true, predicted))
        return None if rect is None else (rect.center().x(), rect.center().y())

    # ----------------------------------------------------------------- painting

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = palette(self.dark)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), qcolor(p.background))
        self._painted.clear()
        self._cells.clear()
        if self.frame is None or not self.frame.names:
            painter.setPen(qcolor(p.muted))
            painter.setFont(font(13))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "No classes: the data is not a classification"
            )
            painter.end()
            return
        self._paint_grids(painter, QRectF(self.rect()).adjusted(_MARGIN, _MARGIN, -_MARGIN, -_MARGIN))
        painter.end()

    def _paint_grids(self, painter: QPainter, box: QRectF) -> None:
        """Both grids in a row, sharing one column of row labels (the true classes) on the left."""
        frame = self.frame
        assert frame is not None
        p = palette(self.dark)
        names, k = frame.names, len(frame.names)
        label_font = font(max(10.0, min(13.0, box.height() / 18)))
        metrics = QFontMetricsF(label_font)
        row_label_w = min(box.width() * 0.3, max(metrics.horizontalAdvance(n) for n in names) + 10)
        row_label_w = max(row_label_w, metrics.horizontalAdvance("true ↓") + 10)
        gap = 14.0
        grid_w = (box.width() - row_label_w - gap) / 2
        title_px = max(11.0, min(14.0, box.height() / 16))
        line = title_px * 1.45
        widest = max(metrics.horizontalAdvance(n) for n in names)
        cell = grid_w / k
        # Column labels lie on their side when they do not fit across a cell.
        upright = widest <= cell - 4
        header_h = metrics.height() + (metrics.height() if upright else min(widest, 90.0)) + 6
        top = box.top() + 2 * line + 4
        cell = max(4.0, min(cell, (box.bottom() - top - header_h) / k))
        grid_top = top + header_h
        painter.setFont(label_font)
        painter.setPen(qcolor(p.muted))
        painter.drawText(
            QRectF(box.left(), grid_top - metrics.height() - 4, row_label_w - 8, metrics.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
            "true ↓",
        )
        painter.setPen(qcolor(p.text))
        for i, name in enumerate(names):
            rect = QRectF(box.left(), grid_top + i * cell, row_label_w - 8, cell)
            text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, row_label_w - 10)
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        for n, split in enumerate(SPLITS):
            left = box.left() + row_label_w + n * (grid_w + gap)
            self._paint_titles(painter, split, QRectF(left, box.top(), grid_w, line), title_px)
            painter.setFont(label_font)
            painter.setPen(qcolor(p.muted))
            painter.drawText(
                QRectF(left, top, cell * k, metrics.height()), Qt.AlignmentFlag.AlignHCenter, "predicted →"
            )
            painter.setPen(qcolor(p.text))
            for j, name in enumerate(names):
                self._paint_column_label(
                    painter,
                    metrics,
                    name,
                    left + j * cell,
                    cell,
                    top + metrics.height(),
                    header_h - metrics.height() - 4,
                    upright,
                )
            self._paint_cells(painter, split, left, grid_top, cell)

    def _paint_titles(self, painter: QPainter, split: str, rect: QRectF, px: float) -> None:
        assert self.frame is not None
        p = palette(self.dark)
        painter.setFont(font(px, bold=True))
        painter.setPen(qcolor(p.text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft, TITLES[split])
        painter.setFont(font(px * 0.85))
        painter.setPen(qcolor(p.muted))
        below = rect.translated(0, rect.height())
        text = QFontMetricsF(painter.font()).elidedText(
            accuracy_line(self.frame, split), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft, text)

    @staticmethod
    def _paint_column_label(
        painter: QPainter,
        metrics: QFontMetricsF,
        name: str,
        x: float,
        cell: float,
        y: float,
        h: float,
        upright: bool,
    ) -> None:
        if upright:
            painter.drawText(QRectF(x, y, cell, h), Qt.AlignmentFlag.AlignCenter, name)
            return
        text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, h)
        painter.save()
        painter.translate(x + cell / 2 + metrics.ascent() / 2 - metrics.descent(), y + h)
        painter.rotate(-90)
        painter.drawText(0, 0, text)
        painter.restore()

    def _paint_cells(self, painter: QPainter, split: str, left: float, top: float, cell: float) -> None:
        assert self.frame is not None
        p = palette(self.dark)
        counts = self.frame.train if split == "train" else self.frame.test
        k = len(counts)
        rows = counts.sum(axis=1)
        count_font = font(max(9.0, min(16.0, cell / 3.2)), bold=True)
        painter.setFont(count_font)
        count_metrics = QFontMetricsF(count_font)
        for i in range(k):
            for j in range(k):
                share = counts[i, j] / rows[i] if rows[i] else 0.0
                rect = QRectF(left + j * cell, top + i * cell, cell, cell)
                painter.fillRect(rect.adjusted(1, 1, -1, -1), qcolor(self._cell_color(i == j, share)))
                text = f"{int(counts[i, j]):,}"
                self._painted[(split, i, j)] = text
                self._cells[(split, i, j)] = rect
                if count_metrics.horizontalAdvance(text) > cell - 2:
                    continue  # too small to read: the tooltip still names it
                painter.setPen(qcolor(p.background if share > 0.55 else p.text))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _cell_color(self, diagonal: bool, share: float) -> RGB:
        p = palette(self.dark)
        hue = p.positive if diagonal else p.negative
        # A faint gray for empty cells keeps the grid visible; the rest deepen with their row share.
        empty = mix(p.background, p.muted, 0.12)
        return mix(empty, hue, 0.15 + 0.85 * share) if share > 0 else empty

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) and self.frame is not None:
            pos = QPointF(event.pos())
            for (split, i, j), rect in self._cells.items():
                if rect.contains(pos):
                    names = self.frame.names
                    n = self._painted[(split, i, j)]
                    QToolTip.showText(
                        event.globalPos(),
                        f"{TITLES[split]}: {n} of class {names[i]} predicted as {names[j]}",
                        self,
                    )
                    return True
            QToolTip.hideText()
        return super().event(event)


def legend(dark: bool) -> str:
    """How to read the grids (rich text)."""
    p = palette(dark)
    parts = [
        "rows: true class, columns: predicted",
        f"{dot(p.positive, '■')} right {dot(p.negative, '■')} wrong (stronger = more of the row)",
    ]
    return joined(parts, dark)
