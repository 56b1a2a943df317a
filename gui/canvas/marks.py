"""The rings around selected and debugger-flagged neurons and the frames around flagged layers, drawn over
the nodes (a pixel grid rings its own selected cell, pixel_grid.py)."""

from __future__ import annotations

from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.style.colors import Palette, qcolor
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen


def paint_marks(painter: QPainter, lay: Layout, c: int, options: CanvasOptions, pal: Palette) -> None:
    """Rings around selected and debugger-flagged neurons, and a frame around flagged layers."""
    u = lay.unit
    x = float(lay.xs[c])
    r = max(lay.radius[c], 3 * u)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if c in options.highlight_layers:
        top, bottom = lay.column_span(c)
        pad = max(r + 10 * u, 36 * u)  # wide enough for the bias labels under the nodes
        below = 26 * u if c > 0 and not lay.dense[c] else 10 * u
        painter.setPen(QPen(qcolor(pal.warning), 2.5 * u, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(
            QRectF(x - pad, top - 10 * u, 2 * pad, bottom - top + 10 * u + below), 8 * u, 8 * u
        )
    if c == 0 and lay.grid is not None:
        return  # the pixel grid rings its own selected cell
    rings = [(i, pal.warning) for (layer, i) in options.highlight_neurons if layer == c]
    if options.selected_neuron is not None and options.selected_neuron[0] == c:
        rings.append((options.selected_neuron[1], pal.selection))
    for i, rgb in rings:
        if 0 <= i < lay.sizes[c]:
            painter.setPen(QPen(qcolor(rgb), 2.5 * u))
            painter.drawEllipse(QPointF(x, float(lay.ys[c][i])), r + 5 * u, r + 5 * u)
