"""Chain-rule terms of inputs, biases and batch means, checked against hand-worked numbers and array means.

The 1-2-2 ReLU network of tests/core/nn/test_hand_worked.py (x = 1): dL/dz1 = (−0.062, 0.054),
W1 = [[0.5, 0.8]], so dL/dx = 0.5·(−0.062) + 0.8·0.054 = 0.0122; db1 = dz1, Δb1 = −0.1·db1 = (0.0062, −0.0054).
With a second sample x = 2 the same network gives z1 = (1.1, 1.7) and z2 = (1.73, 0.39), so the batch means
are z1 = (0.85, 1.3) and z2 = (1.35, 0.32) (and 0.85·0.4 + 1.3·0.7 + 0.1 = 1.35: linear steps add up).
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.analysis.chain_rule import (
    batch_parameters_known,
    bias_terms,
    input_terms,
    neuron_terms,
    update_applied,
)
from backprop_studio.core.analysis.focus import BATCH_MEAN, Focus
from numpy.testing import assert_allclose

from tests.core.nn.test_hand_worked import W1, W2, B, make
from tests.engine_helpers import dataset, network, session, training


def two_samples():
    net = network(1, (2, "relu"), (2, "relu"))
    ds = dataset([[1.0], [2.0]], [[1.0, 0.0], [0.0, 1.0]])
    return session(net, training(lr=0.1, batch_size=2), ds, weights=[W1, W2], biases=[np.array(b) for b in B])


def sigmoid_batch():
    rng = np.random.default_rng(3)
    net = network(3, (4, "sigmoid"), (2, "tanh"))
    return session(net, training(batch_size=6), dataset(rng.normal(size=(6, 3)), rng.normal(size=(6, 2))))


def test_input_terms_give_x_and_dl_dx_as_a_weighted_sum():
    s = make()
    s.step_forward_pass()
    before = input_terms(s.snapshot(), 0)
    assert before.x == 1.0 and before.dx is None and before.products is None
    s.step_backward_pass()
    t = input_terms(s.snapshot(), 0)
    assert t.weights == (0.5, 0.8)
    assert_allclose(t.downstream_dz, [-0.062, 0.054], rtol=1e-12)
    assert_allclose(t.products, [-0.031, 0.0432], rtol=1e-12)
    assert_allclose(t.dx, 0.0122, rtol=1e-12)
    assert_allclose(sum(t.products), t.dx, rtol=1e-14)


def test_bias_terms_give_the_batch_sum_the_step_and_the_new_bias():
    s = make()
    s.step_backward_pass()
    t = bias_terms(s.snapshot(), 1, 0)
    assert t.bias == 0.1 and t.step is None and t.bias_after is None
    assert_allclose(t.dz, [-0.062], rtol=1e-12)
    assert_allclose(t.gradient, -0.062, rtol=1e-12)
    s.step()  # the update
    after = bias_terms(s.snapshot(), 1, 0)
    assert after.bias == 0.1  # the value the batch used
    assert_allclose(after.step, 0.0062, rtol=1e-12)
    assert_allclose(after.bias_after, 0.1062, rtol=1e-13)
    out = bias_terms(s.snapshot(), 2, 1)
    assert_allclose(out.gradient, 0.25, rtol=1e-12)
    assert_allclose(out.bias_after, 0.075, rtol=1e-13)


def test_bias_gradient_sums_dz_over_a_batch_of_two():
    s = two_samples()
    s.step_backward_pass()
    snap = s.snapshot()
    t = bias_terms(snap, 2, 0)
    assert len(t.dz) == 2
    assert_allclose(sum(t.dz), t.gradient, rtol=1e-14)


def test_batch_mean_forward_terms_are_means_over_the_batch():
    s = two_samples()
    s.step_forward_pass()
    snap = s.snapshot()
    out = neuron_terms(snap, 2, 0, BATCH_MEAN)
    assert out.is_mean and out.batch_size == 2
    assert_allclose(out.forward.inputs, [0.85, 1.3], rtol=1e-14)
    assert_allclose(out.forward.z, 1.35, rtol=1e-14)
    assert_allclose(sum(out.forward.products) + out.forward.bias, out.forward.z, rtol=1e-14)
    assert_allclose(neuron_terms(snap, 2, 1, BATCH_MEAN).forward.z, 0.32, rtol=1e-13)
    # One row of the same batch: the second sample (x = 2).
    second = neuron_terms(snap, 2, 0, Focus(1))
    assert second.sample == 1 and not second.is_mean
    assert_allclose(second.forward.z, 1.73, rtol=1e-14)


def test_batch_mean_backward_terms_match_means_of_the_snapshot_arrays():
    s = sigmoid_batch()
    s.step_backward_pass()
    snap = s.snapshot()
    hidden, out = snap.layers
    t = neuron_terms(snap, 1, 2, BATCH_MEAN)
    z, a = hidden.z[:, 2], hidden.a[:, 2]
    assert_allclose(t.forward.z, z.mean(), rtol=1e-14)
    assert_allclose(t.forward.a, a.mean(), rtol=1e-14)
    assert_allclose(t.forward.a_of_mean_z, 1 / (1 + np.exp(-z.mean())), rtol=1e-14)
    assert abs(t.forward.a_of_mean_z - t.forward.a) > 1e-6  # f(mean z) is not mean f(z)
    assert t.forward.mean_is_not_activation_of_mean
    b = t.backward
    assert_allclose(b.da, hidden.da[:, 2].mean(), rtol=1e-14)
    assert_allclose(b.local, (a * (1 - a)).mean(), rtol=1e-14)
    assert_allclose(b.dz, hidden.dz[:, 2].mean(), rtol=1e-14)
    assert_allclose(b.downstream_dz, out.dz.mean(axis=0), rtol=1e-14)
    assert_allclose(sum(b.products), b.da, rtol=1e-12)  # linear: still adds up for means
    assert_allclose(b.dz_of_means, b.da * b.local, rtol=1e-15)
    assert abs(b.dz_of_means - b.dz) > 1e-9  # the chain rule of means is not the mean of the chain rules
    assert b.chain_of_means_differs
    output = neuron_terms(snap, 2, 1, BATCH_MEAN).backward
    assert_allclose(output.target, snap.y[:, 1].mean(), rtol=1e-14)


def test_a_sample_focus_carries_no_chain_of_means():
    s = sigmoid_batch()
    s.step_backward_pass()
    t = neuron_terms(s.snapshot(), 1, 0, Focus(4))
    assert t.forward.a_of_mean_z is None and t.backward.dz_of_means is None
    assert not t.forward.mean_is_not_activation_of_mean and not t.backward.chain_of_means_differs
    assert_allclose(t.forward.z, s.snapshot().layers[0].z[4, 0], rtol=0)


def test_batch_mean_input_terms():
    s = sigmoid_batch()
    s.step_backward_pass()
    snap = s.snapshot()
    t = input_terms(snap, 1, BATCH_MEAN)
    assert_allclose(t.x, snap.x[:, 1].mean(), rtol=1e-14)
    assert_allclose(t.dx, snap.dx[:, 1].mean(), rtol=1e-14)
    assert_allclose(t.downstream_dz, snap.layers[0].dz.mean(axis=0), rtol=1e-14)
    assert_allclose(sum(t.products), t.dx, rtol=1e-12)


def test_update_applied_and_parameters_known():
    s = make()
    s.step_backward_pass()
    assert not update_applied(s.snapshot()) and batch_parameters_known(s.snapshot())
    s.step()
    assert update_applied(s.snapshot()) and batch_parameters_known(s.snapshot())


def test_a_linear_neuron_s_chain_of_means_holds():
    rng = np.random.default_rng(4)
    net = network(2, (3, "linear"), (1, "linear"))
    s = session(net, training(batch_size=5), dataset(rng.normal(size=(5, 2)), rng.normal(size=(5, 1))))
    s.step_backward_pass()
    t = neuron_terms(s.snapshot(), 1, 0, BATCH_MEAN)
    assert not t.forward.mean_is_not_activation_of_mean and not t.backward.chain_of_means_differs
