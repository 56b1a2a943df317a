"""backprop_studio.core.analysis.frame_data: what the data panels draw, checked against forward passes
written out in the test."""

import numpy as np
from backprop_studio.core.analysis.evaluation import plane_extent
from backprop_studio.core.analysis.frame_data import CURVE_RESOLUTION, frame_inputs
from backprop_studio.core.data.dataset import Dataset

from tests.snapshot_factory import make_snapshot


def tanh_sigmoid(snapshot, x: np.ndarray) -> np.ndarray:
    """The 2-layer tanh → sigmoid network of make_snapshot, by hand."""
    (w1, w2), (b1, b2) = snapshot.weights, snapshot.biases
    hidden = np.tanh(x @ w1 + b1)
    return 1.0 / (1.0 + np.exp(-(hidden @ w2 + b2)))


def one_input_dataset() -> Dataset:
    x_train = np.array([[-2.0], [0.0], [1.0], [3.0]])
    x_test = np.array([[-1.0], [4.0]])
    return Dataset(x_train, np.zeros((4, 2)), x_test, np.zeros((2, 2)), "regression", ("x1",), ("p", "q"))


def test_off_the_plane_predictions_are_the_forward_pass_on_each_sample():
    snapshot = make_snapshot((1, 3, 2), 7)
    data = frame_inputs(snapshot, one_input_dataset())
    assert data.output_map is None
    np.testing.assert_allclose(
        data.pred_train, tanh_sigmoid(snapshot, np.array([[-2.0], [0.0], [1.0], [3.0]]))
    )
    np.testing.assert_allclose(data.pred_test, tanh_sigmoid(snapshot, np.array([[-1.0], [4.0]])))
    assert not data.pred_train.flags.writeable


def test_one_input_curve_runs_evenly_over_the_data_range_with_a_margin():
    snapshot = make_snapshot((1, 3, 2), 8)
    data = frame_inputs(snapshot, one_input_dataset())
    # Inputs span −2 … 4 (train and test); 10 % of the span, 0.6, is added on each side.
    np.testing.assert_allclose(data.curve_x, np.linspace(-2.6, 4.6, CURVE_RESOLUTION))
    np.testing.assert_allclose(data.curve_y, tanh_sigmoid(snapshot, data.curve_x[:, None]))


def test_max_points_limits_the_predictions_to_the_first_rows():
    snapshot = make_snapshot((1, 3, 2), 9)
    data = frame_inputs(snapshot, one_input_dataset(), max_points=3)
    assert data.pred_train.shape == (3, 2) and data.pred_test.shape == (2, 2)


def test_several_inputs_have_predictions_and_no_curve():
    x_train = np.array([[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]])
    ds = Dataset(x_train, np.zeros((2, 1)), x_train[:1], np.zeros((1, 1)), "regression", ("a", "b", "c"))
    snapshot = make_snapshot((3, 4, 1), 10)
    data = frame_inputs(snapshot, ds)
    assert data.curve_x is None and data.curve_y is None
    np.testing.assert_allclose(data.pred_train, tanh_sigmoid(snapshot, x_train))


def test_planar_data_gets_the_output_map_at_cell_centres_and_no_predictions():
    points = np.array([[0.0, 0.0], [1.0, 2.0]])
    ds = Dataset(
        points,
        np.zeros((2, 1)),
        points[:0],
        np.zeros((0, 1)),
        "regression",
        ("x1", "x2"),
        points_train=points,
        points_test=points[:0],
    )
    snapshot = make_snapshot((2, 3, 1), 11)
    data = frame_inputs(snapshot, ds, map_resolution=4)
    assert data.pred_train is None and data.curve_x is None
    om = data.output_map
    # Extent: 0 … 1 and 0 … 2 with a 10 % margin; cell [row 1, col 2] is centered at x1 = 0.65, x2 = 0.7.
    assert om.extent == plane_extent(ds) == (-0.1, 1.1, -0.2, 2.2)
    expected = tanh_sigmoid(snapshot, np.array([[-0.1 + 2.5 * 0.3, -0.2 + 1.5 * 0.6]]))[0, 0]
    assert om.values.shape == (4, 4)
    np.testing.assert_allclose(om.values[1, 2], expected)
