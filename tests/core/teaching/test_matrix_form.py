"""Matrix form: shapes and numbers against A @ W + b (and the backward products) computed here."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.teaching.matrix_cells import cell_target, highlighted, shown_indices
from backprop_studio.core.teaching.matrix_form import SAMPLES, matrix_form

from tests.core.teaching.helpers import small_session


def _run_to(s, kind, layer=None):
    while True:
        s.step()
        snap = s.snapshot()
        if snap.phase.kind == kind and (layer is None or snap.phase.layer == layer):
            return snap


def _terms(form, line):
    return {t.symbol: t for t in form.lines[line].terms}


def test_forward_is_z_equals_a_times_w_plus_b_with_the_batchs_numbers_and_shapes():
    s = small_session()
    s.step()
    snap = _run_to(s, "forward", 2)
    form = matrix_form(snap)
    assert form.title == "Forward through layer 2"
    first = form.lines[0]
    assert first.formula == "Z₂ = A₁·W₂ + b₂"
    assert first.shapes == "(4×3)·(3×2) + (2) → (4×2)"
    t = _terms(form, 0)
    a1, w2, b2 = snap.layers[0].a, s.weights[1], s.biases[1]
    np.testing.assert_allclose(t["Z₂"].values, a1 @ w2 + b2, rtol=1e-12)
    np.testing.assert_array_equal(t["A₁"].values, a1)
    np.testing.assert_array_equal(t["W₂"].values, w2)
    np.testing.assert_array_equal(t["b₂"].values, b2[None, :])
    second = form.lines[1]
    assert second.formula == "A₂ = σ(Z₂)"
    np.testing.assert_allclose(second.terms[0].values, 1 / (1 + np.exp(-(a1 @ w2 + b2))), rtol=1e-12)


def test_backward_through_a_hidden_layer_shows_delta_next_times_w_next_transposed_and_dw():
    s = small_session()
    snap = _run_to(s, "backward", 1)
    form = matrix_form(snap)
    formulas = [line.formula.split("   ")[0] for line in form.lines]
    assert formulas == ["dA₁ = δ₂·W₂ᵀ", "δ₁ = dA₁ ⊙ f′(Z₁)", "dW₁ = Xᵀ·δ₁", "db₁ = Σ over the rows of δ₁"]
    assert form.lines[0].shapes == "(4×2)·(2×3) → (4×3)"
    assert form.lines[2].shapes == "(2×4)·(4×3) → (2×3)"
    out = snap.layers[1]
    delta2 = (out.a - snap.y) / 4 * out.a * (1 - out.a)
    da1 = delta2 @ s.weights[1].T
    a1 = snap.layers[0].a
    delta1 = da1 * (1 - a1**2)
    np.testing.assert_allclose(_terms(form, 0)["dA₁"].values, da1, rtol=1e-10)
    np.testing.assert_allclose(_terms(form, 1)["δ₁"].values, delta1, rtol=1e-10)
    np.testing.assert_allclose(_terms(form, 2)["dW₁"].values, snap.x.T @ delta1, rtol=1e-10)
    np.testing.assert_allclose(_terms(form, 3)["db₁"].values, delta1.sum(axis=0)[None, :], rtol=1e-10)


def test_update_is_w_minus_lr_times_dw_and_names_other_optimizers():
    s = small_session()
    s.step()
    w_before = s.weights[1].copy()
    snap = _run_to(s, "update")
    form = matrix_form(snap, ("neuron", 2, 0), s.training)
    assert form.title == "Weight update of layer 2"
    assert form.lines[0].formula == "W₂ ← W₂ − 0.1·dW₂"
    t = _terms(form, 0)
    np.testing.assert_array_equal(t["W₂"].values, w_before)
    np.testing.assert_allclose(t["W₂ new"].values, w_before - 0.1 * t["dW₂"].values, rtol=1e-12)
    adam = small_session(optimizer="adam")
    assert "Adam" in matrix_form(_run_to(adam, "update"), None, adam.training).notes[0]


def test_long_axes_are_elided_keeping_first_and_last():
    assert shown_indices(5, 7) == [0, 1, 2, 3, 4]
    assert shown_indices(100, 7) == [0, 1, 2, 3, None, 98, 99]


def test_cells_select_edges_neurons_and_samples_and_selections_highlight_cells():
    s = small_session()
    snap = _run_to(s, "backward", 1)
    form = matrix_form(snap)
    w_t = _terms(form, 0)["W₂ᵀ"]  # (2×3): cell (r, c) is the weight from neuron c of layer 1 to r of 2
    assert cell_target(w_t, 1, 2) == (("edge", 2, 2, 1), None)
    delta = _terms(form, 1)["δ₁"]
    assert delta.rows_are == SAMPLES
    assert cell_target(delta, 3, 1) == (("neuron", 1, 1), 3)
    assert highlighted(w_t, ("edge", 2, 2, 1), None) == {(1, 2)}
    assert highlighted(delta, ("neuron", 1, 1), 0) == {(r, 1) for r in range(4)} | {(0, c) for c in range(3)}
