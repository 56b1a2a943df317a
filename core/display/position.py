"""Where training stands, in words: the one "epoch · batch · phase" text of the status bar, timeline,
captions and the command line; and as a number of epochs, for the loss plots' "now" marker."""

from __future__ import annotations

from backprop_studio.core.training.snapshot import Snapshot, phases_of_batch


def position_text(snapshot: Snapshot, with_step: bool = False, with_next: bool = False) -> str:
    """ "Epoch 3 · batch 2/50 · backward through layer 2" (1-based), optionally with the step and next phase."""
    phase = snapshot.phase.label if snapshot.phase is not None else "ready, nothing run in this batch yet"
    parts = [f"Epoch {snapshot.epoch + 1}", f"batch {snapshot.batch + 1}/{snapshot.batches_per_epoch}", phase]
    if with_step:
        parts.insert(0, f"step {snapshot.step:,}")
        parts[1] = parts[1].lower()
    if with_next and snapshot.next_phase is not None:
        parts.append(f"next: {snapshot.next_phase.label}")
    return " · ".join(parts)


def epochs_done(snapshot: Snapshot) -> float:
    """How far training is, in epochs: whole epochs, plus batches and the phases within the current batch
    as fractions. After batch b's update (of `batches_per_epoch` B) it is epoch + (b + 1) / B, exactly
    where the loss plots put that batch's loss; before a batch's first phase it is epoch + b / B."""
    per_epoch = max(snapshot.batches_per_epoch, 1)
    within = 0.0
    if snapshot.phase is not None:
        order = phases_of_batch(snapshot.n_layers)
        within = (order.index(snapshot.phase) + 1) / len(order) if snapshot.phase in order else 1.0
    return snapshot.epoch + (snapshot.batch + within) / per_epoch
