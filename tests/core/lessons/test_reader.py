"""Lesson files are read strictly: the JSON path of the first problem, nothing executed."""

from __future__ import annotations

import copy
import json

import pytest
from backprop_studio.core.errors import FormatError
from backprop_studio.core.lessons.model import Selection
from backprop_studio.core.lessons.reader import is_lesson_file, load_lesson, loads_lesson

BASE = {
    "format": "backprop-studio-lesson",
    "version": 1,
    "title": "A lesson",
    "project": "mazur-2-2-2",
    "steps": [
        {"text": "Start.", "select": {"layer": 2, "unit": 1}, "view": "Inspector"},
        {"text": "z = {z}, w = {w@2.1.2}", "advance": {"unit": "phase", "count": 2}},
        {"text": "loss {loss}", "advance": "forward", "select": None, "show": "gradients"},
    ],
}


def _with(path: str, value) -> str:
    doc = copy.deepcopy(BASE)
    *parents, last = path.replace("]", "").replace("[", ".").split(".")
    target = doc
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is DELETE:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return json.dumps(doc)


DELETE = object()


def test_a_valid_lesson_reads_with_its_steps_and_the_stage_after_each() -> None:
    lesson = loads_lesson(json.dumps(BASE))
    assert lesson.title == "A lesson" and lesson.preset == "mazur-2-2-2"
    assert lesson.project.network.sizes == (2, 2, 2)
    assert lesson.steps[1].advance is not None and lesson.steps[1].advance.count == 2
    stages = lesson.stages()
    assert stages[0].selection == Selection(2, 1) and stages[0].show == "values"
    assert stages[1].selection == Selection(2, 1) and stages[1].view == "Inspector"  # carried over
    assert stages[2].selection is None and stages[2].show == "gradients"


CASES = [
    (
        "format",
        "backprop-studio",
        "format",
        'expected "backprop-studio-lesson", got "backprop-studio" (a project file',
    ),
    ("version", 2, "version", "reads lesson version 1, got 2"),
    ("title", "", "title", "one-line, non-empty title"),
    ("project", "nope", "project", 'unknown preset "nope"'),
    ("steps", [], "steps", "expected 1 to 500 steps, found 0"),
    ("steps[0].color", 1, "steps[0].color", 'unknown key "color"'),
    ("steps[0].text", DELETE, "steps[0].text", "required key is missing"),
    ("steps[1].advance.unit", "lap", "steps[1].advance.unit", "expected one of phase, forward"),
    ("steps[1].advance.count", 0, "steps[1].advance.count", "expected an integer >= 1"),
    ("steps[0].select.layer", 3, "steps[0].select.layer", "layers 0 (inputs) to 2, not 3"),
    ("steps[0].select.unit", 3, "steps[0].select.unit", "layer 2 has 2 units, not 3"),
    ("steps[0].view", "Canvas", "steps[0].view", "Canvas"),
    ("steps[1].text", "{zz}", "steps[1].text", "unknown placeholder 'zz'"),
    ("steps[1].text", "{w}", "steps[1].text", "{w} reads an edge, and @2.1 is not an edge"),
    ("steps[2].text", "{a}", "steps[2].text", "{a} reads a neuron, and the step selects none"),
    ("steps[1].text", "{a@2.3}", "steps[1].text", "unit 3 does not exist (that layer has 2)"),
    ("steps[1].text", "{y@1.1}", "steps[1].text", "{y} is the target of an output unit"),
    ("steps[1].text", "{a:40}", "steps[1].text", "digits must be from 1 to 17"),
    ("steps[1].text", "a } here", "steps[1].text", "a lone '}'"),
    ("steps[1].ask", "yes", "steps[1].ask", "expected true or false"),
    ("steps[0].ask", True, "steps[0].ask", "give an advance"),
    ("steps[2].ask", True, "steps[2].ask", "select one first"),
]


@pytest.mark.parametrize(
    ("where", "value", "path", "message"),
    CASES,
    # Stable ids (the same in every process, as pytest-xdist requires): the DELETE sentinel by name.
    ids=[c[0] + ":" + ("<deleted>" if c[1] is DELETE else str(c[1])) for c in CASES],
)
def test_each_problem_is_named_with_its_json_path(where, value, path, message) -> None:
    with pytest.raises(FormatError) as caught:
        loads_lesson(_with(where, value), source="l.json")
    assert caught.value.path == path
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"l.json, at {path}: ")


def test_a_step_can_ask_and_steps_do_not_unless_they_say_so() -> None:
    lesson = loads_lesson(_with("steps[1].ask", True))
    assert [step.ask for step in lesson.steps] == [False, True, False]


def test_an_inline_projects_problem_is_named_under_project() -> None:
    doc = copy.deepcopy(BASE)
    doc["project"] = {
        "format": "backprop-studio",
        "version": 1,
        "network": {"inputs": 1, "layers": [{"units": 0, "activation": "relu"}]},
    }
    with pytest.raises(FormatError) as caught:
        loads_lesson(json.dumps(doc))
    assert caught.value.path == "project.network.layers[0].units"


def test_a_lesson_must_carry_its_data_not_point_to_a_csv_file() -> None:
    doc = copy.deepcopy(BASE)
    doc["project"] = {
        "format": "backprop-studio",
        "version": 1,
        "network": {"inputs": 1, "layers": [{"units": 1, "activation": "linear"}]},
        "data": {"kind": "csv", "path": "/etc/passwd", "targets": ["y"]},
    }
    with pytest.raises(FormatError) as caught:
        loads_lesson(json.dumps(doc))
    assert caught.value.path == "project.data.kind"


def test_strict_json_refuses_nan_and_duplicate_keys() -> None:
    with pytest.raises(FormatError, match="NaN"):
        loads_lesson(json.dumps(BASE).replace('"count": 2', '"count": NaN'))
    with pytest.raises(FormatError, match="duplicate key"):
        loads_lesson(json.dumps(BASE).replace('"title": "A lesson"', '"title": "A", "title": "B"'))


def test_lesson_files_are_told_from_project_files_and_read_from_disk(tmp_path) -> None:
    lesson_path = tmp_path / "l.json"
    lesson_path.write_text(json.dumps(BASE), encoding="utf-8")
    project_path = tmp_path / "p.json"
    project_path.write_text('{"format": "backprop-studio", "version": 1}', encoding="utf-8")
    assert is_lesson_file(lesson_path) and not is_lesson_file(project_path)
    assert not is_lesson_file(tmp_path / "missing.json")
    assert load_lesson(lesson_path).source == str(lesson_path)
    with pytest.raises(FormatError, match="file not found"):
        load_lesson(tmp_path / "missing.json")
