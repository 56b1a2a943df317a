"""One or two plain sentences about the phase that just ran, with the numbers of one neuron and one sample.

`narrate(snapshot, selection)` is what the window shows under the canvas and in the Inspector, and what a
recording writes into its caption. One template per phase kind of `core.training.schedule` (forward
through a layer, the loss, backward through a layer, the update); the numbers come from
`core.analysis.chain_rule` (so they are the Inspector's numbers), the names from `core.display.names`
(numbered from 1) and every number from `format_number`.

Example after forward through layer 2 of a tanh network:
  "Forward through layer 2: each of its 2 neurons sums its 4 inputs times their weights plus its bias,
   then applies tanh. Neuron 1, sample #5: z = 0.83, a = tanh(z) = 0.68."
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.analysis.chain_rule import edge_terms, neuron_terms
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.display.names import layer_label, sample_label, weight_label
from backprop_studio.core.display.numbers import count, format_number
from backprop_studio.core.nn.activations import REGISTRY
from backprop_studio.core.spec import TrainingSpec
from backprop_studio.core.teaching.selection import Selection, as_focus, edge_in, neuron_in
from backprop_studio.core.training.snapshot import Snapshot

LOSS_NAMES = {"mse": "mean squared error", "bce": "binary cross-entropy", "cross_entropy": "cross-entropy"}


def n(value: float) -> str:
    """The app's number format, three significant digits."""
    return format_number(value)


def sample_phrase(snap: Snapshot, focus: Focus) -> str:
    """ "sample #5" (data-set index + 1) for a batch row, "the batch mean" for the mean."""
    size = 0 if snap.x is None else int(snap.x.shape[0])
    row = focus.valid_row(size)
    if focus.is_mean or row is None:
        return "mean over the batch"
    index = row if snap.batch_indices is None else int(snap.batch_indices[row])
    return sample_label(index)


def narrate(
    snapshot: Snapshot,
    selection: Selection = None,
    focus: Focus | int | None = 0,
    training: TrainingSpec | None = None,
    features: Sequence[str] = (),
) -> str:
    """What the last phase did, in words, with the numbers of the selected (or first) neuron of its layer
    at the focused batch row (`focus`: a 0-based row, a `Focus`, or None for the batch mean).

    `training` (optional) names the optimizer and learning rate in the update's sentence; `features` names
    the inputs (x₁, x₁² …) as every view does.
    """
    phase = snapshot.phase
    shown = as_focus(focus)
    if snapshot.divergence is not None:
        return f"Training stopped: {snapshot.divergence}."
    if phase is None:
        following = snapshot.next_phase.label if snapshot.next_phase is not None else "the first phase"
        return f"Nothing has run in this batch yet. Step runs {following} for a fresh batch of samples."
    if phase.kind == "forward":
        return forward_text(snapshot, phase.layer or 1, neuron_in(selection, phase.layer or 1), shown)
    if phase.kind == "loss":
        return loss_text(snapshot, neuron_in(selection, snapshot.n_layers), shown)
    if phase.kind == "backward":
        return backward_text(snapshot, phase.layer or 1, neuron_in(selection, phase.layer or 1), shown)
    return update_text(snapshot, edge_in(selection, snapshot.n_layers), training, features)


def _layer_name(snap: Snapshot, layer: int) -> str:
    return layer_label(layer - 1, snap.n_layers)


def _neurons(n_units: int) -> str:
    return "its one neuron" if n_units == 1 else f"each of its {n_units} neurons"


def forward_text(snap: Snapshot, layer: int, j: int, focus: Focus) -> str:
    """Forward through `layer` (1-based): z = Σ a·w + b, then a = f(z), for neuron j (0-based)."""
    act = REGISTRY[snap.activations[layer - 1]]
    n_in, n_out = snap.sizes[layer - 1], snap.sizes[layer]
    inputs = count(n_in, "input")
    if act.name == "linear":
        then = "and passes the sum on unchanged (linear)"
    elif act.name == "softmax":
        then = "then softmax turns the layer's sums into probabilities that add up to 1"
    else:
        then = f"then applies {act.label}"
    first = (
        f"Forward through {_layer_name(snap, layer)}: {_neurons(n_out)} sums its {inputs} times their "
        f"weights plus its bias, {then}."
    )
    terms = neuron_terms(snap, layer, j, focus).forward
    if terms is None:
        return first
    if act.name == "linear":
        values = f"z = {n(terms.z)}, a = z = {n(terms.a)}"
    elif focus.is_mean or act.name == "softmax":
        values = f"z = {n(terms.z)}, a = {n(terms.a)}"
    else:
        values = f"z = {n(terms.z)}, a = {act.symbol}(z) = {n(terms.a)}"
    return f"{first} Neuron {j + 1}, {sample_phrase(snap, focus)}: {values}."


