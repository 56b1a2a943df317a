"""The built-in lessons play to their end headless, and the numbers they narrate are the session's.

Mazur's lesson is checked against his published numbers; the seed-article lessons say that their weights
are chosen to illustrate (the articles give none); the deep-network lesson's claims about the fix are
checked by training the fixed network.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.lessons.catalog import LESSONS, list_lessons, load_builtin
from backprop_studio.core.lessons.placeholders import NOT_YET
from backprop_studio.core.lessons.runner import LessonRunner
from backprop_studio.core.project.project import open_session
from backprop_studio.core.spec import LayerSpec


def _scenes(name: str):
    return list(LessonRunner(load_builtin(name)).play())


@pytest.mark.parametrize("name", LESSONS)
def test_every_builtin_lesson_plays_to_its_end_with_every_number_computed(name) -> None:
    lesson = load_builtin(name)
    scenes = _scenes(name)
    assert len(scenes) == len(lesson.steps) >= 7
    assert scenes[-1].counter == f"step {len(lesson.steps)} of {len(lesson.steps)}"
    for scene in scenes:
        assert NOT_YET not in scene.narration, (scene.counter, scene.narration)
        assert "{" not in scene.narration and "= NaN" not in scene.narration


def test_lessons_are_listed_by_name_with_their_titles() -> None:
    assert [name for name, _ in list_lessons()] == list(LESSONS)
    assert dict(list_lessons())["mazur"].startswith("Mazur")


@pytest.mark.parametrize("name", ["relu-1-2-2", "two-sigmoid-nodes", "chain-rule-one-node"])
def test_seed_article_lessons_say_their_weights_are_chosen_to_illustrate(name) -> None:
    lesson = load_builtin(name)
    assert "chosen to illustrate" in lesson.steps[0].text + lesson.description
    assert "article's weights" not in " ".join(step.text for step in lesson.steps)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_mazurs_lesson_narrates_his_published_first_step_numbers() -> None:
    text = "\n".join(scene.narration for scene in _scenes("mazur"))
    for published in (
        "out_o1 = 0.75136507",
        "0.772928465",
        "= 0.298371109",
        "= 0.0821670406",  # his 0.082167041 is this, rounded to the 9 digits he prints
        "= 0.35891648",
        "w6⁺ = 0.408666186",
        "w7⁺ = 0.51130127",  # he prints 0.511301270
        "w8⁺ = 0.561370121",
        "w1⁺ = 0.149780716",
    ):
        assert published in text, published


def test_mazurs_forward_step_narrates_an_independent_numpy_forward_pass() -> None:
    x = np.array([0.05, 0.10])
    w_hidden = np.array([[0.15, 0.25], [0.20, 0.30]])
    w_out = np.array([[0.40, 0.50], [0.45, 0.55]])
    hidden = _sigmoid(x @ w_hidden + 0.35)
    out = _sigmoid(hidden @ w_out + 0.60)
    scene = _scenes("mazur")[3]  # forward through the output layer
    assert f"out_o1 = {format_number(out[0], 9)}" in scene.narration
    assert f"out_o2 = {format_number(out[1], 9)}" in scene.narration


def test_the_vanishing_gradient_lesson_stops_at_its_breakpoint_and_narrates_each_layers_norm() -> None:
    scenes = _scenes("vanishing-gradient")
    stop = scenes[2]
    assert stop.hit is not None and stop.snapshot.phase is not None
    assert stop.snapshot.phase.label == "backward through layer 1"
    norms = [float(np.linalg.norm(layer.dW)) for layer in scenes[3].snapshot.layers]
    assert norms[0] < 1e-4 < norms[-1]
    assert all(later > earlier for earlier, later in itertools.pairwise(norms))  # shrinks going back
    for number, norm in enumerate(norms, start=1):
        assert f"layer {number} {format_number(norm)}" in scenes[3].narration


def test_the_fix_the_vanishing_gradient_lesson_names_works_as_it_says() -> None:
    lesson = load_builtin("vanishing-gradient")
    assert "tanh" in lesson.steps[-1].text and "factor of about three" in lesson.steps[-1].text
    project = lesson.project
    layers = (*tuple(LayerSpec(4, "tanh") for _ in range(6)), project.network.layers[-1])
    fixed = replace(project, network=replace(project.network, layers=layers), breakpoints=())
    session = open_session(fixed)
    session.advance("backward")
    norms = [float(np.linalg.norm(layer.dW)) for layer in session.snapshot().layers]
    assert max(norms) / min(norms) < 4  # "within a factor of about three"
    before = open_session(replace(project, breakpoints=()))
    before.run_epochs(30)
    session = open_session(fixed)
    session.run_epochs(30)
    tanh_losses, sigmoid_losses = session.history().train_loss, before.history().train_loss
    # "30 epochs bring the loss from about 0.6 down to about 0.2, where the sigmoid network stays at 0.5"
    assert tanh_losses[0] == pytest.approx(0.6, abs=0.05) and tanh_losses[-1] == pytest.approx(0.2, abs=0.05)
    assert sigmoid_losses[-1] == pytest.approx(0.5, abs=0.02)


def _mazur_w5_after() -> tuple[float, float, float]:
    """(w5, ∂E/∂w5, w5⁺) of Mazur's first step, computed here with NumPy."""
    x = np.array([0.05, 0.10])
    hidden = _sigmoid(x @ np.array([[0.15, 0.25], [0.20, 0.30]]) + 0.35)
    out_o1 = _sigmoid(hidden @ np.array([0.40, 0.45]) + 0.60)
    gradient = (out_o1 - 0.01) * out_o1 * (1 - out_o1) * hidden[0]
    return 0.40, float(gradient), float(0.40 - 0.5 * gradient)


def test_mazurs_asking_step_shows_the_question_then_the_answer_computed_by_numpy() -> None:
    w5, gradient, after = _mazur_w5_after()
    scene = _scenes("mazur")[9]  # the update, asking for w5⁺
    question, given, answer, worked, blank, narration = scene.narration.split("\n", 5)
    asked = "After weight update, what is w of the weight from neuron 1 of layer 1 to neuron 1 of layer 2?"
    assert question == f"Question: {asked}"
    assert given.startswith(f"w = {format_number(w5)}, dL/dw = {format_number(gradient)}.")
    assert answer == f"Answer: w = {format_number(after)}."
    assert worked.endswith(f"= {format_number(w5)} − 0.5·{format_number(gradient)} = {format_number(after)}")
    assert blank == "" and narration.startswith("The update, w ← w − 0.5·∂E/∂w")
    assert ["Question:" in s.narration for s in _scenes("mazur")].count(True) == 1  # only asking steps ask
