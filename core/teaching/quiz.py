"""Quiz mode, "predict, then reveal": a question about the value the next phase computes for the selected
neuron or edge, the check of an answer to three significant figures, and a running score.

The question is posed from the snapshot *before* the phase (`question_for`), with the numbers a student
needs; after the phase ran, `Quiz.grade` reads the session's value from the new snapshot (through
`core.analysis.chain_rule`, so it is the Inspector's number), judges the typed answer, and `worked` writes
the computation out with its numbers. A lesson step can do the same: `question_for` + `Quiz.grade`.

What is asked, by the next phase and the selection:
  forward through layer k, a neuron of layer k      a = f(z), the neuron's activation
  loss, a neuron of the output layer                 dL/dŷ, the loss's gradient at that output
  backward through layer k, a neuron of layer k      dL/dz = dL/da · f′(z)
  update, a neuron of a layer                        its bias after the update
  update, an edge                                    its weight after the update
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from backprop_studio.core.analysis.chain_rule import bias_terms, edge_terms, neuron_terms
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.display.names import neuron_label, weight_label
from backprop_studio.core.display.numbers import format_number, parse_number
from backprop_studio.core.spec import TrainingSpec
from backprop_studio.core.teaching.narration import sample_phrase
from backprop_studio.core.teaching.selection import Selection, as_focus
from backprop_studio.core.teaching.worked import given_text, worked_text
from backprop_studio.core.training.schedule import Phase
from backprop_studio.core.training.snapshot import Snapshot

SIGNIFICANT = 3
SYMBOLS = {"a": "a", "dz": "dL/dz", "da_out": "dL/dŷ", "b_after": "b", "w_after": "w"}


@dataclass(frozen=True)
class Question:
    """What to predict: `quantity` ("a", "da_out", "dz", "b_after", "w_after") of `target` (the window's
    selection tuple) after `phase`, at batch row `focus`."""

    phase: Phase
    target: tuple
    quantity: str
    focus: Focus
    prompt: str  # the question in words
    given: str  # the numbers needed, from the snapshot before the phase
    sgd_rate: float | None = None  # the learning rate when the update is plain SGD (worked as w − lr·g)

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.quantity]

    @property
    def hidden(self) -> str:
        """The value as views show it while it is asked: "a = ?"."""
        return f"{self.symbol} = ?"


def question_for(
    snapshot: Snapshot,
    selection: Selection,
    focus: Focus | int | None = 0,
    training: TrainingSpec | None = None,
) -> Question | None:
    """The question the next phase answers for `selection`, or None: nothing selected, nothing of the
    selection computed by that phase, the batch mean focused, training stopped, or the next phase draws
    a new batch (its inputs are not known before it runs). `training` names the update rule."""
    phase, shown = snapshot.next_phase, as_focus(focus)
    if phase is None or selection is None or snapshot.divergence is not None or shown.is_mean:
        return None
    quantity = _quantity(phase, selection, snapshot.n_layers)
    if quantity is None or (quantity == "a" and snapshot.x is None):
        return None
    who = target_name(selection)
    sample = "" if quantity in ("b_after", "w_after") else f" for {sample_phrase(snapshot, shown)}"
    prompt = f"After {phase.label}, what is {SYMBOLS[quantity]} of {who}{sample}?"
    given = given_text(snapshot, selection, quantity, shown, training)
    sgd = training is not None and training.optimizer.name == "sgd"
    rate = training.optimizer.learning_rate if training is not None and sgd else None
    return Question(phase, tuple(selection), quantity, shown, prompt, given, rate)


def _quantity(phase: Phase, selection: tuple, n_layers: int) -> str | None:
    kind, layer = selection[0], int(selection[1])
    if kind == "edge":
        return "w_after" if phase.kind == "update" else None
    if layer == 0:
        return None
    if phase.kind == "update":
        return "b_after"
    if phase.kind == "loss":
        return "da_out" if layer == n_layers else None
    if phase.layer != layer:
        return None
    return "a" if phase.kind == "forward" else "dz"


def target_name(selection: tuple) -> str:
    """ "neuron 2 of layer 1" or "the weight from x₁ to neuron 1 of layer 1" (a selection tuple)."""
    if selection[0] == "edge":
        _, layer, i, j = selection
        return "the " + weight_label(int(layer), int(i), int(j))
    return neuron_label(int(selection[1]) - 1, int(selection[2]))


def value_of(question: Question, after: Snapshot) -> float:
    """The session's value the question asks for, read from the snapshot after the phase ran."""
    target, q = question.target, question.quantity
    if q == "w_after":
        edge = edge_terms(after, int(target[1]), int(target[2]), int(target[3]))
        return float(edge.weight_after if edge.weight_after is not None else edge.weight)
    if q == "b_after":
        bias = bias_terms(after, int(target[1]), int(target[2]))
        return float(bias.bias_after if bias.bias_after is not None else bias.bias)
    terms = neuron_terms(after, int(target[1]), int(target[2]), question.focus)
    if q == "a" and terms.forward is not None:
        return terms.forward.a
    if q in ("dz", "da_out") and terms.backward is not None:
        return terms.backward.dz if q == "dz" else terms.backward.da
    if q == "da_out" and after.layers[-1].da is not None:
        row = question.focus.valid_row(after.layers[-1].da.shape[0]) or 0
        return float(after.layers[-1].da[row, int(target[2])])
    raise ValueError(f"{question.phase.label} has not computed {question.symbol} yet")


