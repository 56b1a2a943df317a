"""Which specs can train together, and the automatic fixes when one choice implies another.

`problem(network, training, data)` says in one sentence why a network, its training and its data cannot
train together (None when they can). It decides from the specs: the shapes a generator would produce
follow from its kind, features and classes, so no sample is drawn; inline data is the spec's own
numbers; a CSV file is read once per file, columns and modification time (cached), and its target
values are checked when the data set is built.

`coerce(specs, changed)` makes the change a person meant when one choice settles another:
cross-entropy needs a softmax output with one unit per class, bce a sigmoid output, a softmax output
needs cross-entropy, regression data one linear output and mse. It returns the fixed specs and a note
for each fix, in words for the person who made the change.

From the command line: `python -m backprop_studio.core.spec_rules project.json [--change loss=bce]`
(see `spec_rules_cli`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
from backprop_studio.core.data.build import build_dataset, encode_classes
from backprop_studio.core.data.csv_import import CsvTable, read_csv
from backprop_studio.core.data.datasets.catalog import INFO as REAL_INFO
from backprop_studio.core.data.datasets.catalog import check_network
from backprop_studio.core.data.features import compute_features
from backprop_studio.core.data.generators import MAX_CLASSES, MAX_SAMPLES
from backprop_studio.core.data.split import train_count
from backprop_studio.core.data.standardize import checked_statistics
from backprop_studio.core.display.numbers import count
from backprop_studio.core.errors import ArchitectureError, DataError, StudioError
from backprop_studio.core.limits import check_network_size
from backprop_studio.core.spec import (
    CLASSIFICATION_GENERATORS,
    GENERATORS,
    REAL_DATASETS,
    DataSpec,
    LayerSpec,
    NetworkSpec,
    TrainingSpec,
    check_architecture,
)

CHANGES = ("loss", "output_activation", "data")  # what `coerce` can be told was changed
LOSS_NAMES = {"mse": "mean squared error", "bce": "binary cross-entropy", "cross_entropy": "cross-entropy"}
CLASSIFICATION_LOSSES = ("bce", "cross_entropy")


class Specs(NamedTuple):
    """A whole project's settings; a plain tuple (network, training, data) where one is expected."""

    network: NetworkSpec
    training: TrainingSpec
    data: DataSpec


@dataclass(frozen=True)
class DataShape:
    """What the data dictates about the network, where it is known without drawing samples.

    `inputs`: columns fed to the network. `outputs`: target columns fixed by the data whatever the loss
    (inline y, CSV target columns). `classes`: how many classes the data has (None: values, or unknown).
    `regression`: a generator of values (plane, multi_gaussian) that needs one output and mse.
    """

    inputs: int | None = None
    outputs: int | None = None
    classes: int | None = None
    regression: bool = False


def data_shape(data: DataSpec, base_dir: str | None = None) -> DataShape:
    """The shape `data` gives the network. A CSV is read (once, cached) only when its path can be resolved:
    an absolute path, or a relative one with `base_dir`, the project file's folder."""
    if data.kind in GENERATORS:
        if data.kind not in CLASSIFICATION_GENERATORS:
            return DataShape(inputs=len(data.features), regression=True)
        classes = data.classes if data.kind == "spiral" else 2
        return DataShape(inputs=len(data.features), classes=classes)
    if data.kind in REAL_DATASETS:
        return DataShape(inputs=REAL_INFO[data.kind].inputs, classes=len(REAL_INFO[data.kind].classes))
    if data.kind == "inline":
        outputs = len(data.y[0]) if data.y else None
        return DataShape(len(data.x[0]) if data.x else None, outputs, _classes(outputs))
    if data.kind == "csv":
        table = _readable_table(data, base_dir)
        targets = len(data.targets) if data.targets else None
        if table is None:
            return DataShape(outputs=targets, classes=_classes(targets))
        columns = len(table.classes) if table.labels is not None else targets
        return DataShape(table.x.shape[1], targets, _classes(columns))
    return DataShape()


