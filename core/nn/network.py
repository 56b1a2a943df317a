"""A network's parameters and a plain forward pass (for evaluation, decision maps and gradient checks).

Layer k maps (batch, n_in) @ (n_in, n_out) + (n_out,) → z (batch, n_out), then a = f(z).
Training goes through `backprop_studio.core.training.session`, which runs the same arithmetic one phase at a time.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from backprop_studio.core.nn import activations


def layer_forward(
    a_prev: np.ndarray, w: np.ndarray, b: np.ndarray, activation: str
) -> tuple[np.ndarray, np.ndarray]:
    """(batch, n_in), (n_in, n_out), (n_out,) → z, a, both (batch, n_out)."""
    z = a_prev @ w + b
    return z, activations.apply(activation, z)


def forward(
    weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], acts: Sequence[str], x: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(batch, n_inputs) → [(z, a) for each layer], layer 1 first."""
    out = []
    a = x
    for w, b, name in zip(weights, biases, acts, strict=True):
        z, a = layer_forward(a, w, b, name)
        out.append((z, a))
    return out


def predict(
    weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], acts: Sequence[str], x: np.ndarray
) -> np.ndarray:
    """(batch, n_inputs) → output activations (batch, n_outputs)."""
    a = x
    for w, b, name in zip(weights, biases, acts, strict=True):
        a = activations.apply(name, a @ w + b)
    return a


def parameter_count(sizes: Sequence[int]) -> list[tuple[int, int]]:
    """Per layer: (weights, biases)."""
    return [(n_in * n_out, n_out) for n_in, n_out in itertools.pairwise(sizes)]
