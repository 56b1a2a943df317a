"""Paints a Matrix view's `matrix_layout.Plan`: titles, formulas and shapes, operators, and each matrix as
its caption (symbol and shape), a bracketed grid of numbers and the selected cells tinted.

It paints with a QPainter only, no widget, so the Matrix dock (gui/panels/matrix_view) and a lesson
recording's side view (gui/recording/side_views.py, possibly on a worker thread) draw the same picture.
"""

from __future__ import annotations

from backprop_studio.core.teaching.matrix_form import Term
from backprop_studio.gui.canvas.matrix_layout import Placed, Plan
from backprop_studio.gui.style.colors import Palette, mix, qcolor
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen


def paint_plan(
    painter: QPainter,
    plan: Plan,
    pal: Palette,
    mono: QFont,
    bold: QFont,
    marks: dict[int, set[tuple[int, int]]],
    drawn: list[str] | None = None,
    line_scale: float = 1.0,
) -> None:
    """Everything in `plan`; `marks` maps id(term) to its highlighted (row, col) cells. Every text
    drawn is appended to `drawn` when given; `line_scale` thickens the brackets for large type."""
    _paint_texts(painter, plan, pal, mono, bold, drawn)
    for placed in plan.matrices:
        cells = marks.get(id(placed.term), set())
        _paint_matrix(painter, pal, placed.term, placed, mono, bold, cells, drawn)
        _paint_brackets(painter, pal, placed.box, line_scale)


def _paint_texts(
    painter: QPainter, plan: Plan, pal: Palette, mono: QFont, bold: QFont, drawn: list[str] | None
) -> None:
    flags = Qt.TextFlag.TextWordWrap
    for text in plan.texts:
        is_bold = text.style in ("title", "formula", "operator")
        painter.setFont(bold if is_bold else mono)
        color = pal.muted if text.style in ("shapes", "note") else pal.text
        painter.setPen(qcolor(color))
        align = Qt.AlignmentFlag.AlignVCenter if text.style == "operator" else Qt.AlignmentFlag.AlignTop
        painter.drawText(text.rect, int(align | Qt.AlignmentFlag.AlignLeft) | int(flags), text.text)
        if drawn is not None:
            drawn.append(text.text)


def _paint_matrix(
    painter: QPainter,
    pal: Palette,
    term: Term,
    placed: Placed,
    mono: QFont,
    bold: QFont,
    marks: set[tuple[int, int]],
    drawn: list[str] | None,
) -> None:
    painter.setFont(bold)
    painter.setPen(qcolor(pal.text))
    painter.drawText(
        placed.caption, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), term.symbol
    )
    symbol_w = QFontMetricsF(bold).horizontalAdvance(term.symbol + " ")
    painter.setFont(mono)
    painter.setPen(qcolor(pal.muted))
    painter.drawText(
        placed.caption.adjusted(symbol_w, 0, 0, 0),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
        term.shape_text,
    )
    tint = qcolor(mix(pal.background, pal.update, 0.3))
    for cell in placed.cells:
        if cell.r is not None and (cell.r, cell.c) in marks:
            painter.fillRect(cell.rect.adjusted(1, 1, -1, -1), tint)
        painter.setPen(qcolor(pal.text if cell.r is not None else pal.muted))
        painter.drawText(cell.rect, int(Qt.AlignmentFlag.AlignCenter), cell.text)
    if drawn is not None:
        drawn += [term.symbol, term.shape_text] + [cell.text for cell in placed.cells]


def _paint_brackets(painter: QPainter, pal: Palette, box: QRectF, scale: float = 1.0) -> None:
    """Square brackets left and right of a matrix; `scale` thickens them for large type."""
    painter.setPen(QPen(qcolor(pal.muted), 1.3 * scale))
    tick = 5.0 * scale
    for x, sign in ((box.left(), 1), (box.right(), -1)):
        painter.drawLine(QPointF(x, box.top()), QPointF(x, box.bottom()))
        painter.drawLine(QPointF(x, box.top()), QPointF(x + sign * tick, box.top()))
        painter.drawLine(QPointF(x, box.bottom()), QPointF(x + sign * tick, box.bottom()))
