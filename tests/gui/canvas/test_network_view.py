"""The network canvas: it draws every state of a batch, hit-tests what it drew, and reports clicks."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.training.snapshot import Phase, phases_of_batch
from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.canvas.renderer import CanvasRenderer
from backprop_studio.gui.canvas.tooltips import describe_neuron
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QToolTip

from tests.snapshot_factory import make_snapshot

SMALL = (2, 4, 2, 1)  # the default Playground net: 9 neurons, 18 edges
BIG = (30, 40, 20, 5)  # 95 neurons, 2,100 edges
STATES = {
    "before any phase": None,
    "mid forward": Phase("forward", 2),
    "mid backward": Phase("backward", 2),
    "after update": Phase("update"),
}


def render(snapshot, options, width=800, height=480, maps=None) -> tuple[np.ndarray, CanvasRenderer]:
    """Paint into an image like the recorder does; returns (height, width, 3) RGB and the renderer."""
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    renderer = CanvasRenderer()
    painter = QPainter(image)
    renderer.paint(painter, QRectF(0, 0, width, height), snapshot, options, maps)
    painter.end()
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.frombuffer(rgb.constBits(), np.uint8).reshape(height, rgb.bytesPerLine())[:, : width * 3]
    return pixels.reshape(height, width, 3).copy(), renderer


def node_box(pixels: np.ndarray, renderer: CanvasRenderer, layer: int, index: int) -> np.ndarray:
    lay = renderer.last_layout
    centre = lay.node_center(layer, index)
    r = max(lay.radius[layer], 3) + 1
    x, y = round(centre.x()), round(centre.y())
    return pixels[round(y - r) : round(y + r) + 1, round(x - r) : round(x + r) + 1]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("mode", ["values", "gradients"])
@pytest.mark.parametrize("state", list(STATES))
def test_every_state_draws_every_node(qapp, state, mode, dark):
    snapshot = make_snapshot(SMALL, 1, STATES[state])
    pixels, renderer = render(snapshot, CanvasOptions(mode=mode, dark=dark))
    background = np.array(palette(dark).background)
    assert (pixels[2, 2] == background).all()
    for layer, n in enumerate(SMALL):
        for index in range(n):
            box = node_box(pixels, renderer, layer, index)
            assert (box != background).any(axis=2).sum() > 20, (layer, index)


def test_nodes_not_computed_yet_are_hollow(qapp):
    """Mid forward, layer 3 has no activation yet: its node is the empty fill, layer 1's is colored."""
    snapshot = make_snapshot(SMALL, 1, Phase("forward", 1))
    pixels, renderer = render(snapshot, CanvasOptions(show_values=False))
    lay = renderer.last_layout
    empty = np.array(palette(False).node_empty)

    def fill(layer: int, index: int) -> np.ndarray:
        c = lay.node_center(layer, index)
        return pixels[round(c.y() - lay.radius[layer] / 2), round(c.x() + lay.radius[layer] / 3)]

    assert (fill(3, 0) == empty).all()
    assert not (fill(1, 0) == empty).all()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_big_net_renders_with_level_of_detail(qapp, dark):
    snapshot = make_snapshot((784, 64, 10), 3, Phase("backward", 1))
    pixels, renderer = render(snapshot, CanvasOptions(dark=dark), 1280, 720)
    stats = renderer.last_stats
    assert stats.edges_total == 784 * 64 + 64 * 10
    assert not stats.antialiased
    assert 0 < stats.edges_drawn < stats.edges_total
    assert not stats.values_shown
    assert renderer.last_layout.dense[0]  # 784 inputs are a strip, not circles
    assert (node_box(pixels, renderer, 2, 0) != np.array(palette(dark).background)).any()


def test_values_are_written_on_small_nets_only(qapp):
    _, small = render(make_snapshot(SMALL, 1), CanvasOptions())
    assert small.last_stats.values_shown and small.last_stats.edge_labels_shown
    _, big = render(make_snapshot(BIG, 1), CanvasOptions())
    assert not big.last_stats.values_shown and not big.last_stats.edge_labels_shown
    _, forced_off = render(make_snapshot(SMALL, 1), CanvasOptions(show_values=False))
    assert not forced_off.last_stats.values_shown
    assert CanvasRenderer.values_shown(BIG, CanvasOptions(show_values=True))


def test_written_values_change_the_picture(qapp):
    snapshot = make_snapshot(SMALL, 1)
    with_numbers, _ = render(snapshot, CanvasOptions(show_values=True))
    without, _ = render(snapshot, CanvasOptions(show_values=False))
    assert (with_numbers != without).any(axis=2).sum() > 500


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("phase", [Phase("forward", 2), Phase("backward", 3), Phase("loss"), Phase("update")])
def test_the_phase_is_highlighted(qapp, phase, dark):
    options = CanvasOptions(dark=dark)
    pixels, renderer = render(make_snapshot(SMALL, 1, phase), options)
    band = renderer.last_stats.band
    assert band is not None and band.kind == phase.kind
    # Just above the band's bottom edge there are no nodes or edges: only the band or the background.
    x, y = round(band.rect.left() + 14), round(band.rect.bottom() - 5)
    background = np.array(palette(dark).background)
    assert not (pixels[y, x] == background).all()
    plain, plain_renderer = render(make_snapshot(SMALL, 1, None), options)
    assert plain_renderer.last_stats.band is None
    assert (plain[y, x] == background).all()


