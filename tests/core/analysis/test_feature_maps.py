import numpy as np
import pytest
from backprop_studio.core.analysis.feature_maps import feature_maps
from backprop_studio.core.errors import DataError

SPIRAL = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")


def _formulas(x1: np.ndarray, x2: np.ndarray) -> list[np.ndarray]:
    # Written out by hand, independently of core.data.features' table.
    return [x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)]


def test_each_map_is_its_formula_at_the_cell_centers_scaled_to_one():
    extent = (-3.0, 5.0, -2.0, 6.0)
    res = 4
    maps = feature_maps(SPIRAL, extent, res)
    assert maps.shape == (7, res, res)
    # Cell centers: x1 = -3 + (col + 0.5) * 2, x2 = -2 + (row + 0.5) * 2; row 0 at ymin.
    x1 = np.array([-2.0, 0.0, 2.0, 4.0])[None, :].repeat(res, axis=0)
    x2 = np.array([-1.0, 1.0, 3.0, 5.0])[:, None].repeat(res, axis=1)
    for name, got, raw in zip(SPIRAL, maps, _formulas(x1, x2), strict=True):
        np.testing.assert_allclose(got, raw / np.max(np.abs(raw)), rtol=1e-12, err_msg=name)


def test_hand_worked_cell():
    # One cell: its center is (0.5, -1.5); x1*x2 = -0.75 is the only value, so it scales to -1.
    maps = feature_maps(("x1*x2", "x1^2"), (0.0, 1.0, -2.0, -1.0), 1)
    assert maps[:, 0, 0].tolist() == [-1.0, 1.0]


def test_a_feature_zero_everywhere_stays_zero():
    maps = feature_maps(("sin(x1)",), (0.0, 0.0, -1.0, 1.0), 3)
    assert np.all(maps == 0)


def test_unknown_feature_is_refused():
    with pytest.raises(DataError):
        feature_maps(("x3",), (0.0, 1.0, 0.0, 1.0), 2)
