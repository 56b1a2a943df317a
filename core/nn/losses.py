"""Losses over a batch of B samples with K outputs, and their gradients at the output layer.

  mse            L = (1/B) Σ_b Σ_k ½(ŷ − y)²                      dL/dŷ = (ŷ − y)/B
  bce            L = −(1/B) Σ_b Σ_k [y log ŷ + (1 − y) log(1 − ŷ)], ŷ = σ(z), computed from z as
                 max(z, 0) − z·y + log(1 + e^−|z|) (no log 0, no overflow);  dL/dz = (ŷ − y)/B
  cross_entropy  L = −(1/B) Σ_b Σ_k y log ŷ, ŷ = softmax(z), via log-softmax;   dL/dz = (ŷ − y)/B
For bce and cross_entropy the output's dL/dz is computed directly (it is exact and stable where
dL/dŷ · f'(z) would divide by a saturated ŷ); dL/dŷ is still reported for the inspector.
"""

from __future__ import annotations

import numpy as np

FUSED = {"bce": "sigmoid", "cross_entropy": "softmax"}


def value(name: str, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> float:
    """Batch loss from output pre-activations z, activations a and targets y, all (B, K)."""
    batch = z.shape[0]
    if name == "mse":
        diff = a - y
        return float(0.5 * np.sum(diff * diff) / batch)
    if name == "bce":
        terms = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
        return float(np.sum(terms) / batch)
    if name == "cross_entropy":
        shifted = z - z.max(axis=1, keepdims=True)
        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-np.sum(y * log_softmax) / batch)
    raise ValueError(f"unknown loss {name!r}")


def output_gradient(name: str, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dL/dŷ (B, K). For bce/cross_entropy it may be ±inf where ŷ saturates; training never uses it there."""
    batch = a.shape[0]
    if name == "mse":
        return (a - y) / batch
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "bce":
            return (a - y) / (a * (1.0 - a)) / batch
        if name == "cross_entropy":
            return -y / a / batch
    raise ValueError(f"unknown loss {name!r}")


def fused_output_delta(name: str, a: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """dL/dz at the output for losses paired with their activation (bce+sigmoid, ce+softmax), else None."""
    if name in FUSED:
        return (a - y) / a.shape[0]
    return None