def test_band_covers_the_layer_of_the_phase(qapp):
    _, renderer = render(make_snapshot(SMALL, 1, Phase("backward", 2)), CanvasOptions())
    lay, band = renderer.last_layout, renderer.last_stats.band
    assert band.gaps == {2}
    assert band.rect.left() < lay.xs[2] < band.rect.right()
    assert not band.rect.left() < lay.xs[1] - lay.radius[1] < band.rect.right()
    _, renderer = render(make_snapshot(SMALL, 1, Phase("update")), CanvasOptions())
    assert renderer.last_stats.band.gaps == {1, 2, 3}


def test_heatmaps_are_drawn_inside_the_nodes(qapp):
    snapshot = make_snapshot(SMALL, 1)
    maps = [np.full((n, 8, 8), -1.0) for n in SMALL[1:]]  # strongly negative everywhere: orange
    pixels, renderer = render(snapshot, CanvasOptions(heatmaps=True), maps=maps)
    assert renderer.last_stats.heatmaps_shown
    c = renderer.last_layout.node_center(1, 0)
    r = renderer.last_layout.radius[1]
    assert (pixels[round(c.y() - r / 2), round(c.x() + r / 2)] == np.array(palette(False).negative)).all()


def test_selection_and_debugger_flags_render(qapp):
    options = CanvasOptions(
        selected_neuron=(1, 2),
        selected_edge=(2, 1, 0),
        highlight_layers=frozenset({3}),
        highlight_neurons=frozenset({(1, 0)}),
        highlight_edges=frozenset({(1, 0, 3), (9, 9, 9)}),  # out-of-range flags are ignored
    )
    flagged, _ = render(make_snapshot(SMALL, 1), options)
    plain, _ = render(make_snapshot(SMALL, 1), CanvasOptions())
    assert (flagged != plain).any(axis=2).sum() > 200


def test_focus_picks_one_sample(qapp):
    snapshot = make_snapshot(SMALL, 1, Phase("forward", 3))
    _, mean = render(snapshot, CanvasOptions())
    _, one = render(snapshot, CanvasOptions(focus=2))
    assert mean.last_stats.node_vmax == pytest.approx(
        max(np.abs(layer.a.mean(axis=0)).max() for layer in snapshot.layers)
    )
    assert one.last_stats.node_vmax == pytest.approx(
        max(np.abs(layer.a[2]).max() for layer in snapshot.layers)
    )
    assert "sample 3 of 8" in describe_neuron(snapshot, CanvasOptions(focus=2), 1, 0)
    assert "batch mean" in describe_neuron(snapshot, CanvasOptions(focus=99), 1, 0)


def test_every_edge_midpoint_hits_an_edge_through_it(qapp):
    _, renderer = render(make_snapshot(SMALL, 1), CanvasOptions())
    lay = renderer.last_layout
    for layer in range(1, len(SMALL)):
        for i in range(SMALL[layer - 1]):
            for j in range(SMALL[layer]):
                mid = lay.edge_midpoint(layer, i, j)
                hit = renderer.edge_at(mid)
                assert hit is not None and hit[0] == layer
                # Crossing edges can share a midpoint; whichever is returned must pass through it.
                x1, y1, x2, y2 = lay.edge_lines[lay.edge_start[layer - 1] + hit[1] * SMALL[layer] + hit[2]]
                cross = (x2 - x1) * (mid.y() - y1) - (y2 - y1) * (mid.x() - x1)
                assert abs(cross) / np.hypot(x2 - x1, y2 - y1) < 1e-6


def test_hit_tests_miss_empty_space(qapp):
    _, renderer = render(make_snapshot(SMALL, 1), CanvasOptions())
    corner = QPointF(3, 3)
    assert renderer.neuron_at(corner) is None
    assert renderer.edge_at(corner) is None
    assert renderer.bias_at(corner) is None


def test_dense_columns_hit_test_by_row(qapp):
    _, renderer = render(make_snapshot((784, 16, 10), 1), CanvasOptions(), 1280, 720)
    lay = renderer.last_layout
    assert lay.dense[0]
    assert renderer.neuron_at(lay.node_center(0, 500)) == (0, 500)


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


def test_every_phase_of_a_real_session_renders(qapp):
    from backprop_studio.core.project.presets_catalog import load_preset
    from backprop_studio.core.project.project import open_session

    session = open_session(load_preset("circle"))
    snapshots = [session.snapshot()]
    for _ in phases_of_batch(session.snapshot().n_layers):
        session.step()
        snapshots.append(session.snapshot())
    for snapshot in snapshots:
        for mode in ("values", "gradients"):
            _, renderer = render(snapshot, CanvasOptions(mode=mode))
            assert renderer.last_stats.edges_total == sum(
                a * b for a, b in zip(snapshot.sizes[:-1], snapshot.sizes[1:], strict=True)
            )


# ----------------------------------------------------------------------------------------- tooltips


def _num(value: float) -> str:
    """Three significant digits with a true minus, written out independently of format_number."""
    return f"{float(value):.3g}".replace("-", "\u2212")


def hover_text(qtbot, view: NetworkView, pos: QPoint) -> str:
    """Move the mouse like a person would (away first, so the hover changes) and read the tooltip shown."""
    QToolTip.hideText()
    qtbot.mouseMove(view, QPoint(3, 3))
    qtbot.mouseMove(view, pos)
    qtbot.waitUntil(QToolTip.isVisible, timeout=1000)
    return QToolTip.text()


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
    assert text.splitlines()[-1] == "(sample 3 of 8)"


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
