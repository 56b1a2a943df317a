"""Layout: node positions, radii and edge endpoints, worked out by hand for a 1280x720 canvas."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.gui.canvas.layout import LayoutCache, compute_layout, unit_for
from PySide6.QtCore import QRectF
from PySide6.QtGui import QTransform

HD = QRectF(0, 0, 1280, 720)


def test_unit_scales_with_the_output_and_is_clamped():
    assert unit_for(HD) == 1.0
    assert unit_for(QRectF(0, 0, 1920, 1080)) == 1.5
    assert unit_for(QRectF(0, 0, 200, 120)) == 0.85
    assert unit_for(QRectF(0, 0, 10_000, 10_000)) == 3.0


def test_a_small_net_at_720p():
    lay = compute_layout((2, 4, 1), HD)
    # Headers 8 px down, nodes between 84 px and 62 px above the bottom (the legend strip).
    assert (lay.header_top, lay.content_top, lay.content_bottom) == (8, 84, 658)
    # Outer columns 100 px in from the sides (less than 12 % of 1280).
    assert lay.xs.tolist() == [100, 640, 1180]
    # Four nodes: 574 px / 4 = 143.5 is more than the 2·28 + 80 = 136 px cap, so 136 apart around y = 371.
    assert lay.spacing[1] == 136
    assert lay.ys[1].tolist() == [167, 303, 439, 575]
    assert lay.radius == (28, 28, 28)  # min(28, 0.36·136, 0.2·540)
    assert lay.max_edge_width == 6
    assert lay.edge_start == (0, 8, 12)
    # Edge (1, 1, 2): from input 2 (row 1 of column 0) to neuron 3 of layer 1.
    assert lay.edge_lines[lay.edge_index(1, 1, 2)].tolist() == [100, lay.ys[0][1], 640, 439]
    marker = lay.bias_marker_rect(1, 0)  # side max(5, 0.36·28), centered 0.74·28 down and left
    assert marker.center().x() == pytest.approx(640 - 20.72)
    assert marker.center().y() == pytest.approx(167 + 20.72)
    assert marker.width() == pytest.approx(10.08)
    assert lay.bias_marker_rect(0, 0) is None  # inputs have no bias


def test_zoom_scales_positions_and_radii_but_not_the_unit():
    view = QTransform.fromScale(2, 2) * QTransform.fromTranslate(10, 20)
    lay = compute_layout((2, 4, 1), HD, view)
    assert lay.xs.tolist() == [210, 1290, 2370]
    assert lay.radius == (56, 56, 56)
    assert lay.unit == 1.0


def test_a_tiny_canvas_squeezes_its_margins_instead_of_inverting():
    lay = compute_layout((2, 4, 1), QRectF(0, 0, 200, 120))
    assert (lay.content_top, lay.content_bottom) == (4, 116)


def test_a_crowded_column_becomes_a_strip():
    lay = compute_layout((784, 16, 10), HD)
    assert lay.dense == (True, False, False)
    assert lay.spacing[0] == pytest.approx(574 / 784)


def test_the_cache_recomputes_only_when_the_geometry_changes():
    cache = LayoutCache()
    first = cache.get((2, 4, 1), HD)
    assert cache.get([2, 4, 1], QRectF(HD)) is first
    moved = cache.get((2, 4, 1), HD, QTransform.fromTranslate(5, 0))
    assert moved is not first and moved.serial == first.serial + 1
    assert np.allclose(moved.xs - first.xs, 5)
