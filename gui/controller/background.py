"""The controller's long intents, run as jobs on a worker thread: opening a project file, rebuilding
the session on a CSV data set, and a large Step. The window shows each job's progress with Cancel
(`job_started`).

The work is pure (gui/controller/projects.py: `open_file`, `rebuild`; a Step advances a fork of the
session, core/training/fork.py) and returns new values; only when it finished are they swapped in, on
the GUI thread. Until then the window shows, and reads, the session it had. A failure gives one message
line; a Cancel or a failure leaves the current network, data, position and file exactly as they were.
While a Step runs, other training intents are refused with a line in the status bar (`busy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_studio.core.debugger.conditions import Hit
from backprop_studio.core.errors import StudioError
from backprop_studio.core.spec import DataSpec, NetworkSpec, TrainingSpec
from backprop_studio.core.training.fork import fork
from backprop_studio.gui.controller import projects
from backprop_studio.gui.controller.messages import not_applied, open_error_text
from backprop_studio.gui.controller.playback import UnitRun, advance_unit
from backprop_studio.gui.controller.projects import Opened
from backprop_studio.gui.jobs.runner import Job, JobControl
from PySide6.QtCore import SignalInstance

if TYPE_CHECKING:
    from backprop_studio.core.project.project import Project
    from backprop_studio.core.training.session import TrainingSession
    from backprop_studio.gui.controller.debugging import Debugging

# What a Step of each unit runs, for the progress dialog's label.
STEP_LABELS = {
    "phase": "one phase",
    "forward": "the forward pass",
    "backward": "the backward pass",
    "pass": "the pass",
    "update": "the update",
    "batch": "the batch",
    "epoch": "the epoch",
}
BUSY = "Busy with a step (Cancel in its progress window stops it); nothing else was changed."


class BackgroundIntents:
    """Mixed into StudioController with ProjectIntents, whose state and signals it uses."""

    _project: Project
    _session: TrainingSession
    _path: str | None
    _focus: int | None
    _job: Job | None
    _dirty: bool
    _debugging: Debugging
    message: SignalInstance
    edit_cancelled: SignalInstance
    job_started: SignalInstance
    file_opened: SignalInstance
    breakpoint_hit: SignalInstance
    diverged: SignalInstance

    if TYPE_CHECKING:

        def pause(self) -> None: ...

        def _after_change(self, immediate: bool) -> None: ...

        def _replace_project(self, opened: Opened) -> None: ...

        def _swap_session(self, session: TrainingSession) -> None: ...

        def _edited(self) -> None: ...

    @property
    def job(self) -> Job | None:
        """The job running now (a file being opened or data being read), or None."""
        return self._job

    def open_file_in_background(self, path: str) -> Job:
        """Open `path` on a worker thread; `file_opened(path)` is emitted once the project replaced the
        current one, a message when it could not be opened."""
        self.pause()
        job = Job(
            lambda control: projects.open_file(path, control.report, control.should_stop), f"Opening {path}…"
        )
        job.finished.connect(lambda opened: self._opened_in_background(opened))
        job.failed.connect(lambda error: self.message.emit("error", open_error_text(path, error)))
        self._start(job)
        return job

    def _opened_in_background(self, opened: Opened) -> None:
        self._replace_project(opened)
        self.file_opened.emit(opened.path)

    def _rebuild_in_background(
        self, network: NetworkSpec, training: TrainingSpec, data: DataSpec, keep_weights: bool
    ) -> None:
        project, path, old = self._project, self._path, self._session

        def work(control: JobControl) -> tuple[Project, TrainingSession]:
            return projects.rebuild(
                project, path, old, network, training, data, keep_weights, control.report, control.should_stop
            )

        job = Job(work, f"Reading {data.path}…")
        job.finished.connect(lambda result: self._rebuilt(*result))
        job.failed.connect(self._rebuild_failed)
        job.cancelled.connect(self.edit_cancelled.emit)  # the panel shows the settings in force again
        self._start(job)

    def _rebuilt(self, project: Project, session: TrainingSession) -> None:
        self._project = project
        self._focus = None
        self._swap_session(session)
        self._edited()

    def _rebuild_failed(self, error: BaseException) -> None:
        if isinstance(error, StudioError):
            text = not_applied(error, self._session.divergence)
        else:  # e.g. MemoryError: still one line, never a traceback
            text = f"The change was not applied: {error or type(error).__name__}"
        self.message.emit("error", text)
        self.edit_cancelled.emit()

    def busy(self) -> bool:
        """Whether a Step runs on a worker; then says so in the status bar (the caller refuses its intent,
        whose result the step would overwrite)."""
        if self._job is None or self._job.kind != "step":
            return False
        self.message.emit("info", BUSY)
        return True

    def _step_in_background(self, unit: str) -> Job:
        """A large Step (`playback.is_large_step`) on a fork of the session; it replaces the session when
        it is complete. Cancel drops the fork: the session is exactly as before the step."""
        self.pause()
        session, watches = self._session, self._debugging.watches
        start = session.step_count
        phases = max(1, session.schedule.unit_end(start, unit) - start)

        def work(control: JobControl) -> tuple[TrainingSession, UnitRun]:
            copy = fork(session)
            control.check()

            def should_stop() -> bool:  # asked after every phase (between batches on an epoch's fast path)
                control.report((copy.step_count - start) / phases)
                return control.should_stop()

            run = advance_unit(copy, unit, should_stop, watches)
            control.check()
            return copy, run

        job = Job(work, f"Running {STEP_LABELS.get(unit, unit)}…", determinate=phases > 1, kind="step")
        job.finished.connect(lambda result: self._stepped(*result))
        job.failed.connect(lambda error: self.message.emit("error", str(error) or type(error).__name__))
        job.cancelled.connect(lambda: self.message.emit("info", "Step cancelled; nothing was changed."))
        self._start(job)
        return job

    def _stepped(self, session: TrainingSession, run: UnitRun) -> None:
        self._session = session  # the same run, one step on: the views carry on (no project_replaced)
        self._dirty = True
        self._after_step(self._debugging.record_hit(run.hit))

    def _after_step(self, hit: Hit | None) -> None:
        """Show where a step stopped; a breakpoint's hit or a divergence is announced after the views."""
        self._after_change(immediate=True)
        if hit is not None:
            self.breakpoint_hit.emit(hit)
        elif self._session.divergence:
            self.diverged.emit(str(self._session.divergence))  # this step diverged: offer the way out

    def _start(self, job: Job) -> None:
        if self._job is not None:  # one job at a time: the window is modal while one runs
            self._job.cancel()
        self._job = job
        job.ended.connect(lambda: self._job_ended(job))
        self.job_started.emit(job)
        job.start()

    def _job_ended(self, job: Job) -> None:
        if self._job is job:
            self._job = None
        job.deleteLater()
