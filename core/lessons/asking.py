"""A lesson step that is a question: before the step advances, ask for the value its first phase gives
the selected neuron or edge (Quiz mode's `question_for`); once it ran, reveal the value with its worked
computation (`Quiz.grade` when the student answered, `reveal` when they did not).

The window and the headless runner use the same question and the same revealed text.
"""

from __future__ import annotations

from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.lessons.model import Lesson
from backprop_studio.core.teaching.quiz import SIGNIFICANT, Question, question_for, value_of
from backprop_studio.core.teaching.worked import worked_text
from backprop_studio.core.training.snapshot import Snapshot


def lesson_question(lesson: Lesson, index: int, before: Snapshot) -> Question | None:
    """The question step `index` asks from the snapshot `before` its advance, or None: the step does not
    ask, or its first phase computes nothing for the selection (then the step plays as a plain step)."""
    step, stage = lesson.steps[index], lesson.stages()[index]
    if not step.ask or stage.selection is None:
        return None
    return question_for(before, stage.selection.as_view_tuple(), 0, lesson.project.training)


def question_text(question: Question) -> str:
    """What the student reads while the value is hidden: the question and the numbers it needs."""
    return f"Question: {question.prompt}\n{question.given}".rstrip()


def answer_line(question: Question, value: float) -> str:
    """ "Answer: a = 0.751." — the value to three significant figures, in the app's number format."""
    return f"Answer: {question.symbol} = {format_number(value, SIGNIFICANT)}."


def reveal(question: Question, after: Snapshot) -> str:
    """The value the session computed and its worked computation, read from the snapshot `after` the
    step's advance (no answer given: nothing is scored)."""
    worked = worked_text(question.target, question.quantity, after, question.focus, question.sgd_rate)
    return f"{answer_line(question, value_of(question, after))}\n{worked}".rstrip()


def asked_narration(question: Question, after: Snapshot, narration: str) -> str:
    """The headless scene's text of an asking step: the question, the revealed answer, the narration."""
    return f"{question_text(question)}\n{reveal(question, after)}\n\n{narration}"
