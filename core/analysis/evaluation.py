"""The network evaluated over the (x1, x2) plane: the decision map behind the data and per-neuron maps.

The grid has `resolution` × `resolution` cells over `extent` = (xmin, xmax, ymin, ymax); each value is
taken at the center of its cell, so an image of the grid stretched over `extent` puts every value
exactly where it was computed. Arrays are row-major images: `[row, col]` with row 0 at ymin (x2 rising
with the row) and col 0 at xmin (x1 rising with the column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.data.features import compute_features
from backprop_studio.core.data.standardize import standardized
from backprop_studio.core.nn import activations
from backprop_studio.core.nn.network import forward

Extent = tuple[float, float, float, float]

# Share of the data's span left free around the points, so no point sits on the edge of the map.
_MARGIN = 0.1


@dataclass(frozen=True, eq=False)
class OutputMap:
    """The network's output over a grid of the plane.

    values (res, res): for 1 output unit its activation; for more units the winning unit's activation.
    classes (res, res) int: for more than 1 output unit the index of the largest output (the predicted
    class), else None. confidence (res, res) in [0, 1]: with softmax the winning probability; with other
    multi-unit outputs the lead of the winner over the runner-up as a share of the activation's target
    range (0 on a boundary, 1 when the winner is at "is" and the rest at "is not"); None for 1 unit.
    margins (units, res, res): for more than 1 unit, each unit's lead over the largest other unit,
    a_k − max_{j≠k} a_j; positive exactly where class k wins, so its zero contour is the smooth outline
    of class k's region (the class grid itself only gives a staircase); None for 1 unit.
    `activation` is the output layer's; `threshold` and `half_range` place its values on a color scale.
    """

    values: np.ndarray
    classes: np.ndarray | None
    confidence: np.ndarray | None
    extent: Extent
    activation: str = "linear"
    margins: np.ndarray | None = None

    @property
    def resolution(self) -> int:
        return int(self.values.shape[0])

    @property
    def threshold(self) -> float:
        """The output value that separates the two classes of a 1-unit classifier (as accuracy counts it)."""
        return decision_threshold(self.activation)

    @property
    def half_range(self) -> float:
        """Distance from the threshold to the "is this class" target (1), a natural color-scale width."""
        return 1.0 - decision_threshold(self.activation)


def decision_threshold(activation: str) -> float:
    """Midpoint between the "is" and "is not" targets that `backprop_studio.core.data.build` encodes for this output activation."""
    return activations.get(activation).threshold


def plane_extent(dataset: Dataset) -> Extent:
    """(xmin, xmax, ymin, ymax) around every training and test point, with a margin on each side.

    Raises ValueError for data without points in the plane (`dataset.is_planar` false).
    """
    if dataset.points_train is None:  # not dataset.is_planar
        raise ValueError("the data has no (x1, x2) points, so there is no plane to map")
    parts = [dataset.points_train]
    if dataset.points_test is not None and len(dataset.points_test):
        parts.append(dataset.points_test)
    points = np.concatenate(parts).astype(np.float64, copy=False)
    finite = points[np.isfinite(points).all(axis=1)]
    if len(finite) == 0:
        return (-1.0, 1.0, -1.0, 1.0)
    lo, hi = finite.min(axis=0), finite.max(axis=0)
    span = hi - lo
    # A single point (or a line of points) has no span on that axis: give it a unit-wide window.
    margin = np.where(span > 0, span * _MARGIN, 1.0)
    return (
        float(lo[0] - margin[0]),
        float(hi[0] + margin[0]),
        float(lo[1] - margin[1]),
        float(hi[1] + margin[1]),
    )


def plane_grid(extent: Extent, resolution: int) -> np.ndarray:
    """Cell centers of the grid as points (resolution², 2) of (x1, x2), in row-major image order."""
    if resolution < 1:
        raise ValueError(f"resolution must be at least 1, not {resolution}")
    xmin, xmax, ymin, ymax = extent
    # Cell centers, not edges, so the image rectangle and the evaluated points line up exactly.
    xs = xmin + (np.arange(resolution) + 0.5) * ((xmax - xmin) / resolution)
    ys = ymin + (np.arange(resolution) + 0.5) * ((ymax - ymin) / resolution)
    gx, gy = np.meshgrid(xs, ys)  # gy varies along rows, gx along columns
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def _grid_forward(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    activations: Sequence[str],
    feature_names: Sequence[str],
    extent: Extent,
    resolution: int,
    scaling: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[np.ndarray]:
    """One forward pass over the whole grid: each layer's activations (resolution², units). `scaling`:
    the (mean, std) the data's inputs were standardized with (`Dataset.standardization`), applied alike."""
    x = compute_features(plane_grid(extent, resolution), feature_names)
    if scaling is not None:
        x = standardized(x, *scaling)
    with np.errstate(all="ignore"):  # a diverged network maps to NaN/inf cells, not to warnings
        return [a for _, a in forward(weights, biases, activations, x)]


