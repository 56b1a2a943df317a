"""`training.update_biases = False` holds every bias fixed while the weights learn; dL/db is still computed.

Hand-worked case: one linear unit, x = 2, y = 1, w = 0.5, b = 0.25, mse, SGD lr 0.1, one sample.
  z = ŷ = 2·0.5 + 0.25 = 1.25;  dL/dŷ = ŷ − y = 0.25;  dL/dw = x·0.25 = 0.5;  dL/db = 0.25
  w ← 0.5 − 0.1·0.5 = 0.45;  b stays 0.25 (it would be 0.25 − 0.1·0.25 = 0.225 if updated).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from backprop_studio.core.spec import OptimizerSpec

from tests.engine_helpers import dataset, network, session, training


def _session(update_biases: bool, optimizer: str = "sgd"):
    spec = replace(training(lr=0.1, batch_size=1, optimizer=optimizer), update_biases=update_biases)
    return session(
        network(1, (1, "linear")),
        spec,
        dataset([[2.0]], [[1.0]]),
        weights=[np.array([[0.5]])],
        biases=[np.array([0.25])],
    )


def test_held_biases_keep_their_value_while_the_weight_takes_its_hand_computed_step() -> None:
    s = _session(update_biases=False)
    s.advance("batch")
    snap = s.snapshot()
    assert snap.weights[0][0, 0] == pytest.approx(0.45, abs=1e-15)
    assert snap.biases[0][0] == 0.25  # every bit
    assert snap.layers[0].db[0] == pytest.approx(0.25, abs=1e-15)  # still computed and shown
    assert snap.layers[0].delta_b[0] == 0.0
    assert snap.layers[0].delta_W[0, 0] == pytest.approx(-0.05, abs=1e-15)


def test_by_default_the_bias_takes_its_hand_computed_step() -> None:
    s = _session(update_biases=True)
    s.advance("batch")
    assert s.snapshot().biases[0][0] == pytest.approx(0.225, abs=1e-15)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_held_biases_stay_fixed_with_every_optimizer_over_many_batches(optimizer: str) -> None:
    s = _session(update_biases=False, optimizer=optimizer)
    s.run_epochs(20)
    assert s.biases[0][0] == 0.25
    assert s.weights[0][0, 0] != 0.5


def test_stepping_back_over_a_held_bias_update_restores_the_weights_bit_for_bit() -> None:
    s = _session(update_biases=False)
    before = s.weights[0].copy()
    s.advance("batch")
    s.step_back("batch")
    assert np.array_equal(s.weights[0], before) and s.biases[0][0] == 0.25


def test_the_optimizer_spec_is_untouched_by_the_setting() -> None:
    assert replace(training(), update_biases=False).optimizer == OptimizerSpec("sgd", 0.1)
