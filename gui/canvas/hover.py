"""The hovered neuron's fan-in and fan-out: the rest of the picture is dimmed and its edges are drawn
again on top, so in a dense net one can follow where a neuron's inputs come from and where it feeds."""

from __future__ import annotations

import numpy as np
from backprop_studio.gui.canvas.edges import edge_look
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import FrameStats
from backprop_studio.gui.style.colors import Palette, qcolor
from backprop_studio.gui.style.qt_draw import pen
from PySide6.QtCore import QLineF, Qt
from PySide6.QtGui import QPainter

DIM_ALPHA = 150  # how much of the background is laid over everything else (of 255)


def fan_edges(lay: Layout, layer: int, index: int) -> list[tuple[int, int, int]]:
    """(layer, i, j) of the edges into node `index` of column `layer` and out of it."""
    edges = []
    if 1 <= layer < len(lay.sizes):
        edges += [(layer, i, index) for i in range(lay.sizes[layer - 1])]
    if 0 <= layer < len(lay.sizes) - 1:
        edges += [(layer + 1, index, j) for j in range(lay.sizes[layer + 1])]
    return edges


def paint_fan(
    painter: QPainter,
    lay: Layout,
    neuron: tuple[int, int],
    mats: list[np.ndarray | None],
    pal: Palette,
    stats: FrameStats,
) -> None:
    """Dim what is drawn so far, then draw the neuron's edges in their own colors and widths."""
    layer, index = neuron
    if not (0 <= layer < len(lay.sizes) and 0 <= index < lay.sizes[layer]):
        return
    u = lay.unit
    painter.fillRect(lay.rect, qcolor(pal.background, DIM_ALPHA))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    edges = fan_edges(lay, layer, index)
    for gap, i, j in edges:
        mat = mats[gap - 1]
        value, hue, _ = edge_look(mat, i, j, None, pal)
        width = max(2.0, 1.8 * u)  # at least 2 px, so even the weakest edge of the fan reads
        if mat is not None and np.isfinite(value):
            width = max(width, lay.max_edge_width * min(abs(value) / stats.edge_vmax, 1.0))
        painter.setPen(pen(qcolor(hue), width, Qt.PenCapStyle.FlatCap))
        painter.drawLine(QLineF(*lay.edge_lines[lay.edge_index(gap, i, j)]))
    stats.fan_edges = len(edges)
