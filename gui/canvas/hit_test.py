"""What is under a point: pure functions of a `Layout` (and, for bias labels, of what the last frame
wrote). Layer 0 is the inputs column; an edge (layer, i, j) feeds layer `layer` from node i of column
layer-1 to node j of column layer.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import FrameStats
from PySide6.QtCore import QPointF


def neuron_at(lay: Layout, point: QPointF) -> tuple[int, int] | None:
    """(layer, index) of the neuron under `point`."""
    px, py = point.x(), point.y()
    if lay.grid is not None:
        pixel = lay.grid.index_at(point)
        if pixel is not None:
            return 0, pixel
    for c in range(1 if lay.grid is not None else 0, len(lay.sizes)):
        reach = max(lay.radius[c], 4 * lay.unit) + 2
        if abs(px - lay.xs[c]) > reach:
            continue
        index = lay.row_at(c, py)
        if lay.dense[c]:
            top, bottom = lay.column_span(c)
            if top <= py <= bottom:
                return c, index
        elif np.hypot(px - lay.xs[c], py - lay.ys[c][index]) <= reach:
            return c, index
    return None


def edge_at(lay: Layout, point: QPointF) -> tuple[int, int, int] | None:
    """(layer, i, j) of the edge nearest `point` within a few pixels."""
    if lay.n_edges == 0:
        return None
    px, py = point.x(), point.y()
    k = int(np.searchsorted(lay.xs, px))
    if k <= 0 or k >= len(lay.xs):
        return None
    seg = lay.gap_lines(k)
    x1, y1, x2, y2 = seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3]
    dx, dy = x2 - x1, y2 - y1
    t = np.clip(((px - x1) * dx + (py - y1) * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0, 1)
    dist = np.hypot(x1 + t * dx - px, y1 + t * dy - py)
    e = int(np.argmin(dist))
    if dist[e] > max(4 * lay.unit, lay.max_edge_width / 2 + 2):
        return None
    n_out = lay.sizes[k]
    return k, e // n_out, e % n_out


def bias_at(lay: Layout, point: QPointF, stats: FrameStats) -> tuple[int, int] | None:
    """(layer, index) of the bias marker or the bias label (as `stats` recorded it) under `point`."""
    for rect, layer, index in stats.bias_label_rects:
        if rect.contains(point):
            return layer, index
    if not stats.biases_shown:
        return None
    hit = neuron_at(lay, point)
    candidates = [hit] if hit is not None else []
    # The marker sits on the rim, so the click may land just outside the circle.
    for c in range(1, len(lay.sizes)):
        if abs(point.x() - lay.xs[c]) <= lay.radius[c] * 1.5 and not lay.dense[c]:
            candidates.append((c, lay.row_at(c, point.y())))
    for layer, index in candidates:
        marker = lay.bias_marker_rect(layer, index)
        if marker is not None and marker.adjusted(-2, -2, 2, 2).contains(point):
            return layer, index
    return None


def item_at(lay: Layout, point: QPointF, stats: FrameStats) -> tuple | None:
    """What a hover or click at `point` means, most specific first: ("neuron", layer, index) inside a
    node, ("bias", layer, index) on a bias marker or label, ("neuron", …) within a node's reach, then
    ("edge", layer, i, j). In a crowded column the bias marker overlaps its node, so a node's own disk
    (at least a few pixels across) always names the neuron, never its bias or an edge through it."""
    near = neuron_at(lay, point)
    if near is not None and _inside_node(lay, near, point):
        return ("neuron", *near)
    bias = bias_at(lay, point, stats)
    if bias is not None:
        return ("bias", *bias)
    if near is not None:
        return ("neuron", *near)
    edge = edge_at(lay, point)
    return None if edge is None else ("edge", *edge)


def _inside_node(lay: Layout, node: tuple[int, int], point: QPointF) -> bool:
    c, index = node
    if lay.dense[c] or (c == 0 and lay.grid is not None):
        return True
    r = max(lay.radius[c], 3.0)  # a dot smaller than this still gets a 6-px target
    return bool(np.hypot(point.x() - lay.xs[c], point.y() - lay.ys[c][index]) <= r)
