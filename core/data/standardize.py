"""Standardization: z-score each input feature with statistics from the training split only.

    mean_j = mean of x_train[:, j]            std_j = population standard deviation of x_train[:, j]
    x'     = (x - mean) / std                 for the train and the test samples alike

A feature that is constant in the training split (a digit's always-blank corner pixel) would divide by 0;
its divisor is 1 instead and its mean is that constant itself, so it becomes exactly 0 everywhere it keeps
the value. The statistics are kept with the project, and given ones are used as they are, so another
program (an exported PyTorch script) doing the same two elementwise operations gets the same bits.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from backprop_studio.core.errors import DataError


def feature_statistics(x_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mean (d,) and divisor (d,) of x_train (n, d): the population standard deviation, 1 where it is 0."""
    x_train = np.asarray(x_train, dtype=np.float64)
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    constant = np.all(x_train == x_train[:1], axis=0)
    # A constant column's computed mean can be off by an ulp (0.1 + 0.1 + 0.1 ≠ 0.3): use the value itself.
    mean[constant] = x_train[0, constant]
    std[constant] = 1.0
    return mean, std


def checked_statistics(
    mean: Sequence[float], std: Sequence[float], inputs: int
) -> tuple[np.ndarray, np.ndarray]:
    """Given statistics as arrays (inputs,); DataError when their length or a divisor is wrong."""
    mean_array, std_array = np.asarray(mean, dtype=np.float64), np.asarray(std, dtype=np.float64)
    for name, array in (("data.feature_mean", mean_array), ("data.feature_std", std_array)):
        if array.shape != (inputs,):
            raise DataError(f"{name} has {array.size} values but the data has {inputs} input features")
        if not np.all(np.isfinite(array)):
            raise DataError(f"{name} holds a value that is not a finite number")
    if np.any(std_array <= 0):
        raise DataError("data.feature_std must be more than 0 for every feature (1 for a constant one)")
    return mean_array, std_array


def standardized(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """(x - mean) / std for x (n, d), mean and std (d,): a new (n, d) float64 array."""
    return (np.asarray(x, dtype=np.float64) - mean) / std
