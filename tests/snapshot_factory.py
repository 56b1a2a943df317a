"""Plausible synthetic `Snapshot`s for view tests and benchmarks, without a training session.

The numbers come from a real forward and backward pass in NumPy (random weights, random batch, MSE
loss), so magnitudes and signs look like training would; fields that the chosen phase has not
produced yet are None exactly as `backprop_studio.core.training.snapshot` documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from backprop_studio.core.training.snapshot import History, LayerState, Phase, Snapshot, phases_of_batch


def _activate(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return a and da/dz (elementwise; softmax's Jacobian is applied by the caller)."""
    if name == "tanh":
        a = np.tanh(z)
        return a, 1.0 - a * a
    if name == "sigmoid":
        a = 1.0 / (1.0 + np.exp(-z))
        return a, a * (1.0 - a)
    if name == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z), np.where(z > 0, 1.0, 0.01)
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True), np.ones_like(z)
    return z.copy(), np.ones_like(z)


def _frozen(array: np.ndarray | None) -> np.ndarray | None:
    if array is None:
        return None
    array = np.array(array, dtype=float)
    array.setflags(write=False)
    return array


ALL_FILLED = Phase("backward", 1)  # after it every forward and gradient field of the batch is set


def default_activations(n_layers: int) -> tuple[str, ...]:
    return (*("tanh",) * (n_layers - 1), "sigmoid")


def make_snapshot(
    sizes: Sequence[int],
    rng: np.random.Generator | int | None = None,
    phase: Phase | None = ALL_FILLED,
    *,
    activations: Sequence[str] | None = None,
    batch_size: int = 8,
    learning_rate: float = 0.1,
) -> Snapshot:
    """A snapshot of `sizes` (inputs first) just after `phase` (None = before the first phase of a batch).

    The default phase, backward through layer 1, leaves every forward and gradient field filled.
    """
    rng = np.random.default_rng(rng)
    sizes = tuple(int(s) for s in sizes)
    n_layers = len(sizes) - 1
    acts = tuple(activations) if activations is not None else default_activations(n_layers)
    weights = [
        rng.uniform(-1, 1, (n_in, n_out)) * np.sqrt(6.0 / (n_in + n_out)) for n_in, n_out in pairwise(sizes)
    ]
    biases = [0.1 + 0.05 * rng.standard_normal(n) for n in sizes[1:]]

    if sizes[0] > 64:  # image-like input: mostly dark pixels in [0, 1]
        x = rng.uniform(0, 1, (batch_size, sizes[0])) * (rng.uniform(0, 1, (batch_size, sizes[0])) > 0.8)
    else:
        x = rng.uniform(-1, 1, (batch_size, sizes[0]))
    y = rng.uniform(0, 1, (batch_size, sizes[-1])).round()

    # Full forward and backward pass; the phase decides below which parts the snapshot reveals.
    zs, as_, ds = [], [], []
    a_prev = x
    for w, b, act in zip(weights, biases, acts, strict=True):
        z = a_prev @ w + b
        a, d = _activate(act, z)
        zs.append(z)
        as_.append(a)
        ds.append(d)
        a_prev = a
    loss = float(np.mean(np.sum((as_[-1] - y) ** 2, axis=1)))
    da = 2.0 * (as_[-1] - y) / batch_size
    grads: list[dict[str, np.ndarray]] = [{} for _ in range(n_layers)]
    dx = None
    for k in range(n_layers - 1, -1, -1):
        dz = da * ds[k]
        a_in = x if k == 0 else as_[k - 1]
        grads[k] = {"da": da, "dz": dz, "dW": a_in.T @ dz, "db": dz.sum(axis=0)}
        da = dz @ weights[k].T
        if k == 0:
            dx = da

    order = phases_of_batch(n_layers)
    done = 0 if phase is None else order.index(phase) + 1
    seen = set(order[:done])

    layers = []
    for k in range(n_layers):
        forward = Phase("forward", k + 1) in seen
        backward = Phase("backward", k + 1) in seen
        updated = Phase("update") in seen
        g = grads[k]
        layers.append(
            LayerState(
                z=_frozen(zs[k]) if forward else None,
                a=_frozen(as_[k]) if forward else None,
                da=_frozen(g["da"]) if backward else None,
                dz=_frozen(g["dz"]) if backward else None,
                dW=_frozen(g["dW"]) if backward else None,
                db=_frozen(g["db"]) if backward else None,
                delta_W=_frozen(-learning_rate * g["dW"]) if updated else None,
                delta_b=_frozen(-learning_rate * g["db"]) if updated else None,
            )
        )
    if Phase("update") in seen:
        weights = [w - learning_rate * g["dW"] for w, g in zip(weights, grads, strict=True)]
        biases = [b - learning_rate * g["db"] for b, g in zip(biases, grads, strict=True)]

    loss_known = Phase("loss") in seen
    return Snapshot(
        sizes=sizes,
        activations=acts,
        loss_name="mse",
        weights=tuple(_frozen(w) for w in weights),
        biases=tuple(_frozen(b) for b in biases),
        layers=tuple(layers),
        x=_frozen(x) if done else None,
        y=_frozen(y) if done else None,
        batch_indices=np.arange(batch_size) if done else None,
        dx=_frozen(dx) if Phase("backward", 1) in seen else None,
        loss=loss if loss_known else None,
        data_loss=loss if loss_known else None,
        reg_loss=0.0 if loss_known else None,
        step=done,
        epoch=0,
        batch=0,
        batches_per_epoch=10,
        phase=phase,
        next_phase=order[done] if done < len(order) else order[0],
        history=History(batch_loss=(loss,) if loss_known else ()),
    )
