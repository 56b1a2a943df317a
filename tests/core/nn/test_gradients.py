"""Backpropagated gradients agree with central finite differences (float64, relative error < 1e-6)."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from backprop_studio.core.analysis import gradcheck
from backprop_studio.core.spec import RegularizationSpec
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.engine_helpers import dataset, network, session, training

HIDDEN = ("linear", "relu", "leaky_relu", "sigmoid", "tanh")
# Each loss with the output activations it accepts.
PAIRS = [("mse", act) for act in HIDDEN] + [("bce", "sigmoid"), ("cross_entropy", "softmax")]


def targets(loss: str, rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    if loss == "cross_entropy":
        return np.eye(k)[rng.integers(0, k, n)]
    if loss == "bce":
        return rng.integers(0, 2, (n, k)).astype(float)
    return rng.normal(size=(n, k))


def check_session_gradients(net, train, x, y, weights=None, biases=None):
    """Run one forward and backward pass in a session and compare with finite differences
    (None when a ReLU's z sits on its kink, where there is no derivative to check)."""
    s = session(net, train, dataset(x, y), weights=weights, biases=biases)
    s.step_backward_pass()
    snap = s.snapshot()
    # ReLU has no derivative at 0: a z within the stencil's reach of a kink makes the check meaningless.
    kinked = [abs(layer.z).min() for layer, act in zip(snap.layers, snap.activations) if "relu" in act]
    if not all(m > 10 * gradcheck.STEP for m in kinked):
        return None
    return gradcheck.check(
        snap.weights,
        snap.biases,
        snap.activations,
        train.loss,
        train.regularization,
        snap.x,
        snap.y,
        [layer.dW for layer in snap.layers],
        [layer.db for layer in snap.layers],
    )


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize(("loss", "output"), PAIRS)
@pytest.mark.parametrize("reg", ["none", "l1", "l2"])
def test_gradients_match_finite_differences(hidden, loss, output, reg):
    rng = np.random.default_rng(zlib.crc32(f"{hidden}{loss}{output}{reg}".encode()))
    k = 3 if output == "softmax" else 2
    net = network(3, (4, hidden), (k, output))
    report = None
    while report is None:
        x = rng.normal(size=(5, 3))
        report = check_session_gradients(
            net, training(loss=loss, batch_size=5, reg=reg, rate=0.05), x, targets(loss, rng, 5, k)
        )
    assert report.worst < 1e-6, report.worst_entries(3)


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=5),
    acts=st.lists(st.sampled_from(HIDDEN), min_size=4, max_size=4),
    batch=st.integers(1, 6),
    seed=st.integers(0, 2**31),
    pair=st.sampled_from(PAIRS),
    reg=st.sampled_from(["none", "l1", "l2"]),
)
def test_random_architectures_have_exact_gradients(sizes, acts, batch, seed, pair, reg):
    loss, output = pair
    rng = np.random.default_rng(seed)
    inputs, *hidden = sizes[:-1]
    k = max(2, sizes[-1]) if output == "softmax" else sizes[-1]
    layers = [(u, acts[i % len(acts)]) for i, u in enumerate(hidden)] + [(k, output)]
    net = network(inputs, *layers)
    x = rng.normal(size=(batch, inputs))
    report = check_session_gradients(
        net, training(loss=loss, batch_size=batch, reg=reg, rate=0.01), x, targets(loss, rng, batch, k)
    )
    assume(report is not None)
    assert report.worst < 1e-6, report.worst_entries(3)


def test_a_deliberately_wrong_gradient_is_caught():
    rng = np.random.default_rng(1)
    net = network(2, (3, "tanh"), (1, "sigmoid"))
    train = training(loss="bce", batch_size=4)
    s = session(net, train, dataset(rng.normal(size=(4, 2)), [[0.0], [1.0], [1.0], [0.0]]))
    s.step_backward_pass()
    snap = s.snapshot()
    wrong = [layer.dW.copy() for layer in snap.layers]
    wrong[0][1, 2] *= 1.01
    report = gradcheck.check(
        snap.weights,
        snap.biases,
        snap.activations,
        "bce",
        RegularizationSpec(),
        snap.x,
        snap.y,
        wrong,
        [layer.db for layer in snap.layers],
    )
    assert not report.passed
    error, layer, name, index = report.worst_entries(1)[0]
    assert (layer, name, index) == (1, "W", (1, 2))
    assert error == pytest.approx(0.01 / 1.01, rel=1e-4)


def test_bce_and_cross_entropy_are_stable_for_huge_logits():
    from backprop_studio.core.nn import losses

    z = np.array([[1e4], [-1e4]])
    y = np.array([[0.0], [1.0]])
    a = 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))
    # Each sample is wrong by a margin of 1e4: loss = (1e4 + 1e4) / 2.
    assert losses.value("bce", z, a, y) == pytest.approx(1e4)
    zs = np.array([[1e4, -1e4, 0.0]])
    assert losses.value(
        "cross_entropy", zs, np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 1.0, 0.0]])
    ) == pytest.approx(2e4)
