"""Quiz: which value is asked, three significant figures, the score, and the revealed computation."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.teaching.quiz import Quiz, agrees, judge, not_a_number, question_for

from tests.core.teaching.helpers import small_session


@pytest.mark.parametrize(
    ("answer", "value", "right"),
    [
        (0.68, 0.6804, True),  # 0.680 to three figures
        (0.6805, 0.68049, True),
        (0.681, 0.6804, False),
        (-0.00123, -0.0012345, True),
        (-0.00124, -0.0012345, False),
        (1230, 1234.0, True),
        (0.0, 0.0, True),
        (1e-4, 0.0, False),
    ],
)
def test_answers_agree_to_three_significant_figures(answer, value, right):
    assert agrees(answer, value) is right


def test_each_kind_of_answer_gets_one_clear_line():
    assert judge("0.680", 0.6804).outcome == "right"
    wrong = judge("0.7", 0.6804)
    assert wrong.outcome == "wrong" and "0.68" in wrong.message and "\n" not in wrong.message
    nan = not_a_number("abc")
    assert nan is not None and nan.outcome == "not a number" and "abc" in nan.message
    assert not_a_number("−0,5") is None  # a true minus and a decimal comma are numbers


def test_a_forward_question_is_graded_against_the_sessions_activation():
    s = small_session()
    s.step()  # forward 1 drew the batch
    before = s.snapshot()
    q = question_for(before, ("neuron", 2, 1), 2, s.training)
    assert q is not None and q.quantity == "a" and q.hidden == "a = ?"
    assert "forward through layer 2" in q.prompt and "neuron 2 of layer 2" in q.prompt
    z = before.layers[0].a @ s.weights[1] + s.biases[1]
    expected = 1 / (1 + np.exp(-z[2, 1]))  # computed here, from the numbers the question gives
    quiz = Quiz()
    quiz.pose(q)
    s.step()
    verdict = quiz.grade(format_number(expected, 4), s.snapshot())
    assert verdict.outcome == "right" and verdict.value == pytest.approx(expected, rel=1e-12)
    assert format_number(z[2, 1]) in verdict.worked and "σ(z)" in verdict.worked
    assert quiz.score.text == "1 of 1 right" and quiz.question is None


def test_wrong_answers_count_and_not_a_number_does_not():
    s = small_session()
    s.step()
    s.step()
    quiz = Quiz()
    quiz.pose(question_for(s.snapshot(), ("neuron", 2, 0), 0, s.training))  # next: the loss → dL/dŷ
    assert quiz.question is not None and quiz.question.quantity == "da_out"
    s.step()
    after = s.snapshot()
    expected = (after.layers[1].a[0, 0] - after.y[0, 0]) / 4
    assert quiz.grade(format_number(expected + 0.1), after).outcome == "wrong"
    assert quiz.score.text == "0 of 1 right"


def test_update_questions_for_edges_and_biases():
    s = small_session()
    for _ in range(5):  # forward 1, 2, loss, backward 2, 1: next is the update
        s.step()
    before = s.snapshot()
    q = question_for(before, ("edge", 2, 1, 0), 0, s.training)
    assert q is not None and q.quantity == "w_after" and "w = " in q.given
    w, g = s.weights[1][1, 0], before.layers[1].dW[1, 0]
    quiz = Quiz()
    quiz.pose(q)
    s.step()
    verdict = quiz.grade(format_number(w - 0.1 * g, 5), s.snapshot())
    assert verdict.outcome == "right"
    assert "w − lr·dL/dw" in verdict.worked
    assert question_for(before, ("neuron", 1, 2), 0, s.training).quantity == "b_after"


def test_no_question_when_the_phase_does_not_touch_the_selection():
    s = small_session()
    s.step()
    snap = s.snapshot()  # next: forward through layer 2
    assert question_for(snap, ("neuron", 1, 0), 0) is None  # layer 1 was computed already
    assert question_for(snap, ("edge", 2, 0, 0), 0) is None  # a weight changes only in the update
    assert question_for(snap, None, 0) is None
    assert question_for(snap, ("neuron", 2, 0), None) is None  # batch mean: no single value to predict
    assert question_for(small_session().snapshot(), ("neuron", 1, 0), 0) is None  # batch not drawn yet
