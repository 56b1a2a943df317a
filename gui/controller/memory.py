"""The memory budget as a window setting: how much history and step-back may keep (README, Limits).

`MemoryIntents`, mixed into the controller, applies it to the live session (nothing recent is lost: a
smaller budget merges the oldest batch losses and forgets the oldest checkpoints, as training would once
it reached that size) and to every session that replaces it (open, rebuild, reset).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.training.session import DEFAULT_MEMORY_BUDGET
from PySide6.QtCore import SignalInstance

if TYPE_CHECKING:
    from backprop_studio.core.training.session import TrainingSession

MB = 2**20  # the budget's unit, as `train --memory-budget MB`
MIN_BUDGET_MB = 1
MAX_BUDGET_MB = 1_048_576  # 1 TiB: far above any machine this runs on, still a bound


class MemoryIntents:
    """Mixed into StudioController, whose session and signals it uses."""

    _session: TrainingSession
    message: SignalInstance

    if TYPE_CHECKING:

        def busy(self) -> bool: ...

        def _after_change(self, immediate: bool) -> None: ...

    @property
    def memory_budget(self) -> int:
        """Bytes history and step-back may keep (`TrainingSession.history_bytes`)."""
        return getattr(self, "_memory_budget", DEFAULT_MEMORY_BUDGET)

    @property
    def memory_kept(self) -> int:
        """Bytes they keep now."""
        return self._session.history_bytes

    def set_memory_budget(self, megabytes: float) -> bool:
        """Bound history and step-back by `megabytes` MB (2²⁰ bytes), now and for every later session.
        Refused (False, with a message) outside MIN_BUDGET_MB…MAX_BUDGET_MB or while a step runs."""
        if not MIN_BUDGET_MB <= megabytes <= MAX_BUDGET_MB:
            low, high = format_number(MIN_BUDGET_MB), f"{MAX_BUDGET_MB:,}"
            self.message.emit(
                "error", f"The memory budget must be {low} to {high} MB, not {format_number(megabytes)}."
            )
            return False
        if self.busy():
            return False
        self._memory_budget = int(megabytes * MB)
        earliest = self._session.earliest_step
        self.apply_memory_budget(self._session)
        if self._session.earliest_step != earliest:
            self._after_change(immediate=True)  # the timeline shows how far back steps can go now
        return True

    def apply_memory_budget(self, session: TrainingSession) -> None:
        if session.memory_budget != self.memory_budget:
            session.set_memory_budget(self.memory_budget)
