"""The numbers a quiz question gives (before its phase) and the worked computation it reveals (after).

Quantities as in `quiz`: "a" (forward), "da_out" (loss), "dz" (backward), "b_after" / "w_after" (update).
Every number comes from the `Snapshot` through `core.analysis.chain_rule`, written by `format_number`;
sums longer than `MAX_TERMS` are shortened with "…" and their term count.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.analysis.chain_rule import bias_terms, edge_terms, neuron_terms
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.display.names import input_label
from backprop_studio.core.display.numbers import format_change, format_number, wrapped
from backprop_studio.core.nn.activations import REGISTRY
from backprop_studio.core.spec import TrainingSpec
from backprop_studio.core.training.snapshot import Snapshot

MAX_TERMS = 4
LOSS_RULES = {"mse": "(ŷ − y)/B", "bce": "(ŷ − y)/(ŷ·(1 − ŷ))/B", "cross_entropy": "−y/ŷ/B"}


def n(value: float) -> str:
    return format_number(value)


def listing(values: Sequence[float]) -> str:
    """ "0.5, −0.3, …, 0.2 (30 values)" for long lists."""
    if len(values) <= 2 * MAX_TERMS:
        return ", ".join(n(v) for v in values)
    head = ", ".join(n(v) for v in values[:MAX_TERMS])
    return f"{head}, …, {n(values[-1])} ({len(values)} values)"


def products(a: Sequence[float], b: Sequence[float]) -> str:
    """ "0.5·0.1 + (−0.3)·0.2", shortened to MAX_TERMS terms and "… (n terms)"."""
    terms = [f"{wrapped(n(x))}·{wrapped(n(y))}" for x, y in zip(a, b)]
    if len(terms) > MAX_TERMS:
        return " + ".join(terms[:MAX_TERMS]) + f" + … ({len(terms)} terms)"
    return " + ".join(terms)


def _row(snap: Snapshot, focus: Focus) -> int:
    size = 0 if snap.x is None else int(snap.x.shape[0])
    return focus.valid_row(size) or 0


def update_rule(training: TrainingSpec | None, symbol: str) -> str:
    """ "w − 0.03·dL/dw (plain SGD)", or the optimizer's name when it is not plain SGD."""
    if training is None:
        return f"{symbol} + Δ{symbol}"
    opt = training.optimizer
    if opt.name == "sgd":
        return f"{symbol} − {n(opt.learning_rate)}·dL/d{symbol} (plain SGD)"
    label = {"momentum": f"momentum {n(opt.momentum)}", "adam": "Adam"}.get(opt.name, opt.name)
    return f"{symbol} + Δ{symbol}, the {label} step with lr = {n(opt.learning_rate)}"


def given_text(
    snap: Snapshot, selection: tuple, quantity: str, focus: Focus, training: TrainingSpec | None = None
) -> str:
    """What the student needs, read from the snapshot before the phase runs."""
    if quantity in ("w_after", "b_after"):
        layer = int(selection[1])
        if quantity == "w_after":
            edge = edge_terms(snap, layer, int(selection[2]), int(selection[3]))
            value, grad, sym = edge.weight, edge.gradient, "w"
        else:
            bias = bias_terms(snap, layer, int(selection[2]))
            value, grad, sym = bias.bias, bias.gradient, "b"
        known = f"{sym} = {n(value)}" + ("" if grad is None else f", dL/d{sym} = {n(grad)}")
        return f"{known}. The update sets {sym} to {update_rule(training, sym)}."
    layer, j = int(selection[1]), int(selection[2])
    k, row = layer - 1, _row(snap, focus)
    act = REGISTRY[snap.activations[k]]
    if quantity == "a":
        prev = snap.x if k == 0 else snap.layers[k - 1].a
        names = [input_label(i) for i in range(snap.sizes[0])] if k == 0 else None
        inputs = "inputs x" if names else f"inputs a of layer {layer - 1}"
        shown = "" if prev is None else listing(prev[row].tolist())
        return (
            f"{inputs}: {shown}; weights: {listing(snap.weights[k][:, j].tolist())}; bias: "
            f"{n(float(snap.biases[k][j]))}. z = Σ input·weight + bias, then a = {act.symbol}(z)."
        )
    state = snap.layers[k]
    a = None if state.a is None else float(state.a[row, j])
    size = 0 if snap.x is None else int(snap.x.shape[0])
    output = layer == snap.n_layers
    if quantity == "da_out" or (output and snap.loss_name in ("bce", "cross_entropy")):
        target = 0.0 if snap.y is None else float(snap.y[row, j])
        rule = LOSS_RULES[snap.loss_name] if quantity == "da_out" else "(ŷ − y)/B"
        return f"ŷ = {n(a or 0.0)}, y = {n(target)}, B = {size}. It is {rule}."
    da = None if state.da is None else float(state.da[row, j])
    z = None if state.z is None else float(state.z[row, j])
    if act.name == "softmax":
        return f"dL/da = {n(da or 0.0)}, a = {n(a or 0.0)}. Softmax: dL/dz = a·(dL/da − Σ a·dL/da)."
    return (
        f"dL/da = {n(da or 0.0)}, z = {n(z or 0.0)}, a = {n(a or 0.0)}. "
        f"dL/dz = dL/da · f′(z), with f′: {act.gradient_rule}."
    )


