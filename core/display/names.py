"""Display names: layers and neurons from 1, inputs by their feature, samples by their data-set index.

Internally everything is 0-based (`layer` indexes `Snapshot.layers`, whose layer 0 is the first hidden
layer; `j` a neuron in it; `i` an input column). A person reads 1-based numbers everywhere: "layer 1" is
the first layer with weights, "neuron 1" its first neuron, and inputs are named by the feature they carry
(x₁, x₂, x₁², sin(x₁) …) or x₁ … xₙ for data without named features.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.display.numbers import subscript

FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁·x₂",
    "sin(x1)": "sin(x₁)",
    "sin(x2)": "sin(x₂)",
}


def feature_label(feature: str) -> str:
    """ "x1^2" → "x₁²"; an unknown feature name is shown as it is."""
    return FEATURE_LABELS.get(feature, feature)


def input_label(i: int, features: Sequence[str] = ()) -> str:
    """Input column `i` (0-based): its feature's name where known, else x with a 1-based subscript."""
    if 0 <= i < len(features):
        return feature_label(features[i])
    return f"x{subscript(i + 1)}"


def layer_label(layer: int, n_layers: int | None = None) -> str:
    """`layer` 0-based over the layers with weights → "layer 1"; the last one, if `n_layers` given, "output layer"."""
    if n_layers is not None and layer == n_layers - 1:
        return f"output layer {layer + 1}"
    return f"layer {layer + 1}"


def neuron_label(layer: int, j: int) -> str:
    """Neuron `j` of `layer` (both 0-based) → "neuron 2 of layer 1"."""
    return f"neuron {j + 1} of layer {layer + 1}"


def neuron_short(j: int) -> str:
    """Neuron `j` (0-based) within a known layer → "neuron 2"."""
    return f"neuron {j + 1}"


def sample_label(index: int, row: int | None = None, batch_size: int | None = None) -> str:
    """Training sample `index` (0-based row of the data set) → "sample #48", with its batch row if given.

    "sample #48 (row 2 of 10 in this batch)". The data-set index is the name; the batch row only says
    where it sits in the matrices the Inspector and the matrix view show.
    """
    text = f"sample #{index + 1}"
    if row is not None and batch_size is not None and batch_size > 1:
        text += f" (row {row + 1} of {batch_size} in this batch)"
    return text


def weight_label(layer: int, i: int, j: int, features: Sequence[str] = ()) -> str:
    """The weight of `layer` (1-based, as files and breakpoints count layers) from its input `i` to its
    neuron `j` (both 0-based, the matrix index) → "weight from x₂ to neuron 1 of layer 1"."""
    return f"weight from {weight_source(layer, i, features)} to neuron {j + 1} of layer {layer}"


def weight_source(layer: int, i: int, features: Sequence[str] = ()) -> str:
    """Where row `i` of `layer`'s weight matrix comes from: an input (layer 1) or a neuron of the layer below."""
    return input_label(i, features) if layer == 1 else f"neuron {i + 1} of layer {layer - 1}"


def bias_label(layer: int, j: int) -> str:
    """The bias of neuron `j` (0-based) of `layer` (1-based) → "bias of neuron 2 of layer 1"."""
    return f"bias of neuron {j + 1} of layer {layer}"
