"""What the Neuron zoom draws, as text: one neuron's graph with the session's numbers, for a sample or the mean.

Every number comes from `core/analysis/chain_rule` (one `Focus`: a batch row or the batch mean) and is
formatted by `core/display/numbers`; a value core does not provide yet is None and left blank. For the
batch mean the wires carry the means of the per-sample values and the × nodes and the bias the exact
batch-wide sums dL/dw = Σ a·dL/dz and dL/db = Σ dL/dz.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backprop_studio.core.analysis.chain_rule import (
    NeuronTerms,
    batch_parameters_known,
    bias_terms,
    edge_terms,
    neuron_terms,
    update_applied,
)
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.display.names import input_label, neuron_label, sample_label
from backprop_studio.core.display.numbers import count, format_number, subscript
from backprop_studio.core.nn.activations import REGISTRY
from backprop_studio.core.training.snapshot import Snapshot

MAX_ROWS = 8  # input rows drawn at most; a wider neuron (or a short widget) ends with a "+ N more" row
# Three digits keep every wire's number short enough for a readable font at 420 px; the Inspector next
# to this view has the precise values.
DIGITS = 3


@dataclass(frozen=True)
class ZoomRow:
    name: str  # x₁ (or the input's feature) / a₁
    a: str | None  # forward value of the input
    w: str  # weight
    aw: str | None  # a·w
    grad_a: str | None  # this input's share of dL/da of the previous layer, w·dL/dz
    grad_w: str | None  # dL/dw: this sample's a·dL/dz, or the batch sum for the mean
    grad_aw: str | None  # dL/d(a·w) = dL/dz


@dataclass(frozen=True)
class ZoomModel:
    title: str
    rows: tuple[ZoomRow, ...]  # the first inputs, at most MAX_ROWS
    n_inputs: int
    bias: str | None
    bias_gradient: str | None  # this sample's dL/dz, or dL/db for the mean
    z: str | None
    a: str | None
    dz: str | None
    da: str | None
    local: str | None
    activation: str
    symbol: str  # drawn inside the f node
    destination: str
    footnote: str


def _num(value: float | None) -> str | None:
    return None if value is None else format_number(value, DIGITS)


def build_model(
    snap: Snapshot, layer: int, j: int, focus: Focus, names: Sequence[str] = ()
) -> ZoomModel | None:
    """Neuron j (0-based) of `layer` (1-based) at `focus`; None if it is not in this snapshot's network."""
    if not (1 <= layer <= snap.n_layers and 0 <= j < snap.sizes[layer]):
        return None
    terms = neuron_terms(snap, layer, j, focus)
    fwd, bwd = terms.forward, terms.backward
    known = batch_parameters_known(snap)
    bias = bias_terms(snap, layer, j)
    act = snap.activations[layer - 1]
    phase = "start" if snap.phase is None else snap.phase.label
    title = f"{neuron_label(layer - 1, j).capitalize()} · {_focus_text(snap, terms)} · {phase}"
    # Below the bias: this sample's dL/dz (its share of dL/db), or dL/db itself for the batch mean.
    bias_gradient = None
    if bwd is not None:
        bias_gradient = _num(bias.gradient) if terms.is_mean else _num(bwd.dz)
    return ZoomModel(
        title=title,
        rows=_rows(snap, terms, known, names),
        n_inputs=snap.sizes[layer - 1],
        bias=_num(bias.bias) if known else None,
        bias_gradient=bias_gradient,
        z=_num(fwd.z) if fwd is not None else None,
        a=_num(fwd.a) if fwd is not None else None,
        dz=_num(bwd.dz) if bwd is not None else None,
        da=_num(bwd.da) if bwd is not None else None,
        local=_num(bwd.local) if bwd is not None else None,
        activation=act,
        symbol=REGISTRY[act].symbol,
        destination="loss" if layer == snap.n_layers else f"layer {layer + 1}",
        footnote=_footnote(snap, terms),
    )


def _focus_text(snap: Snapshot, terms: NeuronTerms) -> str:
    if terms.batch_size is None:
        return "no batch yet"
    if terms.sample is None:
        return f"mean of {count(terms.batch_size, 'sample')}"
    index = terms.sample if snap.batch_indices is None else int(snap.batch_indices[terms.sample])
    return sample_label(index)


def _rows(snap: Snapshot, terms: NeuronTerms, known: bool, names: Sequence[str]) -> tuple[ZoomRow, ...]:
    layer, j = terms.layer, terms.index
    fwd, bwd = terms.forward, terms.backward
    # After an update run on the fast path the weights this batch used may not be recorded: show "w".
    weights = snap.batch_weights[layer - 1][:, j]
    upstream_known = layer >= 2 and snap.layers[layer - 2].dz is not None
    rows = []
    for i in range(min(snap.sizes[layer - 1], MAX_ROWS)):
        weight = float(weights[i])
        grad_w = grad_a = None
        if bwd is not None:
            e = edge_terms(snap, layer, i, j)
            if terms.is_mean:
                grad_w = _num(e.gradient)
            elif e.products is not None and terms.sample is not None:
                grad_w = _num(e.products[terms.sample])
            if upstream_known and known:
                grad_a = _num(weight * bwd.dz)
        name = input_label(i, names) if layer == 1 else f"a{subscript(i + 1)}"
        rows.append(
            ZoomRow(
                name,
                _num(fwd.inputs[i]) if fwd is not None else None,
                _num(weight) if known else "w",
                _num(fwd.products[i]) if fwd is not None and known else None,
                grad_a,
                grad_w,
                _num(bwd.dz) if bwd is not None else None,
            )
        )
    return tuple(rows)


def _footnote(snap: Snapshot, terms: NeuronTerms) -> str:
    layer = terms.layer
    fwd, bwd = terms.forward, terms.backward
    last = layer == snap.n_layers
    if update_applied(snap):
        return "Update done: these are this batch's numbers, with the weights before the update."
    if fwd is None:
        return f"Step forward through layer {layer} to fill in the forward values."
    if bwd is None:
        return f"Gradients appear after backward through layer {layer}."
    if terms.is_mean:
        if bwd.chain_of_means_differs:
            return "dL/dwᵢ, dL/db: batch sums · a chain rule of means is not the mean of the chain rules"
        return f"Means over the batch; dL/dwᵢ, dL/db: sums over its {count(terms.batch_size or 1, 'sample')}"
    if bwd.fused and last:
        loss = "cross-entropy" if snap.loss_name == "cross_entropy" else "binary cross-entropy"
        return f"{snap.activations[layer - 1]} + {loss}: dL/dz = (ŷ − y)/B straight from the loss"
    name = "x" if layer == 1 else "a"
    footnote = f"dL/dz = dL/da · f′(z)   dL/dwᵢ = {name}ᵢ · dL/dz"
    if layer >= 2:
        footnote += "   back to aᵢ: wᵢ · dL/dz"
    return footnote
