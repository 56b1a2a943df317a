"""Narration: for each phase kind, the sentence's numbers are the session's, computed here independently."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.analysis.focus import BATCH_MEAN
from backprop_studio.core.teaching.narration import narrate

from tests.core.teaching.helpers import close, number_after, small_session


def _run_to(s, kind: str, layer: int | None = None):
    while True:
        s.step()
        snap = s.snapshot()
        if snap.phase.kind == kind and (layer is None or snap.phase.layer == layer):
            return snap


def test_before_anything_runs_it_says_what_step_does():
    s = small_session()
    text = narrate(s.snapshot())
    assert "Nothing has run" in text and "forward through layer 1" in text


def test_forward_gives_the_selected_neurons_z_and_a_for_the_focused_sample():
    s = small_session()
    snap = _run_to(s, "forward", 1)
    w, b = s.weights[0], s.biases[0]
    z = snap.x @ w + b  # independent: (4, 2) @ (2, 3) + (3,)
    text = narrate(snap, ("neuron", 1, 2), focus=1)
    assert text.startswith("Forward through layer 1: each of its 3 neurons sums its 2 inputs")
    assert "tanh" in text and "Neuron 3" in text
    assert f"sample #{int(snap.batch_indices[1]) + 1}" in text
    assert close(number_after(text, "z"), z[1, 2])
    assert close(number_after(text, "a"), np.tanh(z[1, 2]))


def test_forward_without_a_selection_in_the_layer_talks_about_its_first_neuron():
    s = small_session()
    s.step()
    snap = _run_to(s, "forward", 2)
    z = snap.layers[0].a @ s.weights[1] + s.biases[1]
    text = narrate(snap, ("neuron", 1, 2), focus=0)  # selected neuron is in layer 1, not 2
    assert "output layer 2" in text and "Neuron 1," in text
    assert close(number_after(text, "z"), z[0, 0])
    assert close(number_after(text, "a"), 1 / (1 + np.exp(-z[0, 0])))


def test_batch_mean_focus_gives_the_means():
    s = small_session()
    snap = _run_to(s, "forward", 1)
    z = snap.x @ s.weights[0] + s.biases[0]
    text = narrate(snap, None, focus=BATCH_MEAN)
    assert "mean over the batch" in text
    assert close(number_after(text, "z"), z[:, 0].mean())
    assert close(number_after(text, "a"), np.tanh(z[:, 0]).mean())


def test_loss_gives_the_batch_loss_and_the_outputs_gradient():
    s = small_session()
    snap = _run_to(s, "loss")
    a, y = snap.layers[-1].a, snap.y
    text = narrate(snap, ("neuron", 2, 1), focus=2)
    assert text.startswith("Loss: the mean squared error")
    assert close(number_after(text, "L"), 0.5 * np.sum((a - y) ** 2) / 4)
    assert close(number_after(text, "ŷ"), a[2, 1])
    assert close(number_after(text, "y"), y[2, 1])
    assert close(number_after(text, "dL/dŷ"), (a[2, 1] - y[2, 1]) / 4)


def test_backward_gives_dl_da_the_slope_and_dl_dz():
    s = small_session()
    snap = _run_to(s, "backward", 1)
    out = snap.layers[1]
    dz_out = (out.a - snap.y) / 4 * out.a * (1 - out.a)  # mse through a sigmoid, by hand
    da = dz_out @ s.weights[1].T
    a1 = snap.layers[0].a
    text = narrate(snap, ("edge", 1, 0, 1), focus=3)  # an edge into neuron 2 of layer 1
    assert "Backward through layer 1" in text and "Neuron 2," in text and "1 − a²" in text
    assert close(number_after(text, "dL/da"), da[3, 1])
    assert close(number_after(text, "f′(z)"), 1 - a1[3, 1] ** 2)
    assert close(number_after(text, "dL/dz"), da[3, 1] * (1 - a1[3, 1] ** 2))


def test_update_gives_the_selected_weights_old_value_gradient_and_new_value():
    s = small_session()
    s.step()  # forward 1: the batch is drawn
    x = s.snapshot().x
    w_before = [w.copy() for w in s.weights]
    snap = _run_to(s, "update")
    dz1 = snap.layers[0].dz
    grad = (x.T @ dz1)[1, 2]  # dL/dW₁ = Xᵀ·δ₁, weight from x₂ to neuron 3
    text = narrate(snap, ("edge", 1, 1, 2), training=s.training, features=("x1", "x2"))
    assert "w ← w − 0.1·dL/dw (plain SGD)" in text
    assert "weight from x₂ to neuron 3 of layer 1" in text
    assert close(number_after(text, "w"), w_before[0][1, 2])
    assert close(number_after(text, "dL/dw"), grad)
    assert close(number_after(text, "Δw"), -0.1 * grad)
    assert close(number_after(text, "w becomes"), w_before[0][1, 2] - 0.1 * grad)


def test_update_names_other_optimizers():
    s = small_session(optimizer="adam")
    snap = _run_to(s, "update")
    assert "Adam" in narrate(snap, None, training=s.training)
