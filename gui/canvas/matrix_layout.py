"""Where the Matrix view puts things: each equation's formula and shapes, then its matrices and operators
flowing left to right (wrapping to a new row when the width runs out), and each printed cell's box.

Pure geometry from font metrics; `widget.MatrixView` paints it and hit-tests the cell boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.teaching.matrix_cells import shown_indices
from backprop_studio.core.teaching.matrix_form import MatrixForm, Term
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF

MAX_ROWS = 7  # a batch of up to 7 rows prints whole; more: the first 4, "…", the last 2
MAX_COLS = 6  # up to 6 columns whole; more: the first 3, "…", the last 2
PAD = 8.0
GAP = 10.0  # between items on a row
CELL_PAD = 6.0


@dataclass
class Cell:
    rect: QRectF
    text: str
    term: Term | None
    r: int | None  # index into the term's rows; None for an elision cell
    c: int | None


@dataclass
class Placed:
    """A matrix placed: its caption (symbol and shape) and its cells."""

    term: Term
    caption: QRectF
    box: QRectF  # the bracketed area
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Text:
    rect: QRectF
    text: str
    style: str  # "title", "formula", "shapes", "operator", "note"


@dataclass
class Plan:
    texts: list[Text] = field(default_factory=list)
    matrices: list[Placed] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


def cell_text(term: Term, r: int | None, c: int | None) -> str:
    if r is None or c is None:
        return "…"
    return format_number(float(term.values[r, c]))


def _grid(
    term: Term, fm: QFontMetricsF, room: float, max_rows: int = MAX_ROWS
) -> tuple[list[int | None], list[int | None], float, float]:
    """The rows and columns to print and the cell size: up to MAX_COLS columns, fewer (down to the first,
    "…" and the last) when the matrix would be wider than `room`."""
    rows_shown = shown_indices(term.values.shape[0], max_rows, 2 if max_rows > 4 else 1)
    limit = MAX_COLS
    while True:
        tail = 2 if limit > 4 else 1
        cols_shown = shown_indices(term.values.shape[1], limit, tail)
        texts = [cell_text(term, r, c) for r in rows_shown for c in cols_shown]
        cell_w = max(fm.horizontalAdvance(t) for t in [*texts, "−0.000"]) + 2 * CELL_PAD
        if limit <= 3 or len(cols_shown) * cell_w + 8 <= room:
            break
        limit -= 1
    return rows_shown, cols_shown, cell_w, fm.height() + 4


def _place_term(
    term: Term,
    x: float,
    y: float,
    fm: QFontMetricsF,
    caption_fm: QFontMetricsF,
    room: float,
    max_rows: int = MAX_ROWS,
) -> Placed:
    rows_shown, cols_shown, cell_w, cell_h = _grid(term, fm, room, max_rows)
    caption_text = f"{term.symbol} {term.shape_text}"
    width = max(len(cols_shown) * cell_w + 8, caption_fm.horizontalAdvance(caption_text) + 4)
    caption = QRectF(x, y, width, caption_fm.height() + 2)
    box = QRectF(x, caption.bottom() + 2, len(cols_shown) * cell_w + 8, len(rows_shown) * cell_h + 4)
    placed = Placed(term, caption, box)
    for ri, r in enumerate(rows_shown):
        for ci, c in enumerate(cols_shown):
            rect = QRectF(box.left() + 4 + ci * cell_w, box.top() + 2 + ri * cell_h, cell_w, cell_h)
            placed.cells.append(Cell(rect, cell_text(term, r, c), term, r, c))
    return placed


def _item_size(
    item: str | Term, fm: QFontMetricsF, caption_fm: QFontMetricsF, room: float, max_rows: int = MAX_ROWS
) -> tuple[float, float]:
    if isinstance(item, str):
        return fm.horizontalAdvance(item) + 4, fm.height()
    placed = _place_term(item, 0, 0, fm, caption_fm, room, max_rows)
    return max(placed.box.width(), placed.caption.width()), placed.box.bottom()


def plan(
    form: MatrixForm, width: float, fm: QFontMetricsF, bold_fm: QFontMetricsF, max_rows: int = MAX_ROWS
) -> Plan:
    """Lay `form` out in `width` pixels: the title, then per equation its formula, its shapes and its
    items (wrapped to further rows when they do not fit), then the notes. A batch longer than `max_rows`
    prints its first rows, "…" and its last ones (a video frame has room for fewer than the dock)."""
    out = Plan()
    y = PAD
    out.texts.append(Text(QRectF(PAD, y, width - 2 * PAD, bold_fm.height()), form.title, "title"))
    y += bold_fm.height() + 6
    right = PAD
    wrap = 0x1000  # Qt.TextWordWrap: formulas and shapes wrap in a narrow dock instead of scrolling
    room = max(width - 2 * PAD, 200)
    for line in form.lines:
        for text, metrics, style in ((line.formula, bold_fm, "formula"), (line.shapes, fm, "shapes")):
            height = metrics.boundingRect(QRectF(PAD, y, room, 1000), wrap, text).height()
            out.texts.append(Text(QRectF(PAD, y, room, height), text, style))
            right = max(right, PAD + min(metrics.horizontalAdvance(text), room))
            y += height
        y += 4
        x, row_h = PAD, 0.0
        sizes = [_item_size(item, fm, bold_fm, room, max_rows) for item in line.items]
        caption_h = bold_fm.height() + 4
        terms_h = [h for item, (_, h) in zip(line.items, sizes) if not isinstance(item, str)]
        for index, (item, (w, h)) in enumerate(zip(line.items, sizes)):
            # An operator keeps the matrix after it company: wrap before both when they do not fit.
            following = sizes[index + 1][0] + GAP if isinstance(item, str) and index + 1 < len(sizes) else 0.0
            if x > PAD and x + w + following > width - PAD:  # wrap: this item starts a new row
                x, y, row_h = PAD, y + row_h + GAP, 0.0
            if isinstance(item, str):
                # An operator sits level with the middle of the matrix it leads to (under its caption).
                nxt = sizes[index + 1][1] if index + 1 < len(sizes) else max(terms_h, default=h)
                out.texts.append(Text(QRectF(x, y + caption_h, w, max(nxt - caption_h, h)), item, "operator"))
            else:
                out.matrices.append(_place_term(item, x, y, fm, bold_fm, room, max_rows))
            right = max(right, x + w)
            x += w + GAP
            row_h = max(row_h, h)
        y += row_h + 2 * GAP
    for note in form.notes:
        height = fm.boundingRect(QRectF(PAD, y, room, 1000), wrap, note).height()
        out.texts.append(Text(QRectF(PAD, y, room, height), note, "note"))
        y += height + 2
    out.width, out.height = max(right, 200) + PAD, y + PAD
    return out
