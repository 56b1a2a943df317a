"""The chain rule of one neuron of a layer, written out: forward sum and activation, dL/dz, the bias update.

For one sample every formula is that sample's. For the batch mean each per-sample quantity (z, a, dL/da,
f′, dL/dz) is its mean over the batch, named "mean …"; the linear steps still add up for means, and where
a nonlinear step does not (mean a ≠ f(mean z), mean dL/dz ≠ mean dL/da × mean f′) one line says so. The
bias gradient is the exact batch-wide sum either way.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.analysis.chain_rule import (
    BackwardTerms,
    ForwardTerms,
    NeuronTerms,
    batch_parameters_known,
    bias_terms,
    neuron_terms,
    update_applied,
)
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.display.names import neuron_label
from backprop_studio.core.display.numbers import count
from backprop_studio.core.nn.activations import REGISTRY
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.panels.inspector.formula import Page
from backprop_studio.gui.panels.inspector.phrases import after, batch_size, focus_phrase

_NOT_APPLIED = "Not applied yet: the weight update ends the batch, after backward through layer 1."


def write_neuron(page: Page, snap: Snapshot, layer: int, j: int, focus: Focus, names: Sequence[str]) -> None:
    """Neuron j (0-based) of `layer` (1-based) at the focused sample or the batch mean."""
    last = layer == snap.n_layers
    act = snap.activations[layer - 1]
    terms = neuron_terms(snap, layer, j, focus)
    role = "output layer" if last else "hidden layer"
    page.title = neuron_label(layer - 1, j).capitalize()
    page.subtitle = f"{role} · {act} · {focus_phrase(snap, terms.sample)} · {after(snap)}"
    m = "mean " if terms.is_mean else ""

    page.heading("forward", "Forward: weighted sum, then activation")
    fwd = terms.forward
    if fwd is None:
        page.note(f"Not computed yet in this batch: it appears after forward through layer {layer}.")
    else:
        if terms.is_mean:
            page.note(f"Means over the batch's {count(batch_size(snap) or 1, 'sample')}.")
        _forward_lines(page, snap, fwd, layer, m)

    bwd = terms.backward
    fused = bwd is not None and bwd.fused and bwd.source == "loss"
    page.heading("backward", "Backward: dL/dz from the loss" if fused else "Backward: dL/dz = dL/da · f′(z)")
    if bwd is None:
        page.note(
            f"Not reached yet: dL/dz of this neuron appears after backward through layer {layer} "
            "(the backward pass starts at the loss and moves right to left)."
        )
    else:
        _backward_lines(page, snap, terms, bwd, m)

    _bias_lines(page, snap, layer, j)
    page.editor(float(snap.biases[layer - 1][j]), f"b of neuron {j + 1} =")


def _forward_lines(page: Page, snap: Snapshot, fwd: ForwardTerms, layer: int, m: str) -> None:
    inputs = f"{m}xᵢ" if layer == 1 else f"{m}aᵢ"
    act = fwd.activation
    if not batch_parameters_known(snap):
        # Parameters before the update are not in this snapshot: show the result only.
        page.chain(f"{m}z", [f"Σᵢ {inputs}·wᵢⱼ + b", page.num(fwd.z)])
    else:
        parts = page.limited([page.product(x, wt) for x, wt in zip(fwd.inputs, fwd.weights)])
        page.equation(f"{m}z", f"Σᵢ {inputs}·wᵢⱼ + b", [*parts, page.after_op(fwd.bias)], page.num(fwd.z))
    if update_applied(snap):
        page.note("(This batch's forward pass, done with w and b as they were before the update.)")
    if fwd.a_of_mean_z is None:
        page.chain("a", [f"{act}(z)", f"{act}({page.num(fwd.z)})", page.num(fwd.a)])
    else:
        page.chain("mean a", [f"mean of {act}(z)", page.num(fwd.a)])
        if fwd.mean_is_not_activation_of_mean:
            page.note(
                f"Not {act}(mean z) = {act}({page.num(fwd.z)}) = {page.num(fwd.a_of_mean_z)}: "
                "the activation of the mean is not the mean of the activations."
            )
    page.remember(f"{m}z", fwd.z)
    page.remember(f"{m}a", fwd.a)


def _backward_lines(page: Page, snap: Snapshot, terms: NeuronTerms, bwd: BackwardTerms, m: str) -> None:
    fwd = terms.forward
    act = snap.activations[terms.layer - 1]
    layer = terms.layer
    size = batch_size(snap) or 1
    y_hat = page.num(fwd.a) if fwd is not None else "ŷ"
    target = page.after_op(bwd.target) if bwd.target is not None else "y"
    loss_rule = f"({m}ŷ − {m}y)/B"
    page.remember(f"{m}dL/dz", bwd.dz)

    if bwd.fused and bwd.source == "loss":
        _fused_lines(page, snap, bwd, m, f"({y_hat} − {target})/{size}")
        return

    if bwd.source == "loss":
        page.chain(f"{m}dL/da", [f"{m}dL/dŷ = {loss_rule}", f"({y_hat} − {target})/{size}", page.num(bwd.da)])
        page.note(f"From the loss ({snap.loss_name}): ŷ = a is this output, y its target, B the batch size.")
    elif batch_parameters_known(snap):
        parts = page.limited(
            [page.product(wt, d) for wt, d in zip(bwd.downstream_weights, bwd.downstream_dz)]
        )
        page.equation(f"{m}dL/da", f"Σₘ wⱼₘ·{m}dL/dzₘ", parts, page.num(bwd.da))
        page.note(
            f"m runs over the {count(len(bwd.downstream_dz), 'neuron')} of layer {layer + 1}: each "
            "passes back its dL/dz times the weight that connects it to this neuron."
        )
    else:
        page.chain(f"{m}dL/da", [f"Σₘ wⱼₘ·{m}dL/dzₘ", page.num(bwd.da)])
    page.remember(f"{m}dL/da", bwd.da)

    rule = REGISTRY[act].gradient_rule
    if terms.is_mean:
        page.chain("mean f′(z)", [f"mean of {act}′(z)", page.num(bwd.local)], "math")
    else:
        z_text = page.num(fwd.z) if fwd is not None else "z"
        page.chain("f′(z)", [f"{act}′({z_text})", page.num(bwd.local)], "math")
    page.note(f"{act}′: {rule}.")
    page.remember(f"{m}f′(z)", bwd.local)
    if act == "softmax":
        page.note("Softmax couples the units: dL/dzⱼ = aⱼ·(dL/daⱼ − Σₘ aₘ·dL/daₘ).")
        page.math(f"{m}dL/dz = {page.num(bwd.dz)}", "result")
        return
    if bwd.dz_of_means is None:
        product = f"{page.num(bwd.da)} × {page.after_op(bwd.local)}"
        page.chain("dL/dz", ["dL/da · f′(z)", product, page.num(bwd.dz)])
        return
    page.chain("mean dL/dz", ["mean of dL/da · f′(z)", page.num(bwd.dz)])
    if bwd.chain_of_means_differs:
        page.note(
            "A chain rule of means is not the mean of the chain rules: mean dL/da × mean f′(z) = "
            f"{page.num(bwd.da)} × {page.after_op(bwd.local)} = {page.num(bwd.dz_of_means)}."
        )


def _fused_lines(page: Page, snap: Snapshot, bwd: BackwardTerms, m: str, numbers: str) -> None:
    """An output whose dL/dz the loss gives directly: (ŷ − y)/B, with f′ shown as cancelled."""
    pair = (
        "softmax + cross-entropy" if snap.loss_name == "cross_entropy" else "sigmoid + binary cross-entropy"
    )
    page.chain(f"{m}dL/dz", [f"({m}ŷ − {m}y)/B", numbers, page.num(bwd.dz)])
    if snap.loss_name == "cross_entropy":
        page.note(
            "ŷ is this output's softmax probability, y its target, B the batch size. Softmax "
            "couples the outputs: dL/dzⱼ = Σₘ dL/daₘ · aₘ(δₘⱼ − aⱼ), and with cross-entropy "
            "that whole sum collapses to (ŷⱼ − yⱼ)/B, so the loss gives dL/dz directly."
        )
    else:
        page.note(
            f"ŷ is this output, y its target, B the batch size. For {pair}, f′(z) cancels "
            "against dL/dŷ, so the loss gives dL/dz directly (and stays exact when ŷ is near 0 or 1)."
        )
    page.math(f"{m}f′(z) = {page.num(bwd.local)}   (cancelled, not used)", "aside")
    page.remember(f"{m}f′(z)", bwd.local)


def _bias_lines(page: Page, snap: Snapshot, layer: int, j: int) -> None:
    b = bias_terms(snap, layer, j)
    if b.dz is not None and b.gradient is not None:
        parts = page.limited([page.after_op(v) for v in b.dz])
        over = f"over the batch's {count(len(b.dz), 'sample')}"
        page.equation("dL/db", f"Σ_b dL/dz   ({over})", parts, page.num(b.gradient))
        page.remember("dL/db", b.gradient)
    page.heading("update", "Update: new b = b + Δb")
    if b.step is None or b.bias_after is None:
        page.note(_NOT_APPLIED)
        return
    page.math(f"Δb = {page.num(b.step)}")
    page.note("The optimizer's step, computed from dL/db.")
    page.math(f"b is now {page.num(b.bias_after)}", "result")
    page.remember("Δb", b.step)
