"""The controller's intents about moving through training: one step of a phase, pass, batch or epoch,
a step back, a jump to a recorded step, Play and Pause, and the granularity and speed Play uses.

Steps run through `Playback` (time slices, so Pause answers at once) with the breakpoints in force; a
step too large for one turn of the event loop goes to a worker (`background.py`). Mixed into
StudioController.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from backprop_studio.core.debugger.conditions import Hit
from backprop_studio.core.training.session import TrainingSession
from backprop_studio.gui.controller.messages import refused_while_diverged
from backprop_studio.gui.controller.playback import (
    STEP_BUDGET_S,
    Playback,
    UnitRun,
    advance_unit,
    is_large_step,
)
from backprop_studio.gui.controller.publisher import Publisher
from PySide6.QtCore import SignalInstance

if TYPE_CHECKING:
    from backprop_studio.gui.controller.debugging import Debugging


class StepIntents:
    """Needs the controller's `_session`, `_playback`, `_publisher`, `_debugging`, `_dirty`, its `message`
    and `playing_changed` signals, and the background and publishing helpers named below."""

    _session: TrainingSession
    _playback: Playback
    _publisher: Publisher
    _debugging: Debugging
    _dirty: bool
    message: SignalInstance
    playing_changed: SignalInstance

    if TYPE_CHECKING:

        @property
        def playing(self) -> bool: ...

        def busy(self) -> bool: ...

        def _step_in_background(self, unit: str) -> object: ...

        def _after_step(self, hit: Hit | None) -> None: ...

        def _after_change(self, immediate: bool) -> None: ...

        def _guard(self, action: Callable[[], object]) -> None: ...

    def step(self, unit: str = "phase") -> None:
        """One user step: a phase, to the end of the forward or backward pass, the update, a batch or an
        epoch. With breakpoints enabled it stops early at a phase where one fires. A long epoch runs
        STEP_BUDGET_S at once and finishes in slices like Play (the timeline shows progress, Pause cancels)."""
        if self._session.divergence:
            self.message.emit("info", refused_while_diverged(self._session.divergence))
            return
        if self.busy():
            return
        if is_large_step(self._session, unit):  # a worker runs it, the window stays live (background.py)
            self._step_in_background(unit)
            return
        runs: list[UnitRun] = []
        self._guard(
            lambda: runs.append(self._playback.step(unit, STEP_BUDGET_S if unit == "epoch" else None))
        )
        self._after_step(runs[0].hit if runs else None)

    def _run_unit(self, unit: str, should_stop: Callable[[], bool] | None) -> UnitRun:
        """What Playback runs: (part of) one unit on the session, with the breakpoints in force."""
        self._dirty = True
        run = advance_unit(self._session, unit, should_stop, self._debugging.watches)
        return replace(run, hit=self._debugging.record_hit(run.hit))

    def step_back(self, unit: str = "phase") -> None:
        if self.busy():
            return
        self.pause()
        self._guard(lambda: self._session.step_back(unit))
        self._after_change(immediate=True)

    def seek(self, step: int) -> None:
        if self.busy():
            return
        self.pause()
        self._guard(lambda: self._session.seek(step))
        self._after_change(immediate=True)

    def set_granularity(self, unit: str) -> None:
        self._playback.set_granularity(unit)

    def set_speed(self, ticks_per_second: float) -> None:
        """Units per second while playing; MAX_SPEED (0) runs as fast as the machine allows."""
        self._playback.set_speed(ticks_per_second)

    def play(self) -> None:
        if self.playing:
            return
        if self.busy():
            self.playing_changed.emit(False)  # the Play button shows it is not playing
            return
        if self._session.divergence:
            self.message.emit("info", refused_while_diverged(self._session.divergence))
            self.playing_changed.emit(False)  # the Play button shows it is not playing
            return
        self._playback.play()

    def pause(self) -> None:
        self._playback.pause()

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def _on_playing(self, playing: bool) -> None:
        self._publisher.set_playing(playing)
        self.playing_changed.emit(playing)
        if not playing:
            self._after_change(immediate=True)  # the views show exactly where it stopped
