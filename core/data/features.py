"""Input features computed from a point in the plane, as in TensorFlow Playground's feature column."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from backprop_studio.core.errors import DataError
from backprop_studio.core.spec import FEATURES

# Each function takes the x1 and x2 columns, both (n,), and returns one feature column (n,).
_FEATURE_FUNCTIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}
assert tuple(_FEATURE_FUNCTIONS) == FEATURES  # the table and the spec's list must not drift apart


def compute_features(points: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Raw points (n, 2) of (x1, x2) → features (n, len(names)) float64, one column per name in order.

    Raises DataError for an empty name list, an unknown or repeated name, or points not shaped (n, 2).
    """
    if len(names) == 0:
        raise DataError(f"select at least one input feature from {', '.join(FEATURES)}")
    seen: set[str] = set()
    for name in names:
        if name not in _FEATURE_FUNCTIONS:
            raise DataError(f"unknown input feature {name!r}; choose from {', '.join(FEATURES)}")
        if name in seen:
            raise DataError(f"input feature {name!r} is selected twice")
        seen.add(name)
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise DataError(f"points must be shaped (n, 2) as (x1, x2), not {points.shape}")
    x1, x2 = points[:, 0], points[:, 1]
    columns = [_FEATURE_FUNCTIONS[name](x1, x2) for name in names]
    return np.stack(columns, axis=1).astype(np.float64, copy=False)
