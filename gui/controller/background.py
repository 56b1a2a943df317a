"""The controller's long intents, run as jobs on a worker thread: opening a project file and rebuilding
the session on a CSV data set. The window shows each job's progress with Cancel (`job_started`).

The work is pure (gui/controller/projects.py: `open_file`, `rebuild`) and returns new immutable values;
only when it finished are they swapped in, on the GUI thread. A failure gives one message line; a
Cancel or a failure leaves the current network, data and file as they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_studio.core.errors import StudioError
from backprop_studio.core.spec import DataSpec, NetworkSpec, TrainingSpec
from backprop_studio.gui.controller import projects
from backprop_studio.gui.controller.messages import not_applied, open_error_text
from backprop_studio.gui.controller.projects import Opened
from backprop_studio.gui.jobs.runner import Job, JobControl
from PySide6.QtCore import SignalInstance

if TYPE_CHECKING:
    from backprop_studio.core.project.project import Project
    from backprop_studio.core.training.session import TrainingSession


class BackgroundIntents:
    """Mixed into StudioController with ProjectIntents, whose state and signals it uses."""

    _project: Project
    _session: TrainingSession
    _path: str | None
    _focus: int | None
    _job: Job | None
    message: SignalInstance
    edit_cancelled: SignalInstance
    job_started: SignalInstance
    file_opened: SignalInstance

    if TYPE_CHECKING:

        def pause(self) -> None: ...

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
