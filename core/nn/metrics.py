"""Whole-set figures reported per epoch: loss without regularization, and accuracy for classification."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.nn import activations


def accuracy(output_activation: str, a: np.ndarray, y: np.ndarray) -> float:
    """Share of samples whose predicted class matches the target's. a, y: (n, K); NaN for n = 0."""
    if a.shape[0] == 0:
        return float("nan")
    if a.shape[1] == 1:
        threshold = activations.get(output_activation).threshold
        return float(np.mean((a[:, 0] > threshold) == (y[:, 0] > threshold)))
    return float(np.mean(np.argmax(a, axis=1) == np.argmax(y, axis=1)))
