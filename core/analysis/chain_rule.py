"""The chain rule as data: the terms behind one neuron's or one edge's numbers, for inspectors and tests.

For neuron j of layer k (1-based) and sample b of the current batch:
  forward    z_j = Σ_i a_i·w_ij + b_j        a_j = f(z_j)
  backward   dL/da_j = Σ_m w_jm·dL/dz_m       (from layer k+1; at the output, from the loss)
             f'(z_j)                          (the local gradient)
             dL/dz_j = dL/da_j · f'(z_j)      (softmax couples units: a_j(dL/da_j − Σ_m a_m dL/da_m);
                                               bce/cross_entropy outputs: (ŷ − y)/B directly)
For the edge i → j of layer k: dL/dw_ij = Σ_b a_i·dL/dz_j (each sample's dL/dz carries 1/B, so this is
the batch mean of a_i times the per-sample-loss gradient), plus the regularisation term.
Everything is read from a Snapshot; quantities not computed yet are None. After an update the terms use
the parameters the batch was computed with (`Snapshot.batch_weights`), so every sum adds up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.core.nn.activations import local_gradient
from backprop_studio.core.training.snapshot import Snapshot


@dataclass(frozen=True)
class ForwardTerms:
    inputs: tuple[float, ...]  # a_i of the previous layer (x for layer 1)
    weights: tuple[float, ...]  # w_ij
    products: tuple[float, ...]  # a_i·w_ij
    bias: float
    z: float
    activation: str
    a: float


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


@dataclass(frozen=True)
class NeuronTerms:
    layer: int
    index: int
    sample: int
    forward: ForwardTerms | None
    backward: BackwardTerms | None


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


def _row(arr: np.ndarray | None, sample: int) -> np.ndarray | None:
    return None if arr is None else arr[sample]


def neuron_terms(snap: Snapshot, layer: int, j: int, sample: int = 0) -> NeuronTerms:
    """Terms for neuron j (0-based) of layer `layer` (1-based) and batch sample `sample` (0-based)."""
    k = layer - 1
    state = snap.layers[k]
    prev = snap.x if k == 0 else snap.layers[k - 1].a
    fwd = None
    if state.z is not None and prev is not None:
        a_in = prev[sample]
        w_col = snap.batch_weights[k][:, j]
        fwd = ForwardTerms(
            tuple(a_in.tolist()),
            tuple(w_col.tolist()),
            tuple((a_in * w_col).tolist()),
            float(snap.batch_biases[k][j]),
            float(state.z[sample, j]),
            snap.activations[k],
            float(state.a[sample, j]),
        )
    bwd = None
    if state.dz is not None:
        last = k == len(snap.layers) - 1
        act = snap.activations[k]
        fused = act == "softmax" or (last and snap.loss_name in ("bce", "cross_entropy"))
        z, a = state.z[sample, j], state.a[sample, j]
        local = _local(act, z, a)
        if last:
            weights_out: tuple[float, ...] = ()
            dz_next: tuple[float, ...] = ()
            source = "loss"
            target = float(snap.y[sample, j])
        else:
            w_row = snap.batch_weights[k + 1][j, :]
            next_dz = snap.layers[k + 1].dz[sample]
            weights_out, dz_next = tuple(w_row.tolist()), tuple(next_dz.tolist())
            source, target = "next layer", None
        bwd = BackwardTerms(
            source,
            weights_out,
            dz_next,
            tuple(w * d for w, d in zip(weights_out, dz_next, strict=True)),
            float(state.da[sample, j]),
            local,
            float(state.dz[sample, j]),
            fused,
            target,
        )
    return NeuronTerms(layer, j, sample, fwd, bwd)


def _local(act: str, z: float, a: float) -> float:
    return float(local_gradient(act, np.array([[z]]), np.array([[a]]))[0, 0])


def edge_terms(snap: Snapshot, layer: int, i: int, j: int) -> EdgeTerms:
    """Terms for the edge from unit i (0-based) of layer `layer` − 1 to unit j of layer `layer` (1-based)."""
    k = layer - 1
    state = snap.layers[k]
    prev = snap.x if k == 0 else snap.layers[k - 1].a
    inputs = dz = products = reg = grad = None
    if state.dz is not None and prev is not None:
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
