"""The network canvas widget: clicks, drags, zoom, options, and the tooltips a hover shows."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.training.snapshot import Phase
from backprop_studio.gui.canvas.network_view import NetworkView
from PySide6.QtCore import QPoint, QPointF, Qt

from tests.gui.canvas.painting import SMALL, hover_text
from tests.snapshot_factory import make_snapshot

# ------------------------------------------------------------------------------------------- widget


@pytest.fixture
def view(qtbot):
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(900, 560)
    widget.set_snapshot(make_snapshot(SMALL, 1, Phase("backward", 2)))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_clicking_a_node_emits_its_layer_and_index(qtbot, view):
    for layer, index in [(0, 1), (1, 2), (3, 0)]:
        with qtbot.waitSignal(view.neuron_clicked, timeout=1000) as blocker:
            qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.node_position(layer, index))
        assert blocker.args == [layer, index]


def test_clicking_an_edge_midpoint_emits_the_edge(qtbot, view):
    # The edges into the single output node have distinct midpoints.
    for i in range(2):
        with qtbot.waitSignal(view.edge_clicked, timeout=1000) as blocker:
            qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.edge_position(3, i, 0))
        assert blocker.args == [3, i, 0]


def test_clicking_a_bias_marker_emits_bias_clicked(qtbot, view):
    marker = view.renderer.last_layout.bias_marker_rect(2, 1)
    assert marker is not None
    with qtbot.waitSignal(view.bias_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=marker.center().toPoint())
    assert blocker.args == [2, 1]


def test_hidden_bias_markers_are_not_clickable(qtbot, view):
    view.set_options(show_biases=False)
    view.grab()
    marker = view.renderer.last_layout.bias_marker_rect(2, 1)
    with qtbot.assertNotEmitted(view.bias_clicked):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=marker.center().toPoint())


def test_click_on_nothing_emits_nothing(qtbot, view):
    with qtbot.assertNotEmitted(view.neuron_clicked), qtbot.assertNotEmitted(view.edge_clicked):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))


def test_drag_pans_without_clicking_and_double_click_resets(qtbot, view):
    start = view.node_position(1, 0)
    with qtbot.assertNotEmitted(view.neuron_clicked):
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
        for step in range(1, 6):
            qtbot.mouseMove(view, start + QPoint(10 * step, 6 * step))
        qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=start + QPoint(50, 30))
    assert view.view_transform.dx() == pytest.approx(50, abs=1)
    assert view.node_position(1, 0) == start + QPoint(50, 30)
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    assert view.view_transform.isIdentity()


def test_zoom_keeps_hit_testing_right(qtbot, view):
    before = view.node_position(2, 1)
    view.zoom_by(2.0, QPointF(before))
    assert (view.node_position(2, 1) - before).manhattanLength() <= 1  # the point under the mouse stays
    target = view.node_position(1, 3)
    with qtbot.waitSignal(view.neuron_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=target)
    assert blocker.args == [1, 3]
    view.grab()  # paints zoomed without error


def test_options_and_maps_update_the_view(qtbot, view):
    view.set_options(mode="gradients", dark=True, focus=1)
    assert view.options.mode == "gradients" and view.options.dark and view.options.focus == 1
    with pytest.raises(TypeError):
        view.set_options(no_such_option=1)
    view.set_neuron_maps([np.zeros((n, 6, 6)) for n in SMALL[1:]])
    view.set_options(heatmaps=True)
    view.grab()
    assert view.renderer.last_stats.heatmaps_shown


def test_view_paints_without_a_snapshot(qtbot):
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    assert not widget.grab().isNull()


# ----------------------------------------------------------------------------------------- tooltips


def _num(value: float) -> str:
    """Three significant digits with a true minus, written out independently of format_number."""
    return f"{float(value):.3g}".replace("-", "\u2212")


def test_hovering_a_neuron_names_it_from_1(qtbot, view):
    """Layer 2 (the second column of weights), its second neuron: after backward through layer 2."""
    snap = view.snapshot
    state = snap.layers[1]
    z, a, da, dz = (arr.mean(axis=0)[1] for arr in (state.z, state.a, state.da, state.dz))
    expected = (
        "Neuron 2 of layer 2 (tanh)\n"
        f"z = {_num(z)}\na = {_num(a)}\n∂L/∂a = {_num(da)}\n∂L/∂z = {_num(dz)}\n"
        f"b = {_num(snap.biases[1][1])}\n∂L/∂b = {_num(state.db[1])}\n"
        "(batch mean)"
    )
    assert hover_text(qtbot, view, view.node_position(2, 1)) == expected


def test_hovering_the_output_neuron_of_one_sample(qtbot, view):
    view.set_options(focus=2)
    snap = view.snapshot
    state = snap.layers[2]
    text = hover_text(qtbot, view, view.node_position(3, 0))
    assert text.splitlines()[0] == "Neuron 1 of output layer 3 (sigmoid)"
    assert text.splitlines()[1] == f"z = {_num(state.z[2, 0])}"
    assert text.splitlines()[-1] == f"(sample #{int(snap.batch_indices[2]) + 1})"  # named as everywhere


def test_hovering_a_bias_marker(qtbot, view):
    snap = view.snapshot
    marker = view.renderer.last_layout.bias_marker_rect(2, 1)
    expected = (
        f"Bias of neuron 2 of layer 2\nb = {_num(snap.biases[1][1])}\n∂L/∂b = {_num(snap.layers[1].db[1])}"
    )
    assert hover_text(qtbot, view, marker.center().toPoint()) == expected


def test_hovering_edges_names_both_ends(qtbot, view):
    snap = view.snapshot
    w = snap.weights[2][1, 0]
    expected = f"Weight from neuron 2 of layer 2 to neuron 1 of layer 3\nw = {_num(w)}\n∂L/∂w = {_num(snap.layers[2].dW[1, 0])}"
    assert hover_text(qtbot, view, view.edge_position(3, 1, 0)) == expected
    # Layer 1 has no gradient yet mid-backward: only w. A quarter along the edge from input 2 to neuron 4.
    a, b = QPointF(view.node_position(0, 1)), QPointF(view.node_position(1, 3))
    quarter = (a + (b - a) * 0.25).toPoint()
    assert (
        hover_text(qtbot, view, quarter)
        == f"Weight from x₂ to neuron 4 of layer 1\nw = {_num(snap.weights[0][1, 3])}"
    )
    view.set_options(input_names=("x1", "x1^2"))
    assert hover_text(qtbot, view, quarter).splitlines()[0] == "Weight from x₁² to neuron 4 of layer 1"


def test_hovering_an_input_names_its_feature(qtbot, view):
    snap = view.snapshot
    x = snap.x.mean(axis=0)[1]
    expected = f"Input x₂\nx = {_num(x)}\n∂L/∂x = not computed yet\n(batch mean)"
    assert hover_text(qtbot, view, view.node_position(0, 1)) == expected
    view.set_options(input_names=("x1^2", "sin(x1)"))
    assert hover_text(qtbot, view, view.node_position(0, 1)).splitlines()[0] == "Input sin(x₁)"
