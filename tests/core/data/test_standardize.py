"""Standardization (data.standardize): z-scores from the training split only, checked by hand.

The statistics are worked out here with plain Python (math.fsum over the column, the population standard
deviation), not with the code's NumPy calls; stored statistics are checked bit for bit."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from backprop_studio.core.analysis import evaluation
from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.errors import DataError
from backprop_studio.core.nn.network import forward
from backprop_studio.core.project.fileformat import dumps_project, loads_project
from backprop_studio.core.project.project import Project, capture_project, open_session
from backprop_studio.core.spec import DataSpec, LayerSpec, NetworkSpec, TrainingSpec


def hand_statistics(rows: np.ndarray) -> tuple[list[float], list[float]]:
    """Column means and population standard deviations, one column at a time in plain Python."""
    means, stds = [], []
    for column in rows.T.tolist():
        mean = math.fsum(column) / len(column)
        std = math.sqrt(math.fsum((v - mean) ** 2 for v in column) / len(column))
        means.append(mean)
        stds.append(std if max(column) != min(column) else 1.0)
    return means, stds


def hand_standardized(rows: np.ndarray, means: list[float], stds: list[float]) -> np.ndarray:
    return np.array([[(v - m) / s for v, m, s in zip(row, means, stds)] for row in rows.tolist()])


def both(data: DataSpec, network: NetworkSpec, loss: str = "mse"):
    """The data set as drawn and as standardized."""
    raw = build_dataset(data, network, loss)
    return raw, build_dataset(replace(data, standardize=True), network, loss)


CIRCLE = DataSpec(kind="circle", samples=101, noise=0.2, seed=4, features=("x1", "x2", "x1^2"))
CIRCLE_NET = NetworkSpec(3, (LayerSpec(3, "tanh"), LayerSpec(1, "tanh")))


def test_a_generator_is_standardized_with_the_training_splits_statistics():
    raw, scaled = both(CIRCLE, CIRCLE_NET)
    means, stds = hand_statistics(raw.x_train)
    np.testing.assert_allclose(scaled.feature_mean, means, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(scaled.feature_std, stds, rtol=1e-13)
    np.testing.assert_allclose(
        scaled.x_train, hand_standardized(raw.x_train, means, stds), rtol=1e-12, atol=1e-13
    )
    # The test samples use the training split's statistics, not their own: they are not exactly z-scores.
    np.testing.assert_allclose(
        scaled.x_test, hand_standardized(raw.x_test, means, stds), rtol=1e-12, atol=1e-13
    )
    assert abs(scaled.x_test.mean(axis=0)).max() > 1e-3
    # The plane the decision map is drawn over stays the raw one; targets are untouched.
    assert np.array_equal(scaled.points_train, raw.points_train)
    assert np.array_equal(scaled.y_train, raw.y_train)


def test_off_by_default_and_the_spec_holds_it():
    raw, _ = both(CIRCLE, CIRCLE_NET)
    assert raw.standardization is None
    assert DataSpec().standardize is False


def test_a_constant_feature_is_divided_by_one_and_becomes_zero():
    x = ((0.1, 1.0), (0.1, 2.0), (0.1, 4.0))
    data = DataSpec(
        kind="inline",
        x=x,
        y=((0.0,), (1.0,), (1.0,)),
        x_test=((0.1, 3.0), (0.3, 3.0)),
        y_test=((0.0,), (1.0,)),
    )
    network = NetworkSpec(2, (LayerSpec(1, "linear"),))
    _, scaled = both(data, network)
    assert scaled.feature_std[0] == 1.0 and scaled.feature_mean[0] == 0.1
    assert scaled.x_train[:, 0].tolist() == [0.0, 0.0, 0.0]
    assert scaled.x_test[:, 0].tolist() == [0.0, 0.3 - 0.1]
    mean = 7 / 3
    std = math.sqrt(((1 - mean) ** 2 + (2 - mean) ** 2 + (4 - mean) ** 2) / 3)
    np.testing.assert_allclose(scaled.x_train[:, 1], [(v - mean) / std for v in (1.0, 2.0, 4.0)], rtol=1e-14)


def test_statistics_in_the_spec_are_used_exactly_as_given():
    given = DataSpec(
        kind="iris", standardize=True, feature_mean=(5.0, 3.0, 4.0, 1.5), feature_std=(0.5, 0.25, 2.0, 1.0)
    )
    network = NetworkSpec(4, (LayerSpec(3, "softmax"),))
    scaled = build_dataset(given, network, "cross_entropy")
    raw = build_dataset(replace(given, standardize=False), network, "cross_entropy")
    want = hand_standardized(raw.x_train, list(given.feature_mean), list(given.feature_std))
    assert scaled.x_train.tobytes() == want.tobytes()


def test_a_shipped_set_with_blank_pixels_standardizes():
    network = NetworkSpec(64, (LayerSpec(10, "softmax"),))
    raw, scaled = both(DataSpec(kind="digits", train_fraction=0.8), network, "cross_entropy")
    means, stds = hand_statistics(raw.x_train)
    constant = [j for j in range(64) if stds[j] == 1.0 and raw.x_train[:, j].min() == raw.x_train[:, j].max()]
    assert 0 in constant  # pixel 1,1 is blank in every training image
    np.testing.assert_allclose(
        scaled.x_train, hand_standardized(raw.x_train, means, stds), rtol=1e-12, atol=1e-12
    )
    assert np.all(np.isfinite(scaled.x_test))


def test_a_csv_file_standardizes(tmp_path):
    table = tmp_path / "t.csv"
    rows = [(k * 0.37 % 5, (k * k) % 7, k % 2) for k in range(20)]
    table.write_text("a,b,y\n" + "".join(f"{a},{b},{y}\n" for a, b, y in rows), encoding="utf-8")
    data = DataSpec(kind="csv", path=str(table), targets=("y",), train_fraction=0.6, seed=2)
    raw, scaled = both(data, NetworkSpec(2, (LayerSpec(1, "sigmoid"),)), "bce")
    means, stds = hand_statistics(raw.x_train)
    np.testing.assert_allclose(
        scaled.x_train, hand_standardized(raw.x_train, means, stds), rtol=1e-12, atol=1e-13
    )


def test_a_saved_project_carries_the_statistics_and_reproduces_the_inputs_bit_for_bit():
    project = Project(CIRCLE_NET, TrainingSpec(loss="mse"), replace(CIRCLE, standardize=True))
    session = open_session(project)
    text = dumps_project(capture_project(session, project))
    again = loads_project(text)
    assert again.data.feature_mean == tuple(session.dataset.feature_mean.tolist())
    assert again.data.feature_std == tuple(session.dataset.feature_std.tolist())
    reopened = open_session(again)
    assert reopened.dataset.x_train.tobytes() == session.dataset.x_train.tobytes()
    assert reopened.dataset.x_test.tobytes() == session.dataset.x_test.tobytes()
    assert '"standardize": true' in text and '"feature_std": [' in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"feature_mean": (0.0, 0.0)}, "give both data.feature_mean and data.feature_std"),
        ({"feature_mean": (0.0,) * 3, "feature_std": (1.0, 0.0, 1.0)}, "must be more than 0"),
        ({"feature_mean": (0.0,) * 2, "feature_std": (1.0,) * 2}, "has 2 values but the data has 3"),
    ],
)
def test_bad_statistics_are_refused(changes, message):
    with pytest.raises(DataError, match=message):
        build_dataset(replace(CIRCLE, standardize=True, **changes), CIRCLE_NET, "mse")


def test_the_decision_map_feeds_the_grid_through_the_same_standardization():
    _, scaled = both(CIRCLE, CIRCLE_NET)
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(3, 3)), rng.normal(size=(3, 1))]
    biases = [rng.normal(size=3), rng.normal(size=1)]
    extent = (-6.0, 6.0, -6.0, 6.0)
    got = evaluation.output_map(
        weights, biases, ("tanh", "tanh"), CIRCLE.features, extent, 8, scaled.standardization
    )
    grid = evaluation.plane_grid(extent, 8)
    features = np.stack([grid[:, 0], grid[:, 1], grid[:, 0] ** 2], axis=1)
    z = (features - scaled.feature_mean) / scaled.feature_std
    want = [a for _, a in forward(weights, biases, ("tanh", "tanh"), z)][-1]
    np.testing.assert_allclose(got.values.ravel(), want[:, 0], rtol=1e-12)


def test_the_input_maps_show_the_standardized_feature():
    from backprop_studio.core.analysis.feature_maps import feature_maps

    _, scaled = both(CIRCLE, CIRCLE_NET)
    extent = (-6.0, 6.0, -6.0, 6.0)
    maps = feature_maps(CIRCLE.features, extent, 8, scaled.standardization)
    grid = evaluation.plane_grid(extent, 8)
    square = (grid[:, 0] ** 2 - scaled.feature_mean[2]) / scaled.feature_std[2]
    np.testing.assert_allclose(maps[2].ravel(), square / np.abs(square).max(), rtol=1e-12)
    assert maps[2].min() < 0  # x₁² centered: below its training mean near the middle
