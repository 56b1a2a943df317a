"""A training session that advances one phase at a time and can step back bit for bit.

One batch is 2L + 2 phases (see `schedule`). `step()` runs exactly one; `advance(unit)` runs to the end
of a forward or backward pass, an update, a batch or an epoch, through the same phase functions, so
every path computes the same bits. `snapshot()` returns an immutable copy of everything computed so far.

Stepping back (`time_travel`) restores the nearest stored checkpoint at a batch boundary and replays
the phases after it (training is deterministic), so fast multi-epoch runs store a checkpoint every few
batches, not per phase.
Changing a weight or a setting starts a new branch: the recorded future is dropped and the change is
written into the checkpoint of the current batch's start.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.errors import DivergenceError
from backprop_studio.core.nn import optimizers as optim
from backprop_studio.core.nn.network import predict
from backprop_studio.core.spec import NetworkSpec, TrainingSpec
from backprop_studio.core.training import editing, parameters, replay, time_travel
from backprop_studio.core.training.checkpoints import CheckpointStore
from backprop_studio.core.training.divergence import Divergence
from backprop_studio.core.training.engine import Engine, frozen
from backprop_studio.core.training.history import HistoryRecorder
from backprop_studio.core.training.phases import STEPPING
from backprop_studio.core.training.schedule import Phase, Schedule
from backprop_studio.core.training.snapshot import History, Snapshot

DEFAULT_MEMORY_BUDGET = 256 * 2**20
# Fast runs store a checkpoint every few batches, so stepping back replays little; bigger states less
# often, so storing them stays a small share of the training work.
MIN_CHECKPOINT_BATCHES = 16
CHECKPOINT_BYTES_PER_BATCH = 64 * 1024

initial_parameters = parameters.initial_parameters
F = TypeVar("F", bound=Callable[..., Any])


def _quiet(method: F) -> F:
    """Run with NumPy's overflow warnings off: the session detects and reports non-finite values itself."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with np.errstate(all="ignore"):
            return method(*args, **kwargs)

    return cast(F, wrapper)


@dataclass(frozen=True)
class Advance:
    """What one `advance` did: `steps` phases run; `reached` whether it stopped at the unit's end (a stop
    asked for by `should_stop` or `pause_at` leaves it short); `divergence` if one stopped it."""

    steps: int
    reached: bool
    divergence: Divergence | None = None


