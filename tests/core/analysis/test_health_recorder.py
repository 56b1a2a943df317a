"""HealthRecorder: per-step gradient norms and update ratios, kept in step order across going back."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.analysis.health import LayerHealth, layer_health
from backprop_studio.core.analysis.health_recorder import HealthRecorder

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(3)
X = RNG.normal(size=(8, 2))
Y = np.tanh(X[:, :1] - 0.5 * X[:, 1:])
NET = network(2, (3, "tanh"), (2, "relu"), (1, "linear"))


def make():
    return session(NET, training(lr=0.1, batch_size=8), dataset(X, Y))


def fake(grad: list[float | None], ratio: list[float | None]) -> tuple[LayerHealth, ...]:
    return tuple(
        LayerHealth(k + 1, "tanh", 1, g, 1.0, r, None, None)
        for k, (g, r) in enumerate(zip(grad, ratio, strict=True))
    )


def test_recorder_series_holds_each_layers_values_in_step_order():
    rec = HealthRecorder()
    rec.record(4, fake([1.0, 2.0], [None, None]))
    rec.record(8, fake([3.0, 4.0], [0.1, 0.2]))
    steps, values = rec.series(2, "grad_norm")
    np.testing.assert_array_equal(steps, [4, 8])
    np.testing.assert_array_equal(values, [2.0, 4.0])
    steps, values = rec.series(1, "update_ratio")
    np.testing.assert_array_equal(steps, [8])  # None was not computed, so it is not plotted
    np.testing.assert_array_equal(values, [0.1])


def test_recorder_grows_past_its_initial_capacity():
    rec = HealthRecorder(capacity=4)
    for step in range(1, 1001):
        rec.record(step, fake([float(step)], [1.0 / step]))
    steps, values = rec.series(1, "grad_norm")
    assert len(rec) == 1000
    np.testing.assert_array_equal(steps, np.arange(1, 1001))
    np.testing.assert_array_equal(values, np.arange(1, 1001, dtype=float))


def test_recorder_truncate_drops_entries_after_the_step():
    rec = HealthRecorder()
    for step in (2, 4, 6, 8):
        rec.record(step, fake([float(step)], [None]))
    rec.truncate(5)
    np.testing.assert_array_equal(rec.series(1, "grad_norm")[0], [2, 4])
    assert rec.last_step == 4


def test_recording_an_earlier_step_replaces_the_abandoned_future():
    rec = HealthRecorder()
    for step in (1, 2, 3, 4):
        rec.record(step, fake([float(step)], [None]))
    rec.record(3, fake([30.0], [None]))  # the session stepped back to 2 and ran a new branch
    steps, values = rec.series(1, "grad_norm")
    np.testing.assert_array_equal(steps, [1, 2, 3])
    np.testing.assert_array_equal(values, [1.0, 2.0, 30.0])


def test_recorder_refuses_another_layer_count_and_unknown_quantities():
    rec = HealthRecorder()
    rec.record(1, fake([1.0, 2.0], [None, None]))
    with pytest.raises(ValueError, match="2 layers"):
        rec.record(2, fake([1.0], [None]))
    with pytest.raises(ValueError, match="unknown quantity"):
        rec.series(1, "loss")
    with pytest.raises(ValueError, match="no layer 3"):
        rec.series(3, "grad_norm")


def test_recorder_follows_a_real_session_batch_by_batch():
    s = make()
    rec = HealthRecorder(n_layers=3)
    for _ in range(3):
        s.step_update()
        rec.record(s.step_count, layer_health(s.snapshot()))
    steps, ratios = rec.series(1, "update_ratio")
    np.testing.assert_array_equal(steps, [8, 16, 24])
    assert np.all(ratios > 0)
    s.seek(16)
    rec.truncate(s.step_count)
    assert rec.last_step == 16
