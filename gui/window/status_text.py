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
