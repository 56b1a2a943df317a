"""Reading a project document's data, history and breakpoints sections (see reader.py for the rest).

Inline arrays are checked against the network only when they are the data in use, so switching a project
to a generated data set keeps its inline samples readable. History series may hold null for "not
measured" (read as NaN). Breakpoints are kept as plain JSON here; core/debugger/watch.py reads them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from backprop_studio.core.data.datasets.catalog import INFO as REAL_INFO
from backprop_studio.core.data.generators import MAX_CLASSES, MAX_SAMPLES
from backprop_studio.core.limits import MAX_BREAKPOINTS
from backprop_studio.core.limits import MAX_OPTIMIZER_STEPS as MAX_ENTRY  # one batch per optimizer step
from backprop_studio.core.project.schema import DATA_KEYS, HISTORY_FILE_KEYS, HISTORY_KEYS
from backprop_studio.core.spec import (
    DATA_KINDS,
    FEATURES,
    GENERATORS,
    MAX_SEED,
    REAL_DATASETS,
    DataSpec,
    NetworkSpec,
)
from backprop_studio.core.training.series import Series
from backprop_studio.core.training.snapshot import History
from backprop_studio.core.validators import (
    REQUIRED,
    Invalid,
    JsonObject,
    Parser,
    boolean,
    choice,
    count,
    describe,
    finite,
    integer,
    join,
    json_list,
    matrix,
    name,
    names,
    number,
    numbers,
    optional,
)


def read_data(value: object, path: str, network: NetworkSpec) -> DataSpec:
    section = JsonObject(value, path, DATA_KEYS)
    default = DataSpec()
    kind = section.read("kind", choice(DATA_KINDS), default.kind)
    samples = section.read("samples", integer(2, MAX_SAMPLES), default.samples)
    noise = section.read("noise", number(0, 0.5), default.noise)
    train_fraction = section.read("train_fraction", number(0, 1, above=True), default.train_fraction)
    seed = section.read("seed", integer(0, MAX_SEED), default.seed)
    features = section.read("features", names(FEATURES, at_least_one=True), default.features)
    if kind in GENERATORS and len(features) != network.inputs:
        raise Invalid(
            section.at("features"),
            f"expected {network.inputs} features (one per network input), got {len(features)}",
        )
    classes = section.read("classes", integer(2, MAX_CLASSES), default.classes)
    if kind == "spiral" and samples < classes:
        raise Invalid(
            section.at("samples"), f"a spiral with {classes} classes needs at least {classes} samples"
        )
    if kind in REAL_DATASETS and REAL_INFO[kind].inputs != network.inputs:
        raise Invalid(
            section.at("kind"),
            f"{kind} has {REAL_INFO[kind].inputs} input features but the network has {network.inputs} "
            f"inputs (network.inputs must be {REAL_INFO[kind].inputs})",
        )
    x, y, x_test, y_test = _read_inline(section, kind, network)
    file, targets, one_hot = _read_csv(section, kind)
    standardize = section.read("standardize", boolean, default.standardize)
    mean, std = _read_statistics(section, network)
    image_shape = section.read("image_shape", optional(_image_shape(network.inputs)), None)
    return DataSpec(
        kind=kind,
        samples=samples,
        noise=noise,
        train_fraction=train_fraction,
        seed=seed,
        features=features,
        classes=classes,
        x=x,
        y=y,
        x_test=x_test,
        y_test=y_test,
        path=file,
        targets=targets,
        one_hot=one_hot,
        standardize=standardize,
        feature_mean=mean,
        feature_std=std,
        image_shape=image_shape,
    )


def _read_statistics(
    section: JsonObject, network: NetworkSpec
) -> tuple[tuple[float, ...] | None, tuple[float, ...] | None]:
    """feature_mean and feature_std: both or neither, one value per network input, divisors above 0."""
    hint = " (one per network input)"

    def values(value: object, path: str) -> tuple[float, ...]:
        return tuple(numbers(value, path, network.inputs, hint))

    mean = section.read("feature_mean", optional(values), None)
    std = section.read("feature_std", optional(values), None)
    if (mean is None) != (std is None):
        missing = "feature_std" if mean is not None else "feature_mean"
        raise Invalid(section.at(missing), "feature_mean and feature_std come together: give both or neither")
    for i, value in enumerate(std or ()):
        if value <= 0:
            raise Invalid(
                f"{section.at('feature_std')}[{i}]",
                f"expected a number above 0 (1 for a constant feature), got {value!r}",
            )
    return mean, std


_Rows = tuple[tuple[float, ...], ...]


def _read_inline(section: JsonObject, kind: str, network: NetworkSpec) -> tuple[_Rows | None, ...]:
    """x/y (and x_test/y_test), checked against the network only when they are the data in use."""
    inline = kind == "inline"
    inputs = network.inputs if inline else None
    outputs = network.outputs if inline else None
    x_hint, y_hint = " (a column per network input)", " (a row per row of x, a column per output unit)"

    def rows(key: str, n_rows: int | None, columns: int | None, hint: str, required: bool) -> _Rows | None:
        def parse(value: object, path: str) -> list[list[float]]:
            return matrix(value, path, n_rows, columns, hint)

        read = section.read(key, parse if required else optional(parse), REQUIRED if required else None)
        return None if read is None else tuple(tuple(row) for row in read)

    x = rows("x", None, inputs, x_hint, required=inline)
    if inline and not x:
        raise Invalid(section.at("x"), "expected at least 1 sample, got an empty list")
    y = rows("y", None if x is None else len(x), outputs, y_hint, required=inline)
    x_test = rows("x_test", None, inputs, x_hint, required=False)
    y_test = rows("y_test", None if x_test is None else len(x_test), outputs, y_hint, required=False)
    if (x_test is None) != (y_test is None):
        missing = "y_test" if x_test is not None else "x_test"
        raise Invalid(section.at(missing), "x_test and y_test come together: give both or neither")
    return x, y, x_test, y_test


def _read_csv(section: JsonObject, kind: str) -> tuple[str | None, tuple[str, ...], str | None]:
    path = section.read("path", optional(name), REQUIRED if kind == "csv" else None)
    if kind == "csv" and path is None:
        raise Invalid(section.at("path"), "expected a file name, got null")
    targets = section.read("targets", names(None, at_least_one=False), ())
    one_hot = section.read("one_hot", optional(name), None)
    if kind == "csv" and not targets and one_hot is None:
        raise Invalid(section.at("targets"), "a csv data set needs target columns: give targets or one_hot")
    if targets and one_hot is not None:
        raise Invalid(section.at("one_hot"), "give either targets or one_hot, not both")
    return path, targets, one_hot


def _image_shape(inputs: int) -> Parser:
    """[rows, cols] of whole numbers >= 1 whose product is the network's inputs (pixel i of a sample
    sits at row i // cols, column i % cols)."""

    def parse(value: object, path: str) -> tuple[int, int]:
        items = json_list(value, path, "a list [rows, columns]")
        if len(items) != 2:
            raise Invalid(
                path, f"expected a list [rows, columns] of 2 integers, got {count(len(items), 'item')}"
            )
        rows, cols = (integer(1)(item, f"{path}[{k}]") for k, item in enumerate(items))
        if rows * cols != inputs:
            raise Invalid(
                path,
                f"{rows} x {cols} = {rows * cols:,} pixels, but the network has {count(inputs, 'input')}: "
                "rows x columns must equal network.inputs",
            )
        return rows, cols

    return parse


