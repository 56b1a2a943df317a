"""What an edit of the specs does to the session: which edits start a new session, and that session
built (`rebuild`), reusing the data set in memory when it would come out the same. Plain functions over
core: they return new values or raise StudioError before anything changed, so a worker may run them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

from backprop_studio.core import limits
from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.project.project import Project
from backprop_studio.core.spec import DataSpec, NetworkSpec, TrainingSpec, new_seed
from backprop_studio.core.spec_rules import csv_table, remember_inline
from backprop_studio.core.training.session import TrainingSession, initial_parameters

# Training settings that shape the whole run: changing one replays the recorded history with it.
RUN_SHAPING = ("batch_size", "shuffle", "loss")


def needs_rebuild(old: Project, network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> bool:
    """Architecture, data or seed changes start a new session; other training settings do not."""
    return network != old.network or data != old.data or training.seed != old.training.seed


def same_dataset(old: Project, network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> bool:
    """Whether building the data set for these specs gives the current one again: it depends on the
    data spec, the network (inputs, outputs, output activation) and the loss (the target encoding),
    never on the training seed. Then a file is not read again (the run watched again uses the same rows)."""
    return data == old.data and network == old.network and training.loss == old.training.loss


def rebuild(
    project: Project,
    path: str | None,
    old: TrainingSession,
    network: NetworkSpec,
    training: TrainingSpec,
    data: DataSpec,
    keep_weights: bool,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[Project, TrainingSession]:
    """A new session for new specs. With `keep_weights`, layers whose shape did not change keep the old
    session's weights and biases; the others are drawn from the seed. Only reads `old` (a worker thread
    may run it); a CSV file reports `progress` and asks `should_stop` (Cancelled) as it is read.
    When the data set would come out the same (`same_dataset`: Reset, Randomize) the old session's is
    used: nothing is read or generated again."""
    if same_dataset(project, network, training, data):
        dataset = old.dataset
    else:
        base_dir = os.path.dirname(os.path.abspath(path)) if path else None
        # Read through the settings checks' table, so the panel's check that follows does not read it again.
        table = csv_table(data, base_dir, progress, should_stop) if data.kind == "csv" else None
        # Raises before anything changes.
        dataset = build_dataset(data, network, training.loss, base_dir, progress, should_stop, table)
        remember_inline(data, dataset)  # the panel's check of these rows reuses it
        # As open_session does: the whole data set is evaluated at once, so its activations must fit too.
        limits.check_network_size(network.sizes, rows=max(len(dataset.x_train), len(dataset.x_test)))
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
