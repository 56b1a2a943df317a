"""The inspector writes the chain rule with the session's numbers and edits weights and biases safely.

Numbers are those of the hand-worked 1-2-2 ReLU network (tests/test_hand_worked.py): z2 = 0.97,
dL/dz2 = (−0.03, 0.25), dL/dh = (−0.062, 0.054), dL/dx = 0.0122, dL/dW2[1,1] = 0.225, new w = 0.2775.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from backprop_studio.core.analysis.focus import BATCH_MEAN, Focus
from backprop_studio.core.display.numbers import format_number
from backprop_studio.gui.panels.inspector.formula import SIGNIFICANT
from backprop_studio.gui.panels.inspector.widget import HINT, Inspector
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.core.nn.test_hand_worked import make
from tests.engine_helpers import dataset, network, session, training


@pytest.fixture
def inspector(qtbot):
    widget = Inspector()
    widget.resize(420, 640)
    qtbot.addWidget(widget)
    return widget


def wide_session(reg: str = "none", rate: float = 0.0):
    """12 inputs → 3 sigmoid → 1 sigmoid, bce, a batch of 10: long sums and a fused output."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(10, 12))
    y = (rng.random((10, 1)) > 0.5).astype(float)
    net = network(12, (3, "sigmoid"), (1, "sigmoid"))
    return session(net, training(loss="bce", batch_size=10, reg=reg, rate=rate), dataset(x, y))


