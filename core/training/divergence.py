"""A divergence as a typed value, and the finiteness checks that produce one.

Training diverges when a NaN or inf appears. A `Divergence` says where: the phase that produced it, the
1-based layer the quantity belongs to, which quantity, and a sentence for people. Its `str()` is that
sentence, so text that shows a divergence needs no change; code that needs the layer reads `.layer`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from backprop_studio.core.training.schedule import Phase


@dataclass(frozen=True)
class Divergence:
    """A NaN or inf: produced in `phase`, in `quantity` (e.g. "z", "dL/dW", "loss") of `layer` (1-based)."""

    phase: Phase
    layer: int | None
    quantity: str
    message: str

    def __str__(self) -> str:
        return self.message


def nonfinite(
    arr: np.ndarray, phase: Phase, layer: int | None, quantity: str, text: str
) -> Divergence | None:
    """A divergence when `arr` holds a NaN or inf: "<phase label>: <text> contains NaN|inf"; else None."""
    if np.isfinite(arr).all():
        return None
    bad = "NaN" if np.isnan(arr).any() else "inf"
    return Divergence(phase, layer, quantity, f"{phase.label}: {text} contains {bad}")


def bad_loss(loss: float, output: np.ndarray, n_layers: int) -> Divergence | None:
    """A divergence when the batch loss is not finite, with how large the outputs (B, n_out) got."""
    if math.isfinite(loss):
        return None
    reach = float(np.abs(output).max()) if np.isfinite(output).all() else math.inf
    text = f"loss: the batch loss is {loss} (the outputs of layer {n_layers} reach |a| = {reach:.3g})"
    return Divergence(Phase("loss"), n_layers, "loss", text)


def at_epoch_end(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    train_z: Sequence[np.ndarray] | None,
    train_loss: float,
) -> Divergence | None:
    """The once-an-epoch check of the fast path, which watches only the batch loss: tanh and sigmoid hide
    an infinite z behind a finite loss. `train_z[k]` is layer k+1's z on the whole training set."""
    update = Phase("update")
    largest = [float(np.abs(w).max()) for w in weights]
    k = int(np.argmax(largest))
    scale = f"largest weight |w| = {largest[k]:.3g}, in layer {k + 1}"
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        if not (np.isfinite(w).all() and np.isfinite(b).all()):
            text = f"weight update: the weights or biases of layer {i + 1} contain NaN or inf"
            return Divergence(update, i + 1, "W", text)
    for i, z in enumerate(train_z or ()):
        if not np.isfinite(z).all():
            text = f"epoch end: z of layer {i + 1} on the training set contains inf or NaN ({scale})"
            return Divergence(update, i + 1, "z", text)
    if not math.isfinite(train_loss):
        text = f"weight update: with the updated weights the training-set loss is {train_loss} ({scale})"
        return Divergence(update, k + 1, "loss", text)
    return None
