"""backprop_studio.core.analysis.evaluation: the network over the (x1, x2) plane, checked against values worked out by hand."""

import math

import numpy as np
import pytest
from backprop_studio.core.analysis.evaluation import (
    OutputMap,
    input_curve,
    input_range,
    neuron_maps,
    output_map,
    plane_extent,
    plane_grid,
)
from backprop_studio.core.data.dataset import Dataset


def planar_dataset(train: np.ndarray, test: np.ndarray) -> Dataset:
    x_train, x_test = np.asarray(train, float), np.asarray(test, float)
    return Dataset(
        x_train=x_train,
        y_train=np.zeros((len(x_train), 1)),
        x_test=x_test,
        y_test=np.zeros((len(x_test), 1)),
        task="regression",
        feature_names=("x1", "x2"),
        points_train=x_train,
        points_test=x_test,
    )


# A 2-1 network: out = tanh(0.5·x1 − 2·x2 + 0.25).
W_21 = [np.array([[0.5], [-2.0]])]
B_21 = [np.array([0.25])]


def test_extent_covers_train_and_test_points_with_a_ten_percent_margin():
    ds = planar_dataset([[0.0, 0.0], [4.0, 1.0]], [[-1.0, 3.0]])
    # x1 spans -1 … 4 (5 wide, margin 0.5); x2 spans 0 … 3 (3 wide, margin 0.3)
    assert plane_extent(ds) == pytest.approx((-1.5, 4.5, -0.3, 3.3))


def test_extent_of_a_single_point_is_a_unit_margin_around_it():
    ds = planar_dataset([[2.0, -1.0]], np.zeros((0, 2)))
    assert plane_extent(ds) == pytest.approx((1.0, 3.0, -2.0, 0.0))


def test_extent_refuses_data_without_plane_points():
    ds = Dataset(np.zeros((3, 1)), np.zeros((3, 1)), np.zeros((0, 1)), np.zeros((0, 1)), "regression")
    with pytest.raises(ValueError, match="no \\(x1, x2\\) points"):
        plane_extent(ds)


def test_grid_points_are_cell_centres_in_row_major_order_with_x2_rising_by_row():
    grid = plane_grid((0.0, 4.0, 10.0, 12.0), 2)
    # cells are 2 wide in x1 and 1 high in x2; row 0 is the bottom row (x2 = 10.5)
    assert grid.tolist() == [[1.0, 10.5], [3.0, 10.5], [1.0, 11.5], [3.0, 11.5]]


def test_output_map_of_a_2_1_tanh_net_matches_hand_computation_at_each_cell():
    extent = (-2.0, 2.0, -1.0, 1.0)
    om = output_map(W_21, B_21, ("tanh",), ("x1", "x2"), extent, resolution=4)
    assert om.values.shape == (4, 4)
    assert om.classes is None and om.confidence is None and om.margins is None
    # row 1, col 3: x1 = -2 + 3.5·1 = 1.5, x2 = -1 + 1.5·0.5 = -0.25
    assert om.values[1, 3] == pytest.approx(math.tanh(0.5 * 1.5 - 2.0 * -0.25 + 0.25))
    # row 0, col 0: x1 = -1.5, x2 = -0.75
    assert om.values[0, 0] == pytest.approx(math.tanh(0.5 * -1.5 - 2.0 * -0.75 + 0.25))
    assert om.extent == extent
    assert om.threshold == 0.0 and om.half_range == 1.0


def test_output_map_computes_the_selected_features_of_each_grid_point():
    # features (x1^2, x1*x2): out = 1·x1² + 3·x1·x2, linear
    weights, biases = [np.array([[1.0], [3.0]])], [np.array([0.0])]
    om = output_map(weights, biases, ("linear",), ("x1^2", "x1*x2"), (0.0, 2.0, 0.0, 2.0), resolution=2)
    x1, x2 = 1.5, 0.5  # row 0, col 1
    assert om.values[0, 1] == pytest.approx(x1 * x1 + 3 * x1 * x2)


