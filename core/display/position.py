"""Where training stands, in words: the one "epoch · batch · phase" text of the status bar, timeline,
captions and the command line."""

from __future__ import annotations

from backprop_studio.core.training.snapshot import Snapshot


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
