"""Narration, the Matrix dock and Quiz mode in the window, driven as a person does: the Step button, clicks
on the canvas and on matrix cells, answers typed into the quiz field. Numbers are checked against the
session's arrays, computed here with NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.display.numbers import format_number, parse_number
from PySide6.QtCore import Qt

from tests.core.teaching.helpers import close, number_after
from tests.gui.test_main_window import click_toolbar


def session(win):
    return win.controller.session_for_tests


def test_narration_under_the_canvas_follows_the_step_button(window, qtbot):
    click_toolbar(window, "Step", qtbot)  # forward through layer 1
    s = session(window)
    snap = s.snapshot()
    z = snap.x @ s.weights[0] + s.biases[0]  # (10, 2) @ (2, 4) + (4,)
    label = window.teaching.narration
    text = label.text()
    assert text.startswith("Forward through layer 1: each of its 4 neurons sums its 2 inputs")
    assert close(number_after(text, "z"), z[0, 0]) and close(number_after(text, "a"), np.tanh(z[0, 0]))
    assert window.inspector.narration.text() == text  # the same words in the Inspector
    canvas = window.canvas
    assert label.isVisible() and label.wordWrap() and label.textFormat() == Qt.TextFormat.PlainText
    assert label.parent() is canvas.parent() and label.geometry().top() >= canvas.geometry().bottom()
    click_toolbar(window, "Step", qtbot)
    assert window.teaching.narration.text().startswith("Forward through layer 2")


def test_narration_talks_about_the_neuron_clicked_on_the_canvas(window, qtbot):
    for _ in range(2):
        click_toolbar(window, "Step", qtbot)
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.node_position(2, 1))
    s = session(window)
    a1 = s.snapshot().layers[0].a
    z = a1 @ s.weights[1] + s.biases[1]
    text = window.teaching.narration.text()
    assert "Neuron 2," in text and close(number_after(text, "z"), z[0, 1])


def show_matrix(win, qtbot):
    win.docks["matrix"].show()
    win.docks["matrix"].raise_()
    qtbot.waitUntil(lambda: win.teaching.matrix.isVisible())
    win.docks["matrix"].resize(700, 500)
    return win.teaching.matrix


def test_matrix_view_shows_z_equals_a_w_plus_b_with_the_batchs_numbers(window, qtbot):
    view = show_matrix(window, qtbot)
    assert window.docks["matrix"].objectName() == "dock-Matrix"
    for _ in range(2):
        click_toolbar(window, "Step", qtbot)
    s = session(window)
    a1 = s.snapshot().layers[0].a
    expected = a1 @ s.weights[1] + s.biases[1]
    assert "Z₂ = A₁·W₂ + b₂" in view.shown_text()
    assert "(10×4)·(4×2) + (2) → (10×2)" in view.shown_text()
    np.testing.assert_allclose(view.term("Z₂").values, expected, rtol=1e-12)
    assert parse_number(view.cell_text("Z₂", 1, 1)) == pytest.approx(expected[1, 1], rel=5e-3)
    assert view.cell_text("A₁", 0, 2) == format_number(a1[0, 2])


def test_clicking_a_weight_cell_selects_its_edge_and_a_z_cell_its_neuron_and_sample(window, qtbot):
    view = show_matrix(window, qtbot)
    for _ in range(2):
        click_toolbar(window, "Step", qtbot)
    qtbot.mouseClick(view.sheet(), Qt.MouseButton.LeftButton, pos=view.cell_point("W₂", 3, 1))
    assert window._selection == ("edge", 2, 3, 1)
    assert window.canvas.options.selected_edge == (2, 3, 1)
    assert "Weight: neuron 4 of layer 1 → neuron 2 of layer 2" in window.inspector.plain_text()
    qtbot.mouseClick(view.sheet(), Qt.MouseButton.LeftButton, pos=view.cell_point("Z₂", 2, 0))
    snap = window.controller.snapshot
    assert window._selection == ("neuron", 2, 0)
    assert window._sample_row(snap) == 2  # the cell's row is the focused sample now
    assert window.controller.focus == int(snap.batch_indices[2])


def test_selecting_on_the_canvas_highlights_the_matching_column_row_and_cell(window, qtbot):
    view = show_matrix(window, qtbot)
    for _ in range(2):
        click_toolbar(window, "Step", qtbot)
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.node_position(2, 1))
    column = {(r, 1) for r in range(10)}
    assert column <= view.highlighted_cells("Z₂")
    assert {(0, c) for c in range(2)} <= view.highlighted_cells("Z₂")  # the focused sample's row
    assert view.highlighted_cells("W₂") == {(i, 1) for i in range(4)}  # the weights into it
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.edge_position(2, 0, 1))
    assert view.highlighted_cells("W₂") == {(0, 1)}


def answer(win, qtbot, text: str) -> None:
    """Type `text` as a keyboard would (an ASCII minus) and press Enter."""
    field = win.teaching.quiz_panel.field
    field.clear()
    qtbot.keyClicks(field, text.replace("−", "-"))
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_quiz_hides_the_value_checks_answers_and_keeps_score(window, qtbot):
    click_toolbar(window, "Step", qtbot)  # forward 1: the batch is drawn
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.node_position(2, 1))
    quiz_action = window.actions["quiz"]
    assert quiz_action.isCheckable() and quiz_action in window.menuBar().actions()[1].menu().actions()
    quiz_action.trigger()
    panel = window.teaching.quiz_panel
    qtbot.waitUntil(lambda: panel.isVisible())
    assert "After forward through layer 2, what is a of neuron 2 of layer 2" in panel.question.text()
    # Hidden before: the canvas writes "?" on the neuron, the Inspector has no value for it yet.
    assert window.canvas.options.hidden_node == (2, 1)
    assert panel.symbol.text() == "a ="
    s = session(window)
    a1 = s.snapshot().layers[0].a
    expected = np.tanh(a1[0] @ s.weights[1][:, 1] + s.biases[1][1])  # computed here
    step = s.step_count

    answer(window, qtbot, "abc")
    assert panel.verdict.text().startswith("“abc” is not a number")
    assert s.step_count == step and panel.score.text() == "Score: 0 of 0 right"

    answer(window, qtbot, format_number(expected, 4))
    assert s.step_count == step + 1  # the phase ran
    assert panel.verdict.text().startswith("Right:")
    assert panel.score.text() == "Score: 1 of 1 right"
    assert f"= {format_number(expected)}" in panel.worked.text() and "tanh" in panel.worked.text()
    # Shown after: no "?" any more, the Inspector and the canvas have the value.
    assert window.canvas.options.hidden_node is None
    assert format_number(expected).replace("−", "-") in window.inspector.plain_text()

    for _ in range(3):  # forward 3, the loss and backward 3 ask nothing about a neuron of layer 2
        click_toolbar(window, "Step", qtbot)
    assert "dL/dz of neuron 2 of layer 2" in panel.question.text()
    answer(window, qtbot, "12345")
    assert panel.verdict.text().startswith("Not quite: you said 12345, the value is")
    dz = s.snapshot().layers[1].dz[0, 1]
    assert format_number(dz) in panel.verdict.text()
    assert panel.score.text() == "Score: 1 of 2 right"


def test_stepping_past_a_question_reveals_it_without_counting(window, qtbot):
    click_toolbar(window, "Step", qtbot)
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.node_position(2, 0))
    window.actions["quiz"].trigger()
    panel = window.teaching.quiz_panel
    score = panel.score.text()
    click_toolbar(window, "Step", qtbot)
    a = session(window).snapshot().layers[1].a[0, 0]
    assert panel.verdict.text() == f"Skipped (not counted): a = {format_number(a)}."
    assert panel.score.text() == score


def test_checking_matrix_in_the_view_menu_brings_its_tab_to_the_front(window, qtbot):
    """The Matrix dock is tabbed with the Inspector, Neuron zoom…: View → Matrix must show it, not add a
    tab behind the others (at 1280×800 behind the tab bar's scroll arrows)."""
    view = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View")
    matrix = next(a for a in view.actions() if a.text() == "Matrix")
    if matrix.isChecked():
        matrix.trigger()
    window.docks["inspector"].raise_()
    matrix.trigger()
    qtbot.waitUntil(lambda: not window.docks["matrix"].visibleRegion().isEmpty())
    tabbed = window.tabifiedDockWidgets(window.docks["matrix"])
    assert window.docks["inspector"] in tabbed, [d.objectName() for d in tabbed]
    assert window.docks["inspector"].visibleRegion().isEmpty()  # its tab is behind the Matrix now
    matrix.trigger()
    window.docks["inspector"].raise_()
