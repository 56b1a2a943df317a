"""The inspector writes the chain rule with the session's numbers and edits weights and biases safely.

Numbers are those of the hand-worked 1-2-2 ReLU network (tests/test_hand_worked.py): z2 = 0.97,
dL/dz2 = (−0.03, 0.25), dL/dh = (−0.062, 0.054), dL/dx = 0.0122, dL/dW2[1,1] = 0.225, new w = 0.2775.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from backprop_studio.gui.panels.inspector.widget import HINT, Inspector, format_number

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


def test_nothing_selected_shows_the_hint(inspector):
    assert inspector.text() == HINT
    inspector.show_neuron(make().snapshot(), 1, 0, 0)
    inspector.clear()
    assert inspector.text() == HINT
    assert inspector.selection() is None


def test_forward_formula_has_the_hand_computed_numbers_and_no_backward_yet(inspector):
    s = make()
    s.step_forward_pass()
    inspector.show_neuron(s.snapshot(), 2, 0, 0)
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
    inspector.show_neuron(s.snapshot(), 2, 0, 0)
    output = inspector.plain_text()
    assert "dL/da = dL/dŷ = (ŷ - y)/B = (0.97 - 1)/1" in output
    assert "-0.03" in output
    inspector.show_neuron(s.snapshot(), 1, 0, 0)
    hidden = inspector.plain_text()
    assert "Not reached yet" in hidden and "-0.062" not in hidden


def test_hidden_neuron_shows_upstream_times_local(inspector):
    s = make()
    s.step_backward_pass()
    inspector.show_neuron(s.snapshot(), 1, 0, 0)
    text = inspector.plain_text()
    assert "dL/da = Σₘ wⱼₘ·dL/dzₘ" in text
    assert "(0.4·-0.03) + (-0.2·0.25)" in text
    assert "= -0.062" in text
    assert "f′(z) = relu′(0.6) = 1" in text
    assert "dL/dz = dL/da · f′(z) = -0.062 × 1" in text


def test_input_neuron_shows_x_and_dl_dx_after_backward_reached_layer_1(inspector):
    s = make()
    s.step_forward_pass()
    inspector.show_neuron(s.snapshot(), 0, 0, 0)
    assert "x₀ = 1" in inspector.plain_text()
    assert "0.0122" not in inspector.plain_text()
    s.step_backward_pass()
    inspector.refresh(s.snapshot())
    text = inspector.plain_text()
    assert "(0.5·-0.062) + (0.8·0.054)" in text
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
    assert "regularisation" not in text


def test_regularisation_share_is_listed_when_present(inspector):
    s = wide_session(reg="l2", rate=0.01)
    s.step_backward_pass()
    inspector.show_edge(s.snapshot(), 1, 3, 0)
    assert "+ regularisation" in inspector.plain_text()


def test_long_sums_are_shortened_and_show_all_expands_them(inspector):
    s = wide_session()
    s.step_backward_pass()
    snap = s.snapshot()
    inspector.show_neuron(snap, 1, 0, 0)
    text = inspector.plain_text()
    assert "6\u00a0more\u00a0terms" in text
    z = float(snap.layers[0].z[0, 0])
    assert f"= {format_number(z)}".replace("−", "-") in text
    inspector._show_all.setChecked(True)
    full = inspector.plain_text()
    assert "more\u00a0terms" not in full
    assert repr(z) in full  # full precision
    first = f"({float(snap.x[0, 0])!r}·{float(snap.weights[0][0, 0])!r})"
    assert first in full


def test_fused_output_explains_dl_dz_from_the_loss(inspector):
    s = wide_session()
    s.step_backward_pass()
    inspector.show_neuron(s.snapshot(), 2, 0, 3)
    text = inspector.plain_text()
    assert "dL/dz = (ŷ - y)/B" in text and "/10" in text
    assert "f′(z) cancels" in text


def test_editing_the_weight_emits_indices_and_value(inspector, qtbot):
    s = make()
    s.step_forward_pass()
    inspector.show_edge(s.snapshot(), 2, 1, 0)
    inspector._edit.setText("-0.35")
    with qtbot.waitSignal(inspector.weight_edited) as blocker:
        inspector._edit.returnPressed.emit()
    assert blocker.args == [2, 1, 0, -0.35]
    assert inspector.error_text() == ""


def test_editing_the_bias_with_the_set_button(inspector, qtbot):
    s = make()
    inspector.show_neuron(s.snapshot(), 1, 1, 0)
    inspector._edit.setText("0.25")
    with qtbot.waitSignal(inspector.bias_edited) as blocker:
        inspector._apply.click()
    assert blocker.args == [1, 1, 0.25]


@pytest.mark.parametrize("entry", ["abc", "", "inf", "-inf", "nan", "1e999", "0.1.2"])
def test_bad_entries_emit_nothing_and_show_an_error(inspector, qtbot, entry):
    inspector.show_edge(make().snapshot(), 1, 0, 0)
    inspector._edit.setText(entry)
    with qtbot.assertNotEmitted(inspector.weight_edited):
        inspector._edit.returnPressed.emit()
    assert "not a finite number" in inspector.error_text()
    # A good entry afterwards clears the message.
    inspector._edit.setText("0.5001")
    with qtbot.waitSignal(inspector.weight_edited):
        inspector._edit.returnPressed.emit()
    assert inspector.error_text() == ""


def test_committing_the_untouched_field_changes_nothing(inspector, qtbot):
    s = make()
    s.step_forward_pass()
    inspector.show_neuron(s.snapshot(), 2, 0, 0)
    with qtbot.assertNotEmitted(inspector.bias_edited):
        inspector._edit.returnPressed.emit()


def test_unicode_minus_and_decimal_comma_are_accepted(inspector, qtbot):
    inspector.show_edge(make().snapshot(), 2, 0, 1)
    inspector._edit.setText("−0,125")
    with qtbot.waitSignal(inspector.weight_edited) as blocker:
        inspector._edit.returnPressed.emit()
    assert blocker.args == [2, 0, 1, -0.125]


def test_refresh_follows_the_session_through_an_edit(inspector):
    s = make()
    s.step_forward_pass()
    inspector.weight_edited.connect(lambda layer, i, j, v: s.set_weight(layer, i, j, v))
    inspector.show_edge(s.snapshot(), 2, 0, 0)
    inspector._edit.setText("0.5")
    inspector._edit.returnPressed.emit()
    inspector.refresh(s.snapshot())
    inspector.show_neuron(s.snapshot(), 2, 0, 0)
    # z = 0.6·0.5 + 0.9·0.7 + 0.1 = 1.03 with the edited weight
    text = inspector.plain_text()
    assert "(0.6·0.5) + (0.9·0.7) + 0.1" in text
    assert "= 1.03" in text


def test_selection_outside_a_changed_network_is_reported_not_crashed(inspector):
    inspector.show_neuron(make().snapshot(), 2, 0, 0)
    small = session(network(1, (1, "relu")), training(batch_size=1), dataset([[1.0]], [[1.0]]))
    inspector.refresh(small.snapshot())
    assert "not in this network" in inspector.plain_text()


def test_dark_mode_renders(inspector):
    s = make()
    s.step_backward_pass()
    inspector.show_neuron(s.snapshot(), 1, 0, 0)
    inspector.set_dark(True)
    assert "-0.062" in inspector.plain_text()
    assert not inspector.grab().isNull()


def test_number_format_is_compact_and_uses_a_true_minus():
    assert format_number(0.9700000000000001) == "0.97"
    assert format_number(-0.062) == "−0.062"
    assert format_number(-0.0) == "0"
    assert format_number(1.5e-7) == "1.5e−7"
    assert format_number(0.9700000000000001, exact=True) == "0.9700000000000001"


def test_after_the_update_sums_use_the_weights_the_batch_used(inspector):
    s = make()
    s.step_update()
    inspector.show_neuron(s.snapshot(), 1, 0, 0)
    text = inspector.plain_text()
    assert "(0.4·-0.03) + (-0.2·0.25)" in text  # not the updated 0.4018, -0.215
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
    assert f"w = {format_number(before)}" in text
    assert f"new w = w + Δw = {format_number(before)}" in text and format_number(after) in text
    inspector.show_neuron(snap, 1, 0, 0)
    assert "dL/da = Σₘ wⱼₘ·dL/dzₘ" in inspector.plain_text()


def test_after_the_update_the_forward_sum_is_written_out_with_the_weights_the_batch_used(inspector):
    s = make()
    s.step_update()
    snap = s.snapshot()
    inspector.show_neuron(snap, 2, 0, 0)
    text = inspector.plain_text()
    # z2 of the hand-worked net: 0.6·0.4 + 0.9·0.7 + 0.1 with the weights before the update.
    assert "= (0.6·0.4) + (0.9·0.7) + 0.1\n  = 0.97" in text
