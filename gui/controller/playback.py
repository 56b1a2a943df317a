"""Play and long steps: run training in short time slices on the GUI thread, one unit per tick.

A tick of the play clock starts one unit (a phase, a pass, a batch or an epoch, as the granularity says).
A unit that does not fit in one time slice continues in the next slices (and, if the next tick comes
first, that tick waits for it), so at 1 epoch/s each tick really advances one epoch however many slices
it takes. Pause answers at once: it only has to wait for the slice in progress (`SLICE_S`).

Where a unit ends is core's business (`core/training/schedule.py`, through `TrainingSession.advance`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from backprop_studio.core.debugger.conditions import Hit
from backprop_studio.core.debugger.plan import WatchList
from backprop_studio.core.debugger.runner import run_until_hit
from backprop_studio.core.errors import StudioError
from backprop_studio.core.training.session import TrainingSession
from PySide6.QtCore import QObject, QTimer, Signal

GRANULARITIES = ("phase", "pass", "batch", "epoch")  # what one tick of Play advances
SLICE_S = 0.008  # one training slice; short, so the frame clock is never late by more than this
STEP_BUDGET_S = 0.1  # a single Step epoch runs this long at once before continuing in slices
MAX_SPEED = 0  # ticks per second meaning "as fast as possible"
# A Step whose work (parameters × rows, see `step_work`) reaches this runs on a worker thread. One
# parameter-row costs 10 to 60 ns of a phase here (the elementwise work on a wide layer, measured on a
# 2-100,000-1 network: 0.24 s for one forward phase of 10 rows; matrix products alone cost ~1 ns), so
# below it a whole batch takes at most ~50 ms, less than a worker's start and the session's fork cost,
# and above it a single phase can already freeze the window for longer than a frame or two.
LARGE_STEP_WORK = 1_000_000


@dataclass(frozen=True)
class UnitRun:
    done: bool  # the session reached the end of the unit (False: stopped early, by should_stop or a hit)
    hit: Hit | None = None  # the breakpoint (or divergence stand-in) that stopped it


def advance_unit(
    session: TrainingSession,
    unit: str,
    should_stop: Callable[[], bool] | None = None,
    watches: WatchList | None = None,
) -> UnitRun:
    """Run towards the end of the `unit` ("phase", "forward", "backward", "pass", "update", "batch",
    "epoch") that contains the current position: the next phase that ends one. `should_stop()` may
    interrupt it; calling again continues to the same end, since the end is found from the position.
    With enabled `watches` it runs phase by phase and stops at the phase where one fires."""
    end = session.schedule.unit_end(session.step_count, unit)
    if watches is not None and watches.enabled:
        hit = run_until_hit(session, watches, should_stop=should_stop, unit=unit)
        return UnitRun(session.step_count == end, hit)
    return UnitRun(session.advance(unit, should_stop).reached)


def step_work(session: TrainingSession, unit: str) -> int:
    """How much work one Step of `unit` is: parameters × the rows of one batch, plus the rows of both
    whole sets when the unit ends an epoch (the loss and accuracy of the epoch are measured on them).
    An epoch of several batches counts one: Step epoch runs in slices between batches anyway."""
    parameters = sum(w.size + b.size for w, b in zip(session.weights, session.biases, strict=True))
    data = session.dataset
    n_train = len(data.x_train)
    rows = min(session.training.batch_size, n_train)
    start = session.step_count
    per_epoch = session.schedule.per_epoch
    if session.schedule.unit_end(start, unit) // per_epoch > start // per_epoch:
        rows += n_train + len(data.x_test)
    return parameters * rows


def is_large_step(session: TrainingSession, unit: str) -> bool:
    """Whether a Step of `unit` from here runs on a worker (`LARGE_STEP_WORK`)."""
    return step_work(session, unit) >= LARGE_STEP_WORK


# Runs (part of) one unit: `run(unit, should_stop)`; the controller supplies it (session and watches).
RunUnit = Callable[[str, Callable[[], bool] | None], UnitRun]


class Playback(QObject):
    """The play clock and the unit in progress. It knows nothing of sessions: `run` does the training
    and `divergence()` says whether the session stopped on a non-finite value."""

    playing_changed = Signal(bool)
    advanced = Signal()  # training moved in a slice; the views catch up at the next frame
    hit = Signal(object)  # a breakpoint stopped play at this Hit (emitted after pausing)
    diverged = Signal(str)  # play stopped on a non-finite value (emitted after pausing)
    failed = Signal(str)  # the session refused to go on (a StudioError's text; emitted after pausing)

    def __init__(self, run: RunUnit, divergence: Callable[[], str | None], parent: QObject | None = None):
        super().__init__(parent)
        self._run = run
        self._divergence = divergence
        self._granularity = "phase"
        self._speed = 4.0
        self._unit: str | None = None  # the unit in progress, continued by the next slice or tick
        self._queued = False  # a tick came while a unit was still running: start the next one after it
        self._stepping = False  # a sliced single step: stop when its unit is done
        self._ticks = 0
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._on_tick)
        self._slice = QTimer(self)
        self._slice.setInterval(0)
        self._slice.timeout.connect(self._run_slice)

    # ------------------------------------------------------------------ state

    @property
    def playing(self) -> bool:
        """Playing, or finishing a long step in slices (both can be paused)."""
        return self._tick.isActive() or self._stepping

    @property
    def granularity(self) -> str:
        return self._granularity

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def ticks(self) -> int:
        """Ticks of the play clock so far: each started (or queued) one unit."""
        return self._ticks

    @property
    def unit_in_progress(self) -> str | None:
        return self._unit

    def set_granularity(self, unit: str) -> None:
        if unit not in GRANULARITIES:
            raise ValueError(unit)
        self._granularity = unit
        self._restart_tick()

    def set_speed(self, ticks_per_second: float) -> None:
        """Units per second while playing; MAX_SPEED (0) runs as fast as the machine allows."""
        self._speed = ticks_per_second
        self._restart_tick()

    # ------------------------------------------------------------------ intents

    def play(self) -> None:
        if self.playing:
            return
        self._restart_tick(force=True)
        self.playing_changed.emit(True)

    def pause(self) -> bool:
        """Stop at once, leaving any unit half done; True when something was running."""
        was = self.playing
        self._tick.stop()
        self._slice.stop()
        self._unit, self._queued, self._stepping = None, False, False
        if was:
            self.playing_changed.emit(False)
        return was

    def step(self, unit: str, budget_s: float | None = None) -> UnitRun:
        """One user step. With a budget, a unit that outlasts it goes on in slices (like Play, so the
        window stays live and Pause cancels it) and the returned run is not done."""
        self.pause()
        deadline = None if budget_s is None else time.perf_counter() + budget_s
        run = self._run(unit, None if deadline is None else lambda: time.perf_counter() > deadline)
        if run.done or run.hit is not None or self._divergence():
            return run
        self._unit, self._stepping = unit, True
        self._slice.start()
        self.playing_changed.emit(True)
        return run

    # ------------------------------------------------------------------ clocks

    def _restart_tick(self, force: bool = False) -> None:
        if not (force or self._tick.isActive()):
            return
        interval = 0 if self._speed == MAX_SPEED else max(1, round(1000 / self._speed))
        self._tick.start(interval)

    def _on_tick(self) -> None:
        self._ticks += 1
        if self._unit is None:
            self._unit = self._granularity
        elif self._speed != MAX_SPEED:
            self._queued = True
        self._run_slice()

    def _run_slice(self) -> None:
        """Train for one slice: continue the unit in progress, then (as fast as possible, or when a tick
        is queued) start the next, until the slice is used up or something stops play."""
        deadline = time.perf_counter() + SLICE_S

        def out_of_time() -> bool:
            return time.perf_counter() > deadline

        while self._unit is not None:
            try:
                run = self._run(self._unit, out_of_time)
            except StudioError as exc:
                self.pause()
                self.failed.emit(str(exc))
                return
            if run.hit is not None:
                self.pause()  # the views show the phase of the hit at once
                self.hit.emit(run.hit)
                return
            divergence = self._divergence()
            if divergence:
                self.pause()
                self.diverged.emit(str(divergence))
                return
            if not run.done:
                break  # out of time: the next slice goes on
            self._unit = None
            if self._stepping:
                self.pause()  # the long step is complete
                return
            if self._queued or (self._speed == MAX_SPEED and not out_of_time()):
                self._queued = False
                self._unit = self._granularity
            if out_of_time():
                break
        # At a finite speed the slice clock carries a long unit between ticks; at max speed the tick does.
        if self._unit is not None and (self._stepping or self._speed != MAX_SPEED):
            self._slice.start()
        else:
            self._slice.stop()
        self.advanced.emit()
