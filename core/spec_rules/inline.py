"""Inline data sets built once and kept for the checks, keyed by the identity of the spec's rows.

Converting 10⁶ inline rows of nested numbers into arrays takes seconds; the settings panel asks
`problem` on the GUI thread after a project opens and after every edit, so converting them again there
froze the window. The worker that opens a project (or rebuilds its session) hands the data set it built
to `remember_inline`; `check_inline` then decides from those arrays — shapes against the network, class
targets against the loss — exactly what `build_dataset` would refuse, without converting a row. Rows are
matched by identity (the same tuples the spec holds, which the kept entry also holds so their ids stay
unique), never by value: comparing 10⁶ rows would cost as much as converting them.
"""

from __future__ import annotations

import threading

import numpy as np
from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.data.standardize import checked_statistics
from backprop_studio.core.data.targets import check_class_targets
from backprop_studio.core.display.numbers import count
from backprop_studio.core.errors import DataError
from backprop_studio.core.spec import DataSpec, NetworkSpec
from backprop_studio.core.spec_rules.fixes import CLASSIFICATION_LOSSES

_KEPT = 2
_lock = threading.Lock()  # the opening worker writes, the GUI thread reads
_BUILT: dict[tuple[int, ...], tuple[tuple[object, ...], Dataset]] = {}


def _rows(data: DataSpec) -> tuple[object, ...]:
    return (data.x, data.y, data.x_test, data.y_test)


def remember_inline(data: DataSpec, dataset: Dataset) -> None:
    """Keep `dataset`, built by `build_dataset` from inline `data`, for the checks of specs holding
    the same rows. Anything but inline data is ignored."""
    if data.kind != "inline" or data.x is None or data.y is None:
        return
    rows = _rows(data)
    with _lock:
        _BUILT.pop(tuple(map(id, rows)), None)
        _BUILT[tuple(map(id, rows))] = (rows, dataset)
        while len(_BUILT) > _KEPT:
            del _BUILT[next(iter(_BUILT))]  # the oldest


def forget_inline() -> None:
    """Drop the kept inline data sets (tests that count conversions start from nothing)."""
    with _lock:
        _BUILT.clear()


def kept_inline(data: DataSpec) -> Dataset | None:
    """The data set kept for `data`'s very rows (None when none is)."""
    rows = _rows(data)
    with _lock:
        kept = _BUILT.get(tuple(map(id, rows)))
    if kept is None or any(a is not b for a, b in zip(kept[0], rows, strict=True)):
        return None
    return kept[1]


def check_inline(data: DataSpec, network: NetworkSpec, loss: str) -> None:
    """Raise what `build_dataset(data, network, loss)` raises for inline `data`, without converting its
    rows when a data set built from them is kept; otherwise build it (and keep it when it succeeds)."""
    dataset = kept_inline(data)
    if dataset is None:
        remember_inline(data, build_dataset(data, network, loss))
        return
    _check_shapes(dataset.x_train, dataset.y_train, "data.x", "data.y", network)
    if len(dataset.x_test):
        _check_shapes(dataset.x_test, dataset.y_test, "data.x_test", "data.y_test", network)
    if loss in CLASSIFICATION_LOSSES:
        check_class_targets(dataset.y_train, loss, "data.y")
        check_class_targets(dataset.y_test, loss, "data.y_test")
    if data.standardize:
        if data.feature_mean is not None and data.feature_std is not None:
            checked_statistics(data.feature_mean, data.feature_std, dataset.n_inputs)
        elif data.feature_mean is not None or data.feature_std is not None:
            raise DataError("give both data.feature_mean and data.feature_std, or neither")


def _check_shapes(x: np.ndarray, y: np.ndarray, x_field: str, y_field: str, network: NetworkSpec) -> None:
    """The columns the network takes and gives, as `build_dataset` words them ((n, inputs), (n, outputs))."""
    if x.shape[1] != network.inputs:
        raise DataError(
            f"{x_field} has {count(x.shape[1], 'column')} but the network has {count(network.inputs, 'input')}"
        )
    if y.shape[1] != network.outputs:
        raise DataError(
            f"{y_field} has {count(y.shape[1], 'column')} but the output layer has "
            f"{count(network.outputs, 'unit')}"
        )
