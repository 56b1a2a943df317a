"""What the Inspector's pictures of image inputs (images.py) say: which input and first-layer neuron a
selection names, the caption over the sample (which sample, its label, the selected pixel) and the
network's answer under it. Plain functions of the snapshot, kept apart from the drawing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from backprop_studio.core.analysis.images import pixel_position
from backprop_studio.core.display.names import input_label, sample_label
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.training.snapshot import Snapshot


def chosen(selection: tuple | None) -> tuple[int | None, int | None]:
    """(input, first-layer neuron) the selection names: an input, a layer-1 neuron, or a weight between."""
    if selection is None:
        return None, None
    kind, layer, a, b = selection
    if kind == "neuron":
        return (a, None) if layer == 0 else ((None, a) if layer == 1 else (None, None))
    return (a, b) if layer == 1 else (None, None)


def pixel_note(pixel: int | None, shape: tuple[int, int], names: Sequence[str]) -> str:
    """The line naming the selected input's pixel ("x₁₂ is the pixel at row 2, column 4"); "" for none."""
    if pixel is None:
        return ""
    row, col = pixel_position(pixel, shape)
    return f"\n{input_label(pixel, names)} is the pixel at row {row + 1}, column {col + 1}"


def sample_caption(
    snap: Snapshot, row: int | None, labels: np.ndarray | None, class_names: Sequence[str]
) -> str:
    """Which sample is drawn ("Sample #12 · label 3"), or the batch mean when `row` is None; `labels`
    are the training samples' class indices (None for regression)."""
    if row is None:
        return f"Mean of the batch's {snap.x.shape[0] if snap.x is not None else 0} samples"
    index = row if snap.batch_indices is None else int(snap.batch_indices[row])
    text = sample_label(index)[0].upper() + sample_label(index)[1:]
    if labels is not None and 0 <= index < len(labels):
        text += f" · label {class_name(int(labels[index]), class_names)}"
    return text


def answer_text(
    snap: Snapshot, row: int | None, labels: np.ndarray | None, class_names: Sequence[str]
) -> str:
    """The network's answer for this sample (classification), once the forward pass has reached the output."""
    out = snap.layers[-1].a if snap.layers else None
    if row is None or out is None or labels is None or out.shape[1] < 2:
        return ""
    k = int(np.argmax(out[row]))
    return f"Network's answer: {class_name(k, class_names)} ({format_number(100 * float(out[row, k]), 2)}%)"


def class_name(k: int, class_names: Sequence[str]) -> str:
    """The name of class `k`, or its number when the data gives no names."""
    return class_names[k] if 0 <= k < len(class_names) else str(k)
