"""Which numbers the canvas shows for a snapshot and its options: per column a or ∂L/∂z (x or ∂L/∂x for
the inputs) for the focused sample or the batch mean (the one rule of core.analysis.focus), and per layer
W or ∂L/∂W and b or ∂L/∂b. None where this batch has not computed the quantity yet.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.analysis.focus import column_values, pick
from backprop_studio.core.display.names import sample_label
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.options import CanvasOptions


def node_values(snapshot: Snapshot, options: CanvasOptions) -> list[np.ndarray | None]:
    """Per column (0 = inputs), the (units,) value each node shows."""
    return column_values(snapshot, options.sample_focus, options.gradients)


def grid_values(
    snapshot: Snapshot, options: CanvasOptions, cols: list[np.ndarray | None]
) -> np.ndarray | None:
    """What the pixel grid shows: the input column's values, or, before the first phase (x is None), the
    focused sample of the batch the first Step will draw, so the image is there from the start."""
    if cols[0] is not None or options.gradients:
        return cols[0]
    return pick(snapshot.next_batch_x, options.sample_focus)


def focused_rows(snapshot: Snapshot) -> np.ndarray | None:
    """The data-set rows of the batch shown, or of the one about to be drawn while none is (step 0)."""
    return snapshot.batch_indices if snapshot.x is not None else snapshot.next_batch_indices


def edge_values(snapshot: Snapshot, options: CanvasOptions) -> list[np.ndarray | None]:
    """Per layer, the (n_in, n_out) matrix the edges show: W or ∂L/∂W."""
    if options.gradients:
        return [layer.dW for layer in snapshot.layers]
    return list(snapshot.weights)


def bias_values(snapshot: Snapshot, options: CanvasOptions) -> list[np.ndarray | None]:
    """Per layer, the (n_out,) bias each marker shows: b or ∂L/∂b."""
    if options.gradients:
        return [layer.db for layer in snapshot.layers]
    return list(snapshot.biases)


def sample_phrase(snapshot: Snapshot, options: CanvasOptions) -> str:
    """Whose values the nodes show, named as every view names a sample: "sample #48" (data-set index + 1)
    for a focused row of this batch (or, at step 0, of the batch the first Step draws), "first sample"
    when neither is known, else "batch mean"."""
    focus = options.sample_focus
    if focus.is_mean:
        return "batch mean"
    rows = focused_rows(snapshot)
    if rows is None:
        return "first sample"  # what the toolbar says too, until the first batch is drawn
    row = focus.valid_row(rows.shape[0])
    return "batch mean" if row is None else sample_label(int(rows[row]))


def max_magnitude(arrays: list[np.ndarray]) -> float:
    """The largest |value| over `arrays`, or 1.0 when that is 0 or not finite (a color scale's end)."""
    vmax = max((float(np.max(np.abs(a))) for a in arrays), default=0.0)
    return vmax if vmax > 0 and np.isfinite(vmax) else 1.0
