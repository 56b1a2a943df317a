"""A 3 × 32 net in the widget: hovering a node names the neuron, zooming writes values, the headers stay
pinned while panning, and hovering a neuron brings out its fan-in and fan-out."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.gui.canvas.painting import hover_text
from tests.snapshot_factory import make_snapshot

NET_3X32 = (2, 32, 32, 32, 1)


@pytest.fixture
def view(qtbot):
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(900, 560)
    widget.set_snapshot(make_snapshot(NET_3X32, 1))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def wheel(view: NetworkView, pos: QPoint, notches: int) -> None:
    """Turn the mouse wheel over `pos` as a person would (one notch = 120)."""
    for _ in range(notches):
        event = QWheelEvent(
            QPointF(pos),
            QPointF(view.mapToGlobal(pos)),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(view, event)


def pixels(image: QImage) -> np.ndarray:
    rgb = image.toImage().convertToFormat(QImage.Format.Format_RGB888)
    h, w = rgb.height(), rgb.width()
    rows = np.frombuffer(rgb.constBits(), np.uint8).reshape(h, rgb.bytesPerLine())
    return rows[:, : w * 3].reshape(h, w, 3).copy()  # a copy: `rgb` is freed when this returns


@pytest.mark.parametrize(("layer", "index"), [(1, 0), (2, 10), (2, 31), (3, 17)])
def test_hovering_a_node_center_names_the_neuron_not_its_bias(qtbot, view, layer, index):
    center = view.node_position(layer, index)
    # The review found "Bias of layer 2 neuron 11" at the center; the center and its close ring name the neuron.
    for offset in (QPoint(0, 0), QPoint(2, 0), QPoint(-2, 0), QPoint(0, -2), QPoint(1, 1)):
        text = hover_text(qtbot, view, center + offset)
        assert text.splitlines()[0] == f"Neuron {index + 1} of layer {layer} (tanh)", offset


def test_bias_marker_outside_the_disk_still_names_the_bias(qtbot, view):
    view.grab()
    # At fit-to-window the dots are too small to carry a marker that would not cover them.
    assert view.renderer.last_layout.bias_marker_rect(2, 10) is None
    wheel(view, view.node_position(2, 10), 3)
    view.grab()
    lay = view.renderer.last_layout
    marker = lay.bias_marker_rect(2, 10)
    assert marker is not None
    center = lay.node_center(2, 10)
    # The marker's corner farthest from the node's center lies outside the node's disk.
    corner = QPointF(marker.left() + 0.5, marker.bottom() - 0.5)
    assert np.hypot(corner.x() - center.x(), corner.y() - center.y()) > max(lay.radius[2], 3)
    assert hover_text(qtbot, view, corner.toPoint()).startswith("Bias of neuron 11 of layer 2")


def test_zooming_in_writes_the_values(qtbot, view):
    view.grab()
    assert not view.renderer.last_stats.values_shown  # 97 dots: no numbers at fit-to-window
    target = view.node_position(2, 15)
    wheel(view, target, 10)  # 1.2¹⁰ ≈ 6×
    view.grab()
    stats = view.renderer.last_stats
    assert stats.values_shown and 2 in stats.value_columns
    assert view.renderer.last_layout.radius[2] >= 14


def test_headers_stay_pinned_at_the_top_after_zooming_and_panning(qtbot, view):
    view.grab()
    before = {text: rect for text, rect in view.renderer.last_stats.header_rects}
    assert "Layer 2 · tanh" in before
    start = view.node_position(2, 16)
    wheel(view, start, 8)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(450, 300))
    for step in range(1, 6):
        qtbot.mouseMove(view, QPoint(450 + 8 * step, 300 + 30 * step))  # drags the network down
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(490, 450))
    image = view.grab()
    after = {text: rect for text, rect in view.renderer.last_stats.header_rects}
    assert "Layer 2 · tanh" in after
    rect = after["Layer 2 · tanh"]
    assert rect.top() == pytest.approx(before["Layer 2 · tanh"].top())
    # Where the header row would be if it moved with the network is far away, yet it is drawn on top.
    assert abs(view.renderer.last_layout.header_top - rect.top()) > 100
    text_color = np.array(palette(False).text)
    band = pixels(image)[int(rect.top()) : int(rect.bottom()), int(rect.left()) : int(rect.right())]
    assert np.any(np.abs(band.astype(int) - text_color).sum(axis=2) < 60)


def _samples_along(lay, edges) -> list[tuple[int, int]]:
    points = []
    for layer, i, j in edges:
        x1, y1, x2, y2 = lay.edge_lines[lay.edge_index(layer, i, j)]
        for t in (0.3, 0.4, 0.5, 0.6, 0.7):
            points.append((round(x1 + t * (x2 - x1)), round(y1 + t * (y2 - y1))))
    return points


def test_hovering_a_neuron_brings_out_its_fan_in_and_fan_out(qtbot, view):
    before = pixels(view.grab()).astype(int)
    lay = view.renderer.last_layout
    fan_in = [(2, i, 10) for i in range(32)]
    others = [(2, i, j) for i in range(0, 32, 5) for j in range(0, 32, 7) if j != 10]
    qtbot.mouseMove(view, view.node_position(2, 10))
    qtbot.waitUntil(lambda: view.hovered == ("neuron", 2, 10), timeout=1000)
    after = pixels(view.grab()).astype(int)
    assert view.renderer.last_stats.fan_edges == 32 + 32
    pal = palette(False)
    hues = np.array([pal.edge_positive, pal.edge_negative])

    def share_in_own_hue(image, points):
        colors = np.array([image[y, x] for x, y in points])
        dist = np.abs(colors[:, None, :] - hues[None, :, :]).sum(axis=2).min(axis=1)
        return float(np.mean(dist < 40))

    # Along the fan-in, the edges now show in their full colors; elsewhere the picture is dimmed.
    # (Where fan-in edges converge on the node, their antialiased rims blend into each other.)
    fan_points = _samples_along(lay, fan_in)
    assert share_in_own_hue(before, fan_points) < 0.2  # buried in the bundle, blended to lighter tones
    assert share_in_own_hue(after, fan_points) > 0.5
    background = np.array(pal.background)
    other = _samples_along(lay, others)
    far = [np.abs(img[y, x] - background).sum() for img in (before, after) for x, y in other]
    n = len(other)
    assert np.mean(far[n:]) < 0.8 * np.mean(far[:n])  # some samples cross the fan itself
    qtbot.mouseMove(view, QPoint(3, 3))
    view.grab()
    assert view.renderer.last_stats.fan_edges == 0


@pytest.mark.parametrize("dark", [False, True])
def test_dense_edge_fields_have_no_rows_of_background_holes(qapp, dark):
    """At a gap's middle every edge i→j passes at (y_i + y_j) / 2, so thin lines alone leave the background
    showing between those heights: the review's white dotted stripes. None may show there now."""
    from backprop_studio.gui.canvas.options import CanvasOptions

    from tests.gui.canvas.painting import render

    image, renderer = render(make_snapshot(NET_3X32, 1), CanvasOptions(dark=dark), 900, 560)
    lay = renderer.last_layout
    background = np.array(palette(dark).background)
    for k in (2, 3):
        x = round((lay.xs[k - 1] + lay.xs[k]) / 2)
        top, bottom = lay.column_span(k)
        column = image[round(top) + 4 : round(bottom) - 4, x - 1 : x + 2].reshape(-1, 3).astype(int)
        holes = np.abs(column - background).sum(axis=1) < 12
        assert holes.mean() < 0.01, (k, holes.mean())
