"""The predicted class of every counted sample and the confusion counts (`core.analysis.confusion`), made
from a snapshot: at once for small work, on a worker thread for large (`maps.SYNC_WORK`).

A forward pass over up to 100,000 rows of each split took 1.7 s of the window's thread after a
1,000,000-row, 3-class CSV import (the whole import's longest stall). As the maps of a large network,
such frames are made on a worker, newest snapshot first; `cost` is the time the last one took wherever it
ran, so the publisher still spaces them out while playing.
"""

from __future__ import annotations

import time

from backprop_studio.core.analysis.confusion import COUNTED_ROWS, ConfusionFrame, confusion_frame
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.controller.maps import SYNC_WORK
from backprop_studio.gui.controller.newest_worker import NewestOnWorker
from PySide6.QtCore import QObject, Signal


def work(snap: Snapshot, dataset: Dataset) -> int:
    """Rows × units of the forward pass that counts the classes."""
    rows = min(len(dataset.x_train), COUNTED_ROWS) + min(len(dataset.x_test), COUNTED_ROWS)
    return rows * sum(snap.sizes[1:])


class ClassesMaker(QObject):
    """`request(snap, dataset)`; `ready(ConfusionFrame | None)` follows, at once for small work, else from
    a worker thread. Only the newest request's frame is delivered."""

    ready = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = NewestOnWorker(self._timed, "classes", self)
        self._worker.delivered.connect(lambda _request, frame: self.ready.emit(frame))
        self.cost = 0.0  # seconds the last frame took to make

    @property
    def busy(self) -> bool:
        return self._worker.busy

    def request(self, snap: Snapshot, dataset: Dataset) -> None:
        if dataset.labels_train is None or work(snap, dataset) < SYNC_WORK:
            self._worker.newest = None  # a frame still being made is now too old
            self.ready.emit(self._timed((snap, dataset)))
            return
        self._worker.submit((snap, dataset))

    def _timed(self, request: object) -> ConfusionFrame | None:
        snap, dataset = request  # type: ignore[misc]
        start = time.perf_counter()
        frame = confusion_frame(snap, dataset)
        self.cost = time.perf_counter() - start
        return frame
