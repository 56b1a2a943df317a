"""What the data dictates about the network, decided from the data spec without drawing a sample.

The shapes a generator produces follow from its kind, features and classes; a shipped table's from its
catalog entry; inline data is the spec's own numbers; a CSV file is read (once, see `tables`).
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop_studio.core.data.datasets.catalog import INFO as REAL_INFO
from backprop_studio.core.data.split import train_count
from backprop_studio.core.errors import DataError
from backprop_studio.core.spec import CLASSIFICATION_GENERATORS, GENERATORS, REAL_DATASETS, DataSpec
from backprop_studio.core.spec_rules.tables import readable_table


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
        table = readable_table(data, base_dir)
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
    if data.kind == "csv" and readable_table(data, base_dir) is None:
        return None
    try:
        return train_count(samples(data, base_dir), data.train_fraction)
    except DataError:
        return None


def _classes(columns: int | None) -> int | None:
    """Target columns read as classes: one column per class, so 2 or more (1 column may be values)."""
    return columns if columns is not None and columns >= 2 else None


def samples(data: DataSpec, base_dir: str | None) -> int:
    """How many samples the data holds (at most what one epoch's loss is measured on at once), or 1 when
    a CSV file cannot be read yet."""
    if data.kind in GENERATORS:
        return data.samples
    if data.kind in REAL_DATASETS:
        return REAL_INFO[data.kind].rows
    if data.kind == "inline":
        return max(len(data.x or ()), len(data.x_test or ()), 1)
    table = readable_table(data, base_dir) if data.kind == "csv" else None
    return 1 if table is None else len(table.x)
