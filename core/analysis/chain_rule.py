"""The chain rule as data: the terms behind one neuron's, input's, bias's or edge's numbers, for views and tests.

For neuron j of layer k (1-based) and sample b of the current batch:
  forward    z_j = Σ_i a_i·w_ij + b_j        a_j = f(z_j)
  backward   dL/da_j = Σ_m w_jm·dL/dz_m       (from layer k+1; at the output, from the loss)
             f'(z_j)                          (the local gradient)
             dL/dz_j = dL/da_j · f'(z_j)      (softmax couples units: a_j(dL/da_j − Σ_m a_m dL/da_m);
                                               bce/cross_entropy outputs: (ŷ − y)/B directly)
For input i: dL/dx_i = Σ_m w_im·dL/dz_m over the units m of layer 1.
For the edge i → j of layer k: dL/dw_ij = Σ_b a_i·dL/dz_j (each sample's dL/dz carries 1/B, so this is
the batch mean of a_i times the per-sample-loss gradient), plus the regularization term; for the bias
dL/db_j = Σ_b dL/dz_j.

Per-sample terms are read for a `Focus`: one row of the batch, or the batch mean. The mean terms are the
means of the per-sample quantities (z, a, dL/da, f', dL/dz, shapes (batch, units) → one number). The
linear steps still add up for means (mean z = Σ_i mean a_i·w_ij + b, mean dL/da = Σ_m w_jm·mean dL/dz_m),
the nonlinear ones do not: mean a ≠ f(mean z) and mean dL/dz ≠ mean dL/da · mean f'. The mean terms carry
those two "chain rule of means" values so a view can say so. Edges and biases are batch-wide already.

Everything is read from a Snapshot; quantities not computed yet are None. After an update the terms use
the parameters the batch was computed with (`Snapshot.batch_weights`), so every sum adds up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.nn.activations import apply, local_gradient
from backprop_studio.core.training.snapshot import Snapshot


def _differs(a: float, b: float) -> bool:
    """More apart than float rounding of a mean over a batch explains."""
    return abs(a - b) > 1e-12 + 1e-9 * max(abs(a), abs(b))


@dataclass(frozen=True)
class ForwardTerms:
    inputs: tuple[float, ...]  # a_i of the previous layer (x for layer 1)
    weights: tuple[float, ...]  # w_ij
    products: tuple[float, ...]  # a_i·w_ij
    bias: float
    z: float
    activation: str
    a: float
    a_of_mean_z: float | None = None  # batch mean only: f(mean z), which is not mean a

    @property
    def mean_is_not_activation_of_mean(self) -> bool:
        """Batch mean only: whether mean a visibly differs from f(mean z) (it does unless f is linear there)."""
        return self.a_of_mean_z is not None and _differs(self.a_of_mean_z, self.a)


@dataclass(frozen=True)
class BackwardTerms:
    source: str  # "next layer" or "loss"
    downstream_weights: tuple[float, ...]  # w_jm to each unit m of layer k+1 (empty at the output)
    downstream_dz: tuple[float, ...]  # dL/dz_m of layer k+1
    products: tuple[float, ...]  # w_jm·dL/dz_m
    da: float  # dL/da_j
    local: float  # f'(z_j) (the Jacobian's diagonal for softmax)
    dz: float  # dL/dz_j
    fused: bool  # dz computed from the loss directly (bce+sigmoid, cross_entropy+softmax, or softmax)
    target: float | None  # y_j at the output layer
    dz_of_means: float | None = None  # batch mean only: mean dL/da · mean f', which is not mean dL/dz

    @property
    def chain_of_means_differs(self) -> bool:
        """Batch mean only: whether mean dL/da · mean f' visibly differs from mean dL/dz."""
        return self.dz_of_means is not None and _differs(self.dz_of_means, self.dz)


@dataclass(frozen=True)
class NeuronTerms:
    layer: int
    index: int
    sample: int | None  # the batch row, None for the batch mean
    forward: ForwardTerms | None
    backward: BackwardTerms | None
    batch_size: int | None = None  # rows in the batch (None before a batch is loaded)

    @property
    def is_mean(self) -> bool:
        return self.sample is None


