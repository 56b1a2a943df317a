"""Phrases every Inspector narrative shares: where training stands, which sample (or mean) is shown, unit names."""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.display.names import input_label, neuron_label, sample_label
from backprop_studio.core.display.numbers import count
from backprop_studio.core.training.snapshot import Snapshot

HINT = "Click a neuron or an edge to see its chain rule"


def after(snap: Snapshot) -> str:
    return "start of training" if snap.phase is None else f"after {snap.phase.label}"


def batch_size(snap: Snapshot) -> int | None:
    return None if snap.x is None else int(snap.x.shape[0])


def focus_phrase(snap: Snapshot, row: int | None) -> str:
    """ "sample #48 (row 2 of 10 in this batch)", or "mean over the batch's 10 samples"."""
    size = batch_size(snap)
    if size is None:
        return "no batch loaded yet"
    if row is None:
        return f"mean over the batch's {count(size, 'sample')}"
    return sample_label(sample_index(snap, row), row, size)


def sample_index(snap: Snapshot, row: int) -> int:
    """The data-set index (0-based) of batch row `row`: a sample's name is this index + 1."""
    return row if snap.batch_indices is None else int(snap.batch_indices[row])


def source_name(layer: int, i: int, names: Sequence[str]) -> str:
    """Unit i feeding layer `layer` (1-based): an input by its feature, else a neuron of the layer before."""
    return f"input {input_label(i, names)}" if layer == 1 else neuron_label(layer - 2, i)
