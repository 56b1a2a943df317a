"""What the breakpoint form (watch_dialog) says: each kind of breakpoint in words with its help, the
names, labels and defaults of the thresholds, and how a layer and a weight are named in its boxes.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.display.names import input_label, layer_label, neuron_label
from backprop_studio.core.display.numbers import count
from backprop_studio.core.nn import activations as activation_registry

KIND_LABELS = {
    "nonfinite": "a NaN or inf appears",
    "vanishing": "a gradient vanishes: ‖dL/dW‖ < ε",
    "exploding": "a gradient explodes: ‖dL/dW‖ > M",
    "loss_rising": "the loss rises",
    "weight_crossing": "a weight crosses a value",
    "update_ratio": "an update is too large: ‖ΔW‖/‖W‖ > r",
    "dead_relu": "ReLU units die: dead share ≥ p",
}
KIND_HELP = {
    "nonfinite": "Stops at the exact phase that produced a NaN or an infinity, anywhere in the network.",
    "vanishing": "Checked after backward through the layer. A gradient this small hardly moves the "
    "weights, so the layer stops learning; deep stacks of sigmoid or tanh layers do this to their "
    "first layers.",
    "exploding": "Checked after backward through the layer. Gradients this large make the next update "
    "jump far; usually the learning rate is too high.",
    "loss_rising": "Per epoch: the training loss after an epoch is above the one after the epoch before "
    "(checked at the update that ends the epoch). Per batch: a batch's loss is above the previous "
    "batch's (noisy with shuffled mini-batches).",
    "weight_crossing": "Checked after every update: stops when W[i, j] moves from one side of the value "
    "to the other (or onto it). 0 catches a weight changing sign.",
    "update_ratio": "Checked after every update. Healthy training moves weights by about 1e-3 of their "
    "size per step; far above 1e-2 the learning rate is too large.",
    "dead_relu": "Checked after forward through the layer: a unit is dead when it outputs 0 for every "
    "sample of the batch, so no gradient reaches its weights again. p = 1 means every unit.",
}
THRESHOLD_NAMES = {
    "vanishing": "ε",
    "exploding": "M",
    "update_ratio": "r",
    "dead_relu": "p",
    "weight_crossing": "value",
}
THRESHOLD_LABELS = {
    "vanishing": "Threshold ε",
    "exploding": "Threshold M",
    "update_ratio": "Threshold r",
    "dead_relu": "Share p",
    "weight_crossing": "Value",
}
DEFAULT_THRESHOLDS = {
    "vanishing": 1e-6,
    "exploding": 1e3,
    "update_ratio": 0.1,
    "dead_relu": 0.5,
    "weight_crossing": 0.0,
}
LAYER_KINDS = ("vanishing", "exploding", "update_ratio", "dead_relu", "weight_crossing")


def layer_choice(sizes: Sequence[int], activations: Sequence[str], layer: int) -> str:
    """How the Layer box names `layer` (1-based): "layer 1 · ReLU · 4 units"."""
    name = layer_label(layer - 1, len(activations))
    label = activation_registry.get(activations[layer - 1]).label
    return f"{name} · {label} · {count(sizes[layer], 'unit')}"


def weight_ends(layer: int, i: int, j: int, features: Sequence[str] = ()) -> str:
    """W[i, j] of `layer` (1-based; i, j 0-based matrix indices) in words: "from x₂ to neuron 1 of layer 1"."""
    source = input_label(i, features) if layer == 1 else neuron_label(layer - 2, i)
    return f"from {source} to {neuron_label(layer - 1, j)}"
