"""Play a lesson on a headless TrainingSession: the same moves the window makes, for tests, the command
line and recordings.

Each step's advance runs `count` units through `TrainingSession.advance` — or, when the project has
enabled breakpoints, through the debugger's `run_until_hit`, exactly as the window's Step does — and
stops early where a breakpoint fires or training diverges. The screen after the step (`Stage`) and
its narration, filled from the session's snapshot, make a `Scene`. A step that asks (`"ask": true`)
puts its question and the revealed answer with its worked computation before the narration.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from backprop_studio.core.debugger.conditions import Hit
from backprop_studio.core.debugger.plan import WatchList
from backprop_studio.core.debugger.runner import run_until_hit
from backprop_studio.core.debugger.watch import Watch, watches_from_dicts
from backprop_studio.core.lessons.asking import asked_narration, lesson_question
from backprop_studio.core.lessons.model import Advance, Lesson, Stage
from backprop_studio.core.lessons.placeholders import fill
from backprop_studio.core.project.project import open_session
from backprop_studio.core.training.session import TrainingSession
from backprop_studio.core.training.snapshot import Snapshot


@dataclass(frozen=True)
class Scene:
    """The lesson after step `index` (0-based) of `total`."""

    index: int
    total: int
    stage: Stage
    snapshot: Snapshot
    narration: str
    hit: Hit | None = None

    @property
    def counter(self) -> str:
        """ "step 3 of 14" (1-based)."""
        return f"step {self.index + 1} of {self.total}"


def advance(session: TrainingSession, move: Advance, watches: WatchList) -> Hit | None:
    """Run `move.count` units; stop at a breakpoint's hit (returned) or a divergence."""
    for _ in range(move.count):
        if session.divergence is not None:
            return None
        if watches.enabled:
            hit = run_until_hit(session, watches, unit=move.unit)
            if hit is not None:
                return hit
        else:
            session.advance(move.unit)
    return None


class LessonRunner:
    """A lesson and its own session, stepped forward one lesson step at a time."""

    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.session = open_session(lesson.project)
        self.file_watches = watches_from_dicts(lesson.project.breakpoints)
        self.stages = lesson.stages()
        self.index = -1  # no step applied yet

    def next(self) -> Scene:
        """Apply the next step and describe the screen after it."""
        if self.index + 1 >= len(self.lesson.steps):
            raise IndexError("the lesson has no more steps")
        self.index += 1
        step = self.lesson.steps[self.index]
        watches = WatchList(watches_at(self.file_watches, self.stages[self.index]))
        question = lesson_question(self.lesson, self.index, self.session.snapshot())
        hit = None if step.advance is None else advance(self.session, step.advance, watches)
        scene = self.scene(hit)
        if question is None:
            return scene
        return replace(scene, narration=asked_narration(question, scene.snapshot, scene.narration))

    def scene(self, hit: Hit | None = None) -> Scene:
        stage = self.stages[self.index]
        snap = self.session.snapshot()
        text = fill(self.lesson.steps[self.index].text, snap, stage.selection)
        return Scene(self.index, len(self.lesson.steps), stage, snap, text, hit)

    def play(self) -> Iterator[Scene]:
        """Every step from the current one to the end."""
        while self.index + 1 < len(self.lesson.steps):
            yield self.next()


def watches_at(watches: tuple[Watch, ...], stage: Stage) -> tuple[Watch, ...]:
    """The project's breakpoints as a stage has them: as in the file, or all switched on or off."""
    if stage.breakpoints is None:
        return watches
    return tuple(replace(w, enabled=stage.breakpoints) for w in watches)


def narration(lesson: Lesson, index: int, snapshot: Snapshot) -> str:
    """Step `index`'s narration filled from `snapshot` with the selection in force at that step."""
    return fill(lesson.steps[index].text, snapshot, lesson.stages()[index].selection)
