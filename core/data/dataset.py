"""The samples a session trains on, already turned into network inputs and encoded targets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Dataset:
    """Training and test samples.

    x_train (n_train, n_in) and y_train (n_train, n_out) float64; the same for the test set, which may
    have 0 rows. `task` is "classification" or "regression". For data drawn in the 2-D plane
    (the generators), `points_*` (n, 2) hold the raw (x1, x2) coordinates the input features were
    computed from and `feature_names` says which features; for classification `labels_*` (n,) hold
    the class index of each sample and `classes` how many there are. `target_names` names the
    output columns (for CSV data, the column names). `feature_mean` and `feature_std` (n_in,) are the
    statistics the inputs were standardized with (x = (raw − mean) / std), None when they were not.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    task: str
    feature_names: tuple[str, ...] = ()
    target_names: tuple[str, ...] = ()
    points_train: np.ndarray | None = None
    points_test: np.ndarray | None = None
    labels_train: np.ndarray | None = None
    labels_test: np.ndarray | None = None
    classes: int = 0
    feature_mean: np.ndarray | None = None
    feature_std: np.ndarray | None = None

    @property
    def n_inputs(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def n_outputs(self) -> int:
        return int(self.y_train.shape[1])

    @property
    def is_planar(self) -> bool:
        """True when every sample has a point in the (x1, x2) plane, so a decision map can be drawn."""
        return self.points_train is not None

    @property
    def standardization(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(mean, std), each (n_in,), when the inputs were standardized; None when they are as drawn or read."""
        if self.feature_mean is None or self.feature_std is None:
            return None
        return self.feature_mean, self.feature_std
