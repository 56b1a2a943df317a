"""The Matrix view on its own: long batches elided with "…", shapes and numbers as the session's."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.teaching.matrix_form import matrix_form
from backprop_studio.gui.panels.matrix_view import MatrixView
from PySide6.QtCore import Qt

from tests.engine_helpers import dataset, network, session, training


def wide_session():
    """5 inputs → 9 relu → 1, batches of 20: both axes longer than the view prints whole."""
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(40, 5)), rng.normal(size=(40, 1))
    return session(network(5, (9, "relu"), (1, "linear")), training(batch_size=20), dataset(x, y))


def test_large_matrices_keep_their_first_and_last_rows_and_columns(qtbot):
    s = wide_session()
    s.step()
    snap = s.snapshot()
    view = MatrixView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.show_form(matrix_form(snap))
    z = snap.x @ s.weights[0] + s.biases[0]  # (20, 5) @ (5, 9) + (9,)
    assert "(20×5)·(5×9) + (9) → (20×9)" in view.shown_text()
    assert view.cell_text("Z₁", 19, 8) == format_number(z[19, 8])  # the last row and column are kept
    assert view.cell_text("Z₁", 0, 0) == format_number(z[0, 0])
    assert view.cell_text("Z₁", None, None) == "…"
    rows = {cell.r for p in view._sheet.plan.matrices if p.term.symbol == "Z₁" for cell in p.cells}
    assert rows == {0, 1, 2, 3, None, 18, 19}


def test_a_clicked_cell_reports_what_it_stands_for(qtbot):
    s = wide_session()
    s.step()
    view = MatrixView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.show_form(matrix_form(s.snapshot()))
    with qtbot.waitSignal(view.cell_clicked) as signal:
        qtbot.mouseClick(view.sheet(), Qt.MouseButton.LeftButton, pos=view.cell_point("W₁", 4, 8))
    assert signal.args == [("edge", 1, 4, 8), None]
    with qtbot.waitSignal(view.cell_clicked) as signal:
        qtbot.mouseClick(view.sheet(), Qt.MouseButton.LeftButton, pos=view.cell_point("X", 19, 2))
    assert signal.args == [("neuron", 0, 2), 19]  # input x₃ of the batch's last sample
