"""The Gradient check panel in the window: its button runs a check on the batch shown, the verdict and the
tables say what it found, and a click on an entry selects that parameter."""

from __future__ import annotations

import itertools

from backprop_studio.core.display.numbers import MINUS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from tests.gui.debugger.ui import click_row, show_panel


def parameters_per_layer(window) -> list[int]:
    """(n_in + 1) · n_out for each layer of the window's network, counted from its spec."""
    net = window.controller.project.network
    widths = [net.inputs, *(layer.units for layer in net.layers)]
    return [(n_in + 1) * n_out for n_in, n_out in itertools.pairwise(widths)]


def test_clicking_run_gradient_check_checks_the_batch_shown_and_shows_the_verdict(window, qtbot):
    window.actions["backward"].trigger()  # Backward pass: the gradients of every layer exist now
    panel = window.gradcheck
    show_panel(window, "Gradient check")
    assert panel.verdict_text() == "No check run yet." and panel.entries.rowCount() == 0

    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)

    assert "Gradients agree" in panel.verdict_text()
    per_layer = parameters_per_layer(window)  # circle: 2-4-2-1, so 12, 10 and 3
    assert per_layer == [12, 10, 3]
    rows = [[panel.layers.item(r, c).text() for c in range(3)] for r in range(panel.layers.rowCount())]
    assert [row[:2] for row in rows] == [[str(k), f"{n} of {n}"] for k, n in enumerate(per_layer, start=1)]
    assert panel.entries.rowCount() == 10
    step = window.controller.snapshot.step
    assert f"Checked all {sum(per_layer)} parameters" in panel.caption.text()
    assert f"(step {step})" in panel.caption.text()
    # Relative errors read in the app's number format: a true minus in the exponent.
    assert all("-" not in cell and MINUS in cell for row in panel.entry_rows() for cell in row[4:])
    assert window.canvas.options.edge_overlay is not None  # the canvas colors edges by agreement


def test_the_button_before_the_backward_pass_runs_no_check_and_says_why(window, qtbot, monkeypatch):
    window.actions["forward"].trigger()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    qtbot.mouseClick(window.gradcheck.run_button, Qt.MouseButton.LeftButton)
    assert window.gradcheck.verdict_text() == "No check run yet."
    assert shown and "backward" in shown[-1]


def test_every_visible_control_of_the_gradient_check_panel_is_connected(window, qtbot):
    window.actions["backward"].trigger()
    panel = window.gradcheck
    show_panel(window, "Gradient check")
    qtbot.waitExposed(panel)
    buttons = [b for b in panel.findChildren(QPushButton) if b.isVisible()]
    assert [b.text() for b in buttons] == ["Run gradient check"]
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert "Gradients agree" in panel.verdict_text()

    # The worst-entries table: a click on a row selects that weight or bias on the canvas.
    layer, name, index = panel.entries.item(0, 0).data(Qt.ItemDataRole.UserRole)
    show_panel(window, "Gradient check")
    click_row(qtbot, panel.entries, 0)
    options = window.canvas.options
    if name == "W":
        assert options.selected_edge == (layer, *index)
    else:
        assert options.selected_neuron == (layer, index[0])


def test_the_result_tables_are_sized_to_their_rows(window, qtbot):
    window.actions["backward"].trigger()
    show_panel(window, "Gradient check")
    panel = window.gradcheck
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    for table in (panel.layers, panel.entries):
        assert table.rowCount() > 0
        last = table.rowCount() - 1
        # The last row lies inside the table's viewport: every row shows without scrolling the table.
        assert table.verticalScrollBar().maximum() == 0
        assert table.visualRect(table.model().index(last, 0)).bottom() <= table.viewport().height()
