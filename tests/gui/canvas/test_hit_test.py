"""Hit testing: what is under a point of the last painted layout."""

from __future__ import annotations

import numpy as np
from backprop_studio.gui.canvas.options import CanvasOptions
from PySide6.QtCore import QPointF

from tests.gui.canvas.painting import SMALL, render
from tests.snapshot_factory import make_snapshot


def test_every_edge_midpoint_hits_an_edge_through_it(qapp):
    _, renderer = render(make_snapshot(SMALL, 1), CanvasOptions())
    lay = renderer.last_layout
    for layer in range(1, len(SMALL)):
        for i in range(SMALL[layer - 1]):
            for j in range(SMALL[layer]):
                mid = lay.edge_midpoint(layer, i, j)
                hit = renderer.edge_at(mid)
                assert hit is not None and hit[0] == layer
                # Crossing edges can share a midpoint; whichever is returned must pass through it.
                x1, y1, x2, y2 = lay.edge_lines[lay.edge_start[layer - 1] + hit[1] * SMALL[layer] + hit[2]]
                cross = (x2 - x1) * (mid.y() - y1) - (y2 - y1) * (mid.x() - x1)
                assert abs(cross) / np.hypot(x2 - x1, y2 - y1) < 1e-6


def test_hit_tests_miss_empty_space(qapp):
    _, renderer = render(make_snapshot(SMALL, 1), CanvasOptions())
    corner = QPointF(3, 3)
    assert renderer.neuron_at(corner) is None
    assert renderer.edge_at(corner) is None
    assert renderer.bias_at(corner) is None


def test_dense_columns_hit_test_by_row(qapp):
    _, renderer = render(make_snapshot((784, 16, 10), 1), CanvasOptions(), 1280, 720)
    lay = renderer.last_layout
    assert lay.dense[0]
    assert renderer.neuron_at(lay.node_center(0, 500)) == (0, 500)
