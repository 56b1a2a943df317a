"""Running many phases at once: whole batches on the fast path, and replay from a checkpoint.

Training is deterministic, so any earlier step is rebuilt by restoring the checkpoint before it and
running the phases in between. Recorded history is known to be finite, so the batches before the target's
own batch replay on the fast path (the same phase functions without the per-quantity checks: the same
bits); the batch being shown runs with every check, so its snapshot holds every quantity.
"""

from __future__ import annotations

from collections.abc import Callable

from backprop_studio.core.errors import DivergenceError, PhaseOrderError
from backprop_studio.core.training.engine import Engine
from backprop_studio.core.training.phases import FAST, FAST_SHOWN, STEPPING, input_gradient
from backprop_studio.core.training.schedule import Phase


def step_phases(run: Engine, limit: int | None = None, done: Callable[[Phase], bool] | None = None) -> int:
    """Run up to `limit` phases with every check, until `done(phase)` holds for the one just run or a
    divergence; store each batch boundary crossed. Returns how many phases ran."""
    count = 0
    while run.divergence is None and (limit is None or count < limit):
        phase = run.run_phase(STEPPING)
        run.checkpoint_at_boundary()
        count += 1
        if done is not None and done(phase):
            break
    return count


def run_phases(run: Engine, count: int, should_stop: Callable[[], bool] | None, checkpoint_every: int) -> int:
    """Run `count` phases: the ragged ends phase by phase with every check, the whole batches between on
    the fast path (`should_stop()` is asked between those). Returns how many phases ran."""
    start = run.step
    target = start + count
    p = run.schedule.per_batch
    head = min(target, -(-start // p) * p) - start
    if head:
        step_phases(run, head)
    whole = (target - run.step) // p
    if whole and run.divergence is None:
        fast_batches(run, whole, should_stop, checkpoint_every)
    tail = target - run.step
    if tail and run.divergence is None and run.step % p == 0 and (should_stop is None or not should_stop()):
        step_phases(run, tail)
    return run.step - start


def run_epochs(
    run: Engine,
    epochs: int,
    progress: Callable[[int, int], None] | None,
    should_stop: Callable[[], bool] | None,
    checkpoint_every: int,
) -> int:
    """Finish the current epoch, then whole epochs on the fast path; see `TrainingSession.run_epochs`."""
    finished = 0
    for _ in range(epochs):
        if run.step % run.schedule.per_epoch:
            # Finish a partial epoch first, its ragged start phase by phase.
            run_phases(run, run.schedule.phases_in("epoch", run.step), None, checkpoint_every)
        elif not fast_batches(run, run.schedule.batches_per_epoch, should_stop, checkpoint_every):
            break
        if run.divergence is not None:
            break
        finished += 1
        if progress is not None:
            progress(finished, epochs)
        if should_stop is not None and should_stop():
            break
    return finished


def fast_batches(
    run: Engine, count: int, should_stop: Callable[[], bool] | None, checkpoint_every: int
) -> bool:
    """Run `count` whole batches from a batch boundary with only the loss checked per batch (and the whole
    training set once an epoch); a divergence is then located exactly by replaying from the last
    checkpoint with every quantity checked. A checkpoint is stored at each epoch's end, every
    `checkpoint_every` batches and where the run stops. Returns False if `should_stop()` stopped it."""
    per_batch, per_epoch = run.schedule.per_batch, run.schedule.per_epoch
    for i in range(count):
        # Keep the pre-update weights of any batch a view may show: the last one, or each one
        # when the caller may stop early (playing in time slices).
        run.run_batch(FAST_SHOWN if should_stop is not None or i == count - 1 else FAST)
        if run.divergence is not None:
            locate_divergence(run)
            return True
        if run.step % per_epoch == 0 or (run.step // per_batch) % checkpoint_every == 0:
            run.checkpoint_here()
        if should_stop is not None and should_stop():
            if run.step not in run.checkpoints:
                run.checkpoint_here()
            input_gradient(run.batch)  # the batch a view shows has everything a phase-by-phase run shows
            return False
    if run.step not in run.checkpoints:
        run.checkpoint_here()
    input_gradient(run.batch)
    return True


def locate_divergence(run: Engine) -> None:
    """After the fast path met a divergence somewhere in its last batch, find the exact phase."""
    target = run.step
    run.divergence = None
    replay_to(run, target, stop_on_divergence=True)
    run.drop_future()  # nothing after the first non-finite phase is a state anyone can step to


def replay_to(run: Engine, target: int, stop_on_divergence: bool = False) -> None:
    """Restore the last checkpoint before `target` and run forward to it (or to a divergence, when
    `stop_on_divergence`; otherwise a divergence before the target is an error)."""
    # Replay from strictly before the target when possible, so the batch being shown has its values.
    cp = run.checkpoints.latest_at_or_before(target - 1) if target else None
    if cp is None:
        cp = run.checkpoints.latest_at_or_before(target)
    if cp is None:
        raise PhaseOrderError(f"step {target} is no longer in the history (its memory budget was reached)")
    run.restore(cp)
    latest = run.latest
    per_batch = run.schedule.per_batch
    if not stop_on_divergence:
        last_batch_start = target - (target % per_batch or per_batch)
        while run.step < last_batch_start and run.divergence is None:
            for _ in range(per_batch):
                run.run_phase(FAST)
    while run.step < target:
        run.run_phase(STEPPING)
        if run.step < target:
            run.checkpoint_at_boundary()
        if run.divergence is not None:
            if stop_on_divergence:
                break
            if run.step < target:
                raise DivergenceError(str(run.divergence), run.divergence)
    run.latest = max(latest, run.step)