def read_history(value: object, path: str) -> History:
    section = JsonObject(value, path, HISTORY_FILE_KEYS)
    values = {
        key: section.read(key, _accuracies if "accuracy" in key else _losses, ()) for key in HISTORY_KEYS
    }
    numbers = section.read("numbers", lambda v, p: _read_numbers(v, p, values), {})
    series = {key: Series(values[key], numbers.get(key)) for key in HISTORY_KEYS}
    # Per-epoch series line up by epoch: one that is present must have a value for every epoch (or,
    # merged, end at the same epoch); an absent one means "not recorded" (padded with NaN if training goes on).
    epochs = series["train_loss"].entries
    for key in ("test_loss", "train_accuracy", "test_accuracy"):
        if len(series[key]) and series[key].entries != epochs:
            where = f"{path}.{key}" if path else key
            raise Invalid(
                where,
                f"spans {series[key].entries} epochs but train_loss spans {epochs}: per-epoch series must "
                "be the same length (one value per epoch)",
            )
    return History(**series)


def _read_numbers(value: object, path: str, values: dict[str, tuple[float, ...]]) -> dict[str, np.ndarray]:
    """`history.numbers`: for a series whose old points were merged, the epoch or batch number (1 for the
    first) of each of its values, increasing; returned 0-based, as `Series.at`."""
    section = JsonObject(value, path, HISTORY_KEYS)
    found: dict[str, np.ndarray] = {}
    for key in HISTORY_KEYS:
        if key not in section.value:
            continue
        where = section.at(key)
        items = json_list(section.value[key], where, "a list of integers")
        if len(items) != len(values[key]):
            raise Invalid(where, f"has {len(items)} numbers but {key} has {len(values[key])} values")
        at = np.array([integer(1, MAX_ENTRY)(item, f"{where}[{i}]") for i, item in enumerate(items)])
        rising = np.diff(at) > 0
        if not rising.all():
            i = int(np.argmin(rising)) + 1
            raise Invalid(f"{where}[{i}]", f"expected a number above {int(at[i - 1])}, got {int(at[i])}")
        found[key] = at.astype(np.int64) - 1
    return found


def _losses(value: object, path: str) -> tuple[float, ...]:
    """Losses: finite and >= 0 (every loss here is), null for "not measured" (read as NaN)."""
    return _measurements(value, path, number(0))


def _accuracies(value: object, path: str) -> tuple[float, ...]:
    """Accuracies: shares of samples, from 0 to 1, null for "not measured" (no test set, or no classes)."""
    return _measurements(value, path, number(0, 1))


def _measurements(value: object, path: str, in_range: Parser) -> tuple[float, ...]:
    """Per-epoch values where null stands for NaN: "not measured" (no test set, or no classes).
    A value that is no number at all is named as such; one out of range is refused by `in_range`."""
    items = json_list(value, path, "a list of numbers")
    return tuple(
        math.nan if item is None else in_range(finite(item, f"{path}[{i}]"), f"{path}[{i}]")
        for i, item in enumerate(items)
    )


def read_breakpoints(value: object, path: str) -> tuple[dict[str, Any], ...]:
    items = json_list(value, path, "a list of objects")
    if len(items) > MAX_BREAKPOINTS:
        raise Invalid(
            path, f"{len(items):,} breakpoints; at most {MAX_BREAKPOINTS:,} are allowed (the limit)"
        )
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise Invalid(f"{path}[{i}]", f"expected an object, got {describe(item)}")
    return tuple(_json_copy(item, f"{path}[{i}]") for i, item in enumerate(items))


def _json_copy(value: object, path: str) -> Any:
    """A deep copy that also refuses whatever JSON cannot hold (a document may come from Python code)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return finite(value, path)
    if isinstance(value, list):
        return [_json_copy(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise Invalid(path, f"object keys must be strings, got {describe(key)}")
        return {key: _json_copy(item, join(path, key)) for key, item in value.items()}
    raise Invalid(path, f"expected a JSON value, got {describe(value)}")
