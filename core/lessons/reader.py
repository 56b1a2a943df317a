"""Lesson files: strict JSON (no NaN, no duplicate keys), every value checked, the JSON path of the first
problem named, nothing executed — as project files are (docs/LESSON_FORMAT.md).

A lesson's project is a preset's name or a whole project document inline (read by the project reader,
its problems named under `project.`); a CSV data set is refused, since a lesson must carry everything
it shows. Narration placeholders are checked against the network and the selection in force.
"""

from __future__ import annotations

import os

from backprop_studio.core import limits
from backprop_studio.core.errors import FormatError
from backprop_studio.core.lessons import placeholders
from backprop_studio.core.lessons.model import (
    FORMAT,
    MAX_COUNT,
    MAX_LESSON_BYTES,
    MAX_STEPS,
    MAX_TEXT,
    SHOWS,
    UNITS,
    VERSION,
    VIEWS,
    Advance,
    Lesson,
    Selection,
    Step,
)
from backprop_studio.core.project.json_strict import parse_json
from backprop_studio.core.project.presets_catalog import PRESETS, load_preset
from backprop_studio.core.project.project import Project
from backprop_studio.core.project.reader import read_project
from backprop_studio.core.validators import (
    Invalid,
    JsonObject,
    boolean,
    capped_integer,
    choice,
    describe,
    join,
    json_list,
    string,
)

TOP_KEYS = ("format", "version", "title", "description", "project", "steps")
STEP_KEYS = ("text", "advance", "select", "show", "view", "breakpoints", "ask")
ADVANCE_KEYS = ("unit", "count")
SELECT_KEYS = ("layer", "unit", "from")
SNIFF_BYTES = 4096  # a lesson names its format near the top; enough to tell a lesson from a project


def loads_lesson(text: str, source: str | None = None) -> Lesson:
    """The lesson in the JSON `text`; FormatError (naming `source` and the JSON path) at the first problem."""
    document = parse_json(text, source)
    try:
        return read_lesson(document, source)
    except Invalid as problem:
        raise FormatError(problem.message, path=problem.path, file=source) from None
    except RecursionError:
        raise FormatError("the document is nested too deeply", file=source) from None


