"""Image inputs in core: where input i sits, samples and incoming weights as images, and the color
scales, against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from backprop_studio.core.analysis.images import (
    as_image,
    gray_levels,
    image_shape_for,
    incoming_weights_image,
    pixel_position,
    signed_levels,
    symmetric_scale,
    value_range,
)


def test_pixels_are_row_major_as_the_digits_columns_are():
    # A 2×3 image: inputs 0 1 2 on the top row, 3 4 5 below.
    assert [pixel_position(i, (2, 3)) for i in range(6)] == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    # The digits' column 19 (0-based) of an 8×8 image: row 2, column 3.
    assert pixel_position(19, (8, 8)) == (2, 3)
    with pytest.raises(IndexError):
        pixel_position(6, (2, 3))


def test_a_sample_becomes_its_image():
    image = as_image(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), (2, 3))
    assert image.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    with pytest.raises(ValueError, match="5 values cannot form a 2×3 image"):
        as_image(np.zeros(5), (2, 3))


def test_the_weights_into_a_neuron_are_its_column_of_w_laid_out_as_the_image():
    # W is (n_in, n_out) = (4, 2); the weights into neuron 2 are W[:, 1] = 10, 11, 12, 13.
    w = np.array([[0.0, 10.0], [1.0, 11.0], [2.0, 12.0], [3.0, 13.0]])
    assert incoming_weights_image(w, 1, (2, 2)).tolist() == [[10.0, 11.0], [12.0, 13.0]]
    assert incoming_weights_image(w, 0, (1, 4)).tolist() == [[0.0, 1.0, 2.0, 3.0]]


def test_an_image_shape_counts_only_when_it_fits_the_inputs():
    assert image_shape_for((8, 8), 64) == (8, 8)
    assert image_shape_for((8, 8), 63) is None
    assert image_shape_for(None, 64) is None
    assert image_shape_for((0, 5), 0) is None


def test_the_weight_scale_is_symmetric_at_the_largest_magnitude():
    assert symmetric_scale(np.array([0.2, -0.5, 0.3])) == 0.5
    assert symmetric_scale(np.array([0.0, 0.0])) == 1.0  # nothing to scale: no division by zero
    assert symmetric_scale(np.array([math.nan, -2.0, math.inf])) == 2.0  # only finite values count
    # On [-0.5, 0.5]: -0.5 → -1, 0.25 → 0.5, 0 → 0; beyond the end clips, NaN reads as 0.
    levels = signed_levels(np.array([-0.5, 0.25, 0.0, 0.75, math.nan]), 0.5)
    assert levels.tolist() == [-1.0, 0.5, 0.0, 1.0, 0.0]


def test_gray_ink_runs_over_the_data_sets_range():
    x = np.array([[0.0, 4.0], [16.0, 8.0]])
    assert value_range(x) == (0.0, 16.0)
    # On [0, 16]: 0 is paper, 16 full ink, 4 a quarter; below and above clip; NaN is paper.
    assert gray_levels(np.array([0.0, 4.0, 16.0, -3.0, 20.0, math.nan]), 0.0, 16.0).tolist() == [
        0.0,
        0.25,
        1.0,
        0.0,
        1.0,
        0.0,
    ]
    assert gray_levels(np.array([3.0, 3.0]), 3.0, 3.0).tolist() == [0.5, 0.5]  # a flat range
    assert value_range(np.empty((0, 4))) == (0.0, 1.0)
