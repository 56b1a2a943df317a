"""The controller's intents about pinned runs: pin the current run, compare with another project's
history, remove one. The runs live in the project (`Project.pinned_runs`), so they are saved with it and
come back when it is opened; `pinned_changed` tells the views. Mixed into StudioController."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from backprop_studio.core.analysis import pinned_runs
from backprop_studio.core.analysis.pinned_runs import PinnedRun
from backprop_studio.core.analysis.run_diff import Summary, settings_summary
from backprop_studio.core.errors import FormatError, StudioError
from backprop_studio.core.project.fileformat import load_project
from backprop_studio.core.project.project import Project
from backprop_studio.core.training.session import TrainingSession
from backprop_studio.gui.controller.messages import open_error_text
from backprop_studio.gui.jobs.runner import Job
from PySide6.QtCore import SignalInstance


class PinIntents:
    """Needs the controller's `_project`, `_session`, `_dirty` and its `message`, `title_changed` and
    `pinned_changed` signals."""

    _project: Project
    _session: TrainingSession
    _dirty: bool
    message: SignalInstance
    title_changed: SignalInstance
    pinned_changed: SignalInstance

    if TYPE_CHECKING:

        def title(self) -> str: ...

        def pause(self) -> None: ...

        def _start(self, job: Job) -> None: ...

    @property
    def pinned_runs(self) -> tuple[PinnedRun, ...]:
        return self._project.pinned_runs

    def current_settings(self) -> Summary:
        """The current run's settings as the pinned legend compares them."""
        s = self._session
        return settings_summary(s.network, s.training, self._project.data)

    def pin_current_run(self) -> bool:
        """Pin the run trained so far (its per-epoch losses up to now). False, with a message, when
        there is no completed epoch yet or five runs are pinned already."""
        s = self._session
        history = s.history()
        label = pinned_runs.next_label(self.pinned_runs, len(history.train_loss))
        return self._add(lambda: pinned_runs.pin(history, s.network, s.training, self._project.data, label))

    def compare_with_file(self, path: str) -> Job:
        """Pin the history of the project saved at `path`, read on a worker thread (a project file can
        be large; nothing is trained). A message names the problem when it cannot be read, has no
        history, or five runs are pinned already; the pinned runs stay as they were."""
        self.pause()
        job = Job(lambda _control: _pinned_from_file(path), f"Reading {path}…")
        job.finished.connect(lambda run: self._add(lambda: run))
        job.failed.connect(lambda error: self.message.emit("warning", _compare_error_text(path, error)))
        self._start(job)
        return job

    def remove_pinned(self, index: int) -> None:
        """Remove the pinned run at 0-based `index`."""
        try:
            runs = pinned_runs.removed(self.pinned_runs, index)
        except StudioError as exc:
            self.message.emit("warning", f"Cannot remove the pinned run: {exc}.")
            return
        self._set_pinned(runs)

    def _add(self, make: Callable[[], PinnedRun]) -> bool:
        try:
            runs = pinned_runs.added(self.pinned_runs, make())
        except StudioError as exc:
            self.message.emit("warning", f"Cannot pin the run: {exc}.")
            return False
        self._set_pinned(runs)
        return True

    def _set_pinned(self, runs: tuple[PinnedRun, ...]) -> None:
        self._project = replace(self._project, pinned_runs=runs)
        self._dirty = True
        self.title_changed.emit(self.title())
        self.pinned_changed.emit(runs)


def _pinned_from_file(path: str) -> PinnedRun:
    """The history recorded in the project file at `path` as a pinned run, labelled with its name."""
    other = load_project(path)
    epochs = len(other.history.train_loss)
    name = other.name or os.path.splitext(os.path.basename(path))[0]
    label = f"{name} · {epochs:,} epoch{'s' if epochs != 1 else ''}"
    try:
        return pinned_runs.pin(other.history, other.network, other.training, other.data, label)
    except StudioError:
        raise StudioError(f"{path} has no recorded history to compare with: train it first") from None


def _compare_error_text(path: str, error: BaseException) -> str:
    """One line: the file's problem as opening it would say it, or why its history cannot be pinned."""
    if isinstance(error, StudioError) and not isinstance(error, FormatError):
        return f"Cannot compare: {error}."
    return open_error_text(path, error).replace("Could not open", "Could not compare with", 1)