def agrees(answer: float, value: float, significant: int = SIGNIFICANT) -> bool:
    """Whether `answer` equals `value` to `significant` significant figures: within half a unit of the
    last of those digits of `value` (0 must be answered as 0, to rounding)."""
    if value == 0:
        return abs(answer) < 1e-12
    unit = 10.0 ** (math.floor(math.log10(abs(value))) - (significant - 1))
    return abs(answer - value) <= 0.5 * unit * (1 + 1e-9)


@dataclass(frozen=True)
class Verdict:
    outcome: str  # "right" | "wrong" | "not a number"
    message: str  # one clear line
    value: float | None = None  # the session's value (None when the answer was not a number)
    worked: str = ""  # the computation with its numbers, once revealed


def not_a_number(text: str) -> Verdict | None:
    """The verdict for an answer that is not a number (checked before the phase runs), else None."""
    if parse_number(text) is not None:
        return None
    typed = text.strip() or "an empty answer"
    return Verdict("not a number", f"“{typed}” is not a number: type one such as 0.42 or −1.5e-3.")


def judge(text: str, value: float) -> Verdict:
    """The answer `text` against `value`: right (to three significant figures), wrong, or not a number."""
    answer = parse_number(text)
    shown = format_number(value, SIGNIFICANT)
    if answer is None:
        return not_a_number(text) or Verdict("not a number", "not a number")
    if agrees(answer, value):
        return Verdict(
            "right", f"Right: {format_number(answer, 6)} is {shown} to three significant figures.", value
        )
    return Verdict("wrong", f"Not quite: you said {format_number(answer, 6)}, the value is {shown}.", value)


@dataclass
class Score:
    right: int = 0
    asked: int = 0

    @property
    def text(self) -> str:
        return f"{self.right} of {self.asked} right"


@dataclass
class Quiz:
    """The running quiz: the open question and the score (answers that are not numbers do not count)."""

    score: Score = field(default_factory=Score)
    question: Question | None = None

    def pose(self, question: Question | None) -> None:
        self.question = question

    def grade(self, text: str, after: Snapshot) -> Verdict:
        """Judge `text` against the value the session computed (`after`: the snapshot after the phase),
        count it, and reveal the worked computation. The question is closed unless it was not a number."""
        if self.question is None:
            raise ValueError("no question is open")
        value = value_of(self.question, after)
        verdict = judge(text, value)
        if verdict.outcome == "not a number":
            return verdict
        self.score.asked += 1
        self.score.right += verdict.outcome == "right"
        q = self.question
        worked = worked_text(q.target, q.quantity, after, q.focus, q.sgd_rate)
        self.question = None
        return Verdict(verdict.outcome, verdict.message, value, worked)
