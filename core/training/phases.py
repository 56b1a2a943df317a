"""The four kinds of phase as functions on one batch's state: forward, loss, backward, update.

Shapes, with B the batch size and layer k (0-based here) mapping n_in → n_out:
  x (B, n_inputs), y (B, n_outputs); z[k], a[k], da[k], dz[k] (B, n_out); dW[k] (n_in, n_out), db[k] (n_out,).
Each function computes its phase's quantities into the `BatchState` in place and returns the
`Divergence` it found (only when the run mode checks, except the loss, which is always checked), or None.
Every path through training (a phase at a time, whole batches, replay) calls these same functions, so
every path computes the same bits.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from backprop_studio.core.nn import activations, losses, regularization
from backprop_studio.core.nn import optimizers as optim
from backprop_studio.core.spec import TrainingSpec
from backprop_studio.core.training import divergence
from backprop_studio.core.training.divergence import Divergence
from backprop_studio.core.training.schedule import Phase

# A batch's arrays are None until their phase computes them. The phase order, not the type, guarantees
# that a phase reads only what an earlier one wrote, so the working fields are typed loosely.
Arrays = list[Any]


@dataclass(frozen=True)
class RunMode:
    """How phases run. `checked`: look for NaN/inf in every quantity as it is computed (stepping);
    `want_dx`: compute dL/dx, which only the views read; `keep_before`: copy the parameters before an
    update even on the fast path (a checked run always does), for the batch a view may show."""

    checked: bool
    want_dx: bool
    keep_before: bool = False


STEPPING = RunMode(checked=True, want_dx=True)
FAST = RunMode(checked=False, want_dx=False)
FAST_SHOWN = RunMode(checked=False, want_dx=False, keep_before=True)


@functools.cache
def _phase(kind: str, layer: int | None) -> Phase:
    """The same Phase object each time: checked runs name their phase after every quantity they check."""
    return Phase(kind, layer)


class BatchState:
    """Everything one batch has computed so far; a quantity not computed yet is None."""

    def __init__(self, n_layers: int) -> None:
        self.n_layers = n_layers
        self.clear()

    def clear(self) -> None:
        n = self.n_layers
        self.x: Any = None  # (B, n_inputs) once the batch begins
        self.y: Any = None
        self.indices: np.ndarray | None = None
        self.z: Arrays = [None] * n
        self.a: Arrays = [None] * n
        self.da: Arrays = [None] * n
        self.dz: Arrays = [None] * n
        self.dW: Arrays = [None] * n
        self.db: Arrays = [None] * n
        self.dW_step: Arrays = [None] * n
        self.db_step: Arrays = [None] * n
        self.dx: np.ndarray | None = None
        self.w_before: list[np.ndarray] | None = None
        self.b_before: list[np.ndarray] | None = None
        self.loss: float | None = None
        self.data_loss: float | None = None
        self.reg_loss: float | None = None

    def begin(self, x: np.ndarray, y: np.ndarray, indices: np.ndarray, mode: RunMode) -> None:
        """Start a batch of rows `indices`: x (B, n_inputs), y (B, n_outputs)."""
        if mode.checked:
            self.clear()
        else:
            # The fast path runs whole batches, overwriting every per-layer array before anyone reads it;
            # only what it never computes must not survive from an earlier batch.
            self.dx = self.w_before = self.b_before = None
        self.indices, self.x, self.y = indices, x, y


def forward(
    s: BatchState,
    k: int,
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    act: str,
    mode: RunMode,
) -> Divergence | None:
    """Layer k: z = a_prev @ W (B, n_in) @ (n_in, n_out) + b, a = f(z)."""
    a_prev = s.x if k == 0 else s.a[k - 1]
    z = a_prev @ weights[k]
    z += biases[k]
    s.z[k] = z
    s.a[k] = activations.apply(act, z)
    if mode.checked:
        return divergence.nonfinite(z, _phase("forward", k + 1), k + 1, "z", "z (weighted sum)")
    return None


def loss(s: BatchState, weights: Sequence[np.ndarray], training: TrainingSpec) -> Divergence | None:
    """The batch loss L = data loss (mean over the batch) + penalty, and dL/da of the output layer."""
    last = s.n_layers - 1
    data_loss = losses.value(training.loss, s.z[last], s.a[last], s.y)
    reg_loss = regularization.penalty(training.regularization, weights)
    s.data_loss, s.reg_loss = data_loss, reg_loss
    s.loss = data_loss + reg_loss
    s.da[last] = losses.output_gradient(training.loss, s.a[last], s.y)
    return divergence.bad_loss(s.loss, s.a[last], s.n_layers)


def backward(
    s: BatchState, k: int, weights: Sequence[np.ndarray], act: str, training: TrainingSpec, mode: RunMode
) -> Divergence | None:
    """Layer k: dz = f′(z)·da (B, n_out), dW = a_prevᵀ @ dz (n_in, B) @ (B, n_out) (+ penalty gradient),
    db = Σ_b dz, and da of the layer before = dz @ Wᵀ (B, n_out) @ (n_out, n_in)."""
    last = s.n_layers - 1
    dz = losses.fused_output_delta(training.loss, s.a[k], s.y) if k == last else None
    if dz is None:
        dz = activations.backward(act, s.z[k], s.a[k], s.da[k])
    a_prev = s.x if k == 0 else s.a[k - 1]
    dW = a_prev.T @ dz
    if training.regularization.kind != "none":
        reg = regularization.gradient(training.regularization, weights[k])
        if reg is not None:
            dW += reg
    s.dz[k], s.dW[k], s.db[k] = dz, dW, np.add.reduce(dz, axis=0)  # = dz.sum(0), less overhead
    if k > 0:
        s.da[k - 1] = dz @ weights[k].T
    elif mode.want_dx:
        s.dx = dz @ weights[0].T
    if not mode.checked:
        return None
    phase = _phase("backward", k + 1)
    return divergence.nonfinite(dz, phase, k + 1, "dL/dz", "dL/dz") or divergence.nonfinite(
        dW, phase, k + 1, "dL/dW", "dL/dW"
    )


def input_gradient(s: BatchState) -> None:
    """dL/dx = dz of layer 1 @ W₁ᵀ, (B, n1) @ (n1, n_inputs), with the weights the batch used: what
    `backward` through layer 1 computes when asked, for a shown batch the fast path ran without it.
    The same product of the same values as `backward`'s, so the same bits."""
    if s.dx is None and s.w_before is not None and s.dz[0] is not None:
        s.dx = s.dz[0] @ s.w_before[0].T


