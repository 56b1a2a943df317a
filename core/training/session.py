"""A training session that advances one phase at a time and can step back bit for bit.

One batch is 2L + 2 phases: forward through layer 1 … L, loss, backward through layer L … 1, update.
`step()` runs exactly one; the other `step_*` methods and `run_epochs` run whole passes, batches and
epochs through the same phase functions, so every path computes the same bits. `snapshot()` returns
an immutable copy of everything computed so far.

Position: `step` counts phases since the session started; phase s (1-based) belongs to batch
(s − 1) // P of the run. Stepping back restores the nearest stored checkpoint at a batch boundary and
replays the phases after it (training is deterministic), so fast multi-epoch runs store a checkpoint
per epoch, not per phase. Changing a weight or a setting starts a new branch: the recorded future is
dropped and the change is written into the checkpoint of the current batch's start.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.errors import ArchitectureError, DivergenceError, PhaseOrderError
from backprop_studio.core.nn import activations, losses, metrics, regularization
from backprop_studio.core.nn import optimizers as optim
from backprop_studio.core.nn.initializers import init_params
from backprop_studio.core.nn.network import forward, predict
from backprop_studio.core.spec import NetworkSpec, TrainingSpec, check_architecture
from backprop_studio.core.training.checkpoints import Checkpoint, CheckpointStore, capture
from backprop_studio.core.training.snapshot import History, LayerState, Phase, Snapshot, phases_of_batch

DEFAULT_MEMORY_BUDGET = 256 * 2**20
# Fast runs store a checkpoint every few batches, so stepping back replays little; bigger states less
# often, so storing them stays a small share of the training work.
MIN_CHECKPOINT_BATCHES = 16
CHECKPOINT_BYTES_PER_BATCH = 64 * 1024
STEP_UNITS = ("phase", "pass", "batch", "epoch")


def _quiet(method: Callable) -> Callable:
    """Run with NumPy's overflow warnings off: the session detects and reports non-finite values itself."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with np.errstate(all="ignore"):
            return method(*args, **kwargs)

    return wrapper


