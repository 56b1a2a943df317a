"""An immutable picture of a training session after a phase: what every view and the recorder render.

Shapes, with B the current batch size and layer k mapping n_in → n_out:
  weights[k] (n_in, n_out), biases[k] (n_out,), x (B, n_inputs), y (B, n_outputs),
  layers[k].z / .a / .da / .dz (B, n_out), layers[k].dW (n_in, n_out), layers[k].db (n_out,),
  layers[k].delta_W / .delta_b like the parameters, dx (B, n_inputs).
Every gradient is of the batch loss L (mean over the batch, plus regularization): a sample's dz already
carries the 1/B factor, so dW = Σ_b a_prevᵀ·dz, exactly what PyTorch puts in `.grad`.
A quantity not computed yet in this batch is None. All arrays are read-only copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
from backprop_studio.core.training.divergence import Divergence
from backprop_studio.core.training.schedule import Phase, phases_of_batch
from backprop_studio.core.training.series import Series

# Phase and its order live in `schedule`; they are named here too because a snapshot's readers use them.
__all__ = ["History", "LayerState", "Phase", "Series", "Snapshot", "phases_of_batch"]


@dataclass(frozen=True, eq=False)
class LayerState:
    z: np.ndarray | None = None
    a: np.ndarray | None = None
    da: np.ndarray | None = None
    dz: np.ndarray | None = None
    dW: np.ndarray | None = None
    db: np.ndarray | None = None
    delta_W: np.ndarray | None = None
    delta_b: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class History:
    """Per-epoch losses (without regularization, whole set, weights at the end of the epoch) and per-batch loss.

    Each is a `Series` (read-only float64 views, no copies; sequences given here are converted), so
    handing a History to every view costs the same at epoch 100 and at epoch 100,000.
    """

    train_loss: Series = field(default_factory=Series)
    test_loss: Series = field(default_factory=Series)
    train_accuracy: Series = field(default_factory=Series)
    test_accuracy: Series = field(default_factory=Series)
    batch_loss: Series = field(default_factory=Series)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, Series):
                object.__setattr__(self, f.name, Series(value))


@dataclass(frozen=True, eq=False)
class Snapshot:
    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    loss_name: str
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    layers: tuple[LayerState, ...]
    x: np.ndarray | None
    y: np.ndarray | None
    batch_indices: np.ndarray | None  # rows of the training set in this batch
    dx: np.ndarray | None
    loss: float | None  # batch loss used for gradients (data + regularization)
    data_loss: float | None
    reg_loss: float | None
    step: int  # phases completed since the start of the run
    epoch: int  # 0-based epoch the last phase belongs to
    batch: int  # 0-based batch within that epoch
    batches_per_epoch: int
    phase: Phase | None  # the last phase completed; None before the first
    next_phase: Phase | None  # what `step()` would do now; None after a divergence
    history: History
    divergence: Divergence | None = None  # str() of it is the message a view shows
    epochs_completed: int = 0
    # After an update phase: the parameters this batch's forward and backward passes used.
    weights_before_update: tuple[np.ndarray, ...] | None = None
    biases_before_update: tuple[np.ndarray, ...] | None = None
    # Before a batch's first phase (x is None): the rows of the training set it will draw (B,) and their
    # inputs (B, n_inputs), so views can show the data about to go in. None once the batch has begun.
    next_batch_indices: np.ndarray | None = None
    next_batch_x: np.ndarray | None = None

    @property
    def batch_weights(self) -> tuple[np.ndarray, ...]:
        """The weights this batch's z, a and gradients were computed with."""
        return self.weights if self.weights_before_update is None else self.weights_before_update

    @property
    def batch_biases(self) -> tuple[np.ndarray, ...]:
        return self.biases if self.biases_before_update is None else self.biases_before_update

    @property
    def n_layers(self) -> int:
        return len(self.layers)
