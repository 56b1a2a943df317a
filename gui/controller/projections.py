"""The principal components the data panel's Projection tab draws, for data too large to decompose while
the window waits (`core.analysis.projection.is_quick`): a 4-input set of a million rows took ~300 ms on
the window's thread. They are computed on a worker (`NewestOnWorker`, as the maps of a large network)
and published with the data set they belong to; the panel says "computing projection…" until then.
Small data sets are decomposed by the panel itself at once, as before.
"""

from __future__ import annotations

from backprop_studio.core.analysis.projection import Projection, applies_to, is_quick, principal_components
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.gui.controller.newest_worker import NewestOnWorker
from PySide6.QtCore import QObject, Signal


def _components(dataset: object) -> Projection:
    assert isinstance(dataset, Dataset)
    return principal_components(dataset.x_train)


class ProjectionMaker(QObject):
    """`request(dataset)`; `ready(dataset, Projection)` follows from the worker for a large data set the
    projection applies to (at once when it was made already). Only the newest data set's is delivered."""

    ready = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = NewestOnWorker(_components, "projection", self)
        self._worker.delivered.connect(self._keep)
        self._made: tuple[Dataset, Projection] | None = None  # the last one: asked for again on reloads

    @property
    def busy(self) -> bool:
        return self._worker.busy

    def request(self, dataset: Dataset) -> None:
        if not applies_to(dataset) or is_quick(dataset):
            self._worker.newest = None  # a result for an earlier data set is not wanted any more
            return
        if self._made is not None and self._made[0] is dataset:
            self.ready.emit(*self._made)
        elif self._worker.newest is not dataset:
            self._made = None
            self._worker.submit(dataset)

    def _keep(self, dataset: object, projection: object) -> None:
        assert isinstance(dataset, Dataset) and isinstance(projection, Projection)
        self._made = (dataset, projection)
        self.ready.emit(dataset, projection)