def test_softmax_map_gives_the_predicted_class_and_its_probability():
    # Two classes: logits (x1, -x1) → class 0 where x1 > 0, probability e^x1 / (e^x1 + e^-x1)
    weights, biases = [np.array([[1.0, -1.0], [0.0, 0.0]])], [np.zeros(2)]
    om = output_map(weights, biases, ("softmax",), ("x1", "x2"), (-3.0, 3.0, -1.0, 1.0), resolution=3)
    assert om.classes is not None and om.confidence is not None
    assert om.classes.dtype.kind == "i"
    # columns at x1 = -2, 0, 2
    assert om.classes[0].tolist() == [1, 0, 0]  # a tie picks the first unit
    p = math.exp(2) / (math.exp(2) + math.exp(-2))
    assert om.confidence[0].tolist() == pytest.approx([p, 0.5, p])
    assert om.values[2, 2] == pytest.approx(p)
    # each unit's lead over the other: p0 − p1, positive only where class 0 wins
    q = 1 - p
    assert om.margins.shape == (2, 3, 3)
    assert om.margins[0, 0].tolist() == pytest.approx([q - p, 0.0, p - q])
    assert om.margins[1, 0].tolist() == pytest.approx([p - q, 0.0, q - p])


def test_class_margins_lead_over_the_largest_other_unit_among_three():
    # Constant logits (ln 1, ln 2, ln 5) → probabilities (1/8, 2/8, 5/8) everywhere
    weights, biases = [np.zeros((2, 3))], [np.log([1.0, 2.0, 5.0])]
    om = output_map(weights, biases, ("softmax",), ("x1", "x2"), (0.0, 1.0, 0.0, 1.0), resolution=1)
    assert om.classes[0, 0] == 2
    assert om.margins[:, 0, 0].tolist() == pytest.approx([1 / 8 - 5 / 8, 2 / 8 - 5 / 8, 5 / 8 - 2 / 8])


def test_tanh_multi_unit_confidence_is_the_winners_lead_over_the_target_range():
    # Units (x1, 0) through tanh: winner tanh(x1) when x1 > 0; "is" 1 and "is not" −1 are 2 apart.
    weights, biases = [np.array([[1.0, 0.0], [0.0, 0.0]])], [np.zeros(2)]
    om = output_map(weights, biases, ("tanh",), ("x1", "x2"), (0.0, 2.0, 0.0, 2.0), resolution=2)
    assert om.classes[0, 1] == 0
    assert om.confidence[0, 1] == pytest.approx(math.tanh(1.5) / 2)


def test_neuron_maps_hold_every_layers_activations_over_the_grid():
    # 2-2-1: hidden h = relu(x1 − x2, x1 + x2); out = sigmoid(h1 − h2)
    weights = [np.array([[1.0, 1.0], [-1.0, 1.0]]), np.array([[1.0], [-1.0]])]
    biases = [np.zeros(2), np.zeros(1)]
    maps = neuron_maps(weights, biases, ("relu", "sigmoid"), ("x1", "x2"), (-1.0, 1.0, -1.0, 1.0), 2)
    assert [m.shape for m in maps] == [(2, 2, 2), (1, 2, 2)]
    x1, x2 = 0.5, -0.5  # row 0, col 1
    h1, h2 = max(x1 - x2, 0.0), max(x1 + x2, 0.0)
    assert maps[0][0, 0, 1] == pytest.approx(h1)
    assert maps[0][1, 0, 1] == pytest.approx(h2)
    assert maps[1][0, 0, 1] == pytest.approx(1 / (1 + math.exp(-(h1 - h2))))


def test_output_map_agrees_with_the_last_neuron_map():
    weights = [np.array([[0.3, -0.7, 1.1], [0.9, 0.2, -0.4]]), np.array([[0.5], [-1.0], [0.25]])]
    biases = [np.array([0.1, -0.2, 0.0]), np.array([0.05])]
    acts, feats, extent = ("tanh", "sigmoid"), ("x1", "x2"), (-5.0, 5.0, -4.0, 6.0)
    om = output_map(weights, biases, acts, feats, extent, resolution=16)
    last = neuron_maps(weights, biases, acts, feats, extent, resolution=16)[-1]
    np.testing.assert_allclose(om.values, last[0])
    assert isinstance(om, OutputMap) and om.threshold == 0.5


def test_input_curve_evaluates_a_one_input_network_along_its_range():
    weights, biases = [np.array([[2.0]])], [np.array([-1.0])]
    x, out = input_curve(weights, biases, ("linear",), -1.0, 1.0, resolution=5)
    assert x.tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert out[:, 0].tolist() == pytest.approx([-3.0, -2.0, -1.0, 0.0, 1.0])


def test_input_range_spans_train_and_test_values_with_a_margin():
    ds = Dataset(
        np.array([[0.0], [8.0]]), np.zeros((2, 1)), np.array([[10.0]]), np.zeros((1, 1)), "regression"
    )
    assert input_range(ds) == pytest.approx((-1.0, 11.0))
