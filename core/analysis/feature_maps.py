"""Each input feature over the (x1, x2) plane: what TensorFlow Playground draws inside its input nodes.

The grid is evaluation.plane_grid's (cell centers, row 0 at ymin, column 0 at xmin), so a feature's map
lines up with the decision map and the neuron maps drawn over the same extent.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from backprop_studio.core.analysis.evaluation import Extent, plane_grid
from backprop_studio.core.data.features import compute_features
from backprop_studio.core.data.standardize import standardized


def feature_maps(
    feature_names: Sequence[str],
    extent: Extent,
    resolution: int = 24,
    scaling: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Every feature's value over a `resolution` × `resolution` grid of `extent`.

    Returns (n_features, resolution, resolution) float64, scaled per feature to [−1, 1] by its largest
    |value| on the grid (a feature that is 0 everywhere stays 0), so each map uses the whole color scale
    whatever its units: x₁² and sin(x₁) look as distinct as they are, not as big or as small. `scaling`:
    the data's standardization (mean, std), so a map shows the value the network receives (x₁² centered).
    """
    x = compute_features(plane_grid(extent, resolution), feature_names)  # (resolution², n_features)
    if scaling is not None:
        x = standardized(x, *scaling)
    maps = x.T.reshape(len(feature_names), resolution, resolution)
    peak = np.max(np.abs(maps), axis=(1, 2), keepdims=True)
    return np.ascontiguousarray(np.divide(maps, peak, out=np.zeros_like(maps), where=peak > 0))