def loss_text(snap: Snapshot, j: int, focus: Focus) -> str:
    """The loss over the batch, then the output's ŷ against its target y and dL/dŷ for output j."""
    outputs = count(snap.sizes[-1], "output")
    size = 0 if snap.x is None else int(snap.x.shape[0])
    name = LOSS_NAMES.get(snap.loss_name, snap.loss_name)
    first = f"Loss: the {name} compares the network's {outputs} with the targets"
    first += f", averaged over the batch's {count(size, 'sample')}: L = {n(snap.loss or 0.0)}"
    if snap.reg_loss:
        first += f" (data {n(snap.data_loss or 0.0)} + penalty {n(snap.reg_loss)})"
    terms = neuron_terms(snap, snap.n_layers, j, focus)
    state = snap.layers[-1]
    if terms.forward is None or state.da is None or snap.y is None:
        return first + "."
    row = focus.valid_row(size)
    da = float(state.da[:, j].mean() if row is None or focus.is_mean else state.da[row, j])
    y = float(snap.y[:, j].mean() if row is None or focus.is_mean else snap.y[row, j])
    return (
        f"{first}. Output {j + 1}, {sample_phrase(snap, focus)}: ŷ = {n(terms.forward.a)}, target "
        f"y = {n(y)}, so dL/dŷ = {n(da)} starts the backward pass."
    )


def backward_text(snap: Snapshot, layer: int, j: int, focus: Focus) -> str:
    """Backward through `layer`: dL/dz = dL/da · f′(z) (or the loss's fused δ), for neuron j."""
    act = REGISTRY[snap.activations[layer - 1]]
    terms = neuron_terms(snap, layer, j, focus).backward
    name = _layer_name(snap, layer)
    if terms is None:
        return f"Backward through {name}."
    who = f"Neuron {j + 1}, {sample_phrase(snap, focus)}"
    if terms.fused and terms.source == "loss" and snap.loss_name in ("bce", "cross_entropy"):
        loss = LOSS_NAMES.get(snap.loss_name, snap.loss_name)
        return (
            f"Backward through {name}: with {loss} after {act.label}, each output's dL/dz is simply "
            f"(ŷ − y)/B, and dL/dW = Aᵀ·dL/dz sums it over the batch. {who}: dL/dz = {n(terms.dz)}."
        )
    if act.name == "softmax":
        return (
            f"Backward through {name}: softmax couples its outputs, so dL/dz = a·(dL/da − Σ a·dL/da), "
            f"and dL/dW = Aᵀ·dL/dz sums it over the batch. {who}: dL/da = {n(terms.da)}, "
            f"dL/dz = {n(terms.dz)}."
        )
    if terms.source == "loss":
        source = "from the loss"
    else:
        sources = "the neuron" if len(terms.downstream_dz) == 1 else f"the {len(terms.downstream_dz)} neurons"
        source = f"Σ w·dL/dz from {sources} of layer {layer + 1}"
    return (
        f"Backward through {name}: each neuron multiplies its dL/da ({source}) by its local slope "
        f"f′(z) ({act.gradient_rule}) to get dL/dz; dL/dW = Aᵀ·dL/dz adds these up over the batch. "
        f"{who}: dL/da = {n(terms.da)}, f′(z) = {n(terms.local)}, dL/dz = {n(terms.dz)}."
    )


def optimizer_phrase(training: TrainingSpec | None) -> str:
    """How the update moves a weight, with the learning rate: "w ← w − 0.03·dL/dw (plain SGD)"."""
    if training is None:
        return "every weight and bias takes a step against its gradient"
    opt = training.optimizer
    lr = n(opt.learning_rate)
    if opt.name == "momentum":
        return (
            f"every weight and bias steps along a running sum of its gradients (momentum "
            f"{n(opt.momentum)}): v ← {n(opt.momentum)}·v + dL/dw, w ← w − {lr}·v"
        )
    if opt.name == "adam":
        return (
            f"Adam moves every weight and bias by {lr}·m̂/(√v̂ + ε), its gradient's running mean scaled "
            "by its running size"
        )
    return f"every weight and bias takes a step against its gradient, w ← w − {lr}·dL/dw (plain SGD)"


def update_text(
    snap: Snapshot, edge: tuple[int, int, int], training: TrainingSpec | None, features: Sequence[str]
) -> str:
    """The update: the rule, then one weight's old value, gradient, step and new value."""
    first = f"Weight update: {optimizer_phrase(training)}."
    layer, i, j = edge
    terms = edge_terms(snap, layer, i, j)
    if terms.step is None or terms.weight_after is None or terms.gradient is None:
        return first
    name = weight_label(layer, i, j, features)
    return (
        f"{first} The {name}: w = {n(terms.weight)}, dL/dw = {n(terms.gradient)}, "
        f"Δw = {n(terms.step)}, so w becomes {n(terms.weight_after)}."
    )
