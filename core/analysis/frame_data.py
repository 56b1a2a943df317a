"""What the data panel shows of the network, computed once per state for the window and for recordings.

The data panel exists twice, live in the window (pyqtgraph) and painted into video frames (QPainter).
Both show the same three things, and neither view runs the network: it is evaluated here, in one place,
and the views only paint the result.

- Data in the (x1, x2) plane: the output map over the plane (see `evaluation.OutputMap`).
- Other data: the predictions for the training and test samples, plotted against their targets.
- Data with a single input: in addition, a dense prediction curve over that input, so the line between
  samples is the network's function and not a straight join of the predictions at the samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.core.analysis import evaluation
from backprop_studio.core.analysis.evaluation import OutputMap
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.nn.network import predict
from backprop_studio.core.training.snapshot import Snapshot

MAP_RESOLUTION = 64  # cells per side of the output map
CURVE_RESOLUTION = 200  # points of the 1-input prediction curve
SHOWN_POINTS = 5_000  # samples of each split the window's data panel predicts and draws


@dataclass(frozen=True, eq=False)
class FrameData:
    """The network's outputs a data panel draws, for one state. Arrays are read-only.

    output_map: planar data only, the output over the plane, else None.
    pred_train (n_train, n_out), pred_test (n_test, n_out): non-planar data only, the output for each
    sample (at most `max_points` of each split when `frame_inputs` was given a limit), else None.
    curve_x (resolution,), curve_y (resolution, n_out): 1-input non-planar data only, the output at
    evenly spaced inputs over the data's range, else None.
    """

    output_map: OutputMap | None = None
    pred_train: np.ndarray | None = None
    pred_test: np.ndarray | None = None
    curve_x: np.ndarray | None = None
    curve_y: np.ndarray | None = None


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array, dtype=np.float64)
    array.setflags(write=False)
    return array


def frame_inputs(
    snapshot: Snapshot,
    dataset: Dataset,
    max_points: int | None = None,
    map_resolution: int = MAP_RESOLUTION,
) -> FrameData:
    """The FrameData of `snapshot` (its weights, biases and activations) for `dataset`.

    Planar data: the output map over `evaluation.plane_extent(dataset)`, `map_resolution` cells a side.
    Other data: a forward pass over x_train (n_train, n_in) and x_test (n_test, n_in), limited to the
    first `max_points` rows each when given (a recording draws no more than that), and for one input
    the curve over `evaluation.input_range(dataset)`. A diverged network gives NaN/inf, not warnings.
    """
    w, b, acts = snapshot.weights, snapshot.biases, snapshot.activations
    if dataset.is_planar:
        extent = evaluation.plane_extent(dataset)
        names, scaling = dataset.feature_names, dataset.standardization
        om = evaluation.output_map(w, b, acts, names, extent, map_resolution, scaling)
        return FrameData(output_map=om)
    rows = slice(None, max_points)
    with np.errstate(all="ignore"):
        pred_train = predict(w, b, acts, dataset.x_train[rows])
        pred_test = predict(w, b, acts, dataset.x_test[rows])
    curve_x = curve_y = None
    if dataset.n_inputs == 1:
        low, high = evaluation.input_range(dataset)
        curve_x, curve_y = evaluation.input_curve(w, b, acts, low, high, CURVE_RESOLUTION)
        curve_x, curve_y = _frozen(curve_x), _frozen(curve_y)
    return FrameData(None, _frozen(pred_train), _frozen(pred_test), curve_x, curve_y)
