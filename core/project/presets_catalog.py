"""The bundled example projects: one project file per preset in `core/presets/`, loaded like any other file.

They are package data read through importlib.resources, so they are found wherever the package is installed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from backprop_studio.core.errors import StudioError
from backprop_studio.core.project import presets
from backprop_studio.core.project.fileformat import loads_project
from backprop_studio.core.project.project import Project

if TYPE_CHECKING:
    from importlib.abc import Traversable

# In the order a menu shows them: the Playground-like ones first, then the shipped real data sets, the
# hand-checkable worked examples last.
PRESETS: tuple[str, ...] = (
    "circle",
    "xor",
    "spiral",
    "spiral-3-class",
    "regression-plane",
    "iris",
    "wine",
    "breast-cancer",
    "digits",
    "two-node-sigmoid",
    "seed-relu-1-2-2",
    "mazur-2-2-2",
)
DEFAULT_PRESET = "circle"


def list_presets() -> list[tuple[str, str]]:
    """(name, one-line description) of every preset, descriptions taken from the files themselves."""
    return [(name, load_preset(name).description) for name in PRESETS]


def preset_path(name: str) -> Path:
    """Where the preset's file is (for showing or copying it; `load_preset` is how to open one)."""
    return Path(str(_resource(name)))


def load_preset(name: str) -> Project:
    """The preset as a new, unsaved project: `source` is None so that Save asks where to write."""
    resource = _resource(name)
    project = loads_project(resource.read_text(encoding="utf-8"), source=str(resource))
    # Keeping the bundled file as the source would make Save overwrite it (or fail, if installed read-only).
    project.source = None
    return project


def _resource(name: str) -> Traversable:
    if name not in PRESETS:
        raise StudioError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return resources.files(presets) / f"{name}.json"