def _seeds(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """Independent streams for initialisation and shuffling, both from the one training seed."""
    init_seq, shuffle_seq = np.random.SeedSequence(seed).spawn(2)
    return np.random.default_rng(init_seq), np.random.default_rng(shuffle_seq)


def initial_parameters(network: NetworkSpec, seed: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The weights and biases a new session with this training seed starts from."""
    return init_params(network, _seeds(seed)[0])


class TrainingSession:
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
        check_architecture(network, training)
        if dataset.n_inputs != network.inputs:
            raise ArchitectureError(
                f"the network has {network.inputs} inputs but the data has {dataset.n_inputs} input columns"
            )
        if dataset.n_outputs != network.outputs:
            raise ArchitectureError(
                f"the output layer (layer {len(network.layers)}) has {network.outputs} units "
                f"but the data has {dataset.n_outputs} target columns"
            )
        if dataset.x_train.shape[0] == 0:
            raise ArchitectureError("the training set is empty")
        self.network = network
        self.training = training
        self.dataset = dataset
        self._acts = network.activations
        self._n_layers = len(network.layers)
        self._phases = phases_of_batch(self._n_layers)
        self._per_batch = len(self._phases)
        # One (method, argument) per phase of a batch: the hot loop dispatches without inspecting Phase.
        self._plan = [
            {
                "forward": (self._forward, (p.layer or 1) - 1),
                "loss": (self._compute_loss, None),
                "backward": (self._backward, (p.layer or 1) - 1),
                "update": (self._update, None),
            }[p.kind]
            for p in self._phases
        ]
        n_train = dataset.x_train.shape[0]
        self._batches = math.ceil(n_train / training.batch_size)

        init_rng, self._rng = _seeds(training.seed)
        if weights is None or biases is None:
            weights, biases = init_params(network, init_rng)
        self._weights, self._biases = _checked_params(network, weights, biases)
        if optimizer_state is not None and optim.compatible(
            optimizer_state, training.optimizer, self._weights
        ):
            self._opt = optimizer_state.copy()
        else:
            self._opt = optim.initial_state(training.optimizer, self._weights, self._biases)

        history = history or History()
        self._epoch0 = epochs_completed
        self._train_loss = list(history.train_loss)
        self._test_loss = list(history.test_loss)
        self._train_acc = list(history.train_accuracy)
        self._test_acc = list(history.test_accuracy)
        self._batch_loss = list(history.batch_loss)
        # Per-epoch series line up by index: pad any left unrecorded (a hand-written file) with NaN.
        for series in (self._test_loss, self._train_acc, self._test_acc):
            series.extend([math.nan] * (len(self._train_loss) - len(series)))
        self._history_cache: tuple | None = None
        self._history_version = (
            0  # bumped when history is cut back, so equal lengths never mean equal contents
        )

        self._step = 0
        self._latest = 0
        self._order: np.ndarray | None = None
        self._divergence: str | None = None
        self._checked = True
        self._want_dx = True
        self._want_before = False
        self._clear_batch()
        self._checkpoints = CheckpointStore(memory_budget)
        self._checkpoints.add(self._capture())
        self._checkpoint_every = max(
            MIN_CHECKPOINT_BATCHES, -(-self._checkpoints.get(0).nbytes // CHECKPOINT_BYTES_PER_BATCH)
        )

    # ----------------------------------------------------------------- position

    @property
    def step_count(self) -> int:
        """Phases completed since the session started."""
        return self._step

    @property
    def latest_step(self) -> int:
        """The furthest step recorded on the current branch (stepping forward from earlier replays it)."""
        return self._latest

    @property
    def earliest_step(self) -> int:
        """The earliest step still reachable within the history's memory budget."""
        return self._checkpoints.oldest_step

    @property
    def phases_per_batch(self) -> int:
        return self._per_batch

    @property
    def batches_per_epoch(self) -> int:
        return self._batches

    @property
    def divergence(self) -> str | None:
        return self._divergence

    @property
    def history_bytes(self) -> int:
        return self._checkpoints.nbytes

    @property
    def epochs_completed(self) -> int:
        return self._epoch0 + self._step // (self._per_batch * self._batches)

    def locate(self, step: int) -> tuple[int, int, Phase | None]:
        """(epoch, batch within epoch, phase) of the phase completed at `step`; phase None at step 0."""
        if step == 0:
            return self._epoch0, 0, None
        n = (step - 1) // self._per_batch
        phase = self._phases[(step - 1) % self._per_batch]
        return self._epoch0 + n // self._batches, n % self._batches, phase

    def boundary_steps(self, unit: str) -> int:
        """How many phases one `unit` ("phase", "batch", "epoch") spans."""
        return {"phase": 1, "batch": self._per_batch, "epoch": self._per_batch * self._batches}[unit]

    @property
    def next_phase(self) -> Phase | None:
        if self._divergence is not None:
            return None
        return self._phases[self._step % self._per_batch]

    # ----------------------------------------------------------------- stepping forward

    @_quiet
    def step(self) -> Phase:
        """Run exactly one phase and return it."""
        self._refuse_if_diverged()
        self._checked = True
        self._want_dx = True
        phase = self._run_phase()
        self._checkpoint_at_boundary()
        return phase

    @_quiet
    def step_until(self, done: Callable[[Phase], bool], limit: int | None = None) -> int:
        """Run phases until `done(phase)` is true for the one just run (or a divergence); return how many."""
        self._refuse_if_diverged()
        self._checked = True
        self._want_dx = True
        count = 0
        while self._divergence is None and (limit is None or count < limit):
            phase = self._run_phase()
            self._checkpoint_at_boundary()
            count += 1
            if done(phase):
                break
        return count

    def step_forward_pass(self) -> int:
        """Run to the end of the next forward pass (its loss phase)."""
        return self.step_until(lambda p: p.kind == "loss")

    def step_backward_pass(self) -> int:
        """Run to the end of the next backward pass (backward through layer 1)."""
        return self.step_until(lambda p: p.kind == "backward" and p.layer == 1)

    def step_update(self) -> int:
        """Run to the end of the next weight update, finishing the current batch."""
        return self.step_until(lambda p: p.kind == "update")

    step_batch = step_update

    def step_epoch(self) -> int:
        """Finish the current epoch (or run a whole one from an epoch boundary)."""
        per_epoch = self._per_batch * self._batches
        return self.run_phases(per_epoch - self._step % per_epoch)

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
        per_epoch = self._per_batch * self._batches
        finished = 0
        for _ in range(epochs):
            if self._step % per_epoch:
                self.step_epoch()  # finish a partial epoch phase by phase first
            elif not self._run_fast_batches(self._batches, should_stop):
                break
            if self._divergence is not None:
                break
            finished += 1
            if progress is not None:
                progress(finished, epochs)
            if should_stop is not None and should_stop():
                break
        return finished

    @_quiet
    def run_phases(self, count: int, should_stop: Callable[[], bool] | None = None) -> int:
        """Run `count` phases: whole batches on the fast path, the ragged ends phase by phase."""
        self._refuse_if_diverged()
        start = self._step
        target = start + count
        p = self._per_batch
        head = min(target, -(-start // p) * p) - start
        if head:
            self.step_until(lambda _: False, limit=head)
        whole = (target - self._step) // p
        if whole and self._divergence is None:
            self._run_fast_batches(whole, should_stop)
        tail = target - self._step
        if (
            tail
            and self._divergence is None
            and self._step % p == 0
            and (should_stop is None or not should_stop())
        ):
            self.step_until(lambda _: False, limit=tail)
        return self._step - start

    def _run_fast_batches(self, count: int, should_stop: Callable[[], bool] | None) -> bool:
        """Whole batches with only the loss checked per batch; a non-finite loss is then located exactly
        by replaying from the last checkpoint with every quantity checked. Returns False if stopped early."""
        self._checked = False
        self._want_dx = False
        per_epoch = self._per_batch * self._batches
        completed = True
        try:
            for i in range(count):
                # Keep the pre-update weights of any batch a view may show: the last one, or each one
                # when the caller may stop early (playing in time slices).
                self._want_before = should_stop is not None or i == count - 1
                self._run_fast_batch()
                if self._divergence is not None:
                    self._locate_divergence()
                    return True
                if (
                    self._step % per_epoch == 0
                    or (self._step // self._per_batch) % self._checkpoint_every == 0
                ):
                    self._checkpoint_here()
                if should_stop is not None and should_stop():
                    completed = False
                    break
        finally:
            self._checked = True
            self._want_dx = True
            self._want_before = False
        if self._step not in self._checkpoints:
            self._checkpoint_here()
        return completed

    def _locate_divergence(self) -> None:
        target = self._step
        self._divergence = None
        self._restore_and_replay(target, stop_on_divergence=True)
        # Nothing after the first non-finite phase is a state anyone can step to.
        self._checkpoints.drop_after(self._step)
        self._latest = self._step

    # ----------------------------------------------------------------- stepping back and jumping

    def step_back(self, unit: str = "phase") -> int:
        """Undo the last phase, pass, batch or epoch; return the step now current."""
        if unit not in STEP_UNITS:
            raise PhaseOrderError(f"cannot step back by {unit!r}; choose one of {', '.join(STEP_UNITS)}")
        if self._step == 0:
            raise PhaseOrderError("already at the start of the run: there is nothing to step back to")
        if unit == "pass":
            target = self._previous_pass_end()
        else:
            span = self.boundary_steps(unit)
            target = ((self._step - 1) // span) * span
        self.seek(target)
        return self._step

    def _previous_pass_end(self) -> int:
        for s in range(self._step - 1, 0, -1):
            phase = self._phases[(s - 1) % self._per_batch]
            if phase.kind in ("loss", "update") or (phase.kind == "backward" and phase.layer == 1):
                return s
        return 0

    @_quiet
    def seek(self, step: int) -> None:
        """Show the state after `step` phases, anywhere between `earliest_step` and `latest_step`."""
        if not self.earliest_step <= step <= self._latest:
            raise PhaseOrderError(
                f"step {step} is outside the recorded history (steps {self.earliest_step} to {self._latest})"
            )
        self._restore_and_replay(step, stop_on_divergence=False)

    def _restore_and_replay(self, target: int, stop_on_divergence: bool) -> None:
        # Replay from strictly before the target when possible, so the batch being shown has its values.
        cp = self._checkpoints.latest_at_or_before(target - 1) if target else None
        if cp is None:
            cp = self._checkpoints.latest_at_or_before(target)
        if cp is None:
            raise PhaseOrderError(
                f"step {target} is no longer in the history (its memory budget was reached)"
            )
        self._restore(cp)
        latest = self._latest
        if not stop_on_divergence:
            # Recorded history is known to be finite: whole batches before the target's own batch replay
            # on the fast path (the same bits); only the batch being shown runs with every check.
            last_batch_start = target - (target % self._per_batch or self._per_batch)
            self._checked = False
            self._want_dx = False
            try:
                while self._step < last_batch_start and self._divergence is None:
                    for _ in range(self._per_batch):
                        self._run_phase()
            finally:
                self._checked = True
                self._want_dx = True
        self._checked = True
        self._want_dx = True
        while self._step < target:
            self._run_phase()
            if self._step < target:
                self._checkpoint_at_boundary()
            if self._divergence is not None:
                if stop_on_divergence:
                    break
                if self._step < target:
                    raise DivergenceError(self._divergence)
        self._latest = max(latest, self._step)

    def _restore(self, cp: Checkpoint) -> None:
        self._step = cp.step
        self._weights = [w.copy() for w in cp.weights]
        self._biases = [b.copy() for b in cp.biases]
        self._opt = cp.optimizer.copy()
        self._rng.bit_generator.state = cp.rng_state
        self._order = cp.order
        self.training = cp.training
        epochs, batches = cp.history_lengths
        for series in (self._train_loss, self._test_loss, self._train_acc, self._test_acc):
            del series[epochs:]
        del self._batch_loss[batches:]
        self._history_version += 1
        self._divergence = None
        self._clear_batch()

    def _capture(self) -> Checkpoint:
        return capture(
            self._step,
            self._weights,
            self._biases,
            self._opt,
            self._rng,
            self._order,
            self.training,
            (len(self._train_loss), len(self._batch_loss)),
        )

    def _checkpoint_here(self) -> None:
        self._checkpoints.add(self._capture())

    def _checkpoint_at_boundary(self) -> None:
        """Interactive stepping stores every batch boundary it crosses, so stepping back is one batch of replay."""
        if (
            self._step % self._per_batch == 0
            and self._divergence is None
            and self._step not in self._checkpoints
        ):
            self._checkpoint_here()

    # ----------------------------------------------------------------- editing (starts a new branch)

    @property
    def has_future(self) -> bool:
        """True when steps after the current one are recorded (an edit now would discard them)."""
        return self._latest > self._step

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """Set W[layer][i, j] (layer 1-based) and recompute the current batch up to the current phase."""
        self._check_index(
            layer, (i, j), self._weights[layer - 1].shape if 1 <= layer <= self._n_layers else ()
        )
        self._edit(lambda: self._weights[layer - 1].__setitem__((i, j), float(value)))

    def set_bias(self, layer: int, j: int, value: float) -> None:
        """Set b[layer][j] (layer 1-based) and recompute the current batch up to the current phase."""
        self._check_index(layer, (j,), self._biases[layer - 1].shape if 1 <= layer <= self._n_layers else ())
        self._edit(lambda: self._biases[layer - 1].__setitem__(j, float(value)))

    def set_training(self, training: TrainingSpec) -> None:
        """Change optimiser, learning rate or regularisation from here on (batch size, shuffle and seed
        shape the whole run: change those by starting a new session)."""
        fixed = ("batch_size", "shuffle", "seed", "loss")
        for name in fixed:
            if getattr(training, name) != getattr(self.training, name):
                raise PhaseOrderError(f"changing {name} needs a new session (it changes the whole run)")
        check_architecture(self.network, training)

        def apply() -> None:
            if training.optimizer.name != self.training.optimizer.name:
                self._opt = optim.initial_state(training.optimizer, self._weights, self._biases)
            self.training = training

        self._edit(apply)

    def _check_index(self, layer: int, index: tuple[int, ...], shape: tuple[int, ...]) -> None:
        if not 1 <= layer <= self._n_layers:
            raise ArchitectureError(f"there is no layer {layer}; layers are 1 to {self._n_layers}")
        for n, size in zip(index, shape, strict=True):
            if not 0 <= n < size:
                raise ArchitectureError(f"index {index} is outside layer {layer}'s shape {shape}")

    @_quiet
    def _edit(self, change: Callable[[], None]) -> None:
        self._refuse_if_diverged()
        target = self._step
        in_batch = target % self._per_batch
        start = target - in_batch
        if in_batch:
            # The parameters have not changed since the batch began, so the edit belongs to its start.
            self.seek(start)
        change()
        self._checkpoints.drop_after(start)
        self._latest = start
        self._checkpoint_here()
        if in_batch:
            self._checked = True
            self._want_dx = True
            while self._step < target and self._divergence is None:
                self._run_phase()
            self._latest = self._step
        if self._divergence is not None:
            raise DivergenceError(f"after this change, {self._divergence}")

    def _refuse_if_diverged(self) -> None:
        if self._divergence is not None:
            raise DivergenceError(f"{self._divergence}; step back to continue from the last finite state")

    # ----------------------------------------------------------------- the phases

    def _clear_batch(self) -> None:
        n = self._n_layers
        self._x: np.ndarray | None = None
        self._y: np.ndarray | None = None
        self._indices: np.ndarray | None = None
        self._z: list[np.ndarray | None] = [None] * n
        self._a: list[np.ndarray | None] = [None] * n
        self._da: list[np.ndarray | None] = [None] * n
        self._dz: list[np.ndarray | None] = [None] * n
        self._dW: list[np.ndarray | None] = [None] * n
        self._db: list[np.ndarray | None] = [None] * n
        self._dW_step: list[np.ndarray | None] = [None] * n
        self._db_step: list[np.ndarray | None] = [None] * n
        self._dx: np.ndarray | None = None
        self._w_before: list[np.ndarray] | None = None
        self._b_before: list[np.ndarray] | None = None
        self._b_before: list[np.ndarray] | None = None
        self._loss: float | None = None
        self._data_loss: float | None = None
        self._reg_loss: float | None = None

    def _run_phase(self) -> Phase:
        index = self._step % self._per_batch
        if index == 0:
            self._begin_batch()
        run, arg = self._plan[index]
        run(arg)
        self._step += 1
        if self._step > self._latest:
            self._latest = self._step
        elif index == self._per_batch - 1 and self._step in self._checkpoints:
            # Replaying recorded history: an edit made here lives in this boundary's checkpoint.
            self._adopt(self._checkpoints.get(self._step))
        return self._phases[index]

    def _run_fast_batch(self) -> None:
        """One whole batch from its start: the same phase functions as `_run_phase`, called in order
        without per-phase dispatch (on small nets that dispatch is a fifth of the time)."""
        last = self._n_layers - 1
        self._begin_batch()
        for k in range(last + 1):
            self._forward(k)
        self._compute_loss()
        for k in range(last, -1, -1):
            self._backward(k)
        self._step += 2 * last + 3  # the update phase reads its own index: set it first
        self._update()
        self._step += 1
        if self._step > self._latest:
            self._latest = self._step
        elif self._step in self._checkpoints:
            self._adopt(self._checkpoints.get(self._step))

    def _adopt(self, cp: Checkpoint) -> None:
        """Take the parameters, optimiser state and settings stored at this boundary. On an unedited
        branch they equal what replay computed; after an edit they carry the edit."""
        for live, stored in zip(self._weights, cp.weights, strict=True):
            live[...] = stored
        for live, stored in zip(self._biases, cp.biases, strict=True):
            live[...] = stored
        self._opt = cp.optimizer.copy()
        self.training = cp.training

    def _begin_batch(self) -> None:
        batch_number = self._step // self._per_batch
        within = batch_number % self._batches
        if within == 0:
            n = self.dataset.x_train.shape[0]
            self._order = self._rng.permutation(n) if self.training.shuffle else np.arange(n)
        if self._checked:
            self._clear_batch()
        else:
            # The fast path runs whole batches, overwriting every per-layer cache before anyone reads it;
            # only what it never computes must not survive from an earlier batch.
            self._dx = self._w_before = self._b_before = None
        size = self.training.batch_size
        self._indices = self._order[within * size : (within + 1) * size]
        self._x = self.dataset.x_train[self._indices]
        self._y = self.dataset.y_train[self._indices]

    def _forward(self, k: int) -> None:
        a_prev = self._x if k == 0 else self._a[k - 1]
        z = a_prev @ self._weights[k]
        z += self._biases[k]
        self._z[k] = z
        self._a[k] = activations.apply(self._acts[k], z)
        if self._checked:
            self._expect_finite(z, f"forward through layer {k + 1}", "z (weighted sum)")

    def _compute_loss(self, _: None = None) -> None:
        last = self._n_layers - 1
        loss_name = self.training.loss
        data_loss = losses.value(loss_name, self._z[last], self._a[last], self._y)
        reg_loss = regularization.penalty(self.training.regularization, self._weights)
        self._data_loss, self._reg_loss = data_loss, reg_loss
        self._loss = data_loss + reg_loss
        self._da[last] = losses.output_gradient(loss_name, self._a[last], self._y)
        if not math.isfinite(self._loss):
            output = self._a[last]
            reach = float(np.abs(output).max()) if np.isfinite(output).all() else math.inf
            self._divergence = f"loss: the batch loss is {self._loss} (the outputs of layer {last + 1} reach |a| = {reach:.3g})"

    def _backward(self, k: int) -> None:
        last = self._n_layers - 1
        dz = losses.fused_output_delta(self.training.loss, self._a[k], self._y) if k == last else None
        if dz is None:
            dz = activations.backward(self._acts[k], self._z[k], self._a[k], self._da[k])
        a_prev = self._x if k == 0 else self._a[k - 1]
        dW = a_prev.T @ dz
        if self.training.regularization.kind != "none":
            reg = regularization.gradient(self.training.regularization, self._weights[k])
            if reg is not None:
                dW += reg
        self._dz[k], self._dW[k], self._db[k] = (
            dz,
            dW,
            np.add.reduce(dz, axis=0),
        )  # = dz.sum(0), less overhead
        if k > 0:
            self._da[k - 1] = dz @ self._weights[k].T
        elif self._want_dx:
            self._dx = dz @ self._weights[0].T
        if self._checked:
            where = f"backward through layer {k + 1}"
            self._expect_finite(dz, where, "dL/dz")
            self._expect_finite(dW, where, "dL/dW")

    def _update(self, _: None = None) -> None:
        spec = self.training.optimizer
        if self._checked or self._want_before:
            self._w_before = [w.copy() for w in self._weights]
            self._b_before = [b.copy() for b in self._biases]
        self._dW_step, self._db_step = optim.step_layers(
            spec, self._opt, self._weights, self._biases, self._dW, self._db
        )
        self._batch_loss.append(self._data_loss)
        if self._checked:
            for k in range(self._n_layers):
                self._expect_finite(self._weights[k], "weight update", f"weights W of layer {k + 1}")
                self._expect_finite(self._biases[k], "weight update", f"biases b of layer {k + 1}")
        if (self._step + 1) % (self._per_batch * self._batches) == 0:
            self._end_epoch()

    def _end_epoch(self) -> None:
        ds = self.dataset
        out = self.network.layers[-1].activation
        train_outputs = None
        for x, y, loss_series, acc_series in (
            (ds.x_train, ds.y_train, self._train_loss, self._train_acc),
            (ds.x_test, ds.y_test, self._test_loss, self._test_acc),
        ):
            if x.shape[0] == 0:
                loss_series.append(float("nan"))
                acc_series.append(float("nan"))
                continue
            outputs = forward(self._weights, self._biases, self._acts, x)
            train_outputs = outputs if train_outputs is None else train_outputs
            z, a = outputs[-1]
            loss_series.append(losses.value(self.training.loss, z, a, y))
            acc_series.append(metrics.accuracy(out, a, y) if ds.task == "classification" else float("nan"))
        if self._divergence is not None:
            return
        # Once an epoch, the whole training set is a cheap, thorough check for the fast path, which only
        # watches the batch loss: tanh and sigmoid hide an infinite z behind a finite loss.
        largest = [float(np.abs(w).max()) for w in self._weights]
        k = int(np.argmax(largest))
        scale = f"largest weight |w| = {largest[k]:.3g}, in layer {k + 1}"
        for w, b, name in (
            (w, b, f"layer {i + 1}") for i, (w, b) in enumerate(zip(self._weights, self._biases))
        ):
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                self._divergence = f"weight update: the weights or biases of {name} contain NaN or inf"
                return
        for i, (z, _) in enumerate(train_outputs):
            if not np.isfinite(z).all():
                self._divergence = (
                    f"epoch end: z of layer {i + 1} on the training set contains inf or NaN ({scale})"
                )
                return
        if not math.isfinite(self._train_loss[-1]):
            self._divergence = f"weight update: with the updated weights the training-set loss is {self._train_loss[-1]} ({scale})"

    def _expect_finite(self, arr: np.ndarray, where: str, what: str) -> None:
        if self._divergence is None and not np.isfinite(arr).all():
            bad = "NaN" if np.isnan(arr).any() else "inf"
            self._divergence = f"{where}: {what} contains {bad}"

    # ----------------------------------------------------------------- reading

    @property
    def weights(self) -> tuple[np.ndarray, ...]:
        return tuple(_frozen(w) for w in self._weights)

    @property
    def biases(self) -> tuple[np.ndarray, ...]:
        return tuple(_frozen(b) for b in self._biases)

    @property
    def optimizer_state(self) -> optim.OptimizerState:
        return self._opt.copy()

    def history(self) -> History:
        # Cached: snapshots are taken often and the per-batch history grows long.
        key = (len(self._train_loss), len(self._batch_loss), self._history_version)
        if self._history_cache is None or self._history_cache[0] != key:
            history = History(
                tuple(self._train_loss),
                tuple(self._test_loss),
                tuple(self._train_acc),
                tuple(self._test_acc),
                tuple(self._batch_loss),
            )
            self._history_cache = (key, history)
        return self._history_cache[1]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """(n, n_inputs) → output activations (n, n_outputs) with the current weights."""
        return predict(self._weights, self._biases, self._acts, x)

    def snapshot(self) -> Snapshot:
        epoch, batch, phase = self.locate(self._step)
        layers = tuple(
            LayerState(
                *(
                    _frozen(arr)
                    for arr in (
                        self._z[k],
                        self._a[k],
                        self._da[k],
                        self._dz[k],
                        self._dW[k],
                        self._db[k],
                        self._dW_step[k],
                        self._db_step[k],
                    )
                )
            )
            for k in range(self._n_layers)
        )
        return Snapshot(
            sizes=self.network.sizes,
            activations=self._acts,
            loss_name=self.training.loss,
            weights=self.weights,
            biases=self.biases,
            layers=layers,
            x=_frozen(self._x),
            y=_frozen(self._y),
            batch_indices=_frozen(self._indices),
            dx=_frozen(self._dx),
            loss=self._loss,
            data_loss=self._data_loss,
            reg_loss=self._reg_loss,
            step=self._step,
            epoch=epoch,
            batch=batch,
            batches_per_epoch=self._batches,
            phase=phase,
            next_phase=self.next_phase,
            history=self.history(),
            divergence=self._divergence,
            epochs_completed=self.epochs_completed,
            weights_before_update=_frozen_all(self._w_before),
            biases_before_update=_frozen_all(self._b_before),
        )

    def with_training(self, training: TrainingSpec) -> TrainingSession:
        """A new session from the current weights, optimiser state and history with other settings."""
        return TrainingSession(
            self.network,
            training,
            self.dataset,
            [w.copy() for w in self._weights],
            [b.copy() for b in self._biases],
            self._opt if training.optimizer.name == self.training.optimizer.name else None,
            self.history(),
            self.epochs_completed,
            self._checkpoints.budget,
        )


def _frozen(arr: np.ndarray | None) -> np.ndarray | None:
    if arr is None:
        return None
    out = arr.copy()
    out.flags.writeable = False
    return out


def _frozen_all(arrays: list[np.ndarray] | None) -> tuple[np.ndarray, ...] | None:
    return None if arrays is None else tuple(_frozen(a) for a in arrays)


def _checked_params(
    network: NetworkSpec, weights: list[np.ndarray], biases: list[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    sizes = network.sizes
    if len(weights) != len(network.layers) or len(biases) != len(network.layers):
        raise ArchitectureError(
            f"the network has {len(network.layers)} layers but {len(weights)} weight matrices "
            f"and {len(biases)} bias vectors were given"
        )
    out_w, out_b = [], []
    for k, (w, b) in enumerate(zip(weights, biases, strict=True)):
        w = np.array(w, dtype=np.float64)
        b = np.array(b, dtype=np.float64)
        if w.shape != (sizes[k], sizes[k + 1]):
            raise ArchitectureError(
                f"weights of layer {k + 1} have shape {w.shape}, expected {(sizes[k], sizes[k + 1])}"
            )
        if b.shape != (sizes[k + 1],):
            raise ArchitectureError(
                f"biases of layer {k + 1} have shape {b.shape}, expected {(sizes[k + 1],)}"
            )
        out_w.append(w)
        out_b.append(b)
    return out_w, out_b
