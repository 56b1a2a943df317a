"""What a view shows for "this sample" or "the batch mean": one rule, used by the canvas, the Inspector,
the Neuron zoom and recordings alike.

A `Focus` names one row of the current batch, or `row=None` for the mean over the batch. Per-sample
arrays are (batch, units); the picked values are (units,). Parameters and their gradients (W, dL/dW,
b, dL/db) are already batch-wide and are never picked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.core.training.snapshot import Snapshot


@dataclass(frozen=True)
class Focus:
    """One row of the batch (0-based), or the batch mean when `row` is None."""

    row: int | None = 0

    @property
    def is_mean(self) -> bool:
        return self.row is None

    def valid_row(self, batch_size: int) -> int | None:
        """The row to read, or None for the mean (also when the row is not in a batch of this size)."""
        if self.row is not None and 0 <= self.row < batch_size:
            return self.row
        return None


BATCH_MEAN = Focus(None)


def pick(array: np.ndarray | None, focus: Focus) -> np.ndarray | None:
    """(batch, units) → (units,): the focused row, or the mean over the batch; 1-D arrays pass through."""
    if array is None:
        return None
    if array.ndim == 1:
        return array
    row = focus.valid_row(array.shape[0])
    if row is not None:
        return array[row]
    return array.mean(axis=0)


def column_values(snapshot: Snapshot, focus: Focus, gradients: bool) -> list[np.ndarray | None]:
    """Per column (inputs, then each layer): a or dL/dz (x or dL/dx for inputs); None if not computed yet."""
    first = snapshot.dx if gradients else snapshot.x
    cols = [pick(first, focus)]
    for layer in snapshot.layers:
        cols.append(pick(layer.dz if gradients else layer.a, focus))
    return cols
