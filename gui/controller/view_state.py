"""Where the session stands, as one immutable value the views read instead of reaching into the session.

The controller publishes a `ViewState` with every snapshot: the timeline's bounds, the project's specs
and data set, and the window's flags (playing, dirty, focus). A view that holds one can never change
the session by accident, and never sees it half-way through a change.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.spec import DataSpec, NetworkSpec, TrainingSpec


@dataclass(frozen=True, eq=False)
class ViewState:
    step: int  # phases completed since the start of the run
    earliest_step: int  # the first step that can still be reached by stepping back
    latest_step: int  # the last step recorded (beyond `step` after stepping back)
    steps_per_epoch: int  # phases in one epoch: the timeline's epoch ticks
    first_epoch: int  # the epoch step 0 belongs to (a loaded project may start later)
    playing: bool
    dirty: bool  # unsaved changes
    focus: int | None  # training-set index of the focused sample, None for the first of each batch
    network: NetworkSpec
    training: TrainingSpec
    data: DataSpec
    dataset: Dataset
    path: str | None  # the project's file, None while untitled
    title: str  # the window title, with the unsaved-changes mark

    @property
    def can_step_back(self) -> bool:
        return self.step > self.earliest_step
