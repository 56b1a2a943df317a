"""What a lesson recording's text side views say: the Inspector's chain rule of the selected neuron or edge,
and the Breakpoints list with the one that fired.

Every number and formula comes from core: `core.analysis.chain_rule` for the terms, `core.teaching.worked`
for the worked computations (the same texts a quiz reveals), `core.display` for names and the one number
format. A video panel has room for a dozen lines, not the Inspector's whole page, so these are the lines a
lesson's narration points at: forward (z = Σ a·w + b, a = f(z)), backward (dL/da, f′(z), dL/dz), the
weight's gradient and its update.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.analysis.chain_rule import (
    batch_parameters_known,
    edge_terms,
    input_terms,
    neuron_terms,
)
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.debugger.conditions import Hit
from backprop_studio.core.debugger.watch import Watch
from backprop_studio.core.display.names import input_label, neuron_label, weight_label
from backprop_studio.core.display.numbers import format_number, wrapped
from backprop_studio.core.nn.activations import REGISTRY
from backprop_studio.core.spec import TrainingSpec
from backprop_studio.core.teaching.narration import sample_phrase
from backprop_studio.core.teaching.worked import products, update_rule, worked_text
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.recording.side_text import TextLine

NO_SELECTION = "Nothing is selected at this step."


def n(value: float) -> str:
    return format_number(value)


def _whose(snap: Snapshot, focus: Focus) -> str:
    """ "sample #5" for the focused batch row, or that no batch is loaded yet."""
    return "no batch loaded yet" if snap.x is None else sample_phrase(snap, focus)


def _after(snap: Snapshot) -> str:
    return "start of training" if snap.phase is None else f"after {snap.phase.label}"


def sgd_rate(training: TrainingSpec | None) -> float | None:
    """The learning rate when the optimizer is plain SGD (the update is then written w − lr·dL/dw)."""
    if training is None or training.optimizer.name != "sgd":
        return None
    return float(training.optimizer.learning_rate)


def inspector_lines(
    snap: Snapshot,
    selection: tuple | None,
    focus: Focus,
    training: TrainingSpec | None = None,
    names: Sequence[str] = (),
) -> list[TextLine]:
    """The chain rule of `selection` (("neuron", layer, j) or ("edge", layer, i, j), 0-based units)."""
    if selection is None:
        return [TextLine("note", NO_SELECTION)]
    if selection[0] == "edge":
        return _edge_lines(
            snap, int(selection[1]), int(selection[2]), int(selection[3]), focus, training, names
        )
    layer, j = int(selection[1]), int(selection[2])
    if layer == 0:
        return _input_lines(snap, j, focus, names)
    return _neuron_lines(snap, layer, j, focus)


def _neuron_lines(snap: Snapshot, layer: int, j: int, focus: Focus) -> list[TextLine]:
    terms = neuron_terms(snap, layer, j, focus)
    act = REGISTRY[snap.activations[layer - 1]]
    role = "output layer" if layer == snap.n_layers else "hidden layer"
    lines = [
        TextLine("title", neuron_label(layer - 1, j).capitalize()),
        TextLine("subtitle", f"{role} · {act.label} · {_whose(snap, focus)} · {_after(snap)}"),
        TextLine("heading", "Forward: z = Σ a·w + b, then a = f(z)", "forward"),
    ]
    target = ("neuron", layer, j)
    fwd = terms.forward
    if fwd is None:
        lines.append(TextLine("note", f"Not computed yet: it appears after forward through layer {layer}."))
    elif batch_parameters_known(snap):
        lines += [TextLine("line", part) for part in worked_text(target, "a", snap, focus).split("; ")]
    else:
        lines += [TextLine("line", f"z = {n(fwd.z)}"), TextLine("line", f"a = {act.symbol}(z) = {n(fwd.a)}")]
    bwd = terms.backward
    fused = bwd is not None and bwd.fused
    lines.append(TextLine("heading", "Backward: dL/dz" + ("" if fused else " = dL/da · f′(z)"), "backward"))
    if bwd is None:
        lines.append(TextLine("note", f"Not reached yet: it appears after backward through layer {layer}."))
        return lines
    if not fused:
        if bwd.source == "loss":
            lines.append(TextLine("line", f"dL/da = dL/dŷ = {n(bwd.da)}"))
        else:
            sum_text = products(bwd.downstream_weights, bwd.downstream_dz)
            lines.append(TextLine("line", f"dL/da = Σ w·dL/dz = {sum_text} = {n(bwd.da)}"))
        lines.append(TextLine("line", _slope(act.gradient_rule, bwd.local)))
    lines.append(TextLine("line", worked_text(target, "dz", snap, focus)))
    return lines


def _slope(rule: str, value: float) -> str:
    """ "f′(z) = σ′(z) = a·(1 − a) = 0.187" for a formula; "f′(z) = 1 (1 if z > 0, else 0)" for a rule in words."""
    if "=" in rule:
        return f"f′(z) = {rule} = {n(value)}"
    return f"f′(z) = {n(value)}  ({rule})"


def _input_lines(snap: Snapshot, i: int, focus: Focus, names: Sequence[str]) -> list[TextLine]:
    terms = input_terms(snap, i, focus)
    lines = [
        TextLine("title", f"Input {input_label(i, names)}"),
        TextLine("subtitle", f"{_whose(snap, focus)} · {_after(snap)}"),
    ]
    if terms.x is None:
        return [*lines, TextLine("note", "No batch is loaded yet.")]
    lines.append(TextLine("line", f"x = {n(terms.x)}"))
    if terms.dx is not None and terms.products is not None:
        sum_text = products(terms.weights, terms.downstream_dz or ())
        lines.append(TextLine("heading", "Backward: what the loss would do if x moved", "backward"))
        lines.append(TextLine("line", f"dL/dx = Σ w·dL/dz = {sum_text} = {n(terms.dx)}"))
    return lines


def _edge_lines(
    snap: Snapshot,
    layer: int,
    i: int,
    j: int,
    focus: Focus,
    training: TrainingSpec | None,
    names: Sequence[str],
) -> list[TextLine]:
    edge = edge_terms(snap, layer, i, j)
    lines = [
        TextLine("title", weight_label(layer, i, j, names).capitalize()),
        TextLine("subtitle", f"{_whose(snap, focus)} · {_after(snap)}"),
        TextLine("heading", "Forward: the input times the weight", "forward"),
    ]
    fwd = neuron_terms(snap, layer, j, focus).forward
    lines.append(TextLine("line", f"w = {n(edge.weight)}"))
    if fwd is not None:
        product = f"{wrapped(n(fwd.inputs[i]))}·{wrapped(n(edge.weight))}"
        lines.append(TextLine("line", f"a·w = {product} = {n(fwd.products[i])}"))
    lines.append(TextLine("heading", "Gradient: dL/dw = Σ over the batch of a·dL/dz", "backward"))
    if edge.gradient is None or edge.inputs is None or edge.dz is None:
        lines.append(TextLine("note", f"Not reached yet: it appears after backward through layer {layer}."))
    else:
        total = products(edge.inputs, edge.dz)
        if edge.regularization:
            total += f" + {n(edge.regularization)} (penalty)"
        lines.append(TextLine("line", f"dL/dw = {total} = {n(edge.gradient)}"))
    lines.append(TextLine("heading", "Update", "update"))
    if edge.weight_after is None:
        lines.append(TextLine("note", f"The update will set w to {update_rule(training, 'w')}."))
    else:
        target = ("edge", layer, i, j)
        lines.append(TextLine("line", worked_text(target, "w_after", snap, focus, sgd_rate(training))))
    return lines


def breakpoint_lines(watches: Sequence[Watch], hit: Hit | None) -> list[TextLine]:
    """The project's breakpoints, on or off, and the message of the one that stopped this step."""
    if not watches:
        return [TextLine("note", "The project has no breakpoints.")]
    lines = [TextLine("heading", "Watching for", "update")]
    lines += [TextLine("line", f"{'●' if w.enabled else '○ off:'} {w.describe()}") for w in watches]
    lines.append(TextLine("heading", "Stopped" if hit is not None else "Not fired at this step", "loss"))
    if hit is not None:
        lines.append(TextLine("line", hit.message))
    else:
        lines.append(TextLine("note", "Training ran on: no condition held."))
    return lines