def worked_text(
    target: tuple, quantity: str, after: Snapshot, focus: Focus, sgd_rate: float | None = None
) -> str:
    """The computation behind the revealed value, with the numbers the session used (`sgd_rate`: the
    learning rate of a plain SGD update, written as w − lr·dL/dw; otherwise the optimizer's Δw)."""
    if quantity == "w_after":
        edge = edge_terms(after, int(target[1]), int(target[2]), int(target[3]))
        return _step_text("w", edge.weight, edge.gradient, edge.step, edge.weight_after, sgd_rate)
    if quantity == "b_after":
        bias = bias_terms(after, int(target[1]), int(target[2]))
        return _step_text("b", bias.bias, bias.gradient, bias.step, bias.bias_after, sgd_rate)
    terms = neuron_terms(after, int(target[1]), int(target[2]), focus)
    if quantity == "a":
        f = terms.forward
        assert f is not None
        act = REGISTRY[f.activation]
        return (
            f"z = {products(f.inputs, f.weights)} + {wrapped(n(f.bias))} = {n(f.z)}; "
            f"a = {act.symbol}(z) = {act.symbol}({n(f.z)}) = {n(f.a)}"
        )
    size = terms.batch_size or 1
    if quantity == "da_out":
        row, j, state = _row(after, focus), int(target[2]), after.layers[-1]
        assert state.a is not None and state.da is not None and after.y is not None
        y_hat, y, da = float(state.a[row, j]), float(after.y[row, j]), float(state.da[row, j])
        rule = LOSS_RULES.get(after.loss_name, "dL/dŷ")
        if after.loss_name == "mse":
            return f"dL/dŷ = {rule} = ({n(y_hat)} − {wrapped(n(y))})/{size} = {n(da)}"
        return f"dL/dŷ = {rule} with ŷ = {n(y_hat)}, y = {n(y)}, B = {size}: {n(da)}"
    b = terms.backward
    assert b is not None
    if b.fused and b.target is not None:
        y_hat = terms.forward.a if terms.forward is not None else 0.0
        return f"dL/dz = (ŷ − y)/B = ({n(y_hat)} − {wrapped(n(b.target))})/{size} = {n(b.dz)}"
    if b.fused:
        return f"dL/dz = a·(dL/da − Σ a·dL/da) = {n(b.dz)} (softmax couples the layer's outputs)"
    return f"dL/dz = dL/da · f′(z) = {wrapped(n(b.da))} · {wrapped(n(b.local))} = {n(b.dz)}"


def _step_text(
    sym: str,
    before: float,
    grad: float | None,
    step: float | None,
    after: float | None,
    sgd_rate: float | None,
) -> str:
    if step is None or after is None:
        return f"{sym} = {n(before)} (not updated yet)"
    old, new = format_change(before, after)  # a small step must not read "0.15 − … = 0.15"
    if sgd_rate is not None and grad is not None:
        return f"{sym} = {sym} − lr·dL/d{sym} = {old} − {n(sgd_rate)}·{wrapped(n(grad))} = {new}"
    gradient = "" if grad is None else f" (dL/d{sym} = {n(grad)})"
    return f"{sym} = {old} + Δ{sym} = {old} + {wrapped(n(step))} = {new}{gradient}"
