"""The one controller: owns the project and its training session, takes every user intent, and tells the
views what changed through signals. It does no maths itself — it calls core/ and forwards what core returns.

Playing runs on the GUI thread in time slices (a QTimer tick does at most ~15 ms of training), so Pause
answers at once; the views refresh from a separate timer at most ~30 times a second, so the number of
training steps and the number of redraws are independent.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from core import evaluation
from core.data import build_dataset
from core.errors import StudioError
from core.fileformat import load_project, save_project
from core.presets_catalog import load_preset
from core.project import Project, capture_project, open_session
from core.session import TrainingSession, initial_parameters
from core.snapshot import Snapshot
from core.spec import DataSpec, NetworkSpec, TrainingSpec

STEP_UNITS = ("phase", "forward", "backward", "update", "batch", "epoch")
GRANULARITIES = ("phase", "pass", "batch", "epoch")
REFRESH_MS = 33
MAP_INTERVAL_S = 0.1
SLICE_S = 0.015
MAX_SPEED = 0  # ticks per second meaning "as fast as possible"


class StudioController(QObject):
    snapshot_changed = Signal(object)  # Snapshot
    maps_changed = Signal(object, object)  # evaluation.OutputMap | None, list of neuron maps | None
    project_replaced = Signal()  # a new session (architecture, data or file changed): views reload
    title_changed = Signal(str)
    playing_changed = Signal(bool)
    focus_changed = Signal(object)  # training-set index of the focused sample, or None for the batch mean
    message = Signal(str, str)  # ("error" | "warning" | "info", text)
    diverged = Signal(str)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._path: str | None = project.source
        self._dirty = False
        self._session = self._new_session(project)
        self._granularity = "phase"
        self._speed = 4.0
        self._focus: int | None = None
        self._want_maps = True
        self._last_maps = 0.0
        self._snapshot: Snapshot | None = None
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._on_tick)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.timeout.connect(self._publish)

    # ------------------------------------------------------------------ state

    @property
    def session(self) -> TrainingSession:
        return self._session

    @property
    def project(self) -> Project:
        return self._project

    @property
    def path(self) -> str | None:
        return self._path

    @property
    def dirty(self) -> bool:
        return self._dirty

    @property
    def playing(self) -> bool:
        return self._tick.isActive()

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            self._snapshot = self._session.snapshot()
        return self._snapshot

    @property
    def focus(self) -> int | None:
        return self._focus

    @property
    def granularity(self) -> str:
        return self._granularity

    @property
    def speed(self) -> float:
        return self._speed

    def title(self) -> str:
        name = os.path.basename(self._path) if self._path else (self._project.name or "Untitled")
        return f"{name}{' •' if self._dirty else ''} — Backprop Studio"

    def focus_position(self, snapshot: Snapshot | None = None) -> int | None:
        """Where the focused sample sits in the current batch: its row, the first row when it is not in
        the batch, or None for the batch mean."""
        snap = snapshot or self.snapshot
        if snap.batch_indices is None or len(snap.batch_indices) == 0:
            return None
        if self._focus is None:
            return None
        rows = (snap.batch_indices == self._focus).nonzero()[0]
        return int(rows[0]) if rows.size else 0

    # ------------------------------------------------------------------ stepping

    def step(self, unit: str = "phase") -> None:
        """One user step: a phase, to the end of the forward or backward pass, the update, a batch or an epoch."""
        self.pause()
        self._guard(lambda: self._advance(unit))
        self._after_change(immediate=True)

    def step_back(self, unit: str = "phase") -> None:
        self.pause()
        self._guard(lambda: self._session.step_back(unit))
        self._after_change(immediate=True)

    def seek(self, step: int) -> None:
        self.pause()
        self._guard(lambda: self._session.seek(step))
        self._after_change(immediate=True)

    def set_granularity(self, unit: str) -> None:
        if unit not in GRANULARITIES:
            raise ValueError(unit)
        self._granularity = unit
        self._restart_tick()

    def set_speed(self, ticks_per_second: float) -> None:
        """Units per second while playing; MAX_SPEED (0) runs as fast as the machine allows."""
        self._speed = ticks_per_second
        self._restart_tick()

    def play(self) -> None:
        if self.playing:
            return
        if self._session.divergence:
            self.message.emit("warning", f"Training diverged ({self._session.divergence}). Step back first.")
            return
        self._restart_tick(force=True)
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._tick.stop()
            self.playing_changed.emit(False)
            self._after_change(immediate=True)

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def _restart_tick(self, force: bool = False) -> None:
        if not (force or self.playing):
            return
        interval = 0 if self._speed == MAX_SPEED else max(1, round(1000 / self._speed))
        self._tick.start(interval)

    def _on_tick(self) -> None:
        deadline = time.perf_counter() + SLICE_S
        unit = self._granularity
        try:
            if self._speed == MAX_SPEED:
                while time.perf_counter() < deadline and not self._session.divergence:
                    self._advance(unit, deadline)
            else:
                self._advance(unit, deadline)
        except StudioError as exc:
            self.pause()
            self.message.emit("error", str(exc))
        self._dirty = True
        if self._session.divergence:
            self.pause()
            self.diverged.emit(self._session.divergence)
        self._after_change(immediate=False)

    def _advance(self, unit: str, deadline: float | None = None) -> None:
        s = self._session

        def out_of_time() -> bool:
            return deadline is not None and time.perf_counter() > deadline

        if unit == "phase":
            s.step()
        elif unit == "forward":
            s.step_forward_pass()
        elif unit == "backward":
            s.step_backward_pass()
        elif unit == "pass":
            s.step_until(
                lambda p: p.kind == "loss" or p.kind == "update" or (p.kind == "backward" and p.layer == 1)
            )
        elif unit in ("update", "batch"):
            s.step_update()
        elif unit == "epoch":
            per_epoch = s.boundary_steps("epoch")
            remaining = per_epoch - s.step_count % per_epoch
            s.run_phases(remaining, should_stop=out_of_time if deadline is not None else None)
        else:
            raise ValueError(unit)
        self._dirty = True

    # ------------------------------------------------------------------ publishing

    def _after_change(self, immediate: bool) -> None:
        self._snapshot = None
        self.title_changed.emit(self.title())
        if immediate:
            self._refresh.stop()
            self._publish()
        elif not self._refresh.isActive():
            self._refresh.start(REFRESH_MS)

    def _publish(self) -> None:
        snap = self.snapshot
        self.snapshot_changed.emit(snap)
        now = time.perf_counter()
        if self._want_maps and (not self.playing or now - self._last_maps > MAP_INTERVAL_S):
            self._last_maps = now
            self._publish_maps(snap)

    def _publish_maps(self, snap: Snapshot) -> None:
        ds = self._session.dataset
        if not ds.is_planar:
            self.maps_changed.emit(None, None)
            return
        extent = evaluation.plane_extent(ds)
        names = ds.feature_names
        output = evaluation.output_map(snap.weights, snap.biases, snap.activations, names, extent)
        neurons = evaluation.neuron_maps(snap.weights, snap.biases, snap.activations, names, extent)
        self.maps_changed.emit(output, neurons)

    def set_maps_wanted(self, wanted: bool) -> None:
        self._want_maps = wanted
        if wanted:
            self._publish_maps(self.snapshot)

    def set_focus(self, train_index: int | None) -> None:
        self._focus = train_index
        self.focus_changed.emit(train_index)
        self.snapshot_changed.emit(self.snapshot)

    # ------------------------------------------------------------------ editing

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        self._guard(lambda: self._session.set_weight(layer, i, j, value))
        self._dirty = True
        self._after_change(immediate=True)

    def set_bias(self, layer: int, j: int, value: float) -> None:
        self._guard(lambda: self._session.set_bias(layer, j, value))
        self._dirty = True
        self._after_change(immediate=True)

    def apply_specs(self, network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> bool:
        """Take edited settings. Architecture or data changes start a new session that keeps the weights
        of layers whose shape did not change; settings that shape the whole run (batch size, shuffling,
        loss) keep weights and history; optimiser, learning rate and regularisation apply from here on."""
        self.pause()
        old = self._project
        try:
            if network != old.network or data != old.data or training.seed != old.training.seed:
                self._rebuild(network, training, data, keep_weights=training.seed == old.training.seed)
            elif training != old.training:
                fixed = ("batch_size", "shuffle", "loss")
                if any(getattr(training, f) != getattr(old.training, f) for f in fixed):
                    self._session = self._session.with_training(training)
                    self.project_replaced.emit()
                else:
                    self._session.set_training(training)
                self._project = replace(old, training=training)
            else:
                return True
        except StudioError as exc:
            self.message.emit("error", str(exc))
            return False
        self._dirty = True
        self._after_change(immediate=True)
        return True

    def _rebuild(
        self, network: NetworkSpec, training: TrainingSpec, data: DataSpec, keep_weights: bool
    ) -> None:
        base_dir = os.path.dirname(os.path.abspath(self._path)) if self._path else None
        dataset = build_dataset(data, network, training.loss, base_dir)  # raises before anything changes
        weights = biases = None
        if keep_weights:
            weights, biases = initial_parameters(network, training.seed)
            old = self._session
            for k, (w, b) in enumerate(zip(old.weights, old.biases, strict=True)):
                if k < len(weights) and weights[k].shape == w.shape:
                    weights[k], biases[k] = w.copy(), b.copy()
        session = TrainingSession(network, training, dataset, weights, biases)
        self._project = replace(
            self._project,
            network=network,
            training=training,
            data=data,
            weights=None,
            biases=None,
            optimizer_state=None,
            history=session.history(),
            epochs_completed=0,
        )
        self._session = session
        self._focus = None
        self.project_replaced.emit()

    def import_csv(self, options: dict) -> bool:
        data = DataSpec(
            kind="csv",
            path=options["path"],
            targets=tuple(options.get("targets") or ()),
            one_hot=options.get("one_hot") or None,
            train_fraction=float(options.get("train_fraction", 0.8)),
            seed=int(options.get("seed", 0)),
        )
        return self.apply_specs(self._project.network, self._project.training, data)

    def reset(self) -> None:
        """Re-initialise from the seed: the same run can be watched again."""
        self.pause()
        p = self._project
        self._guard(lambda: self._rebuild(p.network, p.training, p.data, keep_weights=False))
        self._dirty = True
        self._after_change(immediate=True)

    def randomise(self) -> None:
        """A new seed, and fresh weights from it."""
        training = replace(self._project.training, seed=random.randrange(2**31))
        self.apply_specs(self._project.network, training, self._project.data)

    # ------------------------------------------------------------------ files

    def open_file(self, path: str) -> bool:
        try:
            project = load_project(path)
            session = self._new_session(project)
        except (StudioError, OSError) as exc:
            self.message.emit("error", f"Could not open {path}: {exc}")
            return False
        self._replace_project(project, session, path)
        return True

    def open_preset(self, name: str) -> bool:
        try:
            project = load_preset(name)
            session = self._new_session(project)
        except StudioError as exc:
            self.message.emit("error", str(exc))
            return False
        self._replace_project(project, session, None)
        return True

    def save(self, path: str | None = None) -> bool:
        target = path or self._path
        if target is None:
            raise ValueError("save needs a path for an untitled project")
        project = capture_project(self._session, self._project)
        try:
            save_project(project, target)
        except (StudioError, OSError) as exc:
            self.message.emit("error", f"Could not save {target}: {exc}")
            return False
        self._project = replace(project, source=os.path.abspath(target))
        self._path = target
        self._dirty = False
        self.title_changed.emit(self.title())
        self.message.emit("info", f"Saved {target}")
        return True

    def _replace_project(self, project: Project, session: TrainingSession, path: str | None) -> None:
        self.pause()
        self._project, self._session, self._path = project, session, path
        self._dirty = False
        self._focus = None
        self.project_replaced.emit()
        self._after_change(immediate=True)

    @staticmethod
    def _new_session(project: Project) -> TrainingSession:
        return open_session(project)

    def _guard(self, action) -> None:
        try:
            action()
        except StudioError as exc:
            self.message.emit("error", str(exc))
