"""Whether specs can train together (`problem`): one sentence saying why not, or None.

It decides from the specs, as `build_dataset` would: generated data from its kind, features and classes
(no sample is drawn), a shipped table from its catalog entry, inline data from the spec's own numbers (converted once, see `inline`), a
CSV file from its header and columns (read once, see `tables`); its target values are checked when the
data set is built.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.data.build import build_dataset, encode_classes, feature_count_error
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
    NetworkSpec,
    TrainingSpec,
    check_architecture,
)
from backprop_studio.core.spec_rules.fixes import CLASSIFICATION_LOSSES
from backprop_studio.core.spec_rules.inline import check_inline
from backprop_studio.core.spec_rules.shape import samples
from backprop_studio.core.spec_rules.tables import readable_table


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
            check_inline(data, network, training.loss)  # the spec's own rows, converted once (inline.py)
        elif data.kind == "csv":
            _check_csv(data, network, base_dir)
        else:
            build_dataset(data, network, training.loss)  # an unknown kind: build says so
        check_network_size(network.sizes, rows=samples(data, base_dir))
    except StudioError as error:
        return _sentence(str(error))
    return None


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
        raise feature_count_error(network, data.features)
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
    table = readable_table(data, base_dir)
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


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise DataError(f"data.seed must be a whole number ≥ 0, not {seed!r}")


def _check_split(samples: int, train_fraction: float) -> None:
    """The split `build_dataset` makes: floor(samples · train_fraction) training samples, at least 1."""
    train_count(samples, train_fraction)


def _sentence(message: str) -> str:
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."