def type_value(qtbot, inspector, text: str, enter: bool = True) -> None:
    """What a person does: select the field's text, type over it, press Enter."""
    field = inspector.value_field()
    field.setFocus()
    field.selectAll()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(field, char)
        else:  # QTest cannot map "−" to a key: deliver the typed character as the keyboard would
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(field, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
    if not text:
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    if enter:
        qtbot.keyClick(field, Qt.Key.Key_Return)


def test_nothing_selected_shows_the_hint(inspector):
    assert inspector.text() == HINT
    inspector.show_neuron(make().snapshot(), 1, 0)
    inspector.clear()
    assert inspector.text() == HINT
    assert inspector.selection() is None


def test_forward_formula_has_the_hand_computed_numbers_and_no_backward_yet(inspector):
    s = make()
    s.step_forward_pass()
    inspector.show_neuron(s.snapshot(), 2, 0)
    text = inspector.plain_text()
    assert "(0.6·0.4) + (0.9·0.7) + 0.1" in text
    assert "= 0.97" in text
    assert "a = relu(z) = relu(0.97) = 0.97" in text
    assert "dL/dŷ" not in text and "f′(z) =" not in text and "-0.03" not in text
    assert "Not reached yet" in text


def test_backward_lines_appear_only_once_backward_reached_the_layer(inspector):
    s = make()
    s.step_forward_pass()
    s.step()  # backward through layer 2 only
    inspector.show_neuron(s.snapshot(), 2, 0)
    output = inspector.plain_text()
    assert "dL/da = dL/dŷ = (ŷ - y)/B = (0.97 - 1)/1" in output
    assert "-0.03" in output
    inspector.show_neuron(s.snapshot(), 1, 0)
    hidden = inspector.plain_text()
    assert "Not reached yet" in hidden and "-0.062" not in hidden


def test_hidden_neuron_shows_upstream_times_local(inspector):
    s = make()
    s.step_backward_pass()
    inspector.show_neuron(s.snapshot(), 1, 0)
    text = inspector.plain_text()
    assert "dL/da = Σₘ wⱼₘ·dL/dzₘ" in text
    assert "(0.4·(-0.03)) + (-0.2·0.25)" in text
    assert "= -0.062" in text
    assert "f′(z) = relu′(0.6) = 1" in text
    assert "dL/dz = dL/da · f′(z) = -0.062 × 1" in text


def test_input_neuron_shows_x_and_dl_dx_after_backward_reached_layer_1(inspector):
    s = make()
    s.step_forward_pass()
    inspector.show_neuron(s.snapshot(), 0, 0)
    assert "Input x₁" in inspector.plain_text()
    assert "x₁ = 1" in inspector.plain_text()
    assert "0.0122" not in inspector.plain_text()
    s.step_backward_pass()
    inspector.refresh(s.snapshot())
    text = inspector.plain_text()
    assert "(0.5·(-0.062)) + (0.8·0.054)" in text
    assert "= 0.0122" in text


def test_edge_shows_per_sample_terms_gradient_step_and_new_weight(inspector):
    s = make()
    s.step_backward_pass()
    inspector.show_edge(s.snapshot(), 2, 1, 1)
    text = inspector.plain_text()
    assert "w = 0.3" in text
    assert "0.225" in text  # a·dL/dz of the one sample, and dL/dw
    assert "Not applied yet" in text
    s.step()  # the update
    inspector.refresh(s.snapshot())
    text = inspector.plain_text()
    assert "Δw = -0.0225" in text
    assert "0.3 + (-0.0225)" in text
    assert "= 0.2775" in text
    assert "regularization" not in text


def test_regularization_share_is_listed_when_present(inspector):
    s = wide_session(reg="l2", rate=0.01)
    s.step_backward_pass()
    inspector.show_edge(s.snapshot(), 1, 3, 0)
    assert "+ regularization" in inspector.plain_text()


def test_long_sums_are_shortened_and_show_all_expands_them(inspector, qtbot):
    s = wide_session()
    s.step_backward_pass()
    snap = s.snapshot()
    inspector.show_neuron(snap, 1, 0)
    text = inspector.plain_text()
    assert "6\u00a0more\u00a0terms" in text
    z = float(snap.layers[0].z[0, 0])
    assert f"= {format_number(z, SIGNIFICANT)}".replace("−", "-") in text
    box = inspector.show_all_box()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    full = inspector.plain_text()
    assert "more\u00a0terms" not in full
    assert repr(z) in full  # full precision
    x, w = float(snap.x[0, 0]), float(snap.weights[0][0, 0])
    first = f"({x!r}·{w!r})" if w >= 0 else f"({x!r}·({w!r}))"
    assert first in full


def test_fused_output_explains_dl_dz_from_the_loss(inspector):
    s = wide_session()
    s.step_backward_pass()
    inspector.show_neuron(s.snapshot(), 2, 0, Focus(3))
    text = inspector.plain_text()
    assert "dL/dz = (ŷ - y)/B" in text and "/10" in text
    assert "f′(z) cancels" in text


def test_editing_the_weight_emits_indices_and_value(inspector, qtbot):
    s = make()
    s.step_forward_pass()
    inspector.show_edge(s.snapshot(), 2, 1, 0)
    with qtbot.waitSignal(inspector.weight_edited) as blocker:
        type_value(qtbot, inspector, "-0.35")
    assert blocker.args == [2, 1, 0, -0.35]
    assert inspector.error_text() == ""


def test_editing_the_bias_with_the_set_button(inspector, qtbot):
    s = make()
    inspector.show_neuron(s.snapshot(), 1, 1)
    assert "Neuron 2 of layer 1" in inspector.plain_text()
    with qtbot.waitSignal(inspector.bias_edited) as blocker:
        type_value(qtbot, inspector, "0.25", enter=False)
        qtbot.mouseClick(inspector.set_button(), Qt.MouseButton.LeftButton)
    assert blocker.args == [1, 1, 0.25]


@pytest.mark.parametrize("entry", ["abc", "", "inf", "-inf", "nan", "1e999", "0.1.2"])
def test_bad_entries_emit_nothing_and_show_an_error(inspector, qtbot, entry):
    inspector.show_edge(make().snapshot(), 1, 0, 0)
    with qtbot.assertNotEmitted(inspector.weight_edited):
        type_value(qtbot, inspector, entry)
    assert "not a finite number" in inspector.error_text()
    # A good entry afterwards clears the message.
    with qtbot.waitSignal(inspector.weight_edited):
        type_value(qtbot, inspector, "0.5001")
    assert inspector.error_text() == ""


def test_committing_the_untouched_field_changes_nothing(inspector, qtbot):
    s = make()
    s.step_forward_pass()
    inspector.show_neuron(s.snapshot(), 2, 0)
    with qtbot.assertNotEmitted(inspector.bias_edited):
        qtbot.keyClick(inspector.value_field(), Qt.Key.Key_Return)


def test_unicode_minus_and_decimal_comma_are_accepted(inspector, qtbot):
    inspector.show_edge(make().snapshot(), 2, 0, 1)
    with qtbot.waitSignal(inspector.weight_edited) as blocker:
        type_value(qtbot, inspector, "−0,125")
    assert blocker.args == [2, 0, 1, -0.125]


def test_refresh_follows_the_session_through_an_edit(inspector, qtbot):
    s = make()
    s.step_forward_pass()
    inspector.weight_edited.connect(lambda layer, i, j, v: s.set_weight(layer, i, j, v))
    inspector.show_edge(s.snapshot(), 2, 0, 0)
    type_value(qtbot, inspector, "0.5")
    inspector.refresh(s.snapshot())
    inspector.show_neuron(s.snapshot(), 2, 0)
    # z = 0.6·0.5 + 0.9·0.7 + 0.1 = 1.03 with the edited weight
    text = inspector.plain_text()
    assert "(0.6·0.5) + (0.9·0.7) + 0.1" in text
    assert "= 1.03" in text


def test_selection_outside_a_changed_network_is_reported_not_crashed(inspector):
    inspector.show_neuron(make().snapshot(), 2, 0)
    small = session(network(1, (1, "relu")), training(batch_size=1), dataset([[1.0]], [[1.0]]))
    inspector.refresh(small.snapshot())
    assert "not in this network" in inspector.plain_text()


def test_dark_mode_renders(inspector):
    s = make()
    s.step_backward_pass()
    inspector.show_neuron(s.snapshot(), 1, 0)
    inspector.set_dark(True)
    assert "-0.062" in inspector.plain_text()
    assert not inspector.grab().isNull()


def test_number_format_is_compact_and_uses_a_true_minus():
    assert format_number(0.9700000000000001, SIGNIFICANT) == "0.97"
    assert format_number(-0.062, SIGNIFICANT) == "−0.062"
    assert format_number(-0.0, SIGNIFICANT) == "0"
    assert format_number(1.5e-7, SIGNIFICANT) == "1.5e−7"
    assert format_number(0.9700000000000001, SIGNIFICANT, exact=True) == "0.9700000000000001"


def test_after_the_update_sums_use_the_weights_the_batch_used(inspector):
    s = make()
    s.step_update()
    inspector.show_neuron(s.snapshot(), 1, 0)
    text = inspector.plain_text()
    assert "(0.4·(-0.03)) + (-0.2·0.25)" in text  # not the updated 0.4018, -0.215
    assert "0.5062" not in text
    assert "Δb = 0.0062" in text and "b is now 0.1062" in text


def test_after_a_fast_run_the_edge_shows_the_weight_the_last_batch_used(inspector):
    s = make()
    s.run_epochs(3)
    snap = s.snapshot()
    inspector.show_edge(snap, 2, 1, 0)
    text = inspector.plain_text()
    before = float(snap.weights_before_update[1][1, 0])
    after = float(snap.weights[1][1, 0])
    assert f"w = {format_number(before, SIGNIFICANT)}" in text
    assert f"new w = w + Δw = {format_number(before, SIGNIFICANT)}" in text
    assert format_number(after, SIGNIFICANT) in text
    inspector.show_neuron(snap, 1, 0)
    assert "dL/da = Σₘ wⱼₘ·dL/dzₘ" in inspector.plain_text()


def test_after_the_update_the_forward_sum_is_written_out_with_the_weights_the_batch_used(inspector):
    s = make()
    s.step_update()
    snap = s.snapshot()
    inspector.show_neuron(snap, 2, 0)
    text = inspector.plain_text()
    # z2 of the hand-worked net: 0.6·0.4 + 0.9·0.7 + 0.1 with the weights before the update.
    assert "= (0.6·0.4) + (0.9·0.7) + 0.1\n  = 0.97" in text


def test_neurons_and_layers_are_numbered_from_one(inspector):
    s = make()
    s.step_forward_pass()
    inspector.show_neuron(s.snapshot(), 2, 0)
    assert inspector.plain_text().startswith("Neuron 1 of layer 2")
    inspector.show_edge(s.snapshot(), 2, 1, 0)
    assert inspector.plain_text().startswith("Weight: neuron 2 of layer 1 → neuron 1 of layer 2")
    inspector.show_edge(s.snapshot(), 1, 0, 1)
    assert inspector.plain_text().startswith("Weight: input x₁ → neuron 2 of layer 1")


def test_inputs_are_named_by_their_feature(inspector):
    s = make()
    s.step_backward_pass()
    inspector.set_input_names(["x1^2"])
    inspector.show_neuron(s.snapshot(), 0, 0)
    text = inspector.plain_text()
    assert text.startswith("Input x₁²")
    assert "x₁² = 1" in text and "dL/dx₁² = Σₘ" in text
    inspector.show_edge(s.snapshot(), 1, 0, 0)
    assert "input x₁² → neuron 1 of layer 1" in inspector.plain_text()
    inspector.set_input_names([])
    assert "input x₁ → neuron 1" in inspector.plain_text()


def test_a_sample_is_named_by_its_data_set_index_and_batch_row(inspector):
    s = wide_session()
    s.step_forward_pass()
    snap = s.snapshot()
    inspector.show_neuron(snap, 1, 0, Focus(3))
    index = int(snap.batch_indices[3])
    assert f"sample #{index + 1} (row 4 of 10 in this batch)" in inspector.plain_text()
    z = float(snap.layers[0].z[3, 0])
    assert f"= {format_number(z, SIGNIFICANT)}".replace("−", "-") in inspector.plain_text()


def number(value: float) -> str:
    return format_number(value, SIGNIFICANT).replace("−", "-")


def test_batch_mean_shows_means_of_the_per_sample_quantities_not_sample_one(inspector):
    s = wide_session()
    s.step_backward_pass()
    snap = s.snapshot()
    hidden = snap.layers[0]
    inspector.show_neuron(snap, 1, 2, BATCH_MEAN)
    text = inspector.plain_text()
    assert "mean over the batch's 10 samples" in text
    z, a, da, dz = (arr[:, 2] for arr in (hidden.z, hidden.a, hidden.da, hidden.dz))
    assert f"= {number(z.mean())}" in text and f"mean a = mean of sigmoid(z) = {number(a.mean())}" in text
    assert f"= {number(da.mean())}" in text
    assert f"mean f′(z) = mean of sigmoid′(z) = {number((a * (1 - a)).mean())}" in text
    assert f"mean dL/dz = mean of dL/da · f′(z) = {number(dz.mean())}" in text
    # dL/db is the exact batch sum, not a mean.
    assert f"= {number(hidden.db[2])}" in text and abs(hidden.db[2] - dz.sum()) < 1e-15
    assert "A chain rule of means is not the mean of the chain rules" in text
    assert f"= {number(z[0])}" not in text  # sample 1's z is not quietly shown
    assert "sample #" not in text


def test_batch_mean_of_an_input_and_an_output(inspector):
    s = wide_session()
    s.step_backward_pass()
    snap = s.snapshot()
    inspector.show_neuron(snap, 0, 5, BATCH_MEAN)
    text = inspector.plain_text()
    assert f"mean x₆ = {number(snap.x[:, 5].mean())}" in text
    assert f"= {number(snap.dx[:, 5].mean())}" in text
    inspector.show_neuron(snap, 2, 0, BATCH_MEAN)
    out = inspector.plain_text()
    y_hat, y = snap.layers[1].a[:, 0].mean(), snap.y[:, 0].mean()
    assert f"mean dL/dz = (mean ŷ - mean y)/B = ({number(y_hat)} - {number(y)})/10" in out.replace("−", "-")
    assert f"= {number(snap.layers[1].dz[:, 0].mean())}" in out


def test_edge_table_names_samples_and_marks_the_focused_row(inspector):
    s = wide_session()
    s.step_backward_pass()
    snap = s.snapshot()
    inspector.show_edge(snap, 2, 1, 0, Focus(2))
    lines = inspector.plain_text().splitlines()
    marked = [line for line in lines if line.endswith("◀")]
    assert len(marked) == 1 and marked[0].startswith(f"#{int(snap.batch_indices[2]) + 1} ")
    a, dz = snap.layers[0].a[:, 1], snap.layers[1].dz[:, 0]
    assert abs(float(snap.layers[1].dW[1, 0]) - float((a * dz).sum())) < 1e-15
    assert (
        f"dL/dw = {number((a * dz).sum())}".split()
        == next(line for line in lines if line.startswith("dL/dw =")).split()
    )
    inspector.show_edge(snap, 2, 1, 0, BATCH_MEAN)
    assert not any(line.endswith("◀") for line in inspector.plain_text().splitlines())


def test_a_small_update_is_shown_with_the_digits_that_make_it_visible(inspector):
    """Mazur's network with lr 0.005: w1 moves from 0.15 by −0.5·0.000439/100 = −2.19e-6. At the page's
    4 significant digits both ends read 0.15; the page must show the digits that tell them apart."""
    from dataclasses import replace

    from backprop_studio.core.project.presets_catalog import load_preset
    from backprop_studio.core.project.project import open_session

    project = load_preset("mazur-2-2-2")
    project = replace(project, training=project.training.with_optimizer(learning_rate=0.005))
    s = open_session(project)
    s.run_epochs(1)
    inspector.show_edge(s.snapshot(), 1, 0, 0)  # x₁ → neuron 1 of layer 1: Mazur's w1
    text = inspector.plain_text().replace("-", "\u2212")
    # 0.15 − 0.005 · 0.000438568 (Mazur's ∂E/∂w1) = 0.14999780716
    assert "new w = w + Δw = 0.15 + (\u22122.193e\u22126) = 0.149998" in text
