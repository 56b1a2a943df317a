"""Where a session has been and how it goes back: the recorded range, its memory budget, stepping back
and seeking.

A run is deterministic, so going back needs no record of every phase: the session restores the nearest
checkpoint at or before the target (stored at batch boundaries, `checkpoints.CheckpointStore`) and
replays the phases after it (`replay.replay_to`), which gives the same bits as the first time. The
checkpoints and the history's series share one memory budget; when it is reached the oldest checkpoints
go, and `earliest_step` moves on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from backprop_studio.core.errors import PhaseOrderError
from backprop_studio.core.training import replay
from backprop_studio.core.training.schedule import STEP_BACK_UNITS
from backprop_studio.core.training.snapshot import History

if TYPE_CHECKING:
    from backprop_studio.core.training.engine import Engine
    from backprop_studio.core.training.schedule import Schedule


class TimeTravel:
    """The history half of `TrainingSession` (which provides `_run` and `_schedule`)."""

    _run: Engine
    _schedule: Schedule

    @property
    def latest_step(self) -> int:
        """The furthest step recorded on the current branch (stepping forward from earlier replays it)."""
        return self._run.latest

    @property
    def earliest_step(self) -> int:
        """The earliest step still reachable within the history's memory budget."""
        return self._run.checkpoints.oldest_step

    @property
    def history_bytes(self) -> int:
        """Bytes the memory budget counts: stored checkpoints (sample orders once) and the history's series."""
        return self._run.memory_bytes

    @property
    def memory_budget(self) -> int:
        """The bound on `history_bytes`, in bytes (`memory_budget` of the constructor)."""
        return self._run.checkpoints.budget

    def set_memory_budget(self, nbytes: int) -> None:
        """Bound `history_bytes` by `nbytes` from now on. A smaller budget takes effect at once: the
        oldest batch losses merge and the oldest checkpoints go (`earliest_step` moves on); a larger one
        keeps everything and lets more accumulate. Position, parameters and the recent history stay."""
        if nbytes <= 0:
            raise ValueError(f"a memory budget must be positive, not {nbytes}")
        self._run.checkpoints.budget = int(nbytes)
        self._run.enforce_budget()

    def history(self) -> History:
        """The losses and accuracies recorded so far (per batch and per epoch), as an immutable copy."""
        return self._run.history.history()

    def step_back(self, unit: str = "phase") -> int:
        """Undo the last phase, pass, batch or epoch; return the step now current."""
        if unit not in STEP_BACK_UNITS:
            raise PhaseOrderError(f"cannot step back by {unit!r}; choose one of {', '.join(STEP_BACK_UNITS)}")
        if self._run.step == 0:
            raise PhaseOrderError("already at the start of the run: there is nothing to step back to")
        self.seek(self._schedule.previous_end(self._run.step, unit))
        return self._run.step

    def seek(self, step: int) -> None:
        """Show the state after `step` phases, anywhere between `earliest_step` and `latest_step`."""
        if not self.earliest_step <= step <= self._run.latest:
            raise PhaseOrderError(
                f"step {step} is outside the recorded history (steps {self.earliest_step} to {self._run.latest})"
            )
        with np.errstate(all="ignore"):  # the session reports non-finite values itself
            replay.replay_to(self._run, step)
