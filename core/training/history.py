"""The loss and accuracy series of a run: per batch (the batch loss) and per epoch (the whole sets).

Per-epoch values are measured at the end of each epoch with the weights after its last update, on the
whole training and test sets, without regularization. They line up by index; a series left unrecorded
(a hand-written project file) is padded with NaN. Stepping back cuts the series back to their length
at the restored position.
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
        self._cache: tuple[tuple[int, int, int], History] | None = None
        self._version = 0  # bumped when cut back, so equal lengths never mean equal contents

    @property
    def lengths(self) -> tuple[int, int]:
        """(epochs recorded, batches recorded): what a checkpoint stores to cut back to."""
        return len(self.train_loss), len(self.batch_loss)

    def record_batch(self, data_loss: float | None) -> None:
        self.batch_loss.append(data_loss)  # type: ignore[arg-type]  # set by the loss phase before

    def cut_back(self, lengths: tuple[int, int]) -> None:
        """Forget everything recorded after the position with these `lengths`."""
        epochs, batches = lengths
        for series in (self.train_loss, self.test_loss, self.train_acc, self.test_acc):
            del series[epochs:]
        del self.batch_loss[batches:]
        self._version += 1

    def history(self) -> History:
        # Cached: snapshots are taken often and the per-batch history grows long.
        key = (len(self.train_loss), len(self.batch_loss), self._version)
        if self._cache is None or self._cache[0] != key:
            history = History(
                tuple(self.train_loss),
                tuple(self.test_loss),
                tuple(self.train_acc),
                tuple(self.test_acc),
                tuple(self.batch_loss),
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
        for x, y, loss_series, acc_series in (
            (dataset.x_train, dataset.y_train, self.train_loss, self.train_acc),
            (dataset.x_test, dataset.y_test, self.test_loss, self.test_acc),
        ):
            if x.shape[0] == 0:
                loss_series.append(float("nan"))
                acc_series.append(float("nan"))
                continue
            outputs = forward(list(weights), list(biases), tuple(acts), x)
            train_z = [z for z, _ in outputs] if train_z is None else train_z
            z, a = outputs[-1]
            loss_series.append(losses.value(loss_name, z, a, y))
            classification = dataset.task == "classification"
            acc_series.append(metrics.accuracy(out, a, y) if classification else float("nan"))
        return train_z