class TrainingSession(time_travel.TimeTravel, editing.Edits):
    """One run of `network` on `dataset` with `training`: stepping forward here, stepping back and the
    recorded range in `time_travel.TimeTravel`, edits in `editing.Edits`."""

    def __init__(
        self,
        network: NetworkSpec,
        training: TrainingSpec,
        dataset: Dataset,
        weights: list[np.ndarray] | None = None,
        biases: list[np.ndarray] | None = None,
        optimizer_state: optim.OptimizerState | None = None,
        history: History | None = None,
        epochs_completed: int = 0,
        memory_budget: int = DEFAULT_MEMORY_BUDGET,
    ) -> None:
        parameters.check_fit(network, training, dataset)
        self.network = network
        self.dataset = dataset
        n_train = dataset.x_train.shape[0]
        self._schedule = Schedule(len(network.layers), -(-n_train // training.batch_size), epochs_completed)
        init_rng, shuffle_rng = parameters.seeds(training.seed)
        if weights is None or biases is None:
            weights, biases = parameters.init_params(network, init_rng)
        w, b = parameters.checked_params(network, weights, biases)
        if optimizer_state is not None and optim.compatible(optimizer_state, training.optimizer, w):
            opt = optimizer_state.copy()
        else:
            opt = optim.initial_state(training.optimizer, w, b)
        store = CheckpointStore(memory_budget)
        recorder = HistoryRecorder(history)
        self._run = Engine(
            network, training, dataset, self._schedule, (w, b), opt, shuffle_rng, recorder, store
        )
        self._run.checkpoint_here()
        self._checkpoint_every = max(MIN_CHECKPOINT_BATCHES, -(-store.nbytes // CHECKPOINT_BYTES_PER_BATCH))

    # ----------------------------------------------------------------- position

    @property
    def training(self) -> TrainingSpec:
        return self._run.training

    @property
    def schedule(self) -> Schedule:
        """The phase layout and position arithmetic of this run."""
        return self._schedule

    @property
    def step_count(self) -> int:
        """Phases completed since the session started."""
        return self._run.step

    @property
    def phases_per_batch(self) -> int:
        return self._schedule.per_batch

    @property
    def batches_per_epoch(self) -> int:
        return self._schedule.batches_per_epoch

    @property
    def divergence(self) -> Divergence | None:
        return self._run.divergence

    @property
    def epochs_completed(self) -> int:
        return self._schedule.epochs_done(self._run.step)

    def locate(self, step: int) -> tuple[int, int, Phase | None]:
        """(epoch, batch within epoch, phase) of the phase completed at `step`; phase None at step 0."""
        return self._schedule.locate(step)

    def boundary_steps(self, unit: str) -> int:
        """How many phases one `unit` ("phase", "batch", "epoch") spans."""
        return self._schedule.boundary_steps(unit)

    def phases_in(self, unit: str) -> int:
        """How many phases `advance(unit)` runs from the current position when nothing stops it early."""
        return self._schedule.phases_in(unit, self._run.step)

    @property
    def next_phase(self) -> Phase | None:
        if self._run.divergence is not None:
            return None
        return self._schedule.next_phase(self._run.step)

    # ----------------------------------------------------------------- stepping forward

    @_quiet
    def step(self) -> Phase:
        """Run exactly one phase and return it."""
        self._refuse_if_diverged()
        phase = self._run.run_phase(STEPPING)
        self._run.checkpoint_at_boundary()
        return phase

    @_quiet
    def step_until(self, done: Callable[[Phase], bool], limit: int | None = None) -> int:
        """Run phases until `done(phase)` is true for the one just run (or a divergence); return how many."""
        self._refuse_if_diverged()
        return replay.step_phases(self._run, limit, done)

    @_quiet
    def advance(
        self,
        unit: str,
        should_stop: Callable[[], bool] | None = None,
        pause_at: Callable[[int], bool] | None = None,
    ) -> Advance:
        """Run to the end of the `unit` ("phase", "forward", "backward", "update", "pass", "batch",
        "epoch") that the next phase belongs to (`schedule.unit_end`).

        `should_stop()` is asked after each phase (between batches on an epoch's fast path); called again
        after a stop, `advance` continues to the same end. `pause_at(step)` returns after any phase whose
        step it accepts (the breakpoint runner's "phases a watch cares about"); it runs phase by phase.
        An epoch without `pause_at` runs its whole batches on the fast path, with the same bits.
        """
        self._refuse_if_diverged()
        start = self._run.step
        end = self._schedule.unit_end(start, unit)
        if unit == "epoch" and pause_at is None:
            self.run_phases(end - start, should_stop)
            return Advance(self._run.step - start, self._run.step == end, self._run.divergence)
        return self.run_to(end, should_stop, pause_at)

    @_quiet
    def run_to(
        self,
        end: int,
        should_stop: Callable[[], bool] | None = None,
        pause_at: Callable[[int], bool] | None = None,
    ) -> Advance:
        """Run phase by phase, with every check, to step `end` (see `advance` for the two callbacks)."""
        self._refuse_if_diverged()
        run = self._run
        start = run.step
        while run.step < end and run.divergence is None:
            run.run_phase(STEPPING)
            run.checkpoint_at_boundary()
            if pause_at is not None and pause_at(run.step):
                break
            if should_stop is not None and run.step < end and should_stop():
                break
        return Advance(run.step - start, run.step == end, run.divergence)

    def step_forward_pass(self) -> int:
        """Run to the end of the next forward pass (its loss phase)."""
        return self.advance("forward").steps

    def step_backward_pass(self) -> int:
        """Run to the end of the next backward pass (backward through layer 1)."""
        return self.advance("backward").steps

    def step_update(self) -> int:
        """Run to the end of the next weight update, finishing the current batch."""
        return self.advance("update").steps

    def step_epoch(self) -> int:
        """Finish the current epoch (or run a whole one from an epoch boundary)."""
        return self.advance("epoch").steps

    @_quiet
    def run_epochs(
        self,
        epochs: int,
        progress: Callable[[int, int], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> int:
        """Train `epochs` whole epochs on the fast path; return how many finished.

        `progress(done, total)` is called after each epoch; `should_stop()` is asked between batches
        and a stop leaves the session at that batch boundary. A divergence stops at its exact phase.
        """
        self._refuse_if_diverged()
        return replay.run_epochs(self._run, epochs, progress, should_stop, self._checkpoint_every)

    @_quiet
    def run_phases(self, count: int, should_stop: Callable[[], bool] | None = None) -> int:
        """Run `count` phases: whole batches on the fast path, the ragged ends phase by phase."""
        self._refuse_if_diverged()
        return replay.run_phases(self._run, count, should_stop, self._checkpoint_every)

    def _refuse_if_diverged(self) -> None:
        found = self._run.divergence
        if found is not None:
            raise DivergenceError(f"{found}; step back to continue from the last finite state", found)

    # ----------------------------------------------------------------- reading

    @property
    def weights(self) -> tuple[np.ndarray, ...]:
        return tuple(frozen(w) for w in self._run.weights)

    @property
    def biases(self) -> tuple[np.ndarray, ...]:
        return tuple(frozen(b) for b in self._run.biases)

    @property
    def optimizer_state(self) -> optim.OptimizerState:
        return self._run.opt.copy()

    def predict(self, x: np.ndarray) -> np.ndarray:
        """(n, n_inputs) → output activations (n, n_outputs) with the current weights."""
        return predict(self._run.weights, self._run.biases, self._run.acts, x)

    def snapshot(self) -> Snapshot:
        return self._run.snapshot(self.next_phase)

    def with_training(self, training: TrainingSpec) -> TrainingSession:
        """A new session from the current weights, optimizer state and history with other settings."""
        run = self._run
        return TrainingSession(
            self.network,
            training,
            self.dataset,
            [w.copy() for w in run.weights],
            [b.copy() for b in run.biases],
            run.opt if training.optimizer.name == run.training.optimizer.name else None,
            self.history(),
            self.epochs_completed,
            run.checkpoints.budget,
        )


__all__ = ["Advance", "TrainingSession", "initial_parameters"]
