"""What a project change does to the session: open, save, apply edited specs, rebuild, reset, randomize.

Plain functions over core: each returns the new project and session (or raises StudioError before
anything changed), and the controller swaps them in and tells the views.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.debugger.watch import Watch, watches_from_dicts
from backprop_studio.core.project.fileformat import load_project, save_project
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import Project, capture_project, open_session
from backprop_studio.core.spec import DataSpec, NetworkSpec, TrainingSpec, new_seed
from backprop_studio.core.training.session import TrainingSession, initial_parameters

# Training settings that shape the whole run: changing one replays the recorded history with it.
RUN_SHAPING = ("batch_size", "shuffle", "loss")


@dataclass(frozen=True, eq=False)
class Opened:
    """A project ready to replace the current one."""

    project: Project
    session: TrainingSession
    watches: tuple[Watch, ...]
    path: str | None


def open_file(path: str) -> Opened:
    """Raises StudioError or OSError when the file cannot be read as a project."""
    project = load_project(path)
    return Opened(project, open_session(project), watches_from_dicts(project.breakpoints), path)


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


def needs_rebuild(old: Project, network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> bool:
    """Architecture, data or seed changes start a new session; other training settings do not."""
    return network != old.network or data != old.data or training.seed != old.training.seed


def rebuild(
    project: Project,
    path: str | None,
    old: TrainingSession,
    network: NetworkSpec,
    training: TrainingSpec,
    data: DataSpec,
    keep_weights: bool,
) -> tuple[Project, TrainingSession]:
    """A new session for new specs. With `keep_weights`, layers whose shape did not change keep the old
    session's weights and biases; the others are drawn from the seed."""
    base_dir = os.path.dirname(os.path.abspath(path)) if path else None
    dataset = build_dataset(data, network, training.loss, base_dir)  # raises before anything changes
    weights = biases = None
    if keep_weights:
        weights, biases = initial_parameters(network, training.seed)
        for k, (w, b) in enumerate(zip(old.weights, old.biases, strict=True)):
            if k < len(weights) and weights[k].shape == w.shape:
                weights[k], biases[k] = w.copy(), b.copy()
    session = TrainingSession(network, training, dataset, weights, biases)
    project = replace(
        project,
        network=network,
        training=training,
        data=data,
        weights=None,
        biases=None,
        optimizer_state=None,
        history=session.history(),
        epochs_completed=0,
    )
    return project, session


def with_training(session: TrainingSession, training: TrainingSpec) -> TrainingSession | None:
    """Apply training settings to the same network and data: a new session replayed with them when they
    shape the whole run (returned), else in place from here on (None)."""
    if any(getattr(training, f) != getattr(session.training, f) for f in RUN_SHAPING):
        return session.with_training(training)
    session.set_training(training)
    return None


def randomized(training: TrainingSpec) -> TrainingSpec:
    """A new seed: Randomize draws fresh weights from it."""
    return replace(training, seed=new_seed())


def csv_data(options: dict) -> DataSpec:
    """The data spec of the CSV import dialog's options."""
    return DataSpec(
        kind="csv",
        path=options["path"],
        targets=tuple(options.get("targets") or ()),
        one_hot=options.get("one_hot") or None,
        train_fraction=float(options.get("train_fraction", 0.8)),
        seed=int(options.get("seed", 0)),
    )
