"""Which samples train and which test: the count (floored, as TensorFlow Playground does) and the draw.

Playground keeps the first floor(n · percent / 100) samples of a shuffled list for training. Here the
share is a fraction; its shortest decimal text (0.7, as a person typed it) is taken exactly, so the count
is the true floor of n · 7/10 and a product like 100 · 0.29 = 28.999999999999996 cannot lose a sample.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from backprop_studio.core.errors import DataError


def train_count(n: int, train_fraction: float) -> int:
    """How many of `n` samples train: floor(n · train_fraction), with the fraction read as its decimal text.

    Raises DataError for a fraction outside (0, 1] or one that leaves no training sample.
    """
    if not 0 < train_fraction <= 1:  # also refuses NaN
        raise DataError(f"data.train_fraction must be more than 0 and at most 1, not {train_fraction}")
    n_train = math.floor(n * Fraction(repr(float(train_fraction))))
    if n_train < 1:
        raise DataError(f"data.train_fraction {train_fraction} of {n} samples leaves no training samples")
    return n_train


def data_rng(seed: int) -> np.random.Generator:
    """The generator that draws and splits a data set; DataError for a seed that is no whole number ≥ 0."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(f"data.seed must be a whole number ≥ 0, not {seed!r}")
    return np.random.default_rng(seed)


def random_split(n: int, train_fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Indices (n_train,) and (n - n_train,) of the train and test samples: a random permutation, cut."""
    n_train = train_count(n, train_fraction)
    order = rng.permutation(n)
    return order[:n_train], order[n_train:]


def stratified_split(
    labels: np.ndarray, train_fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """As `random_split` (the same train count), but each class keeps its share in both parts.

    Class k with n_k samples gets n_train · n_k / n training samples, rounded down, and the samples still
    missing go to the classes with the largest remainders (ties: the lower class). Each part is shuffled.
    """
    labels = np.asarray(labels)
    n = len(labels)
    n_train = train_count(n, train_fraction)
    classes, sizes = np.unique(labels, return_counts=True)
    exact = [Fraction(int(size) * n_train, n) for size in sizes]
    quota = [math.floor(share) for share in exact]
    by_remainder = sorted(range(len(classes)), key=lambda k: (-(exact[k] - quota[k]), k))
    for k in by_remainder[: n_train - sum(quota)]:
        quota[k] += 1
    train, test = [], []
    for label, take in zip(classes, quota):
        members = rng.permutation(np.flatnonzero(labels == label))
        train.append(members[:take])
        test.append(members[take:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))
