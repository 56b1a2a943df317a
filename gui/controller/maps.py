"""The input-plane maps the data panel and the canvas's heat maps draw, made from a snapshot.

A map is a forward pass over a grid of the plane (or over the first samples of each split): its cost
and memory grow with grid cells × units. A small network's maps are made at once on the GUI thread, as
before. A large network's (`SYNC_WORK`) are made on a worker thread, newest request first, so the window
keeps repainting while a 100,000-unit network's maps are computed (one Step there used to freeze the
window for seconds in these maps, not in the step). Their resolution shrinks so that one pass holds at
most `MAX_CELL_UNITS` values per array (a 64 × 64 grid over 100,000 units would be 3.3 GB per array).
"""

from __future__ import annotations

import math

import numpy as np
from backprop_studio.core.analysis import evaluation
from backprop_studio.core.analysis.frame_data import MAP_RESOLUTION, SHOWN_POINTS, FrameData, frame_inputs
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.controller.newest_worker import NewestOnWorker
from PySide6.QtCore import QObject, QTimer, Signal

NEURON_RESOLUTION = 24  # cells per side of each neuron's map (evaluation.neuron_maps' default)
# Grid cells × units made on the GUI thread: ~10 to 40 ms here (a 64 × 64 grid over 500 units).
SYNC_WORK = 2_000_000
MAX_CELL_UNITS = 20_000_000  # values per array of one pass: 160 MB of float64
MIN_RESOLUTION = 8


def fitted(resolution: int, units: int) -> int:
    """`resolution` cells a side, or fewer so that resolution² × units stays within MAX_CELL_UNITS."""
    most = math.isqrt(max(1, MAX_CELL_UNITS // max(units, 1)))
    return max(MIN_RESOLUTION, min(resolution, most))


def _units(snap: Snapshot) -> int:
    return sum(snap.sizes[1:])


def work(snap: Snapshot, dataset: Dataset) -> int:
    """Grid cells (or rows) × units of the maps for this snapshot."""
    units = _units(snap)
    if dataset.is_planar:
        cells = fitted(MAP_RESOLUTION, units) ** 2 + fitted(NEURON_RESOLUTION, units) ** 2
    else:
        cells = min(len(dataset.x_train), SHOWN_POINTS) + min(len(dataset.x_test), SHOWN_POINTS)
    return cells * units


def make_maps(snap: Snapshot, dataset: Dataset) -> tuple[FrameData, list | None]:
    """(FrameData, neuron maps over the plane or None): pure, so a worker thread may run it."""
    units = _units(snap)
    points = max(1, min(SHOWN_POINTS, MAX_CELL_UNITS // max(units, 1)))
    # Off the plane: predictions for the first `points` samples of each split (and a curve for 1 input);
    # the panel draws no more, and a million rows would cost seconds a frame.
    data = frame_inputs(snap, dataset, max_points=points, map_resolution=fitted(MAP_RESOLUTION, units))
    neurons = None
    if dataset.is_planar:
        extent = evaluation.plane_extent(dataset)
        names = dataset.feature_names
        resolution = fitted(NEURON_RESOLUTION, units)
        neurons = evaluation.neuron_maps(
            snap.weights, snap.biases, snap.activations, names, extent, resolution, dataset.standardization
        )
    return data, neurons


class MapMaker(QObject):
    """`request(snap, dataset)`; `ready(FrameData, neuron maps)` follows, at once for small work, else
    from a worker thread (queued to the GUI thread). Only the newest request's maps are delivered."""

    ready = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = NewestOnWorker(lambda request: make_maps(*request), "maps", self)
        self._worker.delivered.connect(lambda _request, made: self.ready.emit(*made))
        self._this_turn: tuple[Dataset, Snapshot] | None = None  # see `_repeats`

    @property
    def busy(self) -> bool:
        return self._worker.busy

    def request(self, snap: Snapshot, dataset: Dataset, again: bool = False) -> None:
        """Maps for `snap`; `again`: also when they were just made (a view that ignored them wants them)."""
        if self._repeats(snap, dataset) and not again:
            return
        request = (snap, dataset)
        if work(snap, dataset) < SYNC_WORK:
            self._worker.newest = request  # maps still being made on the worker are now too old
            self.ready.emit(*make_maps(snap, dataset))
            return
        self._worker.submit(request)

    def _repeats(self, snap: Snapshot, dataset: Dataset) -> bool:
        """Whether the same maps were asked for earlier in this turn of the event loop: a new session
        is published twice in a row (the views reload, then the change is published), and drawing a
        million-row data set's predictions twice doubled the window's longest stall after an import."""
        last = self._this_turn
        if last is not None and last[0] is dataset and last[1].step == snap.step:
            same = zip((*last[1].weights, *last[1].biases), (*snap.weights, *snap.biases), strict=False)
            if len(last[1].weights) == len(snap.weights) and all(np.array_equal(a, b) for a, b in same):
                return True
        if last is None:
            QTimer.singleShot(0, self._next_turn)
        self._this_turn = (dataset, snap)
        return False

    def _next_turn(self) -> None:
        self._this_turn = None
