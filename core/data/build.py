"""Turn a DataSpec into the Dataset a network trains on: draw or read samples, split, encode targets."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from backprop_studio.core.data.csv_import import CsvTable, read_csv
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.data.datasets.catalog import check_network
from backprop_studio.core.data.datasets.loader import load_table
from backprop_studio.core.data.features import compute_features
from backprop_studio.core.data.generators import generate
from backprop_studio.core.data.split import data_rng, random_split, stratified_split
from backprop_studio.core.data.standardize import checked_statistics, feature_statistics, standardized
from backprop_studio.core.data.targets import (
    CLASSIFICATION_LOSSES,
    check_class_targets,
    encode_classes,
    labels_of,
)
from backprop_studio.core.errors import ArchitectureError, DataError
from backprop_studio.core.spec import (
    CLASSIFICATION_GENERATORS,
    DATA_KINDS,
    GENERATORS,
    REAL_DATASETS,
    DataSpec,
    NetworkSpec,
)
from backprop_studio.core.validators import count


def build_dataset(
    data: DataSpec,
    network: NetworkSpec,
    loss: str,
    base_dir: str | None = None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    table: CsvTable | None = None,
) -> Dataset:
    """The samples `data` describes, as inputs (n, network.inputs) and targets (n, output units).

    `loss` decides whether inline and CSV targets are classes (bce, cross_entropy) or values (mse);
    `base_dir` is the folder a relative CSV path is read from (the project file's folder).
    Raises DataError for bad data and ArchitectureError when the data cannot fit the network.
    A CSV file reports `progress` and asks `should_stop` as `read_csv` does (Cancelled stops it);
    `table`, when given, is that file already read (by `spec_rules.csv_table`) and is used instead.
    With `data.standardize` the inputs are z-scored (see `standardize.py`) with `data`'s own statistics
    when it holds them, else with those of the training split; the dataset keeps the ones used.
    """
    if not network.layers:
        raise ArchitectureError("the network needs an output layer")
    if data.kind in GENERATORS:
        dataset = _from_generator(data, network, loss)
    elif data.kind in REAL_DATASETS:
        dataset = _from_real(data, network)
    elif data.kind == "inline":
        dataset = _from_inline(data, network, loss)
    elif data.kind == "csv":
        path = _csv_path(data, base_dir)
        if table is None:
            table = read_csv(path, data.targets, data.one_hot, progress, should_stop)
        dataset = _from_csv(data, network, loss, table, path)
    else:
        raise DataError(f"unknown data kind {data.kind!r}; choose one of {', '.join(DATA_KINDS)}")
    return _standardize(dataset, data) if data.standardize else dataset


def _standardize(dataset: Dataset, data: DataSpec) -> Dataset:
    if data.feature_mean is not None and data.feature_std is not None:
        mean, std = checked_statistics(data.feature_mean, data.feature_std, dataset.n_inputs)
    elif data.feature_mean is not None or data.feature_std is not None:
        raise DataError("give both data.feature_mean and data.feature_std, or neither")
    else:
        mean, std = feature_statistics(dataset.x_train)
    return replace(
        dataset,
        x_train=standardized(dataset.x_train, mean, std),
        x_test=standardized(dataset.x_test, mean, std),
        feature_mean=mean,
        feature_std=std,
    )


def _from_real(data: DataSpec, network: NetworkSpec) -> Dataset:
    """A shipped table (iris, wine, breast_cancer, digits), split stratified by class."""
    check_network(data.kind, network)
    table = load_table(data.kind)
    classes = len(table.class_names)
    y, target_names = encode_classes(table.labels, classes, network.layers[-1], table.class_names)
    train, test = stratified_split(table.labels, data.train_fraction, data_rng(data.seed))
    x, labels = np.array(table.x), np.array(table.labels)
    return _dataset(
        x, y, train, test, "classification", table.feature_names, target_names, None, labels, classes
    )


def _from_generator(data: DataSpec, network: NetworkSpec, loss: str) -> Dataset:
    rng = data_rng(data.seed)
    classes = data.classes if data.kind == "spiral" else 2
    points, values = generate(data.kind, data.samples, data.noise, rng, classes)
    x = compute_features(points, data.features)
    if x.shape[1] != network.inputs:
        raise feature_count_error(network, data.features)
    output = network.layers[-1]
    if data.kind in CLASSIFICATION_GENERATORS:
        names = tuple(f"class {k}" for k in range(classes))
        y, target_names = encode_classes(values, classes, output, names)
        labels, task = values, "classification"
    else:
        if output.units != 1:
            raise ArchitectureError(
                f"the output layer has {count(output.units, 'unit')} but {data.kind} is regression "
                "data with 1 target value; use 1 output unit"
            )
        if loss in CLASSIFICATION_LOSSES:
            raise ArchitectureError(
                f"{data.kind} is regression data (values in about [-1, 1]); use loss mse, not {loss}"
            )
        y, target_names, labels, task, classes = values[:, None], ("y",), None, "regression", 0
    train, test = random_split(len(x), data.train_fraction, rng)
    return _dataset(x, y, train, test, task, data.features, target_names, points, labels, classes)


def _from_inline(data: DataSpec, network: NetworkSpec, loss: str) -> Dataset:
    if data.x is None or data.y is None:
        raise DataError("inline data needs both data.x and data.y")
    if (data.x_test is None) != (data.y_test is None):
        raise DataError("give both data.x_test and data.y_test, or neither")
    x, y = _matrix(data.x, "data.x"), _matrix(data.y, "data.y")
    _check_shapes(x, y, "data.x", "data.y", network)
    if data.x_test is None:
        x_test, y_test = np.empty((0, x.shape[1])), np.empty((0, y.shape[1]))
    else:
        x_test = _matrix(data.x_test, "data.x_test", allow_empty=True, width=x.shape[1])
        y_test = _matrix(data.y_test, "data.y_test", allow_empty=True, width=y.shape[1])
        _check_shapes(x_test, y_test, "data.x_test", "data.y_test", network)
    both = np.arange(len(x)), np.arange(len(x), len(x) + len(x_test))
    feature_names = tuple(f"x{i}" for i in range(1, x.shape[1] + 1))
    target_names = tuple(f"y{i}" for i in range(1, y.shape[1] + 1))
    x_all, y_all = np.concatenate([x, x_test]), np.concatenate([y, y_test])
    if loss in CLASSIFICATION_LOSSES:
        check_class_targets(y, loss, "data.y")
        check_class_targets(y_test, loss, "data.y_test")
        labels, classes = labels_of(y_all)
        return _dataset(
            x_all, y_all, *both, "classification", feature_names, target_names, None, labels, classes
        )
    return _dataset(x_all, y_all, *both, "regression", feature_names, target_names)


def _csv_path(data: DataSpec, base_dir: str | None) -> str:
    if not data.path:
        raise DataError("data.path is missing: a csv data set needs a file to read")
    return data.path if os.path.isabs(data.path) or base_dir is None else os.path.join(base_dir, data.path)


def _from_csv(data: DataSpec, network: NetworkSpec, loss: str, table: CsvTable, path: str) -> Dataset:
    if table.x.shape[1] != network.inputs:
        raise DataError(
            f"the file has {count(table.x.shape[1], 'feature column')} ({', '.join(table.feature_names)}) "
            f"but the network has {count(network.inputs, 'input')}",
            path,
        )
    output = network.layers[-1]
    labels, classes, target_names, y = None, 0, table.target_names, table.y
    if table.labels is not None:
        labels, classes = table.labels, len(table.classes)
        y, target_names = encode_classes(labels, classes, output, table.classes)
    elif y.shape[1] != output.units:
        raise DataError(
            f"the file has {count(y.shape[1], 'target column')} ({', '.join(target_names)}) "
            f"but the output layer has {count(output.units, 'unit')}",
            path,
        )
    elif loss in CLASSIFICATION_LOSSES:
        check_class_targets(y, loss, path, first_line=2, columns=target_names)
        labels, classes = labels_of(y)
    task = "regression" if labels is None else "classification"
    train, test = random_split(len(table.x), data.train_fraction, data_rng(data.seed))
    return _dataset(table.x, y, train, test, task, table.feature_names, target_names, None, labels, classes)


def feature_count_error(network: NetworkSpec, features: tuple[str, ...]) -> ArchitectureError:
    """The one sentence for a network whose input count differs from the selected features' count."""
    n = len(features)
    return ArchitectureError(
        f"the network has {count(network.inputs, 'input')} but "
        f"{count(n, 'input feature')} {'is' if n == 1 else 'are'} selected ({', '.join(features)})"
    )


def _matrix(rows: object, field: str, allow_empty: bool = False, width: int | None = None) -> np.ndarray:
    """Nested rows of numbers → (n, width) float64, or a DataError naming the field, row and column."""
    if isinstance(rows, (str, bytes)) or not isinstance(rows, (Sequence, np.ndarray)):
        raise DataError(f"{field} must be a list of rows of numbers")
    if len(rows) == 0 and not allow_empty:
        raise DataError(f"{field} has no rows")
    for number, row in enumerate(rows, start=1):
        if isinstance(row, (str, bytes)) or not isinstance(row, (Sequence, np.ndarray)):
            raise DataError(f"{field} row {number} is not a list of numbers")
        if width is None:
            width = len(row)
        if len(row) != width:
            raise DataError(f"{field} row {number} has {count(len(row), 'value')}, not {width}")
        for column, value in enumerate(row, start=1):
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
                raise DataError(f"{field} row {number} column {column}: {value!r} is not a number")
            if not math.isfinite(value):
                raise DataError(f"{field} row {number} column {column} is {value}, not a finite number")
    if width == 0:
        raise DataError(f"{field} rows are empty")
    return _converted(rows, width or 0)


_CHUNK_ROWS = 50_000  # rows per conversion: each holds the GIL for ~15 ms, not 300 ms for 10⁶ rows


def _converted(rows: Sequence | np.ndarray, width: int) -> np.ndarray:
    """Checked rows → (n, width) float64, converted in chunks: NumPy holds the interpreter lock while it
    converts a nested list, and the window's thread (this runs on a worker) must get a turn between them."""
    out = np.empty((len(rows), width), dtype=np.float64)
    for start in range(0, len(rows), _CHUNK_ROWS):
        stop = min(start + _CHUNK_ROWS, len(rows))
        out[start:stop] = np.array(rows[start:stop], dtype=np.float64).reshape(stop - start, width)
    return out


def _check_shapes(x: np.ndarray, y: np.ndarray, x_field: str, y_field: str, network: NetworkSpec) -> None:
    if x.shape[1] != network.inputs:
        raise DataError(
            f"{x_field} has {count(x.shape[1], 'column')} but the network has "
            f"{count(network.inputs, 'input')}"
        )
    if y.shape[1] != network.outputs:
        raise DataError(
            f"{y_field} has {count(y.shape[1], 'column')} but the output layer has "
            f"{count(network.outputs, 'unit')}"
        )
    if len(x) != len(y):
        raise DataError(f"{x_field} has {count(len(x), 'row')} but {y_field} has {len(y)}")


def _dataset(
    x: np.ndarray,
    y: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    task: str,
    feature_names: Sequence[str],
    target_names: Sequence[str],
    points: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    classes: int = 0,
) -> Dataset:
    def rows(array: np.ndarray, index: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(array[index])

    def part(array: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
        return None if array is None else rows(array, index)

    return Dataset(
        x_train=rows(x, train),
        y_train=rows(y, train),
        x_test=rows(x, test),
        y_test=rows(y, test),
        task=task,
        feature_names=tuple(feature_names),
        target_names=tuple(target_names),
        points_train=part(points, train),
        points_test=part(points, test),
        labels_train=part(labels, train),
        labels_test=part(labels, test),
        classes=classes,
    )
