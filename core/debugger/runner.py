"""Run a session until a breakpoint fires: the phases no watch cares about run without a snapshot."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from backprop_studio.core.debugger.conditions import Hit, nonfinite_hit
from backprop_studio.core.debugger.plan import WatchList
from backprop_studio.core.debugger.watch import Watch
from backprop_studio.core.training.session import Advance, TrainingSession

# Reports a divergence when no enabled nonfinite watch does: a divergence always stops play.
DIVERGENCE = Watch("nonfinite", id="divergence")


def run_until_hit(
    session: TrainingSession,
    watches: WatchList | Iterable[Watch],
    max_phases: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    unit: str | None = None,
) -> Hit | None:
    """Advance `session` by one `unit` (see `TrainingSession.advance`), or by `max_phases` phases, until an
    enabled watch fires, a divergence, or `should_stop()` (asked after every phase) says stop. Returns the
    hit, with the session left at the phase that triggered it, or None. Called again after a stop or a
    hit, a `unit` run continues to the same end.

    A divergence is reported through an enabled nonfinite watch, or else through the stand-in
    `DIVERGENCE`. Like `session.step()`, this raises DivergenceError when the session has already diverged.
    """
    if (unit is None) == (max_phases is None):
        raise ValueError("give exactly one of unit and max_phases")
    wl = watches if isinstance(watches, WatchList) else WatchList(watches)
    plan = wl.plan(session.network.activations)
    schedule = session.schedule
    per_batch, per_epoch = schedule.per_batch, schedule.per_epoch
    flags = [bool(ws) for ws in plan.at]
    flags_epoch_end = bool(plan.at_epoch_end)

    def relevant(step: int) -> bool:
        index = (step - 1) % per_batch
        if index == per_batch - 1 and step % per_epoch == 0:
            return flags_epoch_end
        return flags[index]

    end = None if max_phases is None else session.step_count + max_phases

    def go() -> Advance:
        if end is None:
            assert unit is not None
            return session.advance(unit, should_stop, pause_at=relevant)
        return session.run_to(end, should_stop, pause_at=relevant)

    while end is None or session.step_count < end:
        result = go()
        if result.divergence is not None:
            return nonfinite_hit(plan.nonfinite[0] if plan.nonfinite else DIVERGENCE, session.snapshot())
        if result.steps and relevant(session.step_count):
            hit = wl.check(None, session.snapshot())
            if hit is not None:
                return hit
            if should_stop is not None and should_stop():
                return None
        elif not result.reached:
            return None  # should_stop said stop
        if result.reached:
            return None
    return None
