"""The loss and accuracy series of a run: per batch (the batch loss) and per epoch (the whole sets).

Per-epoch values are measured at the end of each epoch with the weights after its last update, on the
whole training and test sets, without regularization. They line up by index; a series left unrecorded
(a hand-written project file) is padded with NaN.

The history is part of the state a position restores: the recorder keeps the series of the whole
recorded branch and a cursor, the lengths at the current position. Stepping back or seeking moves the
cursor; replaying forward rewrites the same values (training is deterministic) and appends past the
recorded end. Only a new branch (an edit, a divergence) drops what lies after the cursor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.nn import losses, metrics
from backprop_studio.core.nn.network import forward
from backprop_studio.core.training.snapshot import History


class HistoryRecorder:
    """The growing series of one session; `history()` returns an immutable, cached `History`."""

    def __init__(self, start: History | None = None) -> None:
        start = start or History()
        self.train_loss = list(start.train_loss)
        self.test_loss = list(start.test_loss)
        self.train_acc = list(start.train_accuracy)
        self.test_acc = list(start.test_accuracy)
        self.batch_loss = list(start.batch_loss)
        for series in (self.test_loss, self.train_acc, self.test_acc):
            series.extend([math.nan] * (len(self.train_loss) - len(series)))
        self._epochs, self._batches = len(self.train_loss), len(self.batch_loss)  # the cursor
        self._cache: tuple[tuple[int, int, int], History] | None = None
        self._version = 0  # bumped when the branch changes, so equal lengths never mean equal contents

    @property
    def lengths(self) -> tuple[int, int]:
        """(epochs, batches) recorded up to the current position: what a checkpoint stores to return to."""
        return self._epochs, self._batches

    @property
    def last_train_loss(self) -> float:
        """The training-set loss after the last epoch up to the current position."""
        return self.train_loss[self._epochs - 1]

    def record_batch(self, data_loss: float | None) -> None:
        _put(self.batch_loss, self._batches, data_loss)
        self._batches += 1

    def move_to(self, lengths: tuple[int, int]) -> None:
        """Go back to the position with these `lengths`; what was recorded after it stays for replay."""
        self._epochs, self._batches = lengths

    def drop_future(self) -> None:
        """Forget everything recorded after the current position: a new branch of history starts here."""
        for series in (self.train_loss, self.test_loss, self.train_acc, self.test_acc):
            del series[self._epochs :]
        del self.batch_loss[self._batches :]
        self._version += 1

    def history(self) -> History:
        # Cached: snapshots are taken often and the per-batch history grows long.
        e, b = self._epochs, self._batches
        key = (e, b, self._version)
        if self._cache is None or self._cache[0] != key:
            history = History(
                tuple(self.train_loss[:e]),
                tuple(self.test_loss[:e]),
                tuple(self.train_acc[:e]),
                tuple(self.test_acc[:e]),
                tuple(self.batch_loss[:b]),
            )
            self._cache = (key, history)
        return self._cache[1]

    def end_epoch(
        self,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        acts: Sequence[str],
        dataset: Dataset,
        loss_name: str,
    ) -> list[np.ndarray] | None:
        """Append the epoch's training- and test-set loss and accuracy; return the training set's z per
        layer, each (n_train, n_out), for the end-of-epoch divergence check (None if it is empty)."""
        out = acts[-1]
        train_z = None
        epoch = self._epochs
        self._epochs += 1
        for x, y, loss_series, acc_series in (
            (dataset.x_train, dataset.y_train, self.train_loss, self.train_acc),
            (dataset.x_test, dataset.y_test, self.test_loss, self.test_acc),
        ):
            if x.shape[0] == 0:
                _put(loss_series, epoch, float("nan"))
                _put(acc_series, epoch, float("nan"))
                continue
            outputs = forward(list(weights), list(biases), tuple(acts), x)
            train_z = [z for z, _ in outputs] if train_z is None else train_z
            z, a = outputs[-1]
            _put(loss_series, epoch, losses.value(loss_name, z, a, y))
            classification = dataset.task == "classification"
            _put(acc_series, epoch, metrics.accuracy(out, a, y) if classification else float("nan"))
        return train_z


def _put(series: list[float], index: int, value: float | None) -> None:
    """Write `value` at `index`: a replay rewrites the value recorded there, a new position appends."""
    if index < len(series):
        series[index] = value  # type: ignore[assignment]  # None: a batch loss never computed
    else:
        series.append(value)  # type: ignore[arg-type]