def training_samples(data: DataSpec, base_dir: str | None = None) -> int | None:
    """How many samples the training set holds, without drawing them; None where it is not known (a
    CSV file that cannot be read, a share that leaves none). The split keeps floor(rows · train_fraction),
    as `build_dataset` does (`split.train_count`)."""
    if data.kind == "inline":
        return len(data.x or ())
    if data.kind not in (*GENERATORS, *REAL_DATASETS, "csv"):
        return None
    if data.kind == "csv" and _readable_table(data, base_dir) is None:
        return None
    try:
        return train_count(_samples(data, base_dir), data.train_fraction)
    except DataError:
        return None


def _classes(columns: int | None) -> int | None:
    """Target columns read as classes: one column per class, so 2 or more (1 column may be values)."""
    return columns if columns is not None and columns >= 2 else None


def problem(
    network: NetworkSpec, training: TrainingSpec, data: DataSpec, base_dir: str | None = None
) -> str | None:
    """Why these specs cannot train together, as one sentence; None when they can.

    `base_dir` is the folder a relative CSV path is read from (the project file's); without it only
    absolute CSV paths are read.
    """
    if data.kind in GENERATORS and not data.features:
        return "Select at least one input feature: the network needs at least 1 input."
    init = network.init
    if init.weights == "uniform" and not init.low < init.high:
        return f"Uniform initial weights need Low below High (now {init.low:g} and {init.high:g})."
    try:
        check_architecture(network, training)
        if data.kind in GENERATORS:
            _check_generated(data, network, training.loss)
        elif data.kind in REAL_DATASETS:
            _check_real(data, network)
        elif data.kind == "inline":
            build_dataset(data, network, training.loss)  # the spec's own rows: nothing is drawn
        elif data.kind == "csv":
            _check_csv(data, network, base_dir)
        else:
            build_dataset(data, network, training.loss)  # an unknown kind: build says so
        check_network_size(network.sizes, rows=_samples(data, base_dir))
    except StudioError as error:
        return _sentence(str(error))
    return None


def coerce(
    specs: Specs | tuple[NetworkSpec, TrainingSpec, DataSpec], changed: str, base_dir: str | None = None
) -> tuple[Specs, list[str]]:
    """Fix what `changed` (one of CHANGES) implies for the output layer and the loss; (specs, notes).

    "loss": the output layer follows the loss. "output_activation": the loss follows the output.
    "data" (kind or classes): the output layer (and for regression data the loss) follows the data.
    `base_dir` as for `problem` (a CSV's classes are known once it is read).
    """
    specs = Specs(*specs)
    if changed not in CHANGES:
        raise ValueError(f"coerce knows the changes {', '.join(CHANGES)}, not {changed!r}")  # a caller's slip
    shape = data_shape(specs.data, base_dir)
    output, loss = specs.network.layers[-1], specs.training.loss
    notes: list[str] = []
    if changed == "loss":
        output = _output_for_loss(output, loss, specs.data.kind, shape, notes)
    elif changed == "output_activation":
        loss, output = _loss_for_output(output, loss, shape, notes)
    else:
        output, loss = _fit_to_data(output, loss, specs.data.kind, shape, notes)
    network = replace(specs.network, layers=(*specs.network.layers[:-1], output))
    return Specs(network, replace(specs.training, loss=loss), specs.data), notes


# ---- the fixes -------------------------------------------------------------------------------------------


def _output_for_loss(
    output: LayerSpec, loss: str, kind: str, shape: DataShape, notes: list[str]
) -> LayerSpec:
    if loss == "cross_entropy":
        units = _softmax_units(output.units, shape)
        if output.activation != "softmax" or units != output.units:
            notes.append(
                f"Output layer set to softmax with {count(units, 'unit')}: "
                "cross-entropy needs one softmax unit per class."
            )
            return LayerSpec(units, "softmax")
    elif loss == "bce" and output.activation != "sigmoid":
        notes.append("Output layer set to sigmoid: binary cross-entropy needs outputs between 0 and 1.")
        return replace(output, activation="sigmoid")
    elif loss == "mse" and output.activation == "softmax":
        activation = "sigmoid" if kind in (*CLASSIFICATION_GENERATORS, *REAL_DATASETS) else "linear"
        notes.append(f"Output layer set to {activation}: softmax is only used with cross-entropy.")
        return replace(output, activation=activation)
    return output


