"""The Gradient check panel on a ReLU sitting exactly on its kink: the verdict passes, the entries at the
kink are listed apart with both gradients, and a click on one selects that parameter.

The project is the hand-worked one of tests/test_command_line_gradcheck.py (z₁ = 0 exactly).
"""

from __future__ import annotations

import json

import pytest
from backprop_studio.core.display.numbers import MINUS
from backprop_studio.core.project.fileformat import load_project
from PySide6.QtCore import QSettings, Qt

from tests.gui.debugger.ui import click_row, show_panel
from tests.gui.studio_window import studio_window
from tests.test_command_line_gradcheck import KINK_PROJECT


@pytest.fixture
def kink_window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    path = tmp_path / "kink.json"
    path.write_text(json.dumps(KINK_PROJECT))
    win = studio_window(qtbot, load_project(path))
    yield win
    win.controller.pause()


def test_the_panel_lists_the_kink_entries_apart_and_passes(kink_window, qtbot):
    window = kink_window
    panel = window.gradcheck
    show_panel(window, "Gradient check")
    assert panel.kink_rows() == []
    window.actions["backward"].trigger()
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)

    assert "Gradients agree" in panel.verdict_text()
    assert "2 entries at a kink, not comparable" in panel.verdict_text()
    layers = [[panel.layers.item(r, c).text() for c in range(4)] for r in range(panel.layers.rowCount())]
    assert layers[0] == ["1", "2 of 2", "2", "—"]
    assert layers[1][:3] == ["2", "2 of 2", "0"]
    # Analytic 0 (relu′(0) = 0); numeric ≈ −1, the mean of the slopes −2 and 0 on either side.
    assert panel.kink_rows() == [
        ("1", "weight from x₁ to neuron 1 of layer 1", "0", f"{MINUS}0.999983"),
        ("1", "bias of neuron 1 of layer 1", "0", f"{MINUS}0.999983"),
    ]
    assert panel.kinks_box.isVisible()
    # The worst-entries table holds only compared entries: layer 2's.
    assert {row[0] for row in panel.entry_rows()} == {"2"}

    click_row(qtbot, panel.kinks, 1)
    assert window.canvas.options.selected_neuron == (1, 0)