def load_lesson(path: str | os.PathLike[str]) -> Lesson:
    """Read and validate a lesson file (a regular file of at most MAX_LESSON_BYTES, UTF-8)."""
    file = os.fspath(path)
    try:
        raw = limits.read_regular(file, MAX_LESSON_BYTES)
    except FileNotFoundError:
        raise FormatError("file not found", file=file) from None
    except IsADirectoryError:
        raise FormatError("this is a folder, not a lesson file", file=file) from None
    except limits.LimitError as error:
        raise FormatError(str(error), file=file) from None
    except (OSError, ValueError) as error:
        raise FormatError(
            f"cannot read the file ({getattr(error, 'strerror', None) or error})", file=file
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise FormatError(f"not UTF-8 text (invalid byte at line {line})", file=file) from None
    return loads_lesson(text, source=file)


def is_lesson_file(path: str | os.PathLike[str]) -> bool:
    """Whether `path` looks like a lesson (its format named within the first few kilobytes): how File →
    Open tells a lesson from a project before reading either in full. False when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except (OSError, ValueError):
        return False
    return f'"{FORMAT}"'.encode() in head


def read_lesson(doc: object, source: str | None = None) -> Lesson:
    """The Lesson a parsed document describes; raises Invalid at the first problem."""
    if not isinstance(doc, dict):
        raise Invalid("", f"expected a JSON object at the top level, got {describe(doc)}")
    _check_format(doc)
    top = JsonObject(doc, "", TOP_KEYS)
    title = top.read("title", _line)
    description = top.read("description", string, "")
    project, preset = top.read("project", _read_project)
    raw_steps = top.read("steps", json_list)
    if not 1 <= len(raw_steps) <= MAX_STEPS:
        raise Invalid("steps", f"expected 1 to {MAX_STEPS} steps, found {len(raw_steps)}")
    steps = tuple(_read_step(item, f"steps[{i}]") for i, item in enumerate(raw_steps))
    lesson = Lesson(title, description, project, preset, steps, source)
    _check_narration(lesson)
    return lesson


def _check_format(doc: dict) -> None:
    fmt = doc.get("format")
    if fmt != FORMAT:
        hint = " (a project file: open it as a project)" if fmt == "backprop-studio" else ""
        raise Invalid("format", f"expected {describe(FORMAT)}, got {describe(fmt)}{hint}")
    version = doc.get("version")
    if version != VERSION:
        raise Invalid(
            "version",
            f"this version of Backprop Studio reads lesson version {VERSION}, got {describe(version)}",
        )


def _line(value: object, path: str) -> str:
    text = string(value, path).strip()
    if not text or "\n" in text:
        raise Invalid(path, "expected a one-line, non-empty title")
    return text


def _read_project(value: object, path: str) -> tuple[Project, str | None]:
    if isinstance(value, str):
        if value not in PRESETS:
            raise Invalid(path, f"unknown preset {describe(value)}; expected one of {', '.join(PRESETS)}")
        return load_preset(value), value
    if not isinstance(value, dict):
        raise Invalid(path, f"expected a preset's name or a project object, got {describe(value)}")
    try:
        project = read_project(value, None)
    except Invalid as problem:
        raise Invalid(join(path, problem.path) if problem.path else path, problem.message) from None
    if project.data.kind == "csv":
        raise Invalid(
            join(path, "data.kind"), 'a lesson carries its data: use "inline" or a generator, not "csv"'
        )
    return project, None


def _read_step(value: object, path: str) -> Step:
    step = JsonObject(value, path, STEP_KEYS)
    text = step.read("text", string)
    if len(text) > MAX_TEXT:
        raise Invalid(step.at("text"), f"narration of at most {MAX_TEXT:,} characters, found {len(text):,}")
    clear = "select" in step.value and step.value["select"] is None
    ask = step.read("ask", boolean, False)
    if ask and "advance" not in step.value:
        raise Invalid(step.at("ask"), "a question asks for what the step's advance computes: give an advance")
    return Step(
        text=text,
        advance=step.read("advance", _read_advance, None),
        select=None if clear else step.read("select", _read_selection, None),
        clear_selection=clear,
        show=step.read("show", choice(SHOWS), None),
        view=step.read("view", choice(VIEWS), None),
        breakpoints=step.read("breakpoints", boolean, None),
        ask=ask,
    )


def _read_advance(value: object, path: str) -> Advance:
    if isinstance(value, str):
        return Advance(choice(UNITS)(value, path))
    advance = JsonObject(value, path, ADVANCE_KEYS)
    return Advance(
        advance.read("unit", choice(UNITS)), advance.read("count", capped_integer(1, MAX_COUNT), 1)
    )


def _read_selection(value: object, path: str) -> Selection:
    select = JsonObject(value, path, SELECT_KEYS)
    layer = select.read("layer", capped_integer(0, 10_000))
    unit = select.read("unit", capped_integer(1, 10_000_000))
    source = select.read("from", capped_integer(1, 10_000_000), None)
    if source is not None and layer == 0:
        raise Invalid(select.at("layer"), "an edge ends in layer 1 or above (layer 0 are the inputs)")
    return Selection(layer, unit, source)


def _check_narration(lesson: Lesson) -> None:
    """Selections exist in the network; every placeholder fits the network and the selection in force."""
    sizes = lesson.project.network.sizes
    for i, (step, stage) in enumerate(zip(lesson.steps, lesson.stages(), strict=True)):
        if step.select is not None:
            _check_selection(step.select, sizes, f"steps[{i}].select")
        if step.ask and stage.selection is None:
            raise Invalid(f"steps[{i}].ask", "a question is about a neuron or an edge: select one first")
        try:
            placeholders.check(step.text, sizes, stage.selection)
        except ValueError as error:
            raise Invalid(f"steps[{i}].text", str(error)) from None


def _check_selection(sel: Selection, sizes: tuple[int, ...], path: str) -> None:
    last = len(sizes) - 1
    if sel.layer > last:
        raise Invalid(join(path, "layer"), f"the network has layers 0 (inputs) to {last}, not {sel.layer}")
    if sel.unit > sizes[sel.layer]:
        raise Invalid(join(path, "unit"), f"layer {sel.layer} has {sizes[sel.layer]} units, not {sel.unit}")
    if sel.source is not None and sel.source > sizes[sel.layer - 1]:
        below = sizes[sel.layer - 1]
        raise Invalid(join(path, "from"), f"layer {sel.layer - 1} has {below} units, not {sel.source}")