def _loss_for_output(
    output: LayerSpec, loss: str, shape: DataShape, notes: list[str]
) -> tuple[str, LayerSpec]:
    if output.activation == "softmax":
        units = _softmax_units(output.units, shape)
        if units != output.units:
            output = replace(output, units=units)
            notes.append(f"Output layer set to {count(units, 'unit')}, one per class.")
        new_loss = "cross_entropy"
    elif output.activation == "sigmoid":
        new_loss = "bce" if loss == "cross_entropy" else loss
    else:
        new_loss = "mse" if loss in CLASSIFICATION_LOSSES else loss
    if new_loss != loss:
        notes.append(f"Loss set to {LOSS_NAMES[new_loss]}, the loss that fits a {output.activation} output.")
    return new_loss, output


def _fit_to_data(
    output: LayerSpec, loss: str, kind: str, shape: DataShape, notes: list[str]
) -> tuple[LayerSpec, str]:
    if shape.regression:
        changes = []
        if output.units != 1:
            output = replace(output, units=1)
            changes.append("1 output unit")
        if output.activation in ("softmax", "sigmoid"):
            output = replace(output, activation="linear")
            changes.append("a linear output")
        if loss != "mse":
            loss = "mse"
            changes.append("mean squared error")
        if changes:
            notes.append(f"Switched to {_join(changes)}: {kind} data is one value per sample.")
        return output, loss
    units = shape.outputs
    if units is None:
        classes = shape.classes
        if classes is None:
            return output, loss
        fits = output.units == classes or (output.units == 1 and classes == 2)
        if fits and not (output.activation == "softmax" and output.units != classes):
            return output, loss
        units = classes if output.activation == "softmax" or classes > 2 else 1
    if units != output.units:
        notes.append(f"Output layer set to {count(units, 'unit')} to match the data.")
        output = replace(output, units=units)
    return output, loss


def _softmax_units(units: int, shape: DataShape) -> int:
    """One softmax unit per class when the data says how many; else at least 2 (softmax over 1 is 1)."""
    return shape.classes if shape.classes is not None else max(units, 2)


# ---- the checks ------------------------------------------------------------------------------------------


def _check_generated(data: DataSpec, network: NetworkSpec, loss: str) -> None:
    """What `build_dataset` would refuse for generated data, decided from the spec alone."""
    _check_seed(data.seed)
    if not 2 <= data.samples <= MAX_SAMPLES:
        raise DataError(f"samples must be a whole number from 2 to {MAX_SAMPLES:,}, not {data.samples!r}")
    if not 0.0 <= data.noise <= 0.5:
        raise DataError(f"noise must be a fraction between 0 and 0.5, not {data.noise!r}")
    classes = data.classes if data.kind == "spiral" else 2
    if data.kind == "spiral":
        if not 2 <= classes <= MAX_CLASSES:
            raise DataError(f"a spiral needs 2 to {MAX_CLASSES} classes (arms), not {classes!r}")
        if data.samples < classes:
            raise DataError(
                f"a spiral with {classes} arms needs at least {classes} samples, not {data.samples}"
            )
    compute_features(np.zeros((0, 2)), data.features)  # unknown or repeated features, with no points
    if len(data.features) != network.inputs:
        raise ArchitectureError(
            f"the network has {count(network.inputs, 'input')} but "
            f"{count(len(data.features), 'input feature')} {'is' if len(data.features) == 1 else 'are'} "
            f"selected ({', '.join(data.features)})"
        )
    output = network.layers[-1]
    if data.kind in CLASSIFICATION_GENERATORS:
        encode_classes(np.zeros(0, dtype=np.int64), classes, output, [f"class {k}" for k in range(classes)])
    elif output.units != 1:
        raise ArchitectureError(
            f"the output layer has {count(output.units, 'unit')} but {data.kind} is regression "
            "data with 1 target value; use 1 output unit"
        )
    elif loss in CLASSIFICATION_LOSSES:
        raise ArchitectureError(
            f"{data.kind} is regression data (values in about [-1, 1]); use loss mse, not {loss}"
        )
    _check_split(data.samples, data.train_fraction)
    _check_statistics(data, len(data.features))