def update(
    s: BatchState,
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    opt: optim.OptimizerState,
    training: TrainingSpec,
    mode: RunMode,
) -> Divergence | None:
    """One optimizer step on every layer, in place; keeps the steps ΔW, Δb (and the parameters before).
    With `training.update_biases` False the biases stay as they are (Δb = 0); dL/db is kept all the same."""
    if mode.checked or mode.keep_before:
        s.w_before = [w.copy() for w in weights]
        s.b_before = [b.copy() for b in biases]
    if training.update_biases:
        s.dW_step, s.db_step = optim.step_layers(training.optimizer, opt, weights, biases, s.dW, s.db)
    else:
        # Biases held fixed: the optimizer steps a scratch copy (its buffers stay as they would be), the
        # biases keep every bit, and the step reported for them is 0.
        scratch = [b.copy() for b in biases]
        s.dW_step, _ = optim.step_layers(training.optimizer, opt, weights, scratch, s.dW, s.db)
        s.db_step = [np.zeros_like(b) for b in biases]
    if not mode.checked:
        return None
    phase = _phase("update", None)
    for k in range(s.n_layers):
        found = divergence.nonfinite(weights[k], phase, k + 1, "W", f"weights W of layer {k + 1}")
        found = found or divergence.nonfinite(biases[k], phase, k + 1, "b", f"biases b of layer {k + 1}")
        if found is not None:
            return found
    return None
