"""The built-in lessons: one lesson file each in `builtin/`, read like any other lesson file."""

from __future__ import annotations

from importlib import resources

from backprop_studio.core.errors import StudioError
from backprop_studio.core.lessons import builtin
from backprop_studio.core.lessons.model import Lesson
from backprop_studio.core.lessons.reader import loads_lesson

# In teaching order: one node, a small ReLU net, two sigmoid nodes, a classic worked example, a deep net.
LESSONS: tuple[str, ...] = (
    "chain-rule-one-node",
    "relu-1-2-2",
    "two-sigmoid-nodes",
    "mazur",
    "vanishing-gradient",
)


def list_lessons() -> list[tuple[str, str]]:
    """(name, title) of every built-in lesson, the title taken from the file itself."""
    return [(name, load_builtin(name).title) for name in LESSONS]


def load_builtin(name: str) -> Lesson:
    """A built-in lesson by name (StudioError for an unknown one, naming the choices)."""
    if name not in LESSONS:
        raise StudioError(f"unknown lesson {name!r}; choose one of {', '.join(LESSONS)}")
    resource = resources.files(builtin) / f"{name}.json"
    lesson = loads_lesson(resource.read_text(encoding="utf-8"), source=f"{name}.json")
    return lesson
