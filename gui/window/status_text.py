"""Plain-language descriptions of where training is, for the status bar and captions."""

from __future__ import annotations

from backprop_studio.core.training.snapshot import Snapshot


def position(snapshot: Snapshot) -> str:
    """e.g. "Epoch 3 · batch 2/50 · backward through layer 2 · next: backward through layer 1"."""
    parts = [f"Epoch {snapshot.epoch + 1}", f"batch {snapshot.batch + 1}/{snapshot.batches_per_epoch}"]
    parts.append(snapshot.phase.label if snapshot.phase else "ready")
    if snapshot.next_phase is not None:
        parts.append(f"next: {snapshot.next_phase.label}")
    return " · ".join(parts)


def loss(snapshot: Snapshot) -> str:
    if snapshot.loss is None:
        last = snapshot.history.train_loss
        return f"train loss {last[-1]:.5g}" if last else "loss not computed yet"
    text = f"batch loss {snapshot.loss:.5g}"
    if snapshot.reg_loss:
        text += f" (data {snapshot.data_loss:.5g} + penalty {snapshot.reg_loss:.3g})"
    return text


def focus(snapshot: Snapshot, row: int | None, focused: int | None) -> str:
    """Which sample the views show: the batch `row` (None: the batch mean), and the training-set index the
    user focused on (None: the first sample of each batch)."""
    indices = snapshot.batch_indices
    if indices is None:
        return "Showing: the first sample of each batch"
    if row is None:
        return f"Showing: the mean over this batch's {len(indices)} samples"
    shown = int(indices[row])
    if focused is not None and focused != shown:
        return f"Sample #{focused} is not in this batch · showing #{shown}, the batch's first"
    return f"Showing: sample #{shown} (row {row + 1} of {len(indices)} in this batch)"
