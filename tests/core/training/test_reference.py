"""The session against the ~40-line reference loop, and the reference against finite differences.

Same seed, so the same initial weights and the same shuffled batch order. The two are not bit-equal:
they associate floating-point operations differently (the session's SGD adds g·(−lr), the reference
subtracts lr·g; tanh′ is formed in place in the session), so each update can differ in the last bit
(~1e-16 relative). Over a few dozen updates of a small smooth net that stays far below 1e-9, while a
real difference (a wrong gradient, a skipped or reordered batch, a wrong 1/B) is of the order of the
learning rate times the gradient, > 1e-4 here.
"""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.nn.initializers import init_params
from backprop_studio.core.training import reference
from backprop_studio.core.training.parameters import seeds

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(5)
X = RNG.uniform(-1, 1, size=(27, 2))
Y = np.column_stack([np.sin(2 * X[:, 0]) * X[:, 1], X[:, 0] - X[:, 1] ** 2])
DS = dataset(X, Y)
NET = network(2, (5, "tanh"), (4, "sigmoid"), (2, "linear"))
TOL = 1e-9


@pytest.mark.parametrize("shuffle", [False, True])
def test_the_session_trains_like_the_reference_loop(shuffle):
    train = training(loss="mse", optimizer="sgd", lr=0.3, batch_size=5, shuffle=shuffle, seed=9)
    epochs = 4
    weights, biases, batch_losses = reference.train(NET, train, DS, epochs)
    s = session(NET, train, DS)
    s.run_epochs(epochs)
    for got, want in zip((*s.weights, *s.biases), (*weights, *biases), strict=True):
        np.testing.assert_allclose(got, want, rtol=TOL, atol=TOL)
    np.testing.assert_allclose(s.history().batch_loss, batch_losses, rtol=TOL, atol=TOL)
    assert len(batch_losses) == epochs * 6  # 27 rows in batches of 5: five full and one of 2
    moved = max(float(np.abs(w - w0).max()) for w, w0 in zip(weights, init_params(NET, seeds(9)[0])[0]))
    assert moved > 1e-3  # training really changed the weights, so agreeing means something


def test_the_reference_update_is_minus_lr_times_the_finite_difference_gradient():
    lr = 0.1
    train = training(loss="mse", optimizer="sgd", lr=lr, batch_size=27, seed=2)  # one batch: the whole set
    w0, b0 = init_params(NET, seeds(2)[0])
    w1, _, _ = reference.train(NET, train, DS, 1)

    def loss(weights) -> float:
        a = X
        for w, b, act in zip(weights, b0, ("tanh", "sigmoid", "linear"), strict=True):
            z = a @ w + b
            a = np.tanh(z) if act == "tanh" else 1 / (1 + np.exp(-z)) if act == "sigmoid" else z
        return float(0.5 * np.sum((a - Y) ** 2) / len(X))

    h = 1e-6
    for k in range(3):
        for i, j in np.ndindex(*w0[k].shape):
            up = [w.copy() for w in w0]
            down = [w.copy() for w in w0]
            up[k][i, j] += h
            down[k][i, j] -= h
            numeric = (loss(up) - loss(down)) / (2 * h)
            assert (w0[k][i, j] - w1[k][i, j]) / lr == pytest.approx(numeric, rel=1e-5, abs=1e-9)
