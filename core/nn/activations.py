"""Activation functions f, applied elementwise to z (batch, units) — softmax row by row.

`apply` gives a = f(z). `local_gradient` gives f'(z) elementwise (for softmax, the diagonal ∂a_j/∂z_j
= a_j(1 − a_j), which is what an inspector shows). `backward` turns dL/da into dL/dz: elementwise
dL/da · f'(z), except softmax, whose Jacobian couples the units: dL/dz_j = a_j (dL/da_j − Σ_k a_k dL/da_k).
Derivatives at the kinks follow PyTorch: relu'(0) = 0, leaky_relu'(0) = 0.01.
"""

from __future__ import annotations

import numpy as np

LEAKY_SLOPE = 0.01


def apply(name: str, z: np.ndarray) -> np.ndarray:
    """(batch, units) → (batch, units)."""
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        # exp(-z) overflows to inf for z < -709; 1/(1+inf) is the right limit 0, so silence the warning.
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-z))
    if name == "linear":
        return z.copy()
    if name == "leaky_relu":
        return np.where(z > 0, z, z * LEAKY_SLOPE)
    if name == "softmax":
        shifted = np.exp(z - z.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)
    raise ValueError(f"unknown activation {name!r}")


def local_gradient(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """f'(z) elementwise, (batch, units); for softmax the Jacobian's diagonal."""
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return (z > 0).astype(z.dtype)
    if name in ("sigmoid", "softmax"):
        return a * (1.0 - a)
    if name == "linear":
        return np.ones_like(z)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, LEAKY_SLOPE)
    raise ValueError(f"unknown activation {name!r}")


def backward(name: str, z: np.ndarray, a: np.ndarray, da: np.ndarray) -> np.ndarray:
    """dL/da (batch, units) → dL/dz (batch, units)."""
    if name == "softmax":
        return a * (da - (a * da).sum(axis=1, keepdims=True))
    if name == "linear":
        return da.copy()
    if name == "tanh":  # in place: the same bits as da · (1 − a²) with one temporary instead of three
        g = a * a
        np.subtract(1.0, g, out=g)
        g *= da
        return g
    return da * local_gradient(name, z, a)
