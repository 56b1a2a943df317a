"""Per-layer gradient health and histograms, checked against independent computations."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from backprop_studio.core.analysis import gradcheck
from backprop_studio.core.analysis.health import histograms, layer_health
from backprop_studio.core.spec import RegularizationSpec

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(3)
X = RNG.normal(size=(8, 2))
Y = np.tanh(X[:, :1] - 0.5 * X[:, 1:])
DS = dataset(X, Y)
NET = network(2, (3, "tanh"), (2, "relu"), (1, "linear"))


def make(lr: float = 0.1, **kw):
    return session(NET, training(lr=lr, batch_size=8), DS, **kw)


def test_before_any_phase_only_the_weight_norms_are_known():
    snap = make().snapshot()
    for h in layer_health(snap):
        assert h.grad_norm is None and h.update_ratio is None
        assert h.dead_units is None and h.saturated_units is None
        assert h.weight_norm > 0


def test_layers_are_numbered_from_one_with_their_units_and_activation():
    hs = layer_health(make().snapshot())
    assert [(h.layer, h.units, h.activation) for h in hs] == [
        (1, 3, "tanh"),
        (2, 2, "relu"),
        (3, 1, "linear"),
    ]


def test_weight_norm_is_the_frobenius_norm_computed_by_hand():
    weights = [np.array([[3.0, 0.0, 0.0], [0.0, 4.0, 0.0]]), np.ones((3, 2)), np.full((2, 1), 2.0)]
    biases = [np.zeros(3), np.zeros(2), np.zeros(1)]
    hs = layer_health(make(weights=weights, biases=biases).snapshot())
    assert hs[0].weight_norm == pytest.approx(5.0)  # √(3² + 4²)
    assert hs[1].weight_norm == pytest.approx(math.sqrt(6.0))
    assert hs[2].weight_norm == pytest.approx(math.sqrt(8.0))


def test_grad_norm_matches_the_norm_of_the_finite_difference_gradient():
    s = make()
    s.step_backward_pass()
    snap = s.snapshot()
    report = gradcheck.check(
        snap.weights,
        snap.biases,
        snap.activations,
        snap.loss_name,
        RegularizationSpec(),
        snap.x,
        snap.y,
        [layer.dW for layer in snap.layers],
        [layer.db for layer in snap.layers],
    )
    for h, numeric in zip(layer_health(snap), report.layers, strict=True):
        expected = math.sqrt(float(np.sum(numeric.numeric_W**2)))
        assert h.grad_norm == pytest.approx(expected, rel=1e-6)


def test_grad_norm_appears_layer_by_layer_as_backward_runs():
    s = make()
    s.step_forward_pass()
    s.step()  # backward through layer 3
    hs = layer_health(s.snapshot())
    assert hs[2].grad_norm is not None
    assert hs[1].grad_norm is None and hs[0].grad_norm is None


def test_update_ratio_of_sgd_is_the_learning_rate_times_the_gradient_over_the_old_weights():
    lr = 0.1
    s = make(lr=lr)
    s.step_backward_pass()
    before = s.snapshot()
    s.step()  # the update
    after = s.snapshot()
    for k, h in enumerate(layer_health(after)):
        dW = before.layers[k].dW
        expected = lr * np.sqrt(np.sum(dW * dW)) / np.sqrt(np.sum(before.weights[k] ** 2))
        assert h.update_ratio == pytest.approx(expected, rel=1e-12)
        assert h.weight_norm == pytest.approx(np.linalg.norm(after.weights[k]))


def test_update_ratio_falls_back_to_w_minus_delta_when_the_old_weights_were_not_recorded():
    s = make()
    s.step_update()
    snap = s.snapshot()
    recorded = [h.update_ratio for h in layer_health(snap)]
    rebuilt = [h.update_ratio for h in layer_health(dataclasses.replace(snap, weights_before_update=None))]
    assert rebuilt == pytest.approx(recorded, rel=1e-9)


def test_update_ratio_from_zero_weights_is_infinite():
    zeros = [np.zeros((2, 3)), np.zeros((3, 2)), np.zeros((2, 1))]
    biases = [np.full(3, 0.5), np.full(2, 0.5), np.zeros(1)]
    s = make(weights=zeros, biases=biases)
    s.step_update()
    hs = layer_health(s.snapshot())
    assert hs[2].update_ratio == math.inf  # dW of layer 3 = a₂ᵀ·dz ≠ 0 since the biases make a₂ > 0


def test_dead_relu_units_are_those_zero_for_every_sample():
    x = np.array([[-1.0], [1.0], [2.0], [-2.0]])
    ds = dataset(x, x)
    net = network(1, (3, "relu"), (1, "linear"))
    # Unit 0 is pushed far below zero; unit 1 is positive for half the samples; unit 2 always positive.
    weights = [np.array([[1.0, 1.0, 1.0]]), np.ones((3, 1))]
    biases = [np.array([-100.0, 0.0, 100.0]), np.zeros(1)]
    s = session(net, training(batch_size=4), ds, weights=weights, biases=biases)
    s.step()
    h = layer_health(s.snapshot())[0]
    assert h.dead_units == 1 and h.dead_share == pytest.approx(1 / 3)
    assert h.saturated_units is None  # saturation is a sigmoid/tanh idea


def test_leaky_relu_units_are_never_counted_dead():
    x = np.array([[1.0], [2.0]])
    net = network(1, (2, "leaky_relu"), (1, "linear"))
    weights = [np.ones((1, 2)), np.ones((2, 1))]
    biases = [np.full(2, -100.0), np.zeros(1)]
    s = session(net, training(batch_size=2), dataset(x, x), weights=weights, biases=biases)
    s.step()
    assert layer_health(s.snapshot())[0].dead_units is None


@pytest.mark.parametrize(
    ("activation", "biases", "saturated"),
    [
        ("sigmoid", [-100.0, 100.0, 0.0, 4.0], 2),  # σ(4) ≈ 0.982 is steep enough to still count as alive
        ("tanh", [-100.0, 100.0, 0.0, 2.0], 2),  # tanh(2) ≈ 0.964
    ],
)
def test_saturated_units_sit_in_the_flat_tails_on_every_sample(activation, biases, saturated):
    x = np.array([[0.0], [0.5], [-0.5]])
    net = network(1, (4, activation), (1, "linear"))
    weights = [np.full((1, 4), 0.1), np.ones((4, 1))]
    s = session(
        net, training(batch_size=3), dataset(x, x), weights=weights, biases=[np.array(biases), np.zeros(1)]
    )
    s.step()
    snap = s.snapshot()
    a = snap.layers[0].a
    if activation == "sigmoid":
        expected = int(np.sum(np.all((a < 0.01) | (a > 0.99), axis=0)))
    else:
        expected = int(np.sum(np.all(np.abs(a) > 0.99, axis=0)))
    h = layer_health(snap)[0]
    assert h.saturated_units == expected == saturated
    assert h.dead_units is None


def test_histograms_bin_weights_activations_and_gradients_like_numpy():
    s = make()
    s.step_backward_pass()
    snap = s.snapshot()
    hist = histograms(snap, bins=7)
    assert len(hist) == 3
    for k, per_layer in enumerate(hist):
        assert set(per_layer) == {"weights", "activations", "gradients"}
        for name, source in (
            ("weights", snap.weights[k]),
            ("activations", snap.layers[k].a),
            ("gradients", snap.layers[k].dW),
        ):
            counts, edges = per_layer[name]
            want_counts, want_edges = np.histogram(source.ravel(), bins=7)
            assert counts.sum() == source.size and len(edges) == 8
            np.testing.assert_array_equal(counts, want_counts)
            np.testing.assert_array_equal(edges, want_edges)


def test_histograms_of_quantities_not_computed_yet_are_none():
    s = make()
    s.step()
    hist = histograms(s.snapshot())
    assert hist[0]["activations"] is not None and hist[1]["activations"] is None
    assert all(h["gradients"] is None for h in hist)
    assert all(h["weights"] is not None for h in hist)


def test_histograms_leave_out_non_finite_values():
    snap = make().snapshot()
    broken = np.array(snap.weights[0])
    broken[0, 0] = np.nan
    broken[1, 1] = np.inf
    snap = dataclasses.replace(snap, weights=(broken, *snap.weights[1:]))
    counts, edges = histograms(snap, bins=5)[0]["weights"]
    assert counts.sum() == broken.size - 2
    assert np.isfinite(edges).all()
