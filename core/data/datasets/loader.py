"""Read a shipped data set's table from the package: features (n, d) float64 and class indices (n,).

Each file is a gzip-compressed CSV: a header row of feature names with the class column last, then one
row per sample, the class written by name. Files are package data read through importlib.resources, so
they are found wherever the package is installed; each is parsed once and the arrays are cached,
read-only, so no caller can change what the next one gets.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np
from backprop_studio.core.data import datasets
from backprop_studio.core.data.datasets.catalog import INFO
from backprop_studio.core.errors import DataError


@dataclass(frozen=True, eq=False)
class RealTable:
    """x (n, d) float64 features, labels (n,) int64 class indices into `class_names`, both read-only."""

    name: str
    x: np.ndarray
    labels: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]


def load_table(name: str) -> RealTable:
    """The shipped table `name` (one of REAL_DATASETS), parsed on first use and cached after that."""
    if name not in INFO:
        raise DataError(f"unknown data set {name!r}; choose one of {', '.join(INFO)}")
    return _load(name)


@functools.cache
def _load(name: str) -> RealTable:
    entry = INFO[name]
    raw = (resources.files(datasets) / entry.file).read_bytes()
    rows = list(csv.reader(io.StringIO(gzip.decompress(raw).decode("utf-8"))))
    header, body = rows[0], rows[1:]
    index = {class_name: k for k, class_name in enumerate(entry.classes)}
    x = np.array([row[:-1] for row in body], dtype=np.float64)
    labels = np.array([index[row[-1]] for row in body], dtype=np.int64)
    if x.shape != (entry.rows, entry.inputs):  # a damaged installation, not bad user input
        raise DataError(f"the shipped {name} table is {x.shape}, not ({entry.rows}, {entry.inputs})")
    x.setflags(write=False)
    labels.setflags(write=False)
    return RealTable(name, x, labels, tuple(header[:-1]), entry.classes)
