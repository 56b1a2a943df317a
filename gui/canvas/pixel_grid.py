"""The input column drawn as the image it is (`DataSpec.image_shape`): a rows × cols grid of square
cells, cell i at row i // cols, column i % cols, each colored by the focused sample's value (gray ink in
values mode, the diverging scale of ∂L/∂x in gradients mode). Edges start at the cell centers, and the
hit test, tooltips and selection name the input under the pointer as they do for a column of nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.gui.style.colors import Palette, diverging_lut, lut_indices, qcolor
from backprop_studio.gui.style.pixel_images import cells_image, gray_argb
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen

CAPTION_ROOM = 30.0  # units kept free under the grid for its caption (two short lines)
MAX_CELL = 40.0  # units: a cell never grows past this, so a small image does not fill the canvas
GRID_PAD = 8.0  # units kept free between the grid and the canvas edge
GAP_SHARE = 0.4  # the grid reaches at most this share of the way to the next column


@dataclass(frozen=True)
class PixelGrid:
    """Where the cells are, in painter coordinates."""

    rows: int
    cols: int
    left: float
    top: float
    cell: float

    @property
    def rect(self) -> QRectF:
        return QRectF(self.left, self.top, self.cols * self.cell, self.rows * self.cell)

    def centers(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of every cell's center, input by input (row-major)."""
        i = np.arange(self.rows * self.cols)
        return self.left + (i % self.cols + 0.5) * self.cell, self.top + (i // self.cols + 0.5) * self.cell

    def cell_rect(self, i: int) -> QRectF:
        row, col = divmod(i, self.cols)
        return QRectF(self.left + col * self.cell, self.top + row * self.cell, self.cell, self.cell)

    def index_at(self, point: QPointF) -> int | None:
        """The input whose cell holds `point`, or None outside the grid."""
        col = int(np.floor((point.x() - self.left) / self.cell))
        row = int(np.floor((point.y() - self.top) / self.cell))
        if 0 <= row < self.rows and 0 <= col < self.cols:
            return row * self.cols + col
        return None


def fit_grid(
    shape: tuple[int, int],
    column_x: float,
    rect: QRectF,
    next_x: float | None,
    top: float,
    bottom: float,
    u: float,
) -> PixelGrid:
    """The largest grid of `shape` between the canvas's left edge and a share of the way from the input
    column (`column_x`) to the next one (`next_x`), and between `top` and `bottom` (before zoom);
    centered in that room, so the column's header (drawn at the grid's center) stays over it. Room for the
    caption is kept under it."""
    rows, cols = shape
    bottom -= CAPTION_ROOM * u
    left = rect.left() + GRID_PAD * u
    right = column_x + (GAP_SHARE * (next_x - column_x) if next_x is not None else column_x - left)
    cell = min(max(right - left, 1.0) / cols, max(bottom - top, 1.0) / rows, MAX_CELL * u)
    center_x, mid = (left + right) / 2, (top + bottom) / 2
    return PixelGrid(rows, cols, center_x - cols * cell / 2, mid - rows * cell / 2, cell)


def scaled(grid: PixelGrid, s: float, dx: float, dy: float) -> PixelGrid:
    """The grid under the view's zoom `s` and pan (dx, dy)."""
    return PixelGrid(grid.rows, grid.cols, grid.left * s + dx, grid.top * s + dy, grid.cell * s)


def grid_colors(
    values: np.ndarray | None, gradients: bool, value_range: tuple[float, float] | None, dark: bool
) -> np.ndarray | None:
    """Per input, its cell's ARGB32: gray ink on the data set's range for values, the diverging scale
    around 0 for ∂L/∂x; None before the batch has the numbers."""
    if values is None:
        return None
    if gradients:
        finite = np.abs(values[np.isfinite(values)])
        vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        return diverging_lut(dark)[lut_indices(values, vmax)]
    low, high = (
        value_range if value_range is not None else (float(np.nanmin(values)), float(np.nanmax(values)))
    )
    return gray_argb(values, low, high, dark)


def paint_grid(
    painter: QPainter,
    grid: PixelGrid,
    colors: np.ndarray | None,
    pal: Palette,
    u: float,
    selected: int | None,
) -> None:
    """The cells (dashed and empty before the values exist), a frame, and the selected input's cell ringed."""
    rect = grid.rect
    if colors is None:
        painter.setPen(QPen(qcolor(pal.muted), 1.2 * u, Qt.PenStyle.DashLine))
        painter.setBrush(qcolor(pal.node_empty))
        painter.drawRect(rect)
    else:
        image = cells_image(np.asarray(colors, dtype=np.uint32).reshape(grid.rows, grid.cols), 1)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(rect, image)
        painter.setPen(QPen(qcolor(pal.node_outline), 1.2 * u))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
    if selected is not None and 0 <= selected < grid.rows * grid.cols:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(qcolor(pal.background), 4.5 * u))
        painter.drawRect(grid.cell_rect(selected))
        painter.setPen(QPen(qcolor(pal.selection), 2.5 * u))
        painter.drawRect(grid.cell_rect(selected))


def grid_caption(grid: PixelGrid, who: str, gradients: bool) -> str:
    """What the grid shows, in words: "sample #1 · 8×8 inputs" (or "batch mean · …", "∂L/∂x of …")."""
    shape = f"{grid.rows}×{grid.cols}"
    return f"∂L/∂x of {who} · {shape}" if gradients else f"{who} · {shape} inputs"


def paint_caption(
    painter: QPainter, grid: PixelGrid, text: str, canvas: QRectF, pal: Palette, u: float
) -> None:
    """`text` centered under the grid on the canvas's background (edges leave the bottom cells under it),
    on two lines (split at " · ") when one does not fit between the canvas's left edge and as far right
    of the grid's center; kept inside the canvas."""
    caption_font = font(11 * u)
    fm = QFontMetricsF(caption_font)
    rect = grid.rect
    half = rect.center().x() - canvas.left() - 2 * u
    lines = [text] if fm.horizontalAdvance(text) <= 2 * half else text.split(" · ")
    width = max(fm.horizontalAdvance(line) for line in lines)
    left = max(canvas.left() + 2 * u, rect.center().x() - width / 2)
    box = QRectF(left, rect.bottom() + 4 * u, width + 1, fm.lineSpacing() * len(lines))
    painter.fillRect(box.adjusted(-3 * u, -1 * u, 3 * u, 1 * u), qcolor(pal.background))  # over the edges
    painter.setFont(caption_font)
    painter.setPen(qcolor(pal.text))
    painter.drawText(box, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), "\n".join(lines))
