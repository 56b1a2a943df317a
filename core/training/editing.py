"""Edits to a running session: a weight, a bias or the settings. Each starts a new branch of history.

The parameters do not change within a batch until its update, so an edit belongs to the start of the
current batch: the session goes back there, applies it, drops the recorded future, stores the edited
state as that boundary's checkpoint and recomputes the batch up to where it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from backprop_studio.core.errors import ArchitectureError, DivergenceError, PhaseOrderError
from backprop_studio.core.nn import optimizers as optim
from backprop_studio.core.spec import NetworkSpec, TrainingSpec, check_architecture
from backprop_studio.core.training.phases import STEPPING

if TYPE_CHECKING:
    from backprop_studio.core.training.engine import Engine


class Edits:
    """The editing half of `TrainingSession` (which provides `_run`, `network`, `seek` and the refusal)."""

    _run: Engine
    network: NetworkSpec

    def seek(self, step: int) -> None:
        raise NotImplementedError

    def _refuse_if_diverged(self) -> None:
        raise NotImplementedError

    @property
    def has_future(self) -> bool:
        """True when steps after the current one are recorded (an edit now would discard them)."""
        return self._run.latest > self._run.step

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """Set W[layer][i, j] (layer 1-based) and recompute the current batch up to the current phase."""
        weights = self._run.weights
        self._check_index(layer, (i, j), weights[layer - 1].shape if 1 <= layer <= len(weights) else ())
        self._edit(lambda: self._run.weights[layer - 1].__setitem__((i, j), float(value)))

    def set_bias(self, layer: int, j: int, value: float) -> None:
        """Set b[layer][j] (layer 1-based) and recompute the current batch up to the current phase."""
        biases = self._run.biases
        self._check_index(layer, (j,), biases[layer - 1].shape if 1 <= layer <= len(biases) else ())
        self._edit(lambda: self._run.biases[layer - 1].__setitem__(j, float(value)))

    def set_training(self, training: TrainingSpec) -> None:
        """Change optimizer, learning rate or regularization from here on (batch size, shuffle and seed
        shape the whole run: change those by starting a new session)."""
        run = self._run
        for name in ("batch_size", "shuffle", "seed", "loss"):
            if getattr(training, name) != getattr(run.training, name):
                raise PhaseOrderError(f"changing {name} needs a new session (it changes the whole run)")
        check_architecture(self.network, training)

        def apply() -> None:
            if training.optimizer.name != run.training.optimizer.name:
                run.opt = optim.initial_state(training.optimizer, run.weights, run.biases)
            run.training = training

        self._edit(apply)

    def _check_index(self, layer: int, index: tuple[int, ...], shape: tuple[int, ...]) -> None:
        n_layers = len(self._run.weights)
        if not 1 <= layer <= n_layers:
            raise ArchitectureError(f"there is no layer {layer}; layers are 1 to {n_layers}")
        for n, size in zip(index, shape, strict=True):
            if not 0 <= n < size:
                raise ArchitectureError(f"index {index} is outside layer {layer}'s shape {shape}")

    def _edit(self, change: Callable[[], None]) -> None:
        with np.errstate(all="ignore"):
            self._refuse_if_diverged()
            run = self._run
            target = run.step
            start = run.schedule.batch_start(target)
            if start != target:
                self.seek(start)
            change()
            run.drop_future()
            run.checkpoint_here()
            if start != target:
                while run.step < target and run.divergence is None:
                    run.run_phase(STEPPING)
                run.latest = run.step
            if run.divergence is not None:
                raise DivergenceError(f"after this change, {run.divergence}", run.divergence)
