"""A project: everything one file holds — specs, and optionally trained parameters, optimizer state and history."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from backprop_studio.core.analysis.pinned_runs import PinnedRun
from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.data.csv_import import CsvTable
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.limits import check_network_size
from backprop_studio.core.nn.optimizers import OptimizerState
from backprop_studio.core.spec import DataSpec, NetworkSpec, TrainingSpec
from backprop_studio.core.training.session import TrainingSession
from backprop_studio.core.training.snapshot import History


@dataclass(eq=False)
class Project:
    """`weights[k]` (n_in, n_out) and `biases[k]` (n_out,) are None until a network has been initialized or
    trained; `epochs_completed` says how far training got. `source` is the file it was read from (CSV
    paths are resolved against its folder). `breakpoints` are the debugger's watch conditions as plain dicts.
    """

    network: NetworkSpec
    training: TrainingSpec = field(default_factory=TrainingSpec)
    data: DataSpec = field(default_factory=DataSpec)
    name: str = ""
    description: str = ""
    weights: list[np.ndarray] | None = None
    biases: list[np.ndarray] | None = None
    optimizer_state: OptimizerState | None = None
    history: History = field(default_factory=History)
    epochs_completed: int = 0
    breakpoints: tuple[dict, ...] = ()
    source: str | None = None
    pinned_runs: tuple[PinnedRun, ...] = ()  # earlier runs the loss plot compares with (at most 5)


def open_session(
    project: Project,
    memory_budget: int | None = None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    table: CsvTable | None = None,
) -> TrainingSession:
    """Build the dataset and a training session from a project, continuing from its saved state.

    Raises LimitError (core/limits.py) before training starts when the network's activations for a
    whole data set (each epoch's loss is measured on all training samples at once) would not fit in memory.
    A CSV data set reports `progress` and asks `should_stop` while it is read (see `read_csv`), unless
    `table` is that file already read.
    """
    base_dir = os.path.dirname(os.path.abspath(project.source)) if project.source else None
    dataset = build_dataset(
        project.data, project.network, project.training.loss, base_dir, progress, should_stop, table
    )
    check_network_size(project.network.sizes, rows=max(len(dataset.x_train), len(dataset.x_test)))
    kwargs = {} if memory_budget is None else {"memory_budget": memory_budget}
    return TrainingSession(
        project.network,
        project.training,
        dataset,
        project.weights,
        project.biases,
        project.optimizer_state,
        project.history,
        project.epochs_completed,
        **kwargs,
    )


def capture_project(session: TrainingSession, like: Project) -> Project:
    """A project holding the session's current weights, optimizer state and history, with `like`'s
    name, description, data and breakpoints (the session's own specs win). Standardized data carries the
    statistics the session's inputs were standardized with, so the file reproduces them exactly."""
    return replace(
        like,
        data=with_statistics(like.data, session.dataset),
        network=session.network,
        training=session.training,
        weights=[w.copy() for w in session.weights],
        biases=[b.copy() for b in session.biases],
        optimizer_state=session.optimizer_state,
        history=session.history(),
        epochs_completed=session.epochs_completed,
    )


def with_statistics(data: DataSpec, dataset: Dataset) -> DataSpec:
    """`data` holding `dataset`'s standardization statistics (mean and std per input) when it is standardized."""
    scaling = dataset.standardization
    if not data.standardize or scaling is None:
        return data
    mean, std = (tuple(float(v) for v in array) for array in scaling)
    return replace(data, feature_mean=mean, feature_std=std)
