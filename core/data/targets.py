"""Targets for classification: class indices encoded for the output activation, and class targets checked.

A class is encoded as 1 for "is this class" and the output activation's `off_value` (its low end: 0 for
sigmoid and relu, -1 for tanh) for "is not", so the target is one the network can actually reach; softmax
gets one-hot rows. `labels_of` reads classes back from given targets, `check_class_targets` refuses
targets a classification loss cannot train towards.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from backprop_studio.core.errors import ArchitectureError, DataError
from backprop_studio.core.nn import activations
from backprop_studio.core.spec import ACTIVATIONS, LayerSpec
from backprop_studio.core.validators import count

CLASSIFICATION_LOSSES = ("bce", "cross_entropy")


def encode_classes(
    labels: np.ndarray, classes: int, output: LayerSpec, class_names: Sequence[str]
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Class indices (n,) → targets (n, output.units) the output activation can reach, and their names.

    softmax: one-hot. Other activations: 1 for "is this class", 0 (sigmoid, relu) or -1 (tanh, linear,
    leaky_relu) for "is not"; one column for the class-1 indicator when 1 unit meets 2 classes, else one
    column per class.
    """
    units, activation = output.units, output.activation
    if activation not in ACTIVATIONS:
        raise ArchitectureError(f"output layer: unknown activation {activation!r}")
    if activation == "softmax" and units != classes:
        raise ArchitectureError(
            f"the output layer has {count(units, 'unit')} but the data has {classes} classes; "
            f"a softmax output needs one unit per class ({classes})"
        )
    names: tuple[str, ...]
    if units == 1 and classes == 2:
        hot = labels[:, None] == 1
        names = (class_names[1],)
    elif units == classes:
        hot = labels[:, None] == np.arange(classes)
        names = tuple(class_names)
    else:
        fits = f"1 unit or {classes} units" if classes == 2 else f"{classes} units, one per class"
        raise ArchitectureError(
            f"the output layer has {count(units, 'unit')} but the data has {classes} classes; use {fits}"
        )
    off = activations.get(activation).off_value
    return np.where(hot, 1.0, off), names


def check_class_targets(
    y: np.ndarray, loss: str, where: str, first_line: int | None = None, columns: Sequence[str] = ()
) -> None:
    """bce needs targets in [0, 1]; cross_entropy needs rows of non-negative shares summing to 1.

    Outside that the losses are unbounded below and their output gradient (ŷ − y)/B is not the true one,
    so such targets are refused. `where` names the field (inline) or file (CSV, whose data rows start at
    `first_line`).
    """

    def fail(row: int, col: int | None, message: str) -> None:
        if first_line is None:
            place = f"{where} row {row + 1}" + ("" if col is None else f", column {col + 1}")
            raise DataError(f"{place}: {message}")
        column = None if col is None else (columns[col] if col < len(columns) else col + 1)
        raise DataError(message, where, first_line + row, column)

    if loss == "bce":
        bad = np.argwhere((y < 0) | (y > 1))
        if bad.size:
            r, c = bad[0]
            fail(int(r), int(c), f"bce targets must lie between 0 and 1, not {y[r, c]:g}")
    elif loss == "cross_entropy":
        negative = np.argwhere(y < 0)
        if negative.size:
            r, c = negative[0]
            fail(
                int(r), int(c), f"cross_entropy targets are class shares and cannot be negative ({y[r, c]:g})"
            )
        sums = y.sum(axis=1)
        off = np.flatnonzero(np.abs(sums - 1.0) > 1e-9)
        if off.size:
            fail(
                int(off[0]),
                None,
                f"cross_entropy targets must sum to 1 in each row (one-hot), this row sums to {sums[off[0]]:g}",
            )


def labels_of(y: np.ndarray) -> tuple[np.ndarray, int]:
    """Class of each target row (n, k): the largest column, or for one 0/1 column whether it is above ½."""
    if y.shape[1] == 1:
        return (y[:, 0] > 0.5).astype(np.int64), 2
    return np.argmax(y, axis=1).astype(np.int64), y.shape[1]
