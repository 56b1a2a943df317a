"""The one controller: owns the project and its training session, takes every user intent, and tells the
views what changed through signals. It does no maths itself; it calls core/ and forwards what core returns.

Its jobs live beside it: `stepping` (the step, step back, seek, Play and Pause intents), `playback`
(Play and long steps in time slices of `SLICE_S`, 8 ms, so Pause answers at once), `publisher`
(snapshots, maps, health and predictions, at most ~30 times a second, so the number of training steps
and the number of redraws are independent), `debugging` (breakpoints and the gradient check), `projects`
(open, save, edits and rebuilds) and `view_state` (what the views may know about the session,
published with every snapshot).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

from backprop_studio.core.analysis import gradcheck
from backprop_studio.core.analysis.gradcheck import GradCheckRun
from backprop_studio.core.analysis.health_recorder import HealthRecorder
from backprop_studio.core.debugger.conditions import Hit
from backprop_studio.core.debugger.watch import Watch, watches_to_dicts
from backprop_studio.core.errors import StudioError
from backprop_studio.core.project.project import Project
from backprop_studio.core.training.session import TrainingSession
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.controller import projects
from backprop_studio.gui.controller.background import BackgroundIntents
from backprop_studio.gui.controller.debugging import Debugging, GradientFault
from backprop_studio.gui.controller.memory import MemoryIntents
from backprop_studio.gui.controller.pinning import PinIntents
from backprop_studio.gui.controller.playback import (
    GRANULARITIES,
    MAX_SPEED,
    Playback,
)
from backprop_studio.gui.controller.projects import ProjectIntents
from backprop_studio.gui.controller.publisher import Publisher
from backprop_studio.gui.controller.stepping import StepIntents
from backprop_studio.gui.controller.view_state import ViewState
from PySide6.QtCore import QObject, Signal

__all__ = ["GRANULARITIES", "MAX_SPEED", "StudioController"]


def _always_yes() -> bool:
    return True


class StudioController(StepIntents, MemoryIntents, BackgroundIntents, ProjectIntents, PinIntents, QObject):
    view_state_changed = Signal(object)  # ViewState, emitted just before each published snapshot
    snapshot_changed = Signal(object)  # Snapshot, every frame
    panels_changed = Signal(object)  # Snapshot, for plots and text panels (throttled while playing)
    maps_changed = Signal(object, object)  # FrameData of the data panel, neuron maps over the plane | None
    project_replaced = Signal()  # a new session (architecture, data or file changed): views reload
    title_changed = Signal(str)
    playing_changed = Signal(bool)
    focus_changed = Signal(object)  # training-set index of the focused sample, or None for the batch mean
    message = Signal(str, str)  # ("error" | "warning" | "info", text)
    diverged = Signal(str)  # a divergence during play that no enabled "nonfinite" breakpoint reported
    watches_changed = Signal(object)  # tuple[Watch, ...]: the breakpoints now in force
    breakpoint_hit = Signal(object)  # core.debugger.watch.Hit: play or a step stopped at this phase
    health_changed = Signal(object, object, object)  # HealthRecorder, tuple[LayerHealth, ...], histograms
    classes_changed = Signal(object)  # core.analysis.confusion.ConfusionFrame | None (regression)
    projection_changed = Signal(object, object)  # Dataset, its core.analysis.projection.Projection
    gradcheck_done = Signal(object)  # core.analysis.gradcheck.GradCheckRun
    edit_cancelled = Signal()  # an edit was declined by confirm_discard_future: views show the old values
    job_started = Signal(object)  # gui.jobs.runner.Job: long work began on a worker (progress, Cancel)
    file_opened = Signal(str)  # a project file opened in the background replaced the current project
    pinned_changed = Signal(object)  # tuple[PinnedRun, ...]: the runs the loss plot compares with

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        opened = projects.opened(project)
        self._project, self._session, self._path = project, opened.session, project.source
        self._dirty = False
        self._job = None
        self._focus: int | None = None
        self._snapshot: Snapshot | None = None
        self._debugging = Debugging(opened.watches)
        # Asked before an edit that would drop the recorded steps after the current one; the window
        # replaces it with a question to the user. False leaves everything as it was.
        self.confirm_discard_future: Callable[[], bool] = _always_yes
        self._playback = Playback(self._run_unit, lambda: self._session.divergence, self)
        self._playback.playing_changed.connect(self._on_playing)
        self._playback.advanced.connect(lambda: self._after_change(immediate=False))
        self._playback.hit.connect(self.breakpoint_hit)
        self._playback.diverged.connect(self.diverged)
        self._playback.failed.connect(lambda text: self.message.emit("error", text))
        self._publisher = Publisher(lambda: self.snapshot, lambda: self._session, self)
        self._publisher.snapshot_changed.connect(self._publish_snapshot)
        for name in ("panels_changed", "maps_changed", "classes_changed", "projection_changed"):
            getattr(self._publisher, name).connect(getattr(self, name))
        self._publisher.health_changed.connect(self.health_changed)

    # ------------------------------------------------------------------ state

    @property
    def view_state(self) -> ViewState:
        """Where the session stands, for the views (they never see the session itself)."""
        s, p = self._session, self._project
        return ViewState(
            step=s.step_count,
            earliest_step=s.earliest_step,
            latest_step=s.latest_step,
            steps_per_epoch=s.boundary_steps("epoch"),
            first_epoch=s.locate(0)[0],
            playing=self.playing,
            dirty=self._dirty,
            focus=self._focus,
            network=s.network,
            training=s.training,
            data=p.data,
            dataset=s.dataset,
            path=self._path,
            title=self.title(),
        )

    @property
    def divergence(self) -> str | None:
        """Why training cannot go on from here (a NaN or inf at this step), or None."""
        found = self._session.divergence
        return None if found is None else str(found)

    @property
    def session_for_tests(self) -> TrainingSession:
        """The live session. Tests only: views read `snapshot` and `view_state`."""
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
        return self._playback.playing

    @property
    def playback(self) -> Playback:
        return self._playback

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
        return self._playback.granularity

    @property
    def speed(self) -> float:
        return self._playback.speed

    @property
    def watches(self) -> tuple[Watch, ...]:
        return self._debugging.watches.watches

    @property
    def gradient_fault(self) -> GradientFault | None:
        return self._debugging.gradient_fault

    @gradient_fault.setter
    def gradient_fault(self, fault: GradientFault | None) -> None:
        self._debugging.gradient_fault = fault

    @property
    def current_hit(self) -> Hit | None:
        """The last breakpoint hit while the session still stands at its step (and nothing was edited
        since): what the canvas should mark. Stepping away clears it; stepping back onto it shows it again."""
        return self._debugging.current_hit(self._session.step_count)

    @property
    def current_gradcheck(self) -> GradCheckRun | None:
        """The last gradient check while the session still stands at the step it checked."""
        return self._debugging.current_gradcheck(self._session.step_count)

    @property
    def health_recorder(self) -> HealthRecorder:
        return self._publisher.health_recorder

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

    # ------------------------------------------------------------------ debugging

    def set_watches(self, watches: tuple[Watch, ...] | list[Watch]) -> None:
        """Take an edited list of breakpoints; they are saved with the project and apply from the next phase."""
        watches = tuple(watches)
        self._debugging.set_watches(watches)
        self._project = replace(self._project, breakpoints=watches_to_dicts(watches))
        self._dirty = True
        self.title_changed.emit(self.title())
        self.watches_changed.emit(watches)

    def run_gradient_check(self, max_per_layer: int | None = None) -> gradcheck.GradCheckReport | None:
        """Compare the gradients backpropagation computed for the current batch with finite differences.

        Needs the batch's backward pass to have reached layer 1 (the gradients being checked are those
        the views show); otherwise says why (core's reason) and returns None. Big networks get a random
        sample of `gradcheck.SAMPLE_PER_LAYER` parameters per layer unless `max_per_layer` says otherwise.
        """
        self.pause()
        try:
            run = self._debugging.check_gradients(
                self.snapshot, self._session.training.regularization, max_per_layer
            )
        except StudioError as exc:
            text = f"The gradient check compares the gradients of the batch being shown, and {exc}."
            self.message.emit("warning", text)
            return None
        self.gradcheck_done.emit(run)
        return run.report

    # ------------------------------------------------------------------ publishing

    def _publish_snapshot(self, snap: Snapshot) -> None:
        self.view_state_changed.emit(self.view_state)
        self.snapshot_changed.emit(snap)

    def _after_change(self, immediate: bool, snapshot: Snapshot | None = None) -> None:
        """Tell the views; `snapshot`, when given, is the current session's (taken by a worker)."""
        self._snapshot = snapshot
        self.title_changed.emit(self.title())
        self._publisher.changed(immediate)

    def set_health_wanted(self, wanted: bool) -> None:
        """Whether health is published (the window turns it off while its panel is hidden)."""
        self._publisher.set_health_wanted(wanted)

    def set_maps_wanted(self, wanted: bool) -> None:
        self._publisher.set_maps_wanted(wanted)

    def set_focus(self, train_index: int | None) -> None:
        self._focus = train_index
        self.focus_changed.emit(train_index)
        self._publisher.republish_snapshot()

    def _guard(self, action: Callable[[], object]) -> None:
        try:
            action()
        except StudioError as exc:
            self.message.emit("error", str(exc))
