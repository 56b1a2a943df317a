"""Publishing: when and what the views are told after training moved.

While playing, a steady frame clock publishes whatever changed since the last frame, so the refresh rate
does not depend on how long a training slice or a publish takes. Each publish sends the snapshot (the
canvas follows every frame), gradient health (always recorded, so its curves have no gaps), and, at
most every `MAP_INTERVAL_S` and `PANEL_INTERVAL_S`, the input-plane maps and the plots and text panels:
repainting those at the canvas's rate would halve the frame rate for no visible gain. For classification
the predicted class of every sample and the confusion counts (`core.analysis.confusion`) follow at most
every `CLASSES_INTERVAL_S`, and never take more than a tenth of the time: a forward pass over a large
data set stretches its own interval.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from backprop_studio.core.analysis import health
from backprop_studio.core.analysis.health_recorder import HealthRecorder
from backprop_studio.core.training.session import TrainingSession
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.controller.classes import ClassesMaker
from backprop_studio.gui.controller.maps import MapMaker
from backprop_studio.gui.controller.projections import ProjectionMaker
from PySide6.QtCore import QObject, Qt, QTimer, Signal

REFRESH_MS = 33  # the frame clock: at most ~30 publishes a second
MAP_INTERVAL_S = 0.1  # input-plane maps while playing
PANEL_INTERVAL_S = 0.1  # plots and text panels while playing
CLASSES_INTERVAL_S = 0.25  # predicted classes and confusion counts while playing (at least)
CLASSES_SHARE = 0.1  # ... and at most this share of the time spent on them


class Publisher(QObject):
    """Tells the views what changed. `state()` gives the current snapshot and session on demand (the
    controller drops its cached snapshot before asking for a publish)."""

    snapshot_changed = Signal(object)  # Snapshot, every frame
    panels_changed = Signal(object)  # Snapshot, for the plots and text panels (~10/s while playing)
    # FrameData (what the data panel draws, the same recordings paint), neuron maps over the plane | None
    maps_changed = Signal(object, object)
    health_changed = Signal(object, object, object)  # HealthRecorder, tuple[LayerHealth, ...], histograms
    classes_changed = Signal(object)  # ConfusionFrame (predicted classes, counts) | None for regression
    projection_changed = Signal(object, object)  # Dataset, its Projection (large data sets, from a worker)

    def __init__(
        self,
        snapshot: Callable[[], Snapshot],
        session: Callable[[], TrainingSession],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._snapshot = snapshot
        self._session = session
        self._playing = False
        self._health = HealthRecorder()
        self._want_health = True
        self._want_maps = True
        self._last_maps = 0.0
        self._last_panels = 0.0
        self._last_classes = 0.0
        self._pending = False
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.timeout.connect(self.publish)
        self._frame = QTimer(self)
        self._frame.setTimerType(Qt.TimerType.PreciseTimer)
        self._frame.timeout.connect(self._on_frame)
        self._maps = MapMaker(self)
        self._maps.ready.connect(self.maps_changed)
        self._classes = ClassesMaker(self)  # a large data set's classes are counted on a worker
        self._classes.ready.connect(self.classes_changed)
        self._projections = ProjectionMaker(self)
        self._projections.ready.connect(self.projection_changed)

    @property
    def health_recorder(self) -> HealthRecorder:
        return self._health

    def forget_health(self) -> None:
        """A new session counts its steps from 0 again."""
        self._health = HealthRecorder()

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        if playing:
            self._frame.start(REFRESH_MS)
        else:
            self._frame.stop()

    def changed(self, immediate: bool) -> None:
        """Training or an edit changed the session: publish now, or at the next frame."""
        if immediate:
            self._refresh.stop()
            self._pending = False
            self.publish()
        elif self._frame.isActive():
            self._pending = True
        elif not self._refresh.isActive():
            self._refresh.start(REFRESH_MS)

    def _on_frame(self) -> None:
        if self._pending:
            self._pending = False
            self.publish()

    def publish(self) -> None:
        snap = self._snapshot()
        self.snapshot_changed.emit(snap)
        now = time.perf_counter()
        if not self._playing or now - self._last_panels >= PANEL_INTERVAL_S:
            self._last_panels = now
            self.panels_changed.emit(snap)
        self._publish_health(snap)
        if self._want_maps and (not self._playing or now - self._last_maps > MAP_INTERVAL_S):
            self._last_maps = now
            self._publish_maps(snap)
        interval = max(CLASSES_INTERVAL_S, self._classes.cost / CLASSES_SHARE)
        if self._want_maps and (not self._playing or now - self._last_classes > interval):
            self._last_classes = now
            self._publish_classes(snap)

    def republish_snapshot(self) -> None:
        """The snapshot did not change but how it is shown did (the focus): every view redraws."""
        snap = self._snapshot()
        self.snapshot_changed.emit(snap)
        self.panels_changed.emit(snap)

    def _publish_health(self, snap: Snapshot) -> None:
        # Norms of weights that blew up overflow to inf, which is what the panel should show, not a warning.
        with np.errstate(all="ignore"):
            layers = health.layer_health(snap)
        # Recording an earlier step (a step back, a seek, an edit) drops what was recorded after it.
        self._health.record(snap.step, layers)
        if self._want_health:
            with np.errstate(all="ignore"):
                histograms = health.histograms(snap)
            self.health_changed.emit(self._health, layers, histograms)

    def set_health_wanted(self, wanted: bool) -> None:
        """Whether health is published (the window turns it off while its panel is hidden)."""
        self._want_health = wanted
        if wanted:
            self._publish_health(self._snapshot())

    def set_maps_wanted(self, wanted: bool) -> None:
        self._want_maps = wanted
        if wanted:  # the view that asks may have dropped the last maps: send them again
            snap = self._snapshot()
            self._maps.request(snap, self._session().dataset, again=True)
            self._projections.request(self._session().dataset)
            self._publish_classes(snap)

    def _publish_maps(self, snap: Snapshot) -> None:
        # A large network's maps are made on a worker (gui/controller/maps.py): they arrive later.
        self._maps.request(snap, self._session().dataset)

    def _publish_classes(self, snap: Snapshot) -> None:
        self._classes.request(snap, self._session().dataset)
