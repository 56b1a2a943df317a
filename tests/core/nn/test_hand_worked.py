"""The 1-2-2 ReLU network of the seed article (weights chosen to illustrate it), worked by hand: x = 1, y = (1, 0), MSE, SGD lr 0.1.

W1 = [[0.5, 0.8]], b1 = [0.1, 0.1];  W2 = [[0.4, -0.2], [0.7, 0.3]], b2 = [0.1, 0.1]
z1 = h = [0.6, 0.9]
z2 = ŷ = [0.6·0.4 + 0.9·0.7 + 0.1, 0.6·(−0.2) + 0.9·0.3 + 0.1] = [0.97, 0.25]
L  = ½((0.97 − 1)² + 0.25²) = 0.0317
Eo = dL/dz2 = (ŷ − y)·relu'(z2) = [−0.03, 0.25]
dW2 = hᵀ·Eo = [[−0.018, 0.15], [−0.027, 0.225]],  db2 = Eo
dL/dh = Eo·W2ᵀ = [−0.03·0.4 + 0.25·(−0.2), −0.03·0.7 + 0.25·0.3] = [−0.062, 0.054]
Eh = dL/dz1 = [−0.062, 0.054],  dW1 = xᵀ·Eh = [[−0.062, 0.054]],  db1 = Eh
dL/dx = Eh·W1ᵀ = −0.062·0.5 + 0.054·0.8 = 0.0122
After w ← w − 0.1·g: W1 = [[0.5062, 0.7946]], b1 = [0.1062, 0.0946],
                      W2 = [[0.4018, −0.215], [0.7027, 0.2775]], b2 = [0.103, 0.075]
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.analysis.chain_rule import edge_terms, neuron_terms
from numpy.testing import assert_allclose

from tests.engine_helpers import dataset, network, session, training

W1 = [[0.5, 0.8]]
W2 = [[0.4, -0.2], [0.7, 0.3]]
B = [[0.1, 0.1], [0.1, 0.1]]


def make():
    net = network(1, (2, "relu"), (2, "relu"))
    ds = dataset([[1.0]], [[1.0, 0.0]])
    return session(net, training(lr=0.1, batch_size=1), ds, weights=[W1, W2], biases=[np.array(b) for b in B])


def test_forward_pass_matches_hand_computation():
    s = make()
    s.step_forward_pass()
    snap = s.snapshot()
    assert_allclose(snap.layers[0].z, [[0.6, 0.9]], rtol=1e-14)
    assert_allclose(snap.layers[0].a, [[0.6, 0.9]], rtol=1e-14)
    assert_allclose(snap.layers[1].z, [[0.97, 0.25]], rtol=1e-14)
    assert_allclose(snap.loss, 0.0317, rtol=1e-12)


def test_both_layer_errors_and_weight_gradients_match_hand_computation():
    s = make()
    s.step_backward_pass()
    snap = s.snapshot()
    assert_allclose(snap.layers[1].dz, [[-0.03, 0.25]], rtol=1e-12)
    assert_allclose(snap.layers[1].dW, [[-0.018, 0.15], [-0.027, 0.225]], rtol=1e-12)
    assert_allclose(snap.layers[1].db, [-0.03, 0.25], rtol=1e-12)
    assert_allclose(snap.layers[0].da, [[-0.062, 0.054]], rtol=1e-12)
    assert_allclose(snap.layers[0].dz, [[-0.062, 0.054]], rtol=1e-12)
    assert_allclose(snap.layers[0].dW, [[-0.062, 0.054]], rtol=1e-12)
    assert_allclose(snap.dx, [[0.0122]], rtol=1e-12)


def test_one_sgd_step_gives_the_hand_computed_weights():
    s = make()
    s.step_update()
    w1, w2 = s.weights
    b1, b2 = s.biases
    assert_allclose(w1, [[0.5062, 0.7946]], rtol=1e-13)
    assert_allclose(b1, [0.1062, 0.0946], rtol=1e-13)
    assert_allclose(w2, [[0.4018, -0.215], [0.7027, 0.2775]], rtol=1e-13)
    assert_allclose(b2, [0.103, 0.075], rtol=1e-13)
    snap = s.snapshot()
    assert_allclose(snap.layers[1].delta_W, [[0.0018, -0.015], [0.0027, -0.0225]], rtol=1e-12)


def test_chain_rule_terms_show_upstream_times_local():
    s = make()
    s.step_backward_pass()
    terms = neuron_terms(s.snapshot(), layer=1, j=0)
    assert terms.forward.products == (0.5,)
    assert_allclose(terms.forward.z, 0.6)
    back = terms.backward
    assert back.source == "next layer"
    assert_allclose(back.downstream_weights, [0.4, -0.2])
    assert_allclose(back.downstream_dz, [-0.03, 0.25], rtol=1e-12)
    assert_allclose(sum(back.products), -0.062, rtol=1e-12)
    assert back.local == 1.0
    assert_allclose(back.dz, back.da * back.local, rtol=1e-15)
    out = neuron_terms(s.snapshot(), layer=2, j=1).backward
    assert out.source == "loss" and out.target == 0.0
    assert_allclose(out.da, 0.25, rtol=1e-12)


def test_edge_terms_give_gradient_step_and_new_weight():
    s = make()
    s.step_update()
    e = edge_terms(s.snapshot(), layer=2, i=1, j=1)
    assert e.weight == 0.3
    assert_allclose(e.products, [0.9 * 0.25], rtol=1e-12)
    assert_allclose(e.gradient, 0.225, rtol=1e-12)
    assert e.regularization == 0.0
    assert_allclose(e.step, -0.0225, rtol=1e-12)
    assert_allclose(e.weight_after, 0.2775, rtol=1e-13)


def test_after_the_update_the_chain_rule_still_uses_the_weights_the_batch_used():
    s = make()
    s.step_update()
    terms = neuron_terms(s.snapshot(), layer=2, j=0)
    # z2 = 0.6·0.4 + 0.9·0.7 + 0.1 with the weights before the update, not the updated 0.4018 and 0.7027.
    assert terms.forward.weights == (0.4, 0.7)
    assert terms.forward.bias == 0.1
    assert_allclose(sum(terms.forward.products) + terms.forward.bias, terms.forward.z, rtol=1e-15)
    hidden = neuron_terms(s.snapshot(), layer=1, j=1).backward
    assert_allclose(sum(hidden.products), hidden.da, rtol=1e-15)
