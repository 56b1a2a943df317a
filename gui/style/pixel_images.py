"""Images of image inputs, shared by the canvas, its tooltips and the Inspector: a sample in gray (ink on
paper) and a first-layer neuron's incoming weights on the app's diverging weight colors, symmetric around
0, with the scale beside them. Cells are enlarged by whole pixels (nearest neighbor), never smoothed, so
every input stays one crisp square.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.analysis.images import gray_levels, signed_levels, symmetric_scale
from backprop_studio.core.display.numbers import format_number
from backprop_studio.gui.style.colors import RGB, diverging_lut, lut_indices, mix, palette, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPainter, QPen


def diverging_argb(values: np.ndarray, vmax: float, dark: bool) -> np.ndarray:
    """(rows, cols) values on [−vmax, vmax] → ARGB32 on the weight colors (negative … 0 … positive)."""
    return diverging_lut(dark)[lut_indices(signed_levels(values, vmax), 1.0)]


def gray_argb(values: np.ndarray, low: float, high: float, dark: bool) -> np.ndarray:
    """(rows, cols) values on [low, high] → ARGB32 ink on paper: the theme's text color on its background,
    so a digit reads dark on light in the light theme and light on dark in the dark one."""
    pal = palette(dark)
    ink = gray_levels(values, low, high)[..., None]
    paper, text = np.array(pal.background, dtype=float), np.array(pal.text, dtype=float)
    rgb = np.round(paper + (text - paper) * ink).astype(np.uint32)
    return (0xFF000000 | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]).astype(np.uint32)


def cells_image(argb: np.ndarray, cell: int) -> QImage:
    """A (rows, cols) ARGB32 array as an image with each entry a `cell` × `cell` square (row 0 on top)."""
    cell = max(int(cell), 1)
    big = np.ascontiguousarray(np.repeat(np.repeat(argb, cell, axis=0), cell, axis=1), dtype=np.uint32)
    h, w = big.shape
    # QImage only borrows the array's memory: copy() gives the image pixels of its own.
    return QImage(big.data, w, h, 4 * w, QImage.Format.Format_ARGB32).copy()


def cell_for(shape: tuple[int, int], side: float) -> int:
    """The whole-pixel cell size that fits an image of `shape` into about `side` pixels (at least 2)."""
    return max(2, int(side // max(shape)))


def weight_figure(values: np.ndarray, dark: bool, cell: int, text: RGB | None = None) -> tuple[QImage, float]:
    """(rows, cols) incoming weights as cells on the weight colors, symmetric around 0 at the largest
    |weight|, with a color bar labeled +max, 0 and −max to the right; returns the figure (transparent
    around the drawing) and that scale's end."""
    pal = palette(dark)
    vmax = symmetric_scale(values)
    cells = cells_image(diverging_argb(values, vmax, dark), cell)
    label_font = font(min(max(11.0, cell * 0.9), 13.0))
    fm = QFontMetricsF(label_font)
    labels = (f"+{format_number(vmax)}", "0", format_number(-vmax))
    bar_w, gap = max(8, cell // 2 + 4), 6
    w = cells.width() + gap + bar_w + 4 + int(max(fm.horizontalAdvance(t) for t in labels)) + 2
    h = max(cells.height(), int(3 * fm.height()))
    figure = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    figure.fill(Qt.GlobalColor.transparent)
    painter = QPainter(figure)
    painter.drawImage(0, 0, cells)
    painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.45)), 1))
    painter.drawRect(QRectF(0.5, 0.5, cells.width() - 1, cells.height() - 1))
    bar_x = cells.width() + gap
    ramp = np.linspace(1.0, -1.0, max(h, 2))[:, None]  # the positive end on top
    bar = cells_image(diverging_argb(ramp, 1.0, dark), 1).scaled(bar_w, h)
    painter.drawImage(bar_x, 0, bar)
    painter.setFont(label_font)
    painter.setPen(qcolor(text if text is not None else pal.text))
    left = bar_x + bar_w + 4
    align = Qt.AlignmentFlag.AlignLeft
    painter.drawText(QRectF(left, 0, w - left, fm.height()), align | Qt.AlignmentFlag.AlignTop, labels[0])
    painter.drawText(QRectF(left, 0, w - left, h), align | Qt.AlignmentFlag.AlignVCenter, labels[1])
    painter.drawText(QRectF(left, 0, w - left, h), align | Qt.AlignmentFlag.AlignBottom, labels[2])
    painter.end()
    return figure, vmax