@dataclass(frozen=True)
class InputTerms:
    index: int
    sample: int | None  # the batch row, None for the batch mean
    x: float | None  # x_i (None before a batch is loaded)
    weights: tuple[float, ...]  # w_im of layer 1, as this batch used them
    downstream_dz: tuple[float, ...] | None  # dL/dz_m of layer 1
    products: tuple[float, ...] | None  # w_im·dL/dz_m
    dx: float | None  # dL/dx_i as the session computed it


@dataclass(frozen=True)
class EdgeTerms:
    layer: int
    i: int
    j: int
    weight: float  # w_ij as this batch used it (before its update)
    inputs: tuple[float, ...] | None  # a_i per sample
    dz: tuple[float, ...] | None  # dL/dz_j per sample
    products: tuple[float, ...] | None  # a_i·dL/dz_j per sample
    regularization: float | None  # the penalty's share of dL/dw
    gradient: float | None  # dL/dw_ij as the session computed it
    step: float | None  # Δw applied by the last update
    weight_after: float | None  # w after that update (the current weight once the update ran)


@dataclass(frozen=True)
class BiasTerms:
    layer: int
    j: int
    bias: float  # b_j as this batch used it (before its update)
    dz: tuple[float, ...] | None  # dL/dz_j per sample: the terms of dL/db
    gradient: float | None  # dL/db_j as the session computed it
    step: float | None  # Δb applied by the last update
    bias_after: float | None  # b after that update


def update_applied(snap: Snapshot) -> bool:
    """Whether this batch's update phase has run (the snapshot's parameters are then the new ones)."""
    return any(state.delta_W is not None for state in snap.layers)


def batch_parameters_known(snap: Snapshot) -> bool:
    """False after an update whose parameters before it were not recorded, so sums cannot be written out."""
    if not update_applied(snap):
        return True
    return snap.weights_before_update is not None and snap.biases_before_update is not None


def _as_focus(sample: int | Focus) -> Focus:
    return sample if isinstance(sample, Focus) else Focus(sample)


def _row(snap: Snapshot, sample: int | Focus) -> tuple[int | None, int | None]:
    """(batch size, the row to read): None for the mean; a row beyond this batch reads its first sample."""
    size = None if snap.x is None else int(snap.x.shape[0])
    focus = _as_focus(sample)
    if focus.is_mean or size is None:
        return size, focus.row
    row = focus.valid_row(size)
    return size, 0 if row is None else row


def _take(arr: np.ndarray, row: int | None) -> np.ndarray:
    """(batch, units) → (units,): one row, or the mean over the batch when `row` is None."""
    return arr.mean(axis=0) if row is None else arr[row]


def neuron_terms(snap: Snapshot, layer: int, j: int, sample: int | Focus = 0) -> NeuronTerms:
    """Terms for neuron j (0-based) of layer `layer` (1-based) at one batch row (0-based) or a `Focus`.

    With the batch-mean focus (or a row not in the batch) every per-sample value is its batch mean.
    """
    size, row = _row(snap, sample)
    k = layer - 1
    state = snap.layers[k]
    prev = snap.x if k == 0 else snap.layers[k - 1].a
    fwd = None
    if state.z is not None and state.a is not None and prev is not None:
        a_in = _take(prev, row)
        w_col = snap.batch_weights[k][:, j]
        z_row = _take(state.z, row)
        fwd = ForwardTerms(
            tuple(a_in.tolist()),
            tuple(w_col.tolist()),
            tuple((a_in * w_col).tolist()),
            float(snap.batch_biases[k][j]),
            float(z_row[j]),
            snap.activations[k],
            float(_take(state.a, row)[j]),
            None if row is not None else float(apply(snap.activations[k], z_row[None, :])[0, j]),
        )
    bwd = None
    if state.dz is not None and state.da is not None and state.z is not None and state.a is not None:
        bwd = _backward(snap, k, j, row)
    return NeuronTerms(layer, j, row, fwd, bwd, size)


