"""The live state of a run and the one loop that advances it: a phase at a time or a whole batch at once.

`Engine` holds what training changes (parameters, optimizer state, the shuffle generator, the epoch's
sample order, the batch's quantities, the history, the position) and stores and restores it as
checkpoints. It knows the schedule but no units other than phase and batch: choosing what to run is
`TrainingSession`'s job.
"""

from __future__ import annotations

import copy
from typing import overload

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.nn import optimizers as optim
from backprop_studio.core.spec import NetworkSpec, TrainingSpec
from backprop_studio.core.training import divergence, phases
from backprop_studio.core.training.checkpoints import Checkpoint, CheckpointStore, capture
from backprop_studio.core.training.divergence import Divergence
from backprop_studio.core.training.history import HistoryRecorder
from backprop_studio.core.training.phases import BatchState, RunMode
from backprop_studio.core.training.schedule import Phase, Schedule
from backprop_studio.core.training.snapshot import LayerState, Snapshot


class Engine:
    """Parameters (lists of float64 arrays, W[k] (n_in, n_out), b[k] (n_out,)) and everything else a
    run changes, advanced by `run_phase` and `run_batch`. The first divergence found is kept."""

    def __init__(
        self,
        network: NetworkSpec,
        training: TrainingSpec,
        dataset: Dataset,
        schedule: Schedule,
        params: tuple[list[np.ndarray], list[np.ndarray]],
        opt: optim.OptimizerState,
        rng: np.random.Generator,
        history: HistoryRecorder,
        checkpoints: CheckpointStore,
    ) -> None:
        self.network, self.training, self.dataset, self.schedule = network, training, dataset, schedule
        self.acts = network.activations
        self.weights, self.biases = params
        self.opt, self.rng, self.history, self.checkpoints = opt, rng, history, checkpoints
        self.batch = BatchState(schedule.n_layers)
        self.order: np.ndarray | None = None
        self.step = 0
        self.latest = 0
        self.divergence: Divergence | None = None
        # One phase function per index within a batch: the hot loop dispatches without inspecting Phase.
        n = schedule.n_layers
        self._plan = [
            *((self._forward, k) for k in range(n)),
            (self._loss, 0),
            *((self._backward, k) for k in range(n - 1, -1, -1)),
            (self._update, 0),
        ]

    def note(self, found: Divergence | None) -> None:
        if found is not None and self.divergence is None:
            self.divergence = found

    # ----------------------------------------------------------------- running

    def run_phase(self, mode: RunMode) -> Phase:
        """Run the next phase; past the recorded future's batch boundaries, adopt what they store."""
        per_batch = self.schedule.per_batch
        index = self.step % per_batch
        if index == 0:
            self.begin_batch(mode)
        run, k = self._plan[index]
        run(k, mode)
        self.step += 1
        if index == per_batch - 1:
            self._after_update()
        if self.step > self.latest:
            self.latest = self.step
        elif index == per_batch - 1 and self.step in self.checkpoints:
            # Replaying recorded history: an edit made here lives in this boundary's checkpoint.
            self.adopt(self.checkpoints.get(self.step))
        return self.schedule.phases[index]

    def run_batch(self, mode: RunMode) -> None:
        """One whole batch from its start: the same phase functions as `run_phase`, called in order without
        per-phase dispatch (on small nets that dispatch is a fifth of the time)."""
        s, w, b, acts, training = self.batch, self.weights, self.biases, self.acts, self.training
        last = len(acts) - 1
        self.begin_batch(mode)
        for k in range(last + 1):
            phases.forward(s, k, w, b, acts[k], mode)
        self.note(phases.loss(s, w, training))
        for k in range(last, -1, -1):
            phases.backward(s, k, w, acts[k], training, mode)
        phases.update(s, w, b, self.opt, training, mode)
        self.step += self.schedule.per_batch
        self._after_update()
        if self.step > self.latest:
            self.latest = self.step
        elif self.step in self.checkpoints:
            self.adopt(self.checkpoints.get(self.step))

    def begin_batch(self, mode: RunMode) -> None:
        within = (self.step // self.schedule.per_batch) % self.schedule.batches_per_epoch
        if within == 0:
            n = self.dataset.x_train.shape[0]
            self.order = self.rng.permutation(n) if self.training.shuffle else np.arange(n)
        assert self.order is not None
        size = self.training.batch_size
        indices = self.order[within * size : (within + 1) * size]
        self.batch.begin(self.dataset.x_train[indices], self.dataset.y_train[indices], indices, mode)

    def _forward(self, k: int, mode: RunMode) -> None:
        self.note(phases.forward(self.batch, k, self.weights, self.biases, self.acts[k], mode))

    def _loss(self, _: int, mode: RunMode) -> None:
        self.note(phases.loss(self.batch, self.weights, self.training))

    def _backward(self, k: int, mode: RunMode) -> None:
        self.note(phases.backward(self.batch, k, self.weights, self.acts[k], self.training, mode))

    def _update(self, _: int, mode: RunMode) -> None:
        self.note(phases.update(self.batch, self.weights, self.biases, self.opt, self.training, mode))

    def _after_update(self) -> None:
        """Record the batch loss and, at an epoch's end, evaluate the whole sets (and check them)."""
        grew = self.history.record_batch(self.batch.data_loss)
        if self.step % self.schedule.per_epoch:
            if grew:
                self.enforce_budget()
            return
        train_z = self.history.end_epoch(
            self.weights, self.biases, self.acts, self.dataset, self.training.loss
        )
        if self.divergence is None:
            self.note(
                divergence.at_epoch_end(self.weights, self.biases, train_z, self.history.last_train_loss)
            )
        self.enforce_budget()

    # ----------------------------------------------------------------- checkpoints

    def capture(self) -> Checkpoint:
        return capture(
            self.step,
            self.weights,
            self.biases,
            self.opt,
            self.rng,
            self.order if self.step % self.schedule.per_epoch else None,  # a new epoch draws a new one
            self.training,
            self.history.lengths,
        )

    def checkpoint_here(self) -> None:
        self.checkpoints.add(self.capture())
        self.enforce_budget()

    @property
    def memory_bytes(self) -> int:
        """What the memory budget counts: the checkpoints and the history's series."""
        return self.checkpoints.nbytes + self.history.nbytes

    def enforce_budget(self) -> None:
        """Keep checkpoints plus history within the budget, the history within half of it: merge old
        history points no checkpoint can replay (`series`), else drop the oldest checkpoint (which lets
        more points merge). The newest checkpoint and the points after it always stay."""
        store, history = self.checkpoints, self.history
        budget = store.budget
        while True:
            kept = history.nbytes
            if kept + store.nbytes <= budget and 2 * kept <= budget:
                return
            if 2 * kept > budget and history.compact(store.oldest.history_lengths) > 0:
                continue
            if not store.drop_oldest():
                return

    def checkpoint_at_boundary(self) -> None:
        """Interactive stepping stores every batch boundary it crosses, so stepping back is one batch of replay."""
        if (
            self.step % self.schedule.per_batch == 0
            and self.divergence is None
            and self.step not in self.checkpoints
        ):
            self.checkpoint_here()

    def drop_future(self) -> None:
        """Start a new branch here: forget the checkpoints and history recorded after this step."""
        self.checkpoints.drop_after(self.step)
        self.history.drop_future()
        self.latest = self.step

    def restore(self, cp: Checkpoint) -> None:
        self.step = cp.step
        self.weights = [w.copy() for w in cp.weights]
        self.biases = [b.copy() for b in cp.biases]
        self.opt = cp.optimizer.copy()
        self.rng.bit_generator.state = cp.rng_state
        self.order = cp.order
        self.training = cp.training
        self.history.move_to(cp.history_lengths)
        self.divergence = None
        self.batch.clear()

    def adopt(self, cp: Checkpoint | None) -> None:
        """Take the parameters, optimizer state and settings stored at this boundary. On an unedited
        branch they equal what replay computed; after an edit they carry the edit."""
        assert cp is not None
        for live, stored in zip(self.weights, cp.weights, strict=True):
            live[...] = stored
        for live, stored in zip(self.biases, cp.biases, strict=True):
            live[...] = stored
        self.opt = cp.optimizer.copy()
        self.training = cp.training

    # ----------------------------------------------------------------- reading

    def snapshot(self, next_phase: Phase | None) -> Snapshot:
        """An immutable copy of the position, the parameters and everything this batch computed."""
        s = self.batch
        epoch, batch, phase = self.schedule.locate(self.step)
        layers = tuple(
            LayerState(
                *(
                    frozen(arr)
                    for arr in (
                        s.z[k],
                        s.a[k],
                        s.da[k],
                        s.dz[k],
                        s.dW[k],
                        s.db[k],
                        s.dW_step[k],
                        s.db_step[k],
                    )
                )
            )
            for k in range(self.schedule.n_layers)
        )
        return Snapshot(
            sizes=self.network.sizes,
            activations=self.acts,
            loss_name=self.training.loss,
            weights=tuple(frozen(w) for w in self.weights),
            biases=tuple(frozen(b) for b in self.biases),
            layers=layers,
            x=frozen(s.x),
            y=frozen(s.y),
            batch_indices=frozen(s.indices),
            dx=frozen(s.dx),
            loss=s.loss,
            data_loss=s.data_loss,
            reg_loss=s.reg_loss,
            step=self.step,
            epoch=epoch,
            batch=batch,
            batches_per_epoch=self.schedule.batches_per_epoch,
            phase=phase,
            next_phase=next_phase,
            history=self.history.history(),
            divergence=self.divergence,
            epochs_completed=self.schedule.epochs_done(self.step),
            weights_before_update=None if s.w_before is None else tuple(frozen(w) for w in s.w_before),
            biases_before_update=None if s.b_before is None else tuple(frozen(b) for b in s.b_before),
            **self._next_batch(s.x is None and next_phase is not None),
        )

    def _next_batch(self, wanted: bool) -> dict[str, np.ndarray | None]:
        """The rows (B,) and inputs (B, n_inputs) `begin_batch` will draw next, without drawing them: at an
        epoch's start the shuffle comes from a copy of the generator, so the run's own draws are untouched."""
        if not wanted:
            return {}
        within = (self.step // self.schedule.per_batch) % self.schedule.batches_per_epoch
        order = self.order
        if within == 0:
            n = self.dataset.x_train.shape[0]
            order = copy.deepcopy(self.rng).permutation(n) if self.training.shuffle else np.arange(n)
        elif order is None:
            return {}
        size = self.training.batch_size
        indices = order[within * size : (within + 1) * size]
        return {"next_batch_indices": frozen(indices), "next_batch_x": frozen(self.dataset.x_train[indices])}


@overload
def frozen(arr: np.ndarray) -> np.ndarray: ...
@overload
def frozen(arr: np.ndarray | None) -> np.ndarray | None: ...
def frozen(arr: np.ndarray | None) -> np.ndarray | None:
    """A read-only copy (None stays None)."""
    if arr is None:
        return None
    out = arr.copy()
    out.flags.writeable = False
    return out
