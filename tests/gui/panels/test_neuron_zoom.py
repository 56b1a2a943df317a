"""The neuron zoom paints one neuron's computational graph with the session's numbers."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from backprop_studio.core.analysis.focus import BATCH_MEAN, Focus
from backprop_studio.core.display.numbers import format_number
from backprop_studio.gui.panels.neuron_zoom import EMPTY, LEGEND, NeuronZoom

from tests.core.nn.test_hand_worked import make
from tests.engine_helpers import dataset, network, session, training


@pytest.fixture
def zoom(qtbot):
    widget = NeuronZoom()
    widget.resize(420, 260)
    qtbot.addWidget(widget)
    return widget


def drawn(widget: NeuronZoom) -> list[str]:
    assert not widget.grab().isNull()
    return [label.replace("−", "-") for label in widget.labels()]


def test_empty_until_a_neuron_is_shown(zoom):
    assert drawn(zoom) == [EMPTY]
    zoom.show_neuron(make().snapshot(), 2, 0)
    zoom.clear()
    assert drawn(zoom) == [EMPTY]


def test_before_the_first_phase_only_weights_and_bias_are_known(zoom):
    zoom.show_neuron(make().snapshot(), 2, 0)
    labels = drawn(zoom)
    assert "× 0.4" in labels and "× 0.7" in labels and "b 0.1" in labels
    assert LEGEND in labels
    assert not any("0.97" in t for t in labels)


def test_forward_values_then_gradients(zoom):
    s = make()
    s.step_forward_pass()
    zoom.show_neuron(s.snapshot(), 2, 0)
    labels = drawn(zoom)
    assert {"0.6", "0.9", "0.24", "0.63"} <= set(labels)
    assert any(t.endswith("0.97") for t in labels)  # z and a
    assert "-0.03" not in labels
    assert any("after backward through layer 2" in t for t in labels)

    s.step_backward_pass()
    zoom.refresh(s.snapshot())
    labels = drawn(zoom)
    assert labels.count("-0.03") >= 3  # dL/dz on the z wire, on both × → Σ wires, on the bias
    assert "-0.018" in labels and "-0.027" in labels  # dL/dw = a·dL/dz for this sample
    assert "-0.012" in labels and "-0.021" in labels  # w·dL/dz passed back to a₁, a₂
    assert "-0.03" in labels  # dL/da from the loss
    assert "f′(z) = 1" in labels
    assert any("backward through layer 1" in t for t in labels)


def test_hidden_neuron_after_the_backward_pass(zoom):
    s = make()
    s.step_backward_pass()
    zoom.show_neuron(s.snapshot(), 1, 0)
    labels = drawn(zoom)
    assert "-0.062" in labels
    assert "x₁" in labels and "× 0.5" in labels
    assert "→ layer 2" in labels


def test_a_wide_neuron_shows_the_first_inputs_and_how_many_more(zoom):
    rng = np.random.default_rng(2)
    net = network(12, (3, "tanh"), (1, "linear"))
    s = session(net, training(batch_size=5), dataset(rng.normal(size=(5, 12)), rng.normal(size=(5, 1))))
    s.step_backward_pass()
    zoom.show_neuron(s.snapshot(), 1, 2, Focus(4))
    labels = drawn(zoom)
    more = [t for t in labels if t.startswith("+ ") and t.endswith("more inputs")]
    assert len(more) == 1
    shown = sum(1 for t in labels if t.startswith("x") and len(t) <= 3)
    assert shown + int(more[0].split()[1]) == 12
    zoom.resize(900, 560)
    labels = drawn(zoom)
    assert "+ 5 more inputs" in labels  # a big widget has room for 8 rows: 7 inputs and this one


@pytest.mark.parametrize("dark", [False, True])
def test_renders_in_both_palettes_after_the_update(zoom, dark):
    s = make()
    s.step_update()
    zoom.set_dark(dark)
    zoom.show_neuron(s.snapshot(), 2, 1)
    labels = drawn(zoom)
    assert "× -0.2" in labels and "× 0.3" in labels  # the weights this batch used, not the updated ones
    assert "0.25" in labels


def test_plain_show_still_shows_the_widget(zoom):
    zoom.show()
    assert zoom.isVisible()
    assert drawn(zoom) == [EMPTY]


def test_after_a_fast_run_the_weights_the_batch_used_are_drawn(zoom):
    s = make()
    s.run_epochs(3)
    snap = s.snapshot()
    zoom.show_neuron(snap, 2, 0)
    labels = drawn(zoom)
    assert labels.count("× w") == 0
    assert sum(label.startswith("× ") and label != "× weight wᵢ" for label in labels) == 2


def test_title_numbers_the_neuron_from_one_and_names_the_sample(zoom):
    s = make()
    s.step_forward_pass()
    zoom.show_neuron(s.snapshot(), 2, 1)
    assert drawn(zoom)[0].startswith("Neuron 2 of layer 2 · sample #1")


def test_inputs_are_named_by_their_feature(zoom):
    s = make()
    s.step_forward_pass()
    zoom.set_input_names(["sin(x1)"])
    zoom.show_neuron(s.snapshot(), 1, 0)
    assert "sin(x₁)" in drawn(zoom)
    zoom.set_input_names([])
    assert "x₁" in drawn(zoom)


def fmt(value: float) -> str:
    return format_number(value, 3).replace("−", "-")


def test_batch_mean_draws_means_and_batch_sums_not_sample_one(zoom):
    rng = np.random.default_rng(5)
    net = network(2, (3, "tanh"), (1, "linear"))
    s = session(net, training(batch_size=6), dataset(rng.normal(size=(6, 2)), rng.normal(size=(6, 1))))
    s.step_backward_pass()
    snap = s.snapshot()
    hidden = snap.layers[0]
    zoom.resize(900, 560)
    zoom.show_neuron(snap, 1, 1, BATCH_MEAN)
    labels = drawn(zoom)
    assert "mean of 6 samples" in labels[0]
    x_mean = snap.x.mean(axis=0)
    assert fmt(x_mean[0]) in labels and fmt(x_mean[1]) in labels  # mean inputs on the wires
    assert any(t.endswith(fmt(hidden.z[:, 1].mean())) for t in labels)  # mean z
    assert any(t.endswith(fmt(hidden.a[:, 1].mean())) for t in labels)  # mean a
    assert labels.count(fmt(hidden.dz[:, 1].mean())) >= 2  # mean dL/dz on the z wire and the × → Σ wires
    assert fmt(hidden.da[:, 1].mean()) in labels
    a = hidden.a[:, 1]
    assert f"f′(z) = {fmt((1 - a * a).mean())}" in labels
    # × nodes and the bias: the exact batch sums dL/dw = Σ x·dL/dz and dL/db = Σ dL/dz.
    assert fmt(float((snap.x[:, 0] * hidden.dz[:, 1]).sum())) in labels
    assert fmt(float(hidden.dz[:, 1].sum())) in labels
    assert fmt(hidden.z[0, 1]) not in " ".join(labels)  # sample 1 is not quietly shown
    assert any("not the mean of the chain rules" in t for t in labels)
    zoom.refresh(snap, Focus(2))
    assert drawn(zoom)[0].startswith("Neuron 2 of layer 1 · sample #3")
