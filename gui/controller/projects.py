"""What a project change does to the session: open, save, apply edited specs, rebuild, reset, randomize.

Plain functions over core return the new project and session (or raise StudioError before anything
changed); `ProjectIntents`, mixed into the controller, takes the user's intent, swaps them in and tells
the views.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from backprop_studio.core.debugger.watch import Watch, watches_from_dicts
from backprop_studio.core.errors import Cancelled, StudioError
from backprop_studio.core.project.fileformat import load_project, save_project
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import Project, capture_project, open_session
from backprop_studio.core.spec import DataSpec, NetworkSpec, TrainingSpec
from backprop_studio.core.spec_rules import csv_table, remember_inline
from backprop_studio.core.training.session import TrainingSession
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.controller.messages import not_applied, open_error_text
from backprop_studio.gui.controller.rebuilds import (
    csv_data,
    needs_rebuild,
    randomized,
    rebuild,
    same_dataset,
    with_training,
)
from PySide6.QtCore import SignalInstance

if TYPE_CHECKING:
    from backprop_studio.gui.controller.debugging import Debugging
    from backprop_studio.gui.controller.publisher import Publisher


@dataclass(frozen=True, eq=False)
class Opened:
    """A project ready to replace the current one."""

    project: Project
    session: TrainingSession
    watches: tuple[Watch, ...]
    path: str | None
    # The first snapshot, taken by the opening worker: it shuffles every row (10⁶: too long for the GUI).
    snapshot: Snapshot | None = None


def open_file(
    path: str,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Opened:
    """Raises StudioError or OSError when the file cannot be read as a project, Cancelled when
    `should_stop` says so (checked after parsing and while a CSV data set is read). Inline data built
    here is kept for the settings checks on the GUI thread (`remember_inline`): they do not build it again."""
    project = load_project(path)
    if should_stop is not None and should_stop():
        raise Cancelled()
    watches = watches_from_dicts(project.breakpoints)
    base_dir = os.path.dirname(os.path.abspath(path))
    table = csv_table(project.data, base_dir, progress, should_stop) if project.data.kind == "csv" else None
    session = open_session(project, None, progress, should_stop, table)
    remember_inline(project.data, session.dataset)
    return Opened(project, session, watches, path, session.snapshot())


def open_preset(name: str) -> Opened:
    project = load_preset(name)
    return Opened(project, open_session(project), watches_from_dicts(project.breakpoints), None)


def opened(project: Project) -> Opened:
    return Opened(project, open_session(project), watches_from_dicts(project.breakpoints), project.source)


def save(session: TrainingSession, project: Project, target: str) -> Project:
    """Write the session with its project to `target`; returns the project as saved there."""
    saved = capture_project(session, project)
    save_project(saved, target)
    return replace(saved, source=os.path.abspath(target))


class ProjectIntents:
    """The controller's intents that change the project: edits, settings, reset, randomize, files.
    Mixed into StudioController, whose state and signals it uses."""

    _project: Project
    _session: TrainingSession
    _path: str | None
    _dirty: bool
    _focus: int | None
    _snapshot: Snapshot | None
    _debugging: Debugging
    _publisher: Publisher
    confirm_discard_future: Callable[[], bool]
    message: SignalInstance
    edit_cancelled: SignalInstance
    snapshot_changed: SignalInstance
    project_replaced: SignalInstance
    watches_changed: SignalInstance
    title_changed: SignalInstance

    if TYPE_CHECKING:

        @property
        def snapshot(self) -> Snapshot: ...

        def pause(self) -> None: ...

        def busy(self) -> bool: ...

        def apply_memory_budget(self, session: TrainingSession) -> None: ...

        def title(self) -> str: ...

        def _after_change(self, immediate: bool, snapshot: Snapshot | None = None) -> None: ...

        def _guard(self, action: Callable[[], object]) -> None: ...

        def _rebuild_in_background(
            self, network: NetworkSpec, training: TrainingSpec, data: DataSpec, keep_weights: bool
        ) -> None: ...

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
        if self.busy():
            self.edit_cancelled.emit()
            return False
        self.pause()
        if not self._session.has_future or self.confirm_discard_future():
            return True
        self.edit_cancelled.emit()
        self.snapshot_changed.emit(self.snapshot)  # editors showing the refused value go back to the real one
        return False

    def _edited(self) -> None:
        self._debugging.forget()  # what was found or checked at this step used the old parameters
        self._dirty = True
        self._after_change(immediate=True)

    def apply_specs(self, network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> bool:
        """Take edited settings. Architecture or data changes start a new session that keeps the weights
        of layers whose shape did not change; settings that shape the whole run (batch size, shuffling,
        loss) keep weights and history; optimizer, learning rate and regularization apply from here on.
        Returns False when the settings were refused (with a message) or the user kept the recorded future."""
        return self._apply_specs(network, training, data, ask=True)

    def _apply_specs(self, network: NetworkSpec, training: TrainingSpec, data: DataSpec, ask: bool) -> bool:
        if self.busy():
            self.edit_cancelled.emit()  # the panel shows the settings in force again
            return False
        self.pause()
        old = self._project
        if network == old.network and data == old.data and training == old.training:
            return True
        if ask and not self._may_discard_future():
            return False
        try:
            rebuilding = needs_rebuild(old, network, training, data)
            if rebuilding and data.kind == "csv" and not same_dataset(old, network, training, data):
                # Reading a file may take long: a worker does it (see BackgroundIntents).
                self._rebuild_in_background(network, training, data, training.seed == old.training.seed)
                return True
            if rebuilding:
                keep = training.seed == old.training.seed
                self._rebuild(network, training, data, keep_weights=keep)
            else:
                session = with_training(self._session, training)
                self._project = replace(old, training=training)
                if session is not None:
                    self._swap_session(session)
        except StudioError as exc:
            self.message.emit("error", not_applied(exc, self._session.divergence))
            self.edit_cancelled.emit()  # the panel shows the settings the session really uses again
            return False
        self._edited()
        return True

    def _rebuild(
        self, network: NetworkSpec, training: TrainingSpec, data: DataSpec, keep_weights: bool
    ) -> None:
        self._project, session = rebuild(
            self._project, self._path, self._session, network, training, data, keep_weights
        )
        self._focus = None
        self._swap_session(session)

    def import_csv(self, options: dict) -> bool:
        return self.apply_specs(self._project.network, self._project.training, csv_data(options))

    def reset(self) -> None:
        """Re-initialize from the seed: the same run can be watched again, on the same data set (a CSV
        file is not read again, see `rebuild`)."""
        if self.busy():
            return
        self.pause()
        p = self._project
        self._guard(lambda: self._rebuild(p.network, p.training, p.data, keep_weights=False))
        self._dirty = True
        self._after_change(immediate=True)

    def randomize(self) -> None:
        """A new seed, and fresh weights from it."""
        # A new seed starts a new run from scratch: nothing of the old one is expected to survive.
        p = self._project
        self._apply_specs(p.network, randomized(p.training), p.data, ask=False)

    # ------------------------------------------------------------------ files

    def open_file(self, path: str) -> bool:
        try:
            opened = open_file(path)
        except Exception as exc:
            self.message.emit("error", open_error_text(path, exc))
            return False
        self._replace_project(opened)
        return True

    def open_preset(self, name: str) -> bool:
        try:
            opened = open_preset(name)
        except StudioError as exc:
            self.message.emit("error", str(exc))
            return False
        self._replace_project(opened)
        return True

    def open_project(self, project: Project) -> bool:
        """Replace the current project with `project` (a lesson's inline project); unsaved, untitled."""
        try:
            ready = opened(replace(project, source=None))
        except StudioError as exc:
            self.message.emit("error", str(exc))
            return False
        self._replace_project(ready)
        return True

    def save(self, path: str | None = None) -> bool:
        target = path or self._path
        if target is None:
            raise ValueError("save needs a path for an untitled project")
        try:
            self._project = save(self._session, self._project, target)
        except (StudioError, OSError) as exc:
            self.message.emit("error", f"Could not save {target}: {exc}")
            return False
        self._path = target
        self._dirty = False
        self.title_changed.emit(self.title())
        self.message.emit("info", f"Saved {target}")
        return True

    def current_project(self) -> Project:
        """The project as Save would write it now: current weights, optimizer state and history."""
        return capture_project(self._session, self._project)

    def adopt_project(self, project: Project) -> bool:
        """Replace the current project with one made elsewhere (File → Import weights), untitled and
        unsaved; an error message keeps the current one."""
        try:
            made = opened(replace(project, source=None))
        except StudioError as exc:
            self.message.emit("error", str(exc))
            return False
        self._replace_project(made)
        self._dirty = True
        self.title_changed.emit(self.title())
        return True

    def _replace_project(self, opened: Opened) -> None:
        self.pause()
        self._project, self._path = opened.project, opened.path
        self._debugging.set_watches(opened.watches)
        self._dirty = False
        self._focus = None
        self._swap_session(opened.session, opened.snapshot)
        self.watches_changed.emit(opened.watches)
        self._after_change(immediate=True, snapshot=opened.snapshot)

    def _swap_session(self, session: TrainingSession, snapshot: Snapshot | None = None) -> None:
        """Put a new session in place and only then tell the views: a new session counts its steps from
        0 again, so what belonged to the old one (its cached snapshot, hit, check, health) goes first.
        `snapshot`, when given, is the new session's current one (taken by the worker that opened it)."""
        self.apply_memory_budget(session)  # the window's setting (gui/controller/memory.py)
        self._session = session
        self._snapshot = snapshot  # the views reload from the new session, never the old network's snapshot
        self._debugging.forget()
        self._publisher.forget_health()
        self.project_replaced.emit()
