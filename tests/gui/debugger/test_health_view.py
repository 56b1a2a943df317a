"""The Gradient health panel in the window: its layer picker and tabs work, and its words are right."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.health import LayerHealth
from backprop_studio.gui.debugger.health_view import readout, table_row
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.gui.debugger.ui import show_panel


def fake(
    layer: int, grad_norm: float | None, activation: str = "relu", dead: int | None = None
) -> LayerHealth:
    return LayerHealth(layer, activation, 4, grad_norm, 1.0, None, dead, None)


def test_every_visible_control_of_the_health_panel_is_connected(window, qtbot):
    window.actions["backward"].trigger()
    show_panel(window, "Gradient health")
    view = window.health
    qtbot.waitExposed(view)
    assert [b for b in view.findChildren(QPushButton) if b.isVisible()] == []

    # The layer picker: the histograms follow the layer chosen, binned as numpy bins its weights.
    combo = view.histograms.layer_combo
    assert [combo.itemText(k) for k in range(combo.count())] == [
        "layer 1 · tanh",
        "layer 2 · tanh",
        "output layer 3 · tanh",
    ]
    snap = window.controller.snapshot
    for k in (1, 0, 2):
        combo.setCurrentIndex(k)
        edges, counts = view.histograms.histogram("weights")
        want_counts, want_edges = np.histogram(snap.weights[k].ravel(), bins=30)
        np.testing.assert_array_equal(counts, want_counts)
        np.testing.assert_allclose(edges, want_edges)

    # The tabs: a click on "Dead / saturated units" shows the table.
    bar = view.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert view.tabs.currentIndex() == 1 and view.tabs.currentWidget().isVisible()
    assert [row[0] for row in view.table_text()] == [
        "layer 1 · tanh · 4 units",
        "layer 2 · tanh · 2 units",
        "output layer 3 · tanh · 1 unit",
    ]


def test_the_table_counts_units_and_prints_numbers_in_the_app_format():
    assert table_row(fake(2, 2.5e-7, dead=3), 3) == (
        "layer 2 · ReLU · 4 units",
        "3 units",
        "—",
        "2.5e−7",
        "—",
    )
    assert table_row(fake(3, None, "linear"), 3)[:2] == ("output layer 3 · linear · 4 units", "—")


def test_the_readout_compares_the_first_and_last_gradient_norms():
    # 1e-6 against 1e-2: four decades apart, so vanishing, 10,000 times smaller.
    vanishing = (fake(1, 1e-6), fake(2, 1e-4), fake(3, 1e-2))
    assert readout(vanishing) == (
        "Layer 1's gradient is 1e4 times smaller than the output layer's: "
        "the early layers learn far more slowly (vanishing gradients)."
    )
    exploding = (fake(1, 300.0), fake(2, 1.0))
    assert readout(exploding).startswith("Layer 1's gradient is 3e2 times larger than the output layer's")
    assert readout((fake(1, 1.0), fake(2, 5.0))).startswith("Gradient norms of layers 1–2 are within")
    assert (
        readout((fake(1, None), fake(2, 5.0)))
        == "Gradient norms appear as the backward pass reaches each layer."
    )
    assert readout(()) == ""


def test_the_health_plots_are_tall_enough_to_read(window, qtbot):
    window.actions["backward"].trigger()
    show_panel(window, "Gradient health")
    qtbot.waitExposed(window.health)
    for plot in window.health.findChildren(pg.PlotWidget):
        item = plot.getPlotItem()
        if item.getAxis("left").labelText in ("‖dL/dW‖", "‖ΔW‖/‖W‖"):
            # The vertical axis title needs its own length in height, or it is clipped ("‖dL/dW").
            title = item.getAxis("left").label
            assert plot.height() >= title.boundingRect().width() + 40
