"""backprop_studio.core.analysis.contour: marching squares checked against crossings worked out by hand."""

import numpy as np
from backprop_studio.core.analysis.contour import contour_segments


def test_decision_boundary_contour_crosses_where_the_field_does():
    field = np.add.outer(np.zeros(5), np.arange(5.0))  # rising along columns
    segments = contour_segments(field, 2.5)
    assert len(segments) == 4
    np.testing.assert_allclose(segments[:, [0, 2]], 2.5)


def test_a_crossing_is_placed_by_linear_interpolation_along_the_edge():
    # One cell: top row 0 → 4 crosses 1 a quarter of the way; bottom row 0 → 2 crosses 1 half way.
    field = np.array([[0.0, 4.0], [0.0, 2.0]])
    (segment,) = contour_segments(field, 1.0)
    ends = {(round(segment[0], 9), round(segment[1], 9)), (round(segment[2], 9), round(segment[3], 9))}
    assert ends == {(0.25, 0.0), (0.5, 1.0)}


def test_a_saddle_cell_gives_two_segments_and_a_flat_field_none():
    saddle = np.array([[1.0, -1.0], [-1.0, 1.0]])
    assert len(contour_segments(saddle, 0.0)) == 2
    assert len(contour_segments(np.ones((4, 4)), 0.0)) == 0
    assert contour_segments(np.ones(4), 0.0).shape == (0, 4)  # not a grid


def test_a_closed_level_set_has_every_segment_end_shared_by_another_segment():
    # A bump in the middle of a 6x6 grid: its level set is a closed loop around the center.
    r = np.hypot(*np.meshgrid(np.arange(6.0) - 2.5, np.arange(6.0) - 2.5))
    segments = contour_segments(-r, -1.8)
    ends = np.round(np.concatenate([segments[:, :2], segments[:, 2:]]), 9)
    _, counts = np.unique(ends, axis=0, return_counts=True)
    assert len(segments) >= 4 and (counts == 2).all()
