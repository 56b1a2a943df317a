"""Which class the network predicts for each sample, and the confusion matrix of true against predicted.

The predicted class is read from the output layer as accuracy reads it (`core.nn.metrics.accuracy`):
with several output units the largest one (softmax: the most probable class); with one unit, class 1
when the output is above the activation's threshold (0.5 for sigmoid, 0 for tanh), else class 0. A
network whose outputs are NaN predicts class 0 (one unit) or the first NaN unit (several).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.nn import activations
from backprop_studio.core.nn.network import predict
from backprop_studio.core.training.snapshot import Snapshot

COUNTED_ROWS = 100_000
"""Samples of each split a confusion frame counts: enough for any data set shipped; past it, the panel
says how many rows it counted instead of spending a forward pass over a million rows every refresh."""


def predicted_classes(output_activation: str, outputs: np.ndarray) -> np.ndarray:
    """(n, units) output activations → (n,) int64 predicted class."""
    outputs = np.asarray(outputs, dtype=np.float64)
    if outputs.shape[1] == 1:
        threshold = activations.get(output_activation).threshold
        return (outputs[:, 0] > threshold).astype(np.int64)
    return np.argmax(outputs, axis=1).astype(np.int64)


def confusion_matrix(true: np.ndarray, predicted: np.ndarray, classes: int) -> np.ndarray:
    """(classes, classes) int64 counts: row = true class, column = predicted class, from (n,) each."""
    true = np.asarray(true, dtype=np.int64)
    predicted = np.asarray(predicted, dtype=np.int64)
    if true.shape != predicted.shape:
        raise ValueError(f"{true.shape[0]} true classes but {predicted.shape[0]} predictions")
    if true.size and (min(true.min(), predicted.min()) < 0 or max(true.max(), predicted.max()) >= classes):
        raise ValueError(f"class indices must lie in 0 … {classes - 1}")
    flat = np.bincount(true * classes + predicted, minlength=classes * classes)
    return flat.reshape(classes, classes).astype(np.int64)


def class_names(dataset: Dataset) -> tuple[str, ...]:
    """A display name for each of the data's classes: the CSV's class names or target columns when there
    is one per class; for one output unit over two classes, "not <name>" and "<name>"; in the plane (and
    where nothing names them) "class 0", "class 1" … as the plane's legend says."""
    k = max(dataset.classes, 2)
    names = dataset.target_names
    if not dataset.is_planar:
        if len(names) == k:
            return tuple(names)
        if k == 2 and len(names) == 1:
            return (f"not {names[0]}", names[0])
    return tuple(f"class {c}" for c in range(k))


@dataclass(frozen=True, eq=False)
class ConfusionFrame:
    """The network's classes for one state. names (k,); train, test (k, k) int64 counts (rows true);
    pred_train (m,), pred_test (m′,) int64: the predicted class of the first m ≤ COUNTED_ROWS rows of each
    split (the counted ones); total_train, total_test: the rows each split has. Arrays are read-only."""

    names: tuple[str, ...]
    train: np.ndarray
    test: np.ndarray
    pred_train: np.ndarray
    pred_test: np.ndarray
    total_train: int
    total_test: int

    @staticmethod
    def accuracy(counts: np.ndarray) -> float:
        """Share of counted samples on the diagonal; NaN when nothing was counted."""
        total = int(counts.sum())
        return float(np.trace(counts)) / total if total else float("nan")


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def confusion_frame(
    snapshot: Snapshot, dataset: Dataset, max_rows: int = COUNTED_ROWS
) -> ConfusionFrame | None:
    """The ConfusionFrame of `snapshot`'s network over `dataset`, or None for regression data.

    One forward pass over the first `max_rows` rows of x_train (n, d) and x_test; the true classes are
    dataset.labels_train / labels_test. A diverged network gives counts, not warnings.
    """
    if dataset.task != "classification" or dataset.labels_train is None or dataset.labels_test is None:
        return None
    k = max(dataset.classes, 2)
    w, b, acts = snapshot.weights, snapshot.biases, snapshot.activations
    parts = []
    for x, labels in ((dataset.x_train, dataset.labels_train), (dataset.x_test, dataset.labels_test)):
        rows = slice(None, max_rows)
        with np.errstate(all="ignore"):
            outputs = predict(w, b, acts, x[rows]) if len(x) else np.empty((0, dataset.n_outputs))
        pred = predicted_classes(acts[-1], outputs)
        parts.append((_frozen(confusion_matrix(labels[rows], pred, k)), _frozen(pred)))
    (train, pred_train), (test, pred_test) = parts
    names = class_names(dataset)
    return ConfusionFrame(
        names, train, test, pred_train, pred_test, len(dataset.x_train), len(dataset.x_test)
    )
