"""Weight penalties added to the loss used for gradients (weights only, never biases).

l1: rate · Σ|w|,   gradient rate · sign(w)   (sign(0) = 0, as torch.sign)
l2: rate · ½ Σ w², gradient rate · w
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from backprop_studio.core.spec import RegularizationSpec


def penalty(spec: RegularizationSpec, weights: Sequence[np.ndarray]) -> float:
    if spec.kind == "none" or spec.rate == 0.0:
        return 0.0
    if spec.kind == "l1":
        return float(spec.rate * sum(np.sum(np.abs(w)) for w in weights))
    return float(spec.rate * 0.5 * sum(np.sum(w * w) for w in weights))


def gradient(spec: RegularizationSpec, w: np.ndarray) -> np.ndarray | None:
    """d(penalty)/dW for one weight matrix, or None when there is no penalty."""
    if spec.kind == "none" or spec.rate == 0.0:
        return None
    if spec.kind == "l1":
        return spec.rate * np.sign(w)
    return spec.rate * w
