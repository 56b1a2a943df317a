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

import copy
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.nn import losses, metrics
from backprop_studio.core.nn.network import forward
from backprop_studio.core.training.series import SeriesBuffer
from backprop_studio.core.training.snapshot import History


class HistoryRecorder:
    """The growing series of one session in `SeriesBuffer`s; `history()` hands out views, never copies."""

    def __init__(self, start: History | None = None) -> None:
        start = start or History()
        epochs = start.train_loss.entries
        self.train_loss = SeriesBuffer(start.train_loss)
        self.test_loss = SeriesBuffer(start.test_loss, epochs)
        self.train_acc = SeriesBuffer(start.train_accuracy, epochs)
        self.test_acc = SeriesBuffer(start.test_accuracy, epochs)
        self.batch_loss = SeriesBuffer(start.batch_loss)
        self._epochs, self._batches = epochs, start.batch_loss.entries  # the cursor
        self._cache: tuple[tuple[int, int, int], History] | None = None
        self._version = 0  # bumped when stored points change, so equal lengths never mean equal contents

    def __deepcopy__(self, memo: dict[int, Any]) -> HistoryRecorder:
        """A recorder with its own cursor over stores that share their arrays copy on write (see
        `SeriesBuffer.__deepcopy__`); the cached History is not copied (a fork makes its own)."""
        twin = copy.copy(self)
        for name in ("train_loss", "test_loss", "train_acc", "test_acc", "batch_loss"):
            setattr(twin, name, copy.deepcopy(getattr(self, name), memo))
        twin._cache = None
        return twin

    @property
    def lengths(self) -> tuple[int, int]:
        """(epochs, batches) recorded up to the current position: what a checkpoint stores to return to."""
        return self._epochs, self._batches

    @property
    def nbytes(self) -> int:
        """Bytes held by the five series' stores (what the memory budget counts for the history)."""
        return sum(b.nbytes for b in self._epoch_series()) + self.batch_loss.nbytes

    @property
    def last_train_loss(self) -> float:
        """The training-set loss after the last epoch up to the current position."""
        return self.train_loss.value_at(self._epochs - 1)

    def _epoch_series(self) -> tuple[SeriesBuffer, ...]:
        return (self.train_loss, self.test_loss, self.train_acc, self.test_acc)

    def record_batch(self, data_loss: float | None) -> bool:
        """Record the batch loss (None: never computed, stored as NaN); return whether the store grew."""
        grew = self.batch_loss.put(self._batches, data_loss)
        self._batches += 1
        return grew

    def move_to(self, lengths: tuple[int, int]) -> None:
        """Go back to the position with these `lengths`; what was recorded after it stays for replay."""
        self._epochs, self._batches = lengths

    def drop_future(self) -> None:
        """Forget everything recorded after the current position: a new branch of history starts here."""
        for series in self._epoch_series():
            series.truncate(self._epochs)
        self.batch_loss.truncate(self._batches)
        self._version += 1

    def compact(self, lengths: tuple[int, int]) -> int:
        """Merge old points (see `series`) of the epochs and batches before `lengths`, which no stored
        checkpoint can replay; return the bytes saved."""
        saved = sum(series.compact(lengths[0]) for series in self._epoch_series())
        saved += self.batch_loss.compact(lengths[1])
        self._version += 1
        return saved

    def history(self) -> History:
        # Cached: snapshots are taken often. Views cost O(1), but five of them per snapshot still add up.
        e, b = self._epochs, self._batches
        key = (e, b, self._version)
        if self._cache is None or self._cache[0] != key:
            history = History(
                self.train_loss.view(e),
                self.test_loss.view(e),
                self.train_acc.view(e),
                self.test_acc.view(e),
                self.batch_loss.view(b),
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
        for x, y, loss_series, acc_series in (  # each a SeriesBuffer
            (dataset.x_train, dataset.y_train, self.train_loss, self.train_acc),
            (dataset.x_test, dataset.y_test, self.test_loss, self.test_acc),
        ):
            if x.shape[0] == 0:
                loss_series.put(epoch, math.nan)
                acc_series.put(epoch, math.nan)
                continue
            outputs = forward(list(weights), list(biases), tuple(acts), x)
            train_z = [z for z, _ in outputs] if train_z is None else train_z
            z, a = outputs[-1]
            loss_series.put(epoch, losses.value(loss_name, z, a, y))
            classification = dataset.task == "classification"
            acc_series.put(epoch, metrics.accuracy(out, a, y) if classification else math.nan)
        return train_z
