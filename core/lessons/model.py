"""What a lesson is: a project and an ordered list of steps, each moving training and choosing what to show.

Positions in a lesson are 1-based, as everywhere a person reads them: layer 1 is the first layer after
the inputs (layer 0 are the inputs), unit 1 its first neuron. `Selection` keeps them 1-based; views
translate to their 0-based indices.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop_studio.core.project.project import Project

FORMAT = "backprop-studio-lesson"
VERSION = 1
UNITS = ("phase", "forward", "backward", "pass", "update", "batch", "epoch")
SHOWS = ("values", "gradients")
# The explanation views a step can put beside the canvas, by the title a person sees.
VIEWS = ("Inspector", "Neuron zoom", "Matrix", "Data", "Loss", "Gradient health", "Breakpoints")
MAX_STEPS = 500
MAX_COUNT = 10_000  # of one advance's units
MAX_TEXT = 4_000  # characters of one step's narration
MAX_LESSON_BYTES = 16 * 2**20


@dataclass(frozen=True)
class Selection:
    """A neuron (`source` None: unit `unit` of `layer`, layer 0 = the inputs) or an edge (from unit
    `source` of layer `layer` − 1 to unit `unit` of `layer`). All 1-based."""

    layer: int
    unit: int
    source: int | None = None

    @property
    def is_edge(self) -> bool:
        return self.source is not None

    def as_view_tuple(self) -> tuple:
        """("neuron", layer, j) or ("edge", layer, i, j) with 0-based units, as the window selects."""
        if self.source is None:
            return ("neuron", self.layer, self.unit - 1)
        return ("edge", self.layer, self.source - 1, self.unit - 1)


@dataclass(frozen=True)
class Advance:
    unit: str
    count: int = 1


@dataclass(frozen=True)
class Step:
    """One lesson step as written. `select`, `show` and `view` left out (None) keep the previous step's;
    `clear_selection` is an explicit `"select": null`."""

    text: str
    advance: Advance | None = None
    select: Selection | None = None
    clear_selection: bool = False
    show: str | None = None
    view: str | None = None
    breakpoints: bool | None = None  # switch the project's breakpoints on or off from this step on
    ask: bool = False  # before advancing, ask for the value the first phase gives the selection


@dataclass(frozen=True)
class Stage:
    """What the screen shows after a step: the selection, values or gradients, the view beside the canvas."""

    selection: Selection | None
    show: str
    view: str | None
    breakpoints: bool | None = None  # None: as the project's file has them


@dataclass(frozen=True)
class Lesson:
    title: str
    description: str
    project: Project
    preset: str | None  # the preset's name when the lesson names one, else None (inline project)
    steps: tuple[Step, ...]
    source: str | None = None

    def stages(self) -> tuple[Stage, ...]:
        """The screen after each step: every choice a step leaves out carries over from the one before."""
        out: list[Stage] = []
        stage = Stage(None, "values", None)
        for step in self.steps:
            selection = None if step.clear_selection else (step.select or stage.selection)
            breakpoints = stage.breakpoints if step.breakpoints is None else step.breakpoints
            stage = Stage(selection, step.show or stage.show, step.view or stage.view, breakpoints)
            out.append(stage)
        return tuple(out)
