"""The Matrix dock: the current phase of a layer as matrix equations with the batch's actual numbers.

It renders `core.teaching.matrix_form.MatrixForm` (laid out by `gui/canvas/matrix_layout.plan` and painted
by `gui/canvas/matrix_painter.paint_plan`, which lesson recordings use too): captions with symbols and
shapes, bracketed grids of numbers (long axes elided with "…"), operators between them. Clicking a cell
emits `cell_clicked(selection, row)`: the edge, neuron and/or batch row the cell stands for, which the
window turns into a selection on the canvas. `show_form` takes the window's selection and focused row
and tints the matching rows, columns and cells.
"""

from __future__ import annotations

from backprop_studio.core.teaching.matrix_cells import cell_target, highlighted
from backprop_studio.core.teaching.matrix_form import MatrixForm, Term
from backprop_studio.gui.canvas.matrix_layout import Cell, Plan, plan
from backprop_studio.gui.canvas.matrix_painter import paint_plan
from backprop_studio.gui.style.colors import palette, qcolor
from PySide6.QtCore import QPoint, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

EMPTY = MatrixForm("Matrix view", (), ("Step to see the current phase of a layer in matrix form.",))


class _Sheet(QWidget):
    """The painted equations; sized to its plan so the scroll area scrolls what does not fit."""

    clicked = Signal(object, object)  # Term, (r, c)

    def __init__(self) -> None:
        super().__init__()
        self.form = EMPTY
        self.plan = Plan()
        self.marks: dict[int, set[tuple[int, int]]] = {}  # id(term) → highlighted cells
        self.dark = False
        base = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        base.setStyleHint(QFont.StyleHint.Monospace)
        base.setPointSizeF(max(base.pointSizeF(), 9.5))
        self.mono = base
        self.bold = QFont(self.font())
        self.bold.setBold(True)
        self.setMouseTracking(True)

    def relayout(self, width: int) -> None:
        self.plan = plan(self.form, float(width), QFontMetricsF(self.mono), QFontMetricsF(self.bold))
        self.setMinimumSize(QSize(int(self.plan.width), int(self.plan.height)))
        self.resize(max(width, int(self.plan.width)), int(self.plan.height))
        self.update()

    def cell_at(self, point: QPointF) -> Cell | None:
        for placed in self.plan.matrices:
            if placed.box.contains(point):
                return next((c for c in placed.cells if c.rect.contains(point)), None)
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if cell is not None and cell.term is not None and cell.r is not None and cell.c is not None:
            self.clicked.emit(cell.term, (cell.r, cell.c))
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        clickable = cell is not None and cell.r is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = palette(self.dark)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        try:
            painter.fillRect(self.rect(), qcolor(pal.background))
            paint_plan(painter, self.plan, pal, self.mono, self.bold, self.marks)
        finally:
            painter.end()


class MatrixView(QWidget):
    """The dock's widget. `show_form` renders a phase; clicking a cell emits what it stands for."""

    cell_clicked = Signal(object, object)  # selection tuple or None, batch row or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sheet = _Sheet()
        self._sheet.clicked.connect(self._on_cell)
        self._scroll = QScrollArea()
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._sheet)
        self._scroll.setWidgetResizable(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scroll)
        self._selection: tuple | None = None
        self._row: int | None = None

    def sizeHint(self) -> QSize:
        return QSize(520, 360)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 120)  # it scrolls: never force its size on the canvas

    def show_form(self, form: MatrixForm, selection: tuple | None = None, row: int | None = None) -> None:
        self._sheet.form = form
        self._selection, self._row = selection, row
        self._sheet.relayout(self._room())
        self._mark()

    def set_selection(self, selection: tuple | None, row: int | None) -> None:
        """Tint the cells of `selection` (a neuron's column or row, an edge's cell) and of batch `row`."""
        self._selection, self._row = selection, row
        self._mark()

    def set_dark(self, dark: bool) -> None:
        self._sheet.dark = dark
        self._sheet.update()

    def form(self) -> MatrixForm:
        return self._sheet.form

    def term(self, symbol: str) -> Term:
        """The matrix shown under `symbol` ("Z₂", "W₂", "δ₁" …)."""
        return next(p.term for p in self._sheet.plan.matrices if p.term.symbol == symbol)

    def cell_point(self, symbol: str, r: int, c: int) -> QPoint:
        """Where cell (r, c) of the matrix `symbol` is drawn, in the sheet's coordinates (for clicks)."""
        for placed in self._sheet.plan.matrices:
            if placed.term.symbol == symbol:
                cell = next(cell for cell in placed.cells if (cell.r, cell.c) == (r, c))
                return cell.rect.center().toPoint()
        raise KeyError(symbol)

    def cell_text(self, symbol: str, r: int, c: int) -> str:
        for placed in self._sheet.plan.matrices:
            if placed.term.symbol == symbol:
                return next(cell.text for cell in placed.cells if (cell.r, cell.c) == (r, c))
        raise KeyError(symbol)

    def highlighted_cells(self, symbol: str) -> set[tuple[int, int]]:
        return set(self._sheet.marks.get(id(self.term(symbol)), set()))

    def sheet(self) -> QWidget:
        """The painted area (the widget to click on)."""
        return self._sheet

    def shown_text(self) -> str:
        """Every text drawn, one per line: title, formulas, shapes, notes, captions."""
        lines = [t.text for t in self._sheet.plan.texts]
        lines += [f"{p.term.symbol} {p.term.shape_text}" for p in self._sheet.plan.matrices]
        return "\n".join(lines)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._sheet.relayout(self._room())

    def _room(self) -> int:
        """The width to lay out in: the scroll area's, less a vertical scroll bar whether it shows or not
        (so the layout does not flip as the bar appears)."""
        return self._scroll.width() - self._scroll.verticalScrollBar().sizeHint().width() - 2

    def _mark(self) -> None:
        self._sheet.marks = {
            id(p.term): highlighted(p.term, self._selection, self._row) for p in self._sheet.plan.matrices
        }
        self._sheet.update()

    def _on_cell(self, term: Term, cell: tuple[int, int]) -> None:
        selection, row = cell_target(term, cell[0], cell[1])
        self.cell_clicked.emit(selection, row)
