"""The gradient-check overlay's bands, and the debugger adapters' canvas fields."""

from __future__ import annotations

import numpy as np
from backprop_studio.gui.canvas.overlays import overlay_errors, overlay_levels


def test_levels_put_a_value_on_a_bound_in_the_better_band():
    errors = np.array([0.0, 1e-6, 2e-6, 1e-4, 5e-3, 1e-2, 0.5, np.nan])
    assert overlay_levels(errors).tolist() == [0, 0, 1, 1, 2, 2, 3, -1]


def test_errors_follow_edge_order_and_ignore_a_stale_overlay():
    sizes, starts = (2, 3, 1), (0, 6, 9)
    first = np.arange(6, dtype=float).reshape(2, 3)
    flat = overlay_errors(sizes, starts, (first, np.ones((2, 2))))  # layer 2's shape is another net's
    assert flat[:6].tolist() == [0, 1, 2, 3, 4, 5]  # row i * n_out + j
    assert np.isnan(flat[6:]).all()
    assert overlay_errors(sizes, starts, None) is None
