"""compute_features: Playground's input features, one column per selected name, in the order given."""

import math

import numpy as np
import pytest
from backprop_studio.core.data.features import compute_features
from backprop_studio.core.errors import DataError
from backprop_studio.core.spec import FEATURES
from hypothesis import given
from hypothesis import strategies as st

POINTS = np.array([[2.0, 3.0], [-1.5, 0.5], [0.0, -4.0]])


def expected(x1: float, x2: float) -> dict[str, float]:
    return {
        "x1": x1,
        "x2": x2,
        "x1^2": x1 * x1,
        "x2^2": x2 * x2,
        "x1*x2": x1 * x2,
        "sin(x1)": math.sin(x1),
        "sin(x2)": math.sin(x2),
    }


def test_every_feature_matches_its_formula():
    result = compute_features(POINTS, FEATURES)
    assert result.shape == (3, 7)
    assert result.dtype == np.float64
    for row, (x1, x2) in enumerate(POINTS):
        want = expected(x1, x2)
        for column, name in enumerate(FEATURES):
            assert result[row, column] == pytest.approx(want[name], abs=1e-15), name


def test_known_values_at_one_point():
    # (2, 3): 2, 3, 4, 9, 6, sin 2, sin 3
    result = compute_features(np.array([[2.0, 3.0]]), FEATURES)
    assert result[0, :5].tolist() == [2.0, 3.0, 4.0, 9.0, 6.0]
    assert result[0, 5] == pytest.approx(0.9092974268256817)
    assert result[0, 6] == pytest.approx(0.1411200080598672)


def test_columns_follow_the_order_of_the_names():
    result = compute_features(POINTS, ["sin(x2)", "x1*x2", "x1"])
    assert result[0].tolist() == pytest.approx([math.sin(3.0), 6.0, 2.0])


def test_a_single_feature_gives_one_column():
    assert compute_features(POINTS, ("x2^2",)).tolist() == [[9.0], [0.25], [16.0]]


def test_integer_points_give_float_features():
    result = compute_features(np.array([[1, 2]]), ["x1", "x2"])
    assert result.dtype == np.float64


def test_zero_points_give_zero_rows():
    assert compute_features(np.empty((0, 2)), ["x1", "x2"]).shape == (0, 2)


def test_unknown_feature_is_named():
    with pytest.raises(DataError, match=r"unknown input feature 'x3'"):
        compute_features(POINTS, ["x1", "x3"])


def test_duplicate_feature_is_named():
    with pytest.raises(DataError, match=r"'x1\^2' is selected twice"):
        compute_features(POINTS, ["x1^2", "x2", "x1^2"])


def test_no_features_is_refused():
    with pytest.raises(DataError, match="at least one input feature"):
        compute_features(POINTS, [])


def test_points_must_be_n_by_2():
    with pytest.raises(DataError, match=r"\(n, 2\)"):
        compute_features(np.zeros((4, 3)), ["x1"])


@given(st.lists(st.sampled_from(FEATURES), min_size=1, max_size=7, unique=True))
def test_any_subset_selects_the_matching_columns_of_the_full_set(names):
    full = compute_features(POINTS, FEATURES)
    subset = compute_features(POINTS, names)
    assert np.array_equal(subset, full[:, [FEATURES.index(name) for name in names]])
