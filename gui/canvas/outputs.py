"""The output column's names (the data set's classes: "setosa", "versicolor" … or "0" … "9") right of
each output node, so a reader knows which neuron answers for which class without hovering. Names that do
not fit between the node and the canvas's right edge, within their own row, are shrunk, wrapped or left
out as a whole column (a partial column would mislead), never drawn over a node or each other.
"""

from __future__ import annotations

from backprop_studio.gui.canvas.inputs import GAP, fit_names, paint_names
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import CanvasOptions, FrameStats
from backprop_studio.gui.style.colors import Palette
from PySide6.QtGui import QPainter


def paint_output_labels(
    painter: QPainter, lay: Layout, options: CanvasOptions, pal: Palette, stats: FrameStats
) -> None:
    """Each output's name, left-aligned just right of its node; records what was drawn."""
    c = len(lay.sizes) - 1
    names = options.output_names
    if c < 1 or lay.dense[c] or len(names) != lay.sizes[c]:
        return
    u = lay.unit
    x, r = float(lay.xs[c]), lay.radius[c]
    left = x + r + GAP * u
    room_w = lay.rect.right() - 2 * u - left
    room_h = lay.spacing[c] - 2 * u if lay.sizes[c] > 1 else lay.rect.height()
    fitted = fit_names(list(names), room_w, room_h, u)
    if fitted is None:
        return
    stats.output_labels.extend(paint_names(painter, fitted, lay.ys[c], left, pal, right_aligned=False))
