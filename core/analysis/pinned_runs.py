"""Pinned runs: a finished (or paused) run's per-epoch train and test loss, kept to compare later runs with.

A `PinnedRun` holds its label, its settings (`run_diff.settings_summary`: what the legend compares with
the current run) and its loss per epoch: `train_loss` and `test_loss` (n,) float64, NaN where not
measured, at 1-based epoch numbers `epochs` (n,) (1…n unless the history merged old points). It is plain
data, saved with the project (`pinned_runs`, docs/FILE_FORMAT.md), and never changes once made.

At most `MAX_PINNED` runs are kept: pinning a sixth is refused with a message saying to remove one,
rather than silently dropping the oldest one the user may still be reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from backprop_studio.core.analysis.run_diff import Scalar, settings_summary
from backprop_studio.core.errors import StudioError
from backprop_studio.core.spec import DataSpec, NetworkSpec, TrainingSpec
from backprop_studio.core.training.snapshot import History

MAX_PINNED = 5
MAX_LABEL = 80  # characters


@dataclass(frozen=True, eq=False)
class PinnedRun:
    """One pinned run: `epochs` (n,) int64 1-based, `train_loss` and `test_loss` (n,) float64 (read-only)."""

    label: str
    settings: tuple[tuple[str, Scalar], ...]
    epochs: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray

    def __post_init__(self) -> None:
        for name, dtype in (("epochs", np.int64), ("train_loss", np.float64), ("test_loss", np.float64)):
            array = np.array(getattr(self, name), dtype=dtype).reshape(-1)
            array.flags.writeable = False
            object.__setattr__(self, name, array)
        if not len(self.epochs) == len(self.train_loss) == len(self.test_loss):
            raise ValueError("a pinned run's epochs, train_loss and test_loss must have one value each")

    @property
    def summary(self) -> dict[str, Scalar]:
        return dict(self.settings)

    @property
    def has_test(self) -> bool:
        return bool(np.isfinite(self.test_loss).any())


def pin(
    history: History, network: NetworkSpec, training: TrainingSpec, data: DataSpec, label: str
) -> PinnedRun:
    """A PinnedRun of `history`'s per-epoch losses (copied: the run goes on) with these settings.
    Raises StudioError when no epoch has been completed yet: there is no curve to pin."""
    train = history.train_loss
    if len(train) == 0:
        raise StudioError("there is no run to pin yet: train at least one epoch first")
    test = np.full(len(train), np.nan)
    test_values = history.test_loss
    if len(test_values) == len(train):
        test[:] = test_values.values
    summary = settings_summary(network, training, data)
    return PinnedRun(label[:MAX_LABEL], tuple(summary.items()), train.at + 1, train.values.copy(), test)


def next_label(pinned: Sequence[PinnedRun], epochs: int) -> str:
    """ "run 1 · 200 epochs", numbered after the highest "run N" already pinned."""
    numbers = [0]
    for run in pinned:
        head = run.label.split(" · ")[0]
        if head.startswith("run ") and head[4:].isdigit():
            numbers.append(int(head[4:]))
    return f"run {max(numbers) + 1} · {epochs:,} epoch{'s' if epochs != 1 else ''}"


def added(pinned: tuple[PinnedRun, ...], run: PinnedRun) -> tuple[PinnedRun, ...]:
    """`pinned` with `run` appended; StudioError when `MAX_PINNED` are pinned already."""
    if len(pinned) >= MAX_PINNED:
        raise StudioError(
            f"{MAX_PINNED} runs are pinned already, the most the loss plot compares: "
            "remove one (its × in the loss plot's legend) before pinning another"
        )
    return (*pinned, run)


def removed(pinned: tuple[PinnedRun, ...], index: int) -> tuple[PinnedRun, ...]:
    """`pinned` without the run at 0-based `index`."""
    if not 0 <= index < len(pinned):
        raise StudioError(f"there is no pinned run {index + 1} (there are {len(pinned)})")
    return pinned[:index] + pinned[index + 1 :]
