"""Gradient health of each layer, read from a Snapshot: the numbers that say why a network does not learn.

Per layer k (1-based) mapping n_in → n_out, with W (n_in, n_out), a (B, n_out) and dW = dL/dW (n_in, n_out):
  grad_norm        ‖dW‖_F = √(Σ dW²); None until backward through layer k ran in this batch.
  weight_norm      ‖W‖_F of the current weights (after the update once it ran).
  update_ratio     ‖ΔW‖_F / ‖W before the update‖_F; None until the batch's update ran. Healthy SGD runs
                   sit near 1e-3; ≫ 1e-2 means the learning rate is too large, ≪ 1e-4 too small.
  dead_units       ReLU layers only: units whose output is 0 for every sample of the batch (z ≤ 0), so
                   no gradient reaches their weights. None for other activations (a leaky ReLU keeps a
                   0.01 slope and cannot die) or before forward through layer k ran.
  saturated_units  sigmoid: a < 0.01 or a > 0.99 on every sample; tanh: |a| > 0.99 on every sample —
                   where f'(z) ≤ ~0.01 and gradients through the unit all but vanish. None otherwise.
A norm of an array holding NaN or inf is NaN or inf: the caller shows it, nothing here raises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from backprop_studio.core.training.snapshot import Snapshot

HISTOGRAM_QUANTITIES = ("weights", "activations", "gradients")
SIGMOID_LOW, SIGMOID_HIGH = 0.01, 0.99
TANH_LIMIT = 0.99

Histogram = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class LayerHealth:
    layer: int  # 1-based
    activation: str
    units: int
    grad_norm: float | None
    weight_norm: float
    update_ratio: float | None
    dead_units: int | None
    saturated_units: int | None

    @property
    def dead_share(self) -> float | None:
        return None if self.dead_units is None else self.dead_units / self.units


def frobenius(arr: np.ndarray) -> float:
    # np.linalg.norm scales to avoid overflow; the plain sum of squares would turn 1e200 entries into inf.
    return float(np.linalg.norm(np.asarray(arr, dtype=np.float64).ravel()))


def dead_mask(activation: str, a: np.ndarray | None) -> np.ndarray | None:
    """(B, n_out) → (n_out,) bool: ReLU units that are 0 for every sample; None where the idea does not apply."""
    if activation != "relu" or a is None or a.shape[0] == 0:
        return None
    return np.all(a <= 0.0, axis=0)


def saturated_mask(activation: str, a: np.ndarray | None) -> np.ndarray | None:
    """(B, n_out) → (n_out,) bool: sigmoid/tanh units in their flat tails for every sample."""
    if a is None or a.shape[0] == 0:
        return None
    if activation == "sigmoid":
        return np.all((a < SIGMOID_LOW) | (a > SIGMOID_HIGH), axis=0)
    if activation == "tanh":
        return np.all(np.abs(a) > TANH_LIMIT, axis=0)
    return None


def grad_norm(snapshot: Snapshot, layer: int) -> float | None:
    """‖dL/dW‖_F of `layer` (1-based), None before its backward phase."""
    dW = snapshot.layers[layer - 1].dW
    return None if dW is None else frobenius(dW)


def weights_before_update(snapshot: Snapshot, layer: int) -> np.ndarray | None:
    """W of `layer` as the batch's update found it; None before the update."""
    state = snapshot.layers[layer - 1]
    if state.delta_W is None:
        return None
    if snapshot.weights_before_update is not None:
        return snapshot.weights_before_update[layer - 1]
    # The fast path does not record the old weights; W − ΔW recovers them up to one rounding.
    return snapshot.weights[layer - 1] - state.delta_W


def update_ratio(snapshot: Snapshot, layer: int) -> float | None:
    """‖ΔW‖_F / ‖W before the update‖_F of `layer`; None before the update. Zero old weights give inf
    (any step is infinitely large relative to them) unless the step is zero too."""
    delta_W = snapshot.layers[layer - 1].delta_W
    before = weights_before_update(snapshot, layer)
    if before is None or delta_W is None:
        return None
    step = frobenius(delta_W)
    scale = frobenius(before)
    if scale == 0.0:
        return 0.0 if step == 0.0 else math.inf
    return step / scale


def _marked(mask: np.ndarray | None) -> int | None:
    return None if mask is None else int(np.count_nonzero(mask))


def health_of(snapshot: Snapshot, layer: int) -> LayerHealth:
    """The health of one layer (1-based)."""
    k = layer - 1
    activation = snapshot.activations[k]
    a = snapshot.layers[k].a
    return LayerHealth(
        layer=layer,
        activation=activation,
        units=snapshot.sizes[layer],
        grad_norm=grad_norm(snapshot, layer),
        weight_norm=frobenius(snapshot.weights[k]),
        update_ratio=update_ratio(snapshot, layer),
        dead_units=_marked(dead_mask(activation, a)),
        saturated_units=_marked(saturated_mask(activation, a)),
    )


def layer_health(snapshot: Snapshot) -> tuple[LayerHealth, ...]:
    """One LayerHealth per layer, layer 1 first."""
    return tuple(health_of(snapshot, layer) for layer in range(1, snapshot.n_layers + 1))


def _histogram(values: np.ndarray | None, bins: int) -> Histogram | None:
    if values is None:
        return None
    flat = np.asarray(values, dtype=np.float64).ravel()
    # np.histogram refuses a non-finite range; the divergence itself is reported elsewhere.
    return np.histogram(flat[np.isfinite(flat)], bins=bins)


def histograms(snapshot: Snapshot, bins: int = 30) -> tuple[dict[str, Histogram | None], ...]:
    """Per layer, {"weights": W (n_in·n_out values), "activations": a (B·n_out), "gradients": dL/dW
    (n_in·n_out)} → (counts (bins,), edges (bins + 1,)) from numpy.histogram over the finite values,
    or None for a quantity this batch has not computed yet. Every key is always present."""
    return tuple(
        {
            "weights": _histogram(snapshot.weights[k], bins),
            "activations": _histogram(state.a, bins),
            "gradients": _histogram(state.dW, bins),
        }
        for k, state in enumerate(snapshot.layers)
    )