def _backward(snap: Snapshot, k: int, j: int, row: int | None) -> BackwardTerms:
    state = snap.layers[k]
    assert state.z is not None and state.a is not None and state.da is not None and state.dz is not None
    last = k == len(snap.layers) - 1
    act = snap.activations[k]
    fused = act == "softmax" or (last and snap.loss_name in ("bce", "cross_entropy"))
    local = float(_take(local_gradient(act, state.z[:, j : j + 1], state.a[:, j : j + 1]), row)[0])
    da = float(_take(state.da, row)[j])
    if last:
        weights_out: tuple[float, ...] = ()
        dz_next: tuple[float, ...] = ()
        source = "loss"
        target = None if snap.y is None else float(_take(snap.y, row)[j])
    else:
        next_dz = snap.layers[k + 1].dz
        assert next_dz is not None
        weights_out = tuple(snap.batch_weights[k + 1][j, :].tolist())
        dz_next = tuple(_take(next_dz, row).tolist())
        source, target = "next layer", None
    return BackwardTerms(
        source,
        weights_out,
        dz_next,
        tuple(w * d for w, d in zip(weights_out, dz_next, strict=True)),
        da,
        local,
        float(_take(state.dz, row)[j]),
        fused,
        target,
        None if row is not None else da * local,
    )


def input_terms(snap: Snapshot, i: int, sample: int | Focus = 0) -> InputTerms:
    """Terms for input i (0-based): x_i and dL/dx_i = Σ_m w_im·dL/dz_m at a batch row or the batch mean."""
    _, row = _row(snap, sample)
    weights = tuple(snap.batch_weights[0][i, :].tolist())
    x = None if snap.x is None else float(_take(snap.x, row)[i])
    dz = snap.layers[0].dz
    if dz is None or snap.dx is None:
        return InputTerms(i, row, x, weights, None, None, None)
    dz_row = tuple(_take(dz, row).tolist())
    products = tuple(w * d for w, d in zip(weights, dz_row, strict=True))
    return InputTerms(i, row, x, weights, dz_row, products, float(_take(snap.dx, row)[i]))


def edge_terms(snap: Snapshot, layer: int, i: int, j: int) -> EdgeTerms:
    """Terms for the edge from unit i (0-based) of layer `layer` − 1 to unit j of layer `layer` (1-based)."""
    k = layer - 1
    state = snap.layers[k]
    prev = snap.x if k == 0 else snap.layers[k - 1].a
    inputs = dz = products = reg = grad = None
    if state.dz is not None and state.dW is not None and prev is not None:
        a_col, dz_col = prev[:, i], state.dz[:, j]
        inputs, dz = tuple(a_col.tolist()), tuple(dz_col.tolist())
        products = tuple((a_col * dz_col).tolist())
        grad = float(state.dW[i, j])
        reg = grad - float(np.sum(a_col * dz_col))
    step = None if state.delta_W is None else float(state.delta_W[i, j])
    current = float(snap.weights[k][i, j])
    if step is None:
        return EdgeTerms(layer, i, j, current, inputs, dz, products, reg, grad, None, None)
    before = current if snap.weights_before_update is None else float(snap.weights_before_update[k][i, j])
    return EdgeTerms(layer, i, j, before, inputs, dz, products, reg, grad, step, current)


def bias_terms(snap: Snapshot, layer: int, j: int) -> BiasTerms:
    """Terms for the bias of unit j (0-based) of layer `layer` (1-based): dL/db_j = Σ_b dL/dz_j, its step."""
    k = layer - 1
    state = snap.layers[k]
    dz = grad = None
    if state.dz is not None and state.db is not None:
        dz = tuple(state.dz[:, j].tolist())
        grad = float(state.db[j])
    current = float(snap.biases[k][j])
    if state.delta_b is None:
        return BiasTerms(layer, j, current, dz, grad, None, None)
    step = float(state.delta_b[j])
    before = current if snap.biases_before_update is None else float(snap.biases_before_update[k][j])
    return BiasTerms(layer, j, before, dz, grad, step, current)