def output_map(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    activations: Sequence[str],
    feature_names: Sequence[str],
    extent: Extent,
    resolution: int = 64,
    scaling: tuple[np.ndarray, np.ndarray] | None = None,
) -> OutputMap:
    """The network's output over a `resolution` × `resolution` grid of `extent` (see OutputMap).

    weights[k] (n_in, n_out) and biases[k] (n_out,) per layer, `activations` one name per layer,
    `feature_names` the input features computed from each grid point (as the data's were), `scaling` the
    data's standardization (mean, std) if it has one.
    """
    a = _grid_forward(weights, biases, activations, feature_names, extent, resolution, scaling)[-1]
    shape = (resolution, resolution)
    out_act = activations[-1]
    if a.shape[1] == 1:
        return OutputMap(a[:, 0].reshape(shape), None, None, _floats(extent), out_act)
    classes = np.argmax(a, axis=1)
    rows = np.arange(len(a))
    winner = a[rows, classes]
    runner_up = np.partition(a, -2, axis=1)[:, -2]
    # The largest *other* unit is the runner-up for the winner and the winner for every other unit.
    others = np.where(np.arange(a.shape[1]) == classes[:, None], runner_up[:, None], winner[:, None])
    margins = (a - others).T.reshape(a.shape[1], resolution, resolution)
    if out_act == "softmax":
        confidence = winner
    else:
        is_minus_is_not = 2.0 * (1.0 - decision_threshold(out_act))
        confidence = np.clip((winner - runner_up) / is_minus_is_not, 0.0, 1.0)
    return OutputMap(
        winner.reshape(shape),
        classes.reshape(shape).astype(np.int64),
        np.asarray(confidence, dtype=np.float64).reshape(shape),
        _floats(extent),
        out_act,
        np.ascontiguousarray(margins),
    )


def neuron_maps(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    activations: Sequence[str],
    feature_names: Sequence[str],
    extent: Extent,
    resolution: int = 24,
    scaling: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[np.ndarray]:
    """Every neuron's activation over the grid: for layer k an array (units_k, resolution, resolution)."""
    layers = _grid_forward(weights, biases, activations, feature_names, extent, resolution, scaling)
    return [np.ascontiguousarray(a.T.reshape(a.shape[1], resolution, resolution)) for a in layers]


def input_curve(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    activations: Sequence[str],
    low: float,
    high: float,
    resolution: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """For a network with 1 input: x (resolution,) evenly from `low` to `high` and outputs (resolution, n_out)."""
    if weights[0].shape[0] != 1:
        raise ValueError(f"a prediction curve needs a network with 1 input, not {weights[0].shape[0]}")
    x = np.linspace(low, high, resolution)
    with np.errstate(all="ignore"):
        a = forward(weights, biases, activations, x[:, None])[-1][1]
    return x, a


def input_range(dataset: Dataset, column: int = 0) -> tuple[float, float]:
    """(low, high) of one input column over training and test samples, with a margin on each side."""
    values = np.concatenate([dataset.x_train[:, column], dataset.x_test[:, column]])
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return (-1.0, 1.0)
    lo, hi = float(values.min()), float(values.max())
    margin = (hi - lo) * _MARGIN if hi > lo else 1.0
    return (lo - margin, hi + margin)


def _floats(extent: Extent) -> Extent:
    """The extent as Python floats (it may arrive as NumPy scalars)."""
    xmin, xmax, ymin, ymax = extent
    return (float(xmin), float(xmax), float(ymin), float(ymax))
