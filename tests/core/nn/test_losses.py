"""Loss values, penalties and recorded history against numbers worked out by hand (not the code's own)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from backprop_studio.core.nn import losses, regularization
from backprop_studio.core.spec import RegularizationSpec
from numpy.testing import assert_allclose

from tests.engine_helpers import dataset, network, session, training


def test_mse_halves_the_squared_error_and_averages_over_the_batch_not_the_outputs():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([[0.0, 2.0], [1.0, 1.0]])
    # squared errors 1, 0, 4, 9 → ½ · 14 / B(=2) = 3.5
    assert losses.value("mse", a, a, y) == 3.5
    assert_allclose(losses.output_gradient("mse", a, y), [[0.5, 0.0], [1.0, 1.5]])


def test_bce_and_cross_entropy_at_even_odds_cost_log_2_per_sample():
    z = np.zeros((2, 1))
    assert losses.value("bce", z, z + 0.5, np.array([[1.0], [0.0]])) == pytest.approx(math.log(2), rel=1e-15)
    z2 = np.zeros((1, 2))
    assert losses.value("cross_entropy", z2, z2 + 0.5, np.array([[1.0, 0.0]])) == pytest.approx(
        math.log(2), rel=1e-15
    )
    # bce sums over outputs: two outputs at even odds cost 2·log 2 per sample
    assert losses.value(
        "bce", np.zeros((1, 2)), np.full((1, 2), 0.5), np.array([[1.0, 0.0]])
    ) == pytest.approx(2 * math.log(2), rel=1e-15)


def test_penalties_count_weights_only_with_their_documented_factors():
    weights = [np.array([[1.0, -2.0]]), np.array([[3.0]])]
    assert regularization.penalty(RegularizationSpec("l1", 0.1), weights) == pytest.approx(0.6)  # 0.1·(1+2+3)
    assert regularization.penalty(RegularizationSpec("l2", 0.1), weights) == pytest.approx(
        0.7
    )  # 0.1·½·(1+4+9)
    assert_allclose(
        regularization.gradient(RegularizationSpec("l1", 0.1), np.array([-2.0, 0.0, 3.0])), [-0.1, 0, 0.1]
    )


def test_regularization_reaches_weight_gradients_but_never_bias_gradients():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    plain = session(network(2, (3, "tanh"), (1, "linear")), training(batch_size=4), dataset(x, y))
    reg = session(
        network(2, (3, "tanh"), (1, "linear")), training(batch_size=4, reg="l2", rate=0.3), dataset(x, y)
    )
    for s in (plain, reg):
        s.step_backward_pass()
    p, r = plain.snapshot(), reg.snapshot()
    for k in range(2):
        assert_allclose(r.layers[k].dW, p.layers[k].dW + 0.3 * p.weights[k], rtol=1e-13)
        assert np.array_equal(r.layers[k].db, p.layers[k].db)
    assert r.reg_loss == pytest.approx(0.3 * 0.5 * sum(float((w**2).sum()) for w in p.weights))
    assert r.loss == pytest.approx(r.data_loss + r.reg_loss)


def test_history_records_the_unregularized_whole_set_loss_with_end_of_epoch_weights():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(12, 2)), rng.normal(size=(12, 1))
    xt, yt = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    s = session(
        network(2, (3, "tanh"), (1, "linear")),
        training(batch_size=5, reg="l2", rate=0.5),
        dataset(x, y, xt, yt),
    )
    s.run_epochs(1)
    w1, w2 = s.weights
    b1, b2 = s.biases

    def by_hand(inputs, targets):
        out = np.tanh(inputs @ w1 + b1) @ w2 + b2
        return 0.5 * float(((out - targets) ** 2).sum()) / len(inputs)

    history = s.history()
    assert history.train_loss[0] == pytest.approx(by_hand(x, y), rel=1e-12)
    assert history.test_loss[0] == pytest.approx(by_hand(xt, yt), rel=1e-12)
    assert len(history.batch_loss) == 3  # batches of 5, 5 and 2