def _check_real(data: DataSpec, network: NetworkSpec) -> None:
    """What `build_dataset` would refuse for a shipped table, decided from its catalog entry."""
    entry = REAL_INFO[data.kind]
    check_network(data.kind, network)
    _check_seed(data.seed)
    _check_split(entry.rows, data.train_fraction)
    _check_statistics(data, entry.inputs)


def _check_statistics(data: DataSpec, inputs: int) -> None:
    if data.standardize and data.feature_mean is not None and data.feature_std is not None:
        checked_statistics(data.feature_mean, data.feature_std, inputs)


def _check_csv(data: DataSpec, network: NetworkSpec, base_dir: str | None) -> None:
    if data.targets and len(data.targets) != network.outputs:
        raise DataError(
            f"the CSV file has {count(len(data.targets), 'target column')} ({', '.join(data.targets)}) "
            f"but the output layer has {count(network.outputs, 'unit')}"
        )
    table = _readable_table(data, base_dir)
    if table is None:
        return
    if table.x.shape[1] != network.inputs:
        raise DataError(
            f"the file has {count(table.x.shape[1], 'feature column')} ({', '.join(table.feature_names)}) "
            f"but the network has {count(network.inputs, 'input')}",
            data.path,
        )
    if table.labels is not None:
        encode_classes(np.zeros(0, dtype=np.int64), len(table.classes), network.layers[-1], table.classes)
    _check_seed(data.seed)
    _check_split(len(table.x), data.train_fraction)
    _check_statistics(data, table.x.shape[1])


def _samples(data: DataSpec, base_dir: str | None) -> int:
    """How many samples the data holds (at most what one epoch's loss is measured on at once), or 1 when
    a CSV file cannot be read yet."""
    if data.kind in GENERATORS:
        return data.samples
    if data.kind in REAL_DATASETS:
        return REAL_INFO[data.kind].rows
    if data.kind == "inline":
        return max(len(data.x or ()), len(data.x_test or ()), 1)
    table = _readable_table(data, base_dir) if data.kind == "csv" else None
    return 1 if table is None else len(table.x)


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise DataError(f"data.seed must be a whole number ≥ 0, not {seed!r}")


def _check_split(samples: int, train_fraction: float) -> None:
    """The split `build_dataset` makes: floor(samples · train_fraction) training samples, at least 1."""
    train_count(samples, train_fraction)


def csv_table(
    data: DataSpec,
    base_dir: str | None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CsvTable | None:
    """The CSV behind `data` (None when its path cannot be resolved), read once per file state and kept
    for these checks: a worker reads it with `progress` and `should_stop` (see `read_csv`) and hands
    it to `build_dataset`, so the checks the settings panel runs next on the GUI thread do not read it again."""
    return _readable_table(data, base_dir, progress, should_stop)


def forget_tables() -> None:
    """Drop the CSV tables kept for the checks (tests that count reads start from nothing)."""
    _TABLES.clear()


_TABLES: dict[tuple[str, tuple[str, ...], str | None, tuple[int, int]], CsvTable] = {}
_KEPT_TABLES = 4


def _readable_table(
    data: DataSpec,
    base_dir: str | None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CsvTable | None:
    """The CSV behind `data` if its path can be resolved, read once per file state; DataError if unreadable."""
    if not data.path or (not os.path.isabs(data.path) and base_dir is None):
        return None
    path = data.path if os.path.isabs(data.path) else os.path.join(base_dir or "", data.path)
    try:
        stat = os.stat(path)
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (0, 0)  # read_csv reports the missing file in its own words
    # `stamp` (modification time, size) is part of the key: a changed file is read again.
    key = (path, data.targets, data.one_hot, stamp)
    table = _TABLES.get(key)
    if table is None:
        table = read_csv(path, data.targets, data.one_hot, progress, should_stop)
        _TABLES[key] = table
        while len(_TABLES) > _KEPT_TABLES:
            del _TABLES[next(iter(_TABLES))]  # the oldest
    return table


def _sentence(message: str) -> str:
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


if __name__ == "__main__":  # the command line lives beside: python -m backprop_studio.core.spec_rules
    from backprop_studio.core.spec_rules_cli import main

    sys.exit(main())
