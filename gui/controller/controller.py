"""The one controller: owns the project and its training session, takes every user intent, and tells the
views what changed through signals. It does no maths itself — it calls core/ and forwards what core returns.

Playing runs on the GUI thread in time slices (a QTimer tick does at most ~15 ms of training), so Pause
answers at once; the views refresh from a separate timer at most ~30 times a second, so the number of
training steps and the number of redraws are independent.

The debugger lives here too: breakpoints (`backprop_studio.core.debugger.watch`) are checked after every phase while any is
enabled, so play and multi-phase steps stop at the exact phase a condition fires; gradient health is
recorded at the publish rate; and the gradient check runs on the batch being shown.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from backprop_studio.core.analysis import evaluation, gradcheck, health
from backprop_studio.core.analysis.health_recorder import HealthRecorder
from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.debugger.watch import (
    DIVERGENCE,
    Hit,
    Watch,
    WatchList,
    run_until_hit,
    watches_from_dicts,
    watches_to_dicts,
)
from backprop_studio.core.errors import StudioError
from backprop_studio.core.project.fileformat import load_project, save_project
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import Project, capture_project, open_session
from backprop_studio.core.spec import DataSpec, NetworkSpec, TrainingSpec, new_seed
from backprop_studio.core.training.session import TrainingSession, initial_parameters
from backprop_studio.core.training.snapshot import Snapshot
from PySide6.QtCore import QObject, Qt, QTimer, Signal

STEP_UNITS = ("phase", "forward", "backward", "update", "batch", "epoch")
GRANULARITIES = ("phase", "pass", "batch", "epoch")
REFRESH_MS = 33
MAP_INTERVAL_S = 0.1
STEP_BUDGET_S = 0.1  # a single Step runs this long at once before continuing in slices
SLICE_S = 0.008  # one training slice; short, so the frame clock is never late by more than this
MAX_SPEED = 0  # ticks per second meaning "as fast as possible"
# The finite-difference check runs four forward passes per parameter: every parameter of a small net is
# checked in well under a second, a big one gets a random sample per layer instead.


@dataclass(frozen=True, eq=False)
class GradCheckRun:
    """One gradient check: the core's report, the analytic gradients it compared (after any injected
    fault), and where in training it ran."""

    report: gradcheck.GradCheckReport
    analytic_W: tuple[np.ndarray, ...]
    analytic_b: tuple[np.ndarray, ...]
    step: int
    where: str  # e.g. "epoch 1 · batch 3/20 · after backward through layer 1"
    parameters: int  # in the whole network
    sampled: bool  # True when only a random sample per layer was checked

    @property
    def checked(self) -> int:
        return sum(layer.checked for layer in self.report.layers)


def _always_yes() -> bool:
    return True


class StudioController(QObject):
    snapshot_changed = Signal(object)  # Snapshot
    maps_changed = Signal(object, object)  # evaluation.OutputMap | None, list of neuron maps | None
    predictions_changed = Signal(object, object)  # outputs on the training and test sets (non-planar data)
    project_replaced = Signal()  # a new session (architecture, data or file changed): views reload
    title_changed = Signal(str)
    playing_changed = Signal(bool)
    focus_changed = Signal(object)  # training-set index of the focused sample, or None for the batch mean
    message = Signal(str, str)  # ("error" | "warning" | "info", text)
    diverged = Signal(str)  # a divergence during play that no enabled "nonfinite" breakpoint reported
    watches_changed = Signal(object)  # tuple[Watch, ...]: the breakpoints now in force
    breakpoint_hit = Signal(
        object
    )  # backprop_studio.core.debugger.watch.Hit: play or a step stopped at this phase
    health_changed = Signal(object, object, object)  # HealthRecorder, tuple[LayerHealth, ...], histograms
    gradcheck_done = Signal(object)  # GradCheckRun
    edit_cancelled = Signal()  # an edit was declined by confirm_discard_future: views show the old values

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._path: str | None = project.source
        self._dirty = False
        self._watches = WatchList(watches_from_dicts(project.breakpoints))
        self._session = self._new_session(project)
        # Asked before an edit that would drop the recorded steps after the current one; the window
        # replaces it with a question to the user. False leaves everything as it was.
        self.confirm_discard_future: Callable[[], bool] = _always_yes
        # Tests (and teaching) can corrupt the analytic dL/dW the gradient check compares, to see it caught.
        self.gradient_fault: Callable[[list[np.ndarray]], list[np.ndarray]] | None = None
        self._last_hit: Hit | None = None
        self._gradcheck: GradCheckRun | None = None
        self._health = HealthRecorder()
        self._want_health = True
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
        # While playing, a steady frame clock publishes whatever changed since the last frame, so the
        # refresh rate does not depend on how long a training slice or a publish takes.
        self._frame = QTimer(self)
        self._frame.setTimerType(Qt.TimerType.PreciseTimer)
        self._frame.timeout.connect(self._on_frame)
        self._pending = False
        self._goal: int | None = None  # the step a sliced "Step epoch" is heading for

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

    @property
    def watches(self) -> tuple[Watch, ...]:
        return self._watches.watches

    @property
    def current_hit(self) -> Hit | None:
        """The last breakpoint hit while the session still stands at its step (and nothing was edited
        since): what the canvas should mark. Stepping away clears it; stepping back onto it shows it again."""
        hit = self._last_hit
        return hit if hit is not None and hit.step == self._session.step_count else None

    @property
    def current_gradcheck(self) -> GradCheckRun | None:
        """The last gradient check while the session still stands at the step it checked."""
        run = self._gradcheck
        return run if run is not None and run.step == self._session.step_count else None

    @property
    def health(self) -> HealthRecorder:
        return self._health

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
        """One user step: a phase, to the end of the forward or backward pass, the update, a batch or an
        epoch. With breakpoints enabled it stops early at a phase where one fires."""
        self.pause()
        hits: list[Hit | None] = []
        if unit == "epoch":
            # A long epoch must not freeze the window: run up to STEP_BUDGET_S now, and if it is not done,
            # finish it in time slices like Play (the timeline shows progress, Pause cancels).
            goal = self._session.step_count + self.phases_in("epoch")
            self._guard(lambda: hits.append(self._advance(unit, time.perf_counter() + STEP_BUDGET_S)))
            if not (hits and hits[0]) and self._session.step_count < goal and not self._session.divergence:
                self._goal = goal
                self._tick.start(0)
                self._frame.start(REFRESH_MS)
                self.playing_changed.emit(True)
                self._after_change(immediate=True)
                return
        else:
            self._guard(lambda: hits.append(self._advance(unit)))
        hit = hits[0] if hits else None
        if hit is not None and hit.watch is not DIVERGENCE:
            self._last_hit = hit
        self._after_change(immediate=True)
        if hit is not None and hit.watch is not DIVERGENCE:
            self.breakpoint_hit.emit(hit)

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
        self._frame.start(REFRESH_MS)
        self.playing_changed.emit(True)

    def pause(self) -> None:
        self._goal = None
        if self.playing:
            self._tick.stop()
            self._frame.stop()
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
        unit = "epoch" if self._goal is not None else self._granularity
        hit: Hit | None = None
        try:
            if self._speed == MAX_SPEED or self._goal is not None:
                while time.perf_counter() < deadline and not self._session.divergence and hit is None:
                    if self._goal is not None and self._session.step_count >= self._goal:
                        break  # a sliced Step epoch stops exactly at the end of its epoch
                    hit = self._advance(unit, deadline)
            else:
                hit = self._advance(unit, deadline)
        except StudioError as exc:
            self.pause()
            self.message.emit("error", str(exc))
        self._dirty = True
        if hit is not None and hit.watch is not DIVERGENCE:
            self._last_hit = hit
            self.pause()  # publishes the snapshot of the hit's phase at once
            self.breakpoint_hit.emit(hit)
            return
        if self._session.divergence:
            self.pause()
            self.diverged.emit(str(self._session.divergence))
        elif self._goal is not None and self._session.step_count >= self._goal:
            self.pause()  # the epoch step is complete
            return
        self._after_change(immediate=False)

    def phases_in(self, unit: str) -> int:
        """How many phases `step(unit)` runs from the current position when nothing stops it early."""
        s = self._session
        per_batch = s.phases_per_batch
        n_layers = (per_batch - 2) // 2
        index = s.step_count % per_batch  # position of the next phase within its batch
        loss, backward_1, update = n_layers, 2 * n_layers, per_batch - 1

        def to(target: int) -> int:
            return (target - index) % per_batch + 1

        if unit == "phase":
            return 1
        if unit == "forward":
            return to(loss)
        if unit == "backward":
            return to(backward_1)
        if unit == "pass":
            return min(to(loss), to(backward_1), to(update))
        if unit in ("update", "batch"):
            return to(update)
        if unit == "epoch":
            per_epoch = s.boundary_steps("epoch")
            return per_epoch - s.step_count % per_epoch
        raise ValueError(unit)

    def _advance(self, unit: str, deadline: float | None = None) -> Hit | None:
        """Run one `unit`; with breakpoints enabled, phase by phase, returning the hit it stopped at."""
        s = self._session

        def out_of_time() -> bool:
            return deadline is not None and time.perf_counter() > deadline

        if self._watches.enabled:
            # Only an epoch can outlast a time slice; it resumes from where it stopped on the next tick.
            stop = out_of_time if deadline is not None and unit == "epoch" else None
            hit = run_until_hit(s, self._watches, max_phases=self.phases_in(unit), should_stop=stop)
            self._dirty = True
            return hit
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
        return None

    # ------------------------------------------------------------------ breakpoints

    def set_watches(self, watches: tuple[Watch, ...] | list[Watch]) -> None:
        """Take an edited list of breakpoints; they are saved with the project and apply from the next phase."""
        watches = tuple(watches)
        self._watches = WatchList(watches)
        self._project = replace(self._project, breakpoints=watches_to_dicts(watches))
        self._dirty = True
        self.title_changed.emit(self.title())
        self.watches_changed.emit(watches)

    # ------------------------------------------------------------------ gradient check

    def run_gradient_check(self, max_per_layer: int | None = None) -> gradcheck.GradCheckReport | None:
        """Compare the gradients backpropagation computed for the current batch with finite differences.

        Needs the batch's backward pass to have reached layer 1 (the gradients being checked are those
        the views show); otherwise says so and returns None. Big networks get a random sample of
        `gradcheck.SAMPLE_PER_LAYER` parameters per layer unless `max_per_layer` says otherwise.
        """
        self.pause()
        snap = self.snapshot
        if snap.divergence is not None:
            self.message.emit(
                "warning", "The gradients of this phase are not finite: step back before checking them."
            )
            return None
        if snap.x is None or any(layer.dW is None or layer.db is None for layer in snap.layers):
            self.message.emit(
                "warning",
                "The gradient check compares the gradients backpropagation computed for the current batch, "
                "and this batch has not run backward through every layer yet. Step to the end of the "
                "backward pass (Backward) and run the check again.",
            )
            return None
        analytic_W = [np.array(layer.dW, dtype=np.float64) for layer in snap.layers]
        analytic_b = [np.array(layer.db, dtype=np.float64) for layer in snap.layers]
        if self.gradient_fault is not None:
            analytic_W = [np.asarray(a, dtype=np.float64) for a in self.gradient_fault(analytic_W)]
        parameters = sum(w.size + b.size for w, b in zip(snap.weights, snap.biases, strict=True))
        try:
            report = gradcheck.check_snapshot(
                snap, self._session.training.regularization, analytic_W, analytic_b, max_per_layer
            )
        except StudioError as exc:
            self.message.emit("warning", str(exc))
            return None
        phase = snap.phase.label if snap.phase is not None else "start"
        where = f"epoch {snap.epoch + 1} · batch {snap.batch + 1}/{snap.batches_per_epoch} · after {phase}"
        self._gradcheck = GradCheckRun(
            report,
            tuple(analytic_W),
            tuple(analytic_b),
            snap.step,
            where,
            parameters,
            sampled=sum(layer.checked for layer in report.layers) < parameters,
        )
        self.gradcheck_done.emit(self._gradcheck)
        return report

    # ------------------------------------------------------------------ publishing

    def _after_change(self, immediate: bool) -> None:
        self._snapshot = None
        self.title_changed.emit(self.title())
        if immediate:
            self._refresh.stop()
            self._pending = False
            self._publish()
        elif self._frame.isActive():
            self._pending = True
        elif not self._refresh.isActive():
            self._refresh.start(REFRESH_MS)

    def _on_frame(self) -> None:
        if self._pending:
            self._pending = False
            self._publish()

    def _publish(self) -> None:
        snap = self.snapshot
        self.snapshot_changed.emit(snap)
        self._publish_health(snap)  # always recorded, so the curves have no gaps; emitted only when wanted
        now = time.perf_counter()
        if self._want_maps and (not self.playing or now - self._last_maps > MAP_INTERVAL_S):
            self._last_maps = now
            self._publish_maps(snap)

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
        """Whether health is recorded and published (the window turns it off while its panel is hidden)."""
        self._want_health = wanted
        if wanted:
            self._publish_health(self.snapshot)

    def _publish_maps(self, snap: Snapshot) -> None:
        ds = self._session.dataset
        if not ds.is_planar:
            # No plane to map: the data panel plots prediction against target instead.
            self.maps_changed.emit(None, None)
            self.predictions_changed.emit(self._session.predict(ds.x_train), self._session.predict(ds.x_test))
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
        if not self._may_discard_future():
            return
        self._guard(lambda: self._session.set_weight(layer, i, j, value))
        self._edited()

    def set_bias(self, layer: int, j: int, value: float) -> None:
        if not self._may_discard_future():
            return
        self._guard(lambda: self._session.set_bias(layer, j, value))
        self._edited()

    def _may_discard_future(self) -> bool:
        """An edit drops the recorded steps after the current one: ask first when there are any."""
        self.pause()
        if not self._session.has_future or self.confirm_discard_future():
            return True
        self.edit_cancelled.emit()
        self.snapshot_changed.emit(self.snapshot)  # editors showing the refused value go back to the real one
        return False

    def _edited(self) -> None:
        # What was found or checked at this step was computed with the old parameters.
        self._last_hit = None
        self._gradcheck = None
        self._dirty = True
        self._after_change(immediate=True)

    def apply_specs(self, network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> bool:
        """Take edited settings. Architecture or data changes start a new session that keeps the weights
        of layers whose shape did not change; settings that shape the whole run (batch size, shuffling,
        loss) keep weights and history; optimiser, learning rate and regularisation apply from here on.
        Returns False when the settings were refused (with a message) or the user kept the recorded future."""
        return self._apply_specs(network, training, data, ask=True)

    def _apply_specs(self, network: NetworkSpec, training: TrainingSpec, data: DataSpec, ask: bool) -> bool:
        self.pause()
        old = self._project
        if network == old.network and data == old.data and training == old.training:
            return True
        if ask and not self._may_discard_future():
            return False
        try:
            if network != old.network or data != old.data or training.seed != old.training.seed:
                self._rebuild(network, training, data, keep_weights=training.seed == old.training.seed)
            elif training != old.training:
                fixed = ("batch_size", "shuffle", "loss")
                if any(getattr(training, f) != getattr(old.training, f) for f in fixed):
                    self._session = self._session.with_training(training)
                    self._session_replaced()
                    self.project_replaced.emit()
                else:
                    self._session.set_training(training)
                self._project = replace(old, training=training)
        except StudioError as exc:
            self.message.emit("error", str(exc))
            self.edit_cancelled.emit()  # the panel shows the settings the session really uses again
            return False
        self._edited()
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
        self._session_replaced()
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
        training = replace(self._project.training, seed=new_seed())
        # A new seed starts a new run from scratch: nothing of the old one is expected to survive.
        self._apply_specs(self._project.network, training, self._project.data, ask=False)

    # ------------------------------------------------------------------ files

    def open_file(self, path: str) -> bool:
        try:
            project = load_project(path)
            session = self._new_session(project)
            watches = watches_from_dicts(project.breakpoints)
        except (StudioError, OSError) as exc:
            self.message.emit("error", f"Could not open {path}: {exc}")
            return False
        self._replace_project(project, session, path, watches)
        return True

    def open_preset(self, name: str) -> bool:
        try:
            project = load_preset(name)
            session = self._new_session(project)
            watches = watches_from_dicts(project.breakpoints)
        except StudioError as exc:
            self.message.emit("error", str(exc))
            return False
        self._replace_project(project, session, None, watches)
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

    def _replace_project(
        self, project: Project, session: TrainingSession, path: str | None, watches: tuple[Watch, ...]
    ) -> None:
        self.pause()
        self._project, self._session, self._path = project, session, path
        self._watches = WatchList(watches)
        self._dirty = False
        self._focus = None
        self._session_replaced()
        self.project_replaced.emit()
        self.watches_changed.emit(watches)
        self._after_change(immediate=True)

    def _session_replaced(self) -> None:
        """A new session counts its steps from 0 again: forget what belonged to the old one."""
        self._last_hit = None
        self._gradcheck = None
        self._health = HealthRecorder()

    @staticmethod
    def _new_session(project: Project) -> TrainingSession:
        return open_session(project)

    def _guard(self, action) -> None:
        try:
            action()
        except StudioError as exc:
            self.message.emit("error", str(exc))
