"""The status bar's texts: where training is, the loss, and which sample the views show.

Positions, numbers and sample names come from core/display, the one home of how they read.
"""

from __future__ import annotations

from backprop_studio.core.display.names import sample_label
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.display.position import position_text
from backprop_studio.core.training.snapshot import Snapshot


def position(snapshot: Snapshot) -> str:
    """e.g. "Epoch 3 · batch 2/50 · backward through layer 2 · next: backward through layer 1"."""
    return position_text(snapshot, with_next=True)


def loss(snapshot: Snapshot) -> str:
    if snapshot.loss is None:
        last = snapshot.history.train_loss
        return f"train loss {format_number(last[-1], 5)}" if len(last) else "loss not computed yet"
    text = f"batch loss {format_number(snapshot.loss, 5)}"
    if snapshot.reg_loss and snapshot.data_loss is not None:
        text += f" (data {format_number(snapshot.data_loss, 5)} + penalty {format_number(snapshot.reg_loss)})"
    return text


def focus(snapshot: Snapshot, row: int | None, focused: int | None) -> str:
    """Which sample the views show: the batch `row` (None: the batch mean), and the training-set index the
    user focused on (None: the first sample of each batch). Samples are named by their data-set index + 1."""
    indices = snapshot.batch_indices
    if indices is None:
        return "Showing: the first sample of each batch"
    if row is None:
        return f"Showing: the mean over this batch's {len(indices)} samples"
    shown = int(indices[row])
    if focused is not None and focused != shown:
        return (
            f"{sample_label(focused).capitalize()} is not in this batch · showing "
            f"{sample_label(shown)}, the batch's first"
        )
    return f"Showing: {sample_label(shown, row, len(indices))}"
