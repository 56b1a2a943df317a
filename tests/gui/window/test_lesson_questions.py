"""A lesson step that asks, in the window: started from File → Lessons…, the student types an answer and
presses Enter — right (the value computed here with NumPy), wrong, or not a number — or just presses Next."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.lessons.catalog import load_builtin
from backprop_studio.core.lessons.runner import LessonRunner
from PySide6.QtCore import Qt

from tests.gui.window import test_lessons as lessons
from tests.gui.window.test_lessons import _next, _sigmoid, _start_from_gallery

window = lessons.window  # the same window fixture: circle preset, 1440×900, light

ASKING_STEP = 10  # Mazur's update step asks for w5 after the update


def _w5_after() -> tuple[float, float]:
    """(∂E/∂w5, w5⁺) of Mazur's first step by hand: his inputs, weights, biases, targets, rate 0.5."""
    x = np.array([0.05, 0.10])
    hidden = _sigmoid(x @ np.array([[0.15, 0.25], [0.20, 0.30]]) + 0.35)
    out_o1 = _sigmoid(hidden @ np.array([0.40, 0.45]) + 0.60)
    gradient = (out_o1 - 0.01) * out_o1 * (1 - out_o1) * hidden[0]
    return float(gradient), float(0.40 - 0.5 * gradient)


def _to_the_question(window, qtbot):
    _start_from_gallery(window, qtbot, 3)  # 4. Mazur
    panel = window.lesson_panel
    for _ in range(ASKING_STEP - 1):
        _next(window, qtbot)
    assert panel.counter.text() == f"step {ASKING_STEP} of 13"
    assert panel.answer.isVisible() and panel.answer.hasFocus()
    assert panel.narration.text().startswith("Question: After weight update, what is w of the weight from")
    assert window.controller.snapshot.phase.label == "backward through layer 1"  # not run yet
    return panel


def _answer(panel, qtbot, text: str) -> None:
    qtbot.keyClicks(panel.answer, text)
    qtbot.keyClick(panel.answer, Qt.Key.Key_Return)


def test_a_right_answer_is_said_right_and_the_value_revealed_with_its_computation(window, qtbot):
    panel = _to_the_question(window, qtbot)
    gradient, after = _w5_after()
    _answer(panel, qtbot, f"{after:.4f}")
    assert window.controller.snapshot.phase.label == "weight update"
    assert panel.note.text().startswith("Right:") and "1 of 1 right" in panel.note.text()
    text = panel.narration.text()
    assert f"Answer: w = {format_number(after)}." in text
    assert f"= 0.4 − 0.5·{format_number(gradient)} = {format_number(after)}" in text
    assert "The update, w ← w − 0.5·∂E/∂w" in text  # then the step's narration
    assert not panel.answer.isVisible()


def test_a_wrong_answer_is_said_wrong_with_the_value(window, qtbot):
    panel = _to_the_question(window, qtbot)
    _, after = _w5_after()
    _answer(panel, qtbot, "0.4")
    assert (
        panel.note.text() == f"Not quite: you said 0.4, the value is {format_number(after)}. (0 of 1 right)"
    )
    assert f"Answer: w = {format_number(after)}." in panel.narration.text()


def test_an_answer_that_is_not_a_number_is_said_and_the_question_stays_open(window, qtbot):
    panel = _to_the_question(window, qtbot)
    _answer(panel, qtbot, "abc")
    assert "“abc” is not a number" in panel.note.text()
    assert window.controller.snapshot.phase.label == "backward through layer 1"
    assert panel.answer.isVisible() and panel.narration.text().startswith("Question:")
    panel.answer.clear()
    _, after = _w5_after()
    _answer(panel, qtbot, f"{after:.3g}")
    assert panel.note.text().startswith("Right:")


def test_next_without_an_answer_reveals_without_scoring(window, qtbot):
    panel = _to_the_question(window, qtbot)
    _next(window, qtbot)
    _, after = _w5_after()
    assert f"Answer: w = {format_number(after)}." in panel.narration.text()
    assert not panel.note.isVisible() and window.lessons.quiz.score.asked == 0
    headless = list(LessonRunner(load_builtin("mazur")).play())
    assert panel.narration.text() == headless[ASKING_STEP - 1].narration  # the recording's text


def _page(window, qtbot, key) -> None:
    """What a presentation clicker sends: PageDown is Next, PageUp is Back."""
    qtbot.keyClick(window, key)


def test_the_question_is_asked_again_after_back_and_the_score_keeps_one_answer_per_step(window, qtbot):
    panel = _to_the_question(window, qtbot)
    _, after = _w5_after()
    _answer(panel, qtbot, f"{after:.4f}")
    assert panel.note.text().endswith("(1 of 1 right)")
    _page(window, qtbot, Qt.Key.Key_PageDown)  # step 11
    _page(window, qtbot, Qt.Key.Key_PageUp)  # step 10 again: its revealed answer, no question
    assert panel.counter.text() == f"step {ASKING_STEP} of 13" and not panel.answer.isVisible()
    assert f"Answer: w = {format_number(after)}." in panel.narration.text()
    _page(window, qtbot, Qt.Key.Key_PageUp)  # step 9: before the update
    _page(window, qtbot, Qt.Key.Key_PageDown)  # reaching step 10 by Next asks again, the value hidden
    assert panel.counter.text() == f"step {ASKING_STEP} of 13"
    assert panel.answer.isVisible() and panel.answer.text() == ""
    assert panel.narration.text().startswith("Question:") and "Answer:" not in panel.narration.text()
    assert window.controller.snapshot.phase.label == "backward through layer 1"
    # Answered again, wrongly: the new answer replaces the first, it does not add a second.
    _answer(panel, qtbot, "0.4")
    assert panel.note.text().endswith("(0 of 1 right)")
    assert (window.lessons.quiz.score.right, window.lessons.quiz.score.asked) == (0, 1)
    # Passed once more without an answer: the latest answer still counts, once.
    _page(window, qtbot, Qt.Key.Key_PageUp)
    _page(window, qtbot, Qt.Key.Key_PageDown)
    assert panel.answer.isVisible()
    _page(window, qtbot, Qt.Key.Key_PageDown)
    assert panel.note.text() == "Your earlier answer to this question still counts (0 of 1 right)."
    assert (window.lessons.quiz.score.right, window.lessons.quiz.score.asked) == (0, 1)
    assert f"Answer: w = {format_number(after)}." in panel.narration.text()
