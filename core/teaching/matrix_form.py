"""The current phase of one layer in matrix form, with the batch's actual numbers and every shape.

With B the batch size and layer k mapping n_in → n_out (A₀ = X, the inputs):
  forward k    Z_k = A_{k−1}·W_k + b_k     (B×n_in)·(n_in×n_out) + (n_out) → (B×n_out);  A_k = f(Z_k)
  loss         dL/dŶ from Ŷ = A_L and the targets Y, both (B×n_out)
  backward k   dA_k = δ_{k+1}·W_{k+1}ᵀ      (B×n_next)·(n_next×n_out) → (B×n_out)  (hidden layers)
               δ_k = dA_k ⊙ f′(Z_k)          (the output layer of bce / cross-entropy: δ = (Ŷ − Y)/B)
               dW_k = A_{k−1}ᵀ·δ_k           (n_in×B)·(B×n_out) → (n_in×n_out);  db_k = Σ_rows δ_k
  update       W_k ← W_k − lr·dW_k          (the optimizer named when it is not plain SGD)
Each `Term` knows what its rows and columns are (samples, the units of a layer, or the edges of a
layer), so a view can turn a clicked cell into a selection and a selection into highlighted cells.
Every value is read from the `Snapshot`; only f′(Z) is evaluated here, by the activation registry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.core.display.numbers import count, format_number, subscript
from backprop_studio.core.nn.activations import REGISTRY, local_gradient
from backprop_studio.core.spec import TrainingSpec
from backprop_studio.core.teaching.selection import Selection
from backprop_studio.core.training.snapshot import Snapshot

SAMPLES = -1  # an axis whose entries are the batch's rows
ONE = -2  # an axis of length one (a bias row)


@dataclass(frozen=True, eq=False)
class Term:
    """One matrix of an equation: its symbol, its (rows, cols) values, and what its axes index.

    `rows_are` / `cols_are`: SAMPLES, ONE, or a layer number whose units the axis runs over (0 = the
    inputs). `edges_of`: the layer whose weights the cells are (rows = units of layer − 1, cols = units of
    the layer; swapped when `transposed`), else None.
    """

    symbol: str
    values: np.ndarray  # (rows, cols)
    rows_are: int
    cols_are: int
    edges_of: int | None = None
    transposed: bool = False

    @property
    def shape_text(self) -> str:
        r, c = self.values.shape
        return f"({c})" if self.rows_are == ONE else f"({r}×{c})"


Item = str | Term  # an operator or function text, or a matrix


@dataclass(frozen=True, eq=False)
class Line:
    """One equation: `formula` in symbols, `shapes` with the sizes, and its items drawn left to right."""

    formula: str
    shapes: str
    items: tuple[Item, ...]

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(item for item in self.items if isinstance(item, Term))


@dataclass(frozen=True, eq=False)
class MatrixForm:
    title: str
    lines: tuple[Line, ...]
    notes: tuple[str, ...] = ()
    layer: int | None = None  # the layer the equations are about (1-based)


def a_symbol(layer: int) -> str:
    """X for the inputs, A₁, A₂ … for the layers' activations."""
    return "X" if layer == 0 else f"A{subscript(layer)}"


def _prev_a(snap: Snapshot, layer: int) -> np.ndarray | None:
    return snap.x if layer == 1 else snap.layers[layer - 2].a


def matrix_form(
    snapshot: Snapshot, selection: Selection = None, training: TrainingSpec | None = None
) -> MatrixForm:
    """The equations of the last phase (forward or backward through its layer, the loss, or the update of
    the selected neuron's or edge's layer, layer 1 without a selection)."""
    phase = snapshot.phase
    if phase is None or snapshot.x is None:
        return MatrixForm("Nothing computed yet", (), ("Step to run the first phase of a batch.",))
    if phase.kind == "forward":
        return forward_form(snapshot, phase.layer or 1)
    if phase.kind == "loss":
        return loss_form(snapshot)
    if phase.kind == "backward":
        return backward_form(snapshot, phase.layer or 1)
    layer = 1
    if selection is not None and 1 <= selection[1] <= snapshot.n_layers:
        layer = int(selection[1])
    return update_form(snapshot, layer, training)


def _batch_note(snap: Snapshot) -> str:
    size = 0 if snap.x is None else int(snap.x.shape[0])
    return f"B = {size}: one row per sample of this batch ({count(size, 'sample')})."


def forward_form(snap: Snapshot, layer: int) -> MatrixForm:
    state = snap.layers[layer - 1]
    prev = _prev_a(snap, layer)
    assert prev is not None and state.z is not None and state.a is not None
    w, b = snap.batch_weights[layer - 1], snap.batch_biases[layer - 1]
    k = subscript(layer)
    a_in = Term(a_symbol(layer - 1), prev, SAMPLES, layer - 1)
    weights = Term(f"W{k}", w, layer - 1, layer, edges_of=layer)
    bias = Term(f"b{k}", b[None, :], ONE, layer)
    z = Term(f"Z{k}", state.z, SAMPLES, layer)
    a = Term(f"A{k}", state.a, SAMPLES, layer)
    act = REGISTRY[snap.activations[layer - 1]]
    shapes = f"{a_in.shape_text}·{weights.shape_text} + {bias.shape_text} → {z.shape_text}"
    first = Line(f"Z{k} = {a_in.symbol}·W{k} + b{k}", shapes, (z, "=", a_in, "·", weights, "+", bias))
    applied = f"A{k} = {act.symbol}(Z{k})" if act.name != "linear" else f"A{k} = Z{k} (linear)"
    second = Line(applied, f"{z.shape_text} → {a.shape_text}, element by element", (a,))
    notes = [_batch_note(snap), f"b{k} is added to every row (broadcast over the batch)."]
    if act.name == "softmax":
        notes.append("softmax works row by row: each sample's outputs add up to 1.")
    return MatrixForm(f"Forward through layer {layer}", (first, second), tuple(notes), layer)


def loss_form(snap: Snapshot) -> MatrixForm:
    last = snap.n_layers
    state = snap.layers[-1]
    assert state.a is not None and snap.y is not None and state.da is not None
    k = subscript(last)
    y_hat = Term(f"Ŷ = A{k}", state.a, SAMPLES, last)
    y = Term("Y", snap.y, SAMPLES, last)
    grad = Term("dL/dŶ", state.da, SAMPLES, last)
    size = int(state.a.shape[0])
    items: tuple[Item, ...]
    if snap.loss_name == "mse":
        formula, items = f"dL/dŶ = (Ŷ − Y) / {size}", (grad, "= (", y_hat, "−", y, f") / {size}")
    elif snap.loss_name == "bce":
        formula = f"dL/dŶ = (Ŷ − Y) / (Ŷ ⊙ (1 − Ŷ)) / {size}"
        items = (grad, "from", y_hat, "and", y)
    else:
        formula, items = f"dL/dŶ = −Y / Ŷ / {size}", (grad, "from", y_hat, "and", y)
    line = Line(formula, f"{y_hat.shape_text} and {y.shape_text} → {grad.shape_text}", items)
    notes = (f"L = {format_number(snap.loss or 0.0)} for this batch (the mean over its {size} rows).",)
    return MatrixForm("Loss", (line,), notes, last)


def _delta_line(snap: Snapshot, layer: int, delta: Term, da: Term) -> Line:
    state = snap.layers[layer - 1]
    assert state.z is not None and state.a is not None
    act = snap.activations[layer - 1]
    k = subscript(layer)
    if layer == snap.n_layers and snap.loss_name in ("bce", "cross_entropy"):
        assert snap.y is not None
        y_hat, y = Term(f"A{k}", state.a, SAMPLES, layer), Term("Y", snap.y, SAMPLES, layer)
        size = int(state.a.shape[0])
        return Line(
            f"δ{k} = (A{k} − Y) / {size}",
            f"{y_hat.shape_text} → {delta.shape_text}",
            (delta, "= (", y_hat, "−", y, f") / {size}"),
        )
    if act == "softmax":
        return Line(f"δ{k} = A{k} ⊙ (dA{k} − Σ A{k} ⊙ dA{k})", delta.shape_text, (delta,))
    slope = Term(f"f′(Z{k})", local_gradient(act, state.z, state.a), SAMPLES, layer)
    return Line(
        f"δ{k} = {da.symbol} ⊙ f′(Z{k})   f′: {REGISTRY[act].gradient_rule}",
        f"{da.shape_text} ⊙ {slope.shape_text} → {delta.shape_text}",
        (delta, "=", da, "⊙", slope),
    )


def backward_form(snap: Snapshot, layer: int) -> MatrixForm:
    state = snap.layers[layer - 1]
    prev = _prev_a(snap, layer)
    assert prev is not None and state.dz is not None and state.da is not None
    assert state.dW is not None and state.db is not None
    k = subscript(layer)
    delta = Term(f"δ{k}", state.dz, SAMPLES, layer)
    lines = []
    if layer < snap.n_layers:
        nxt = snap.layers[layer].dz
        assert nxt is not None
        k1 = subscript(layer + 1)
        d_next = Term(f"δ{k1}", nxt, SAMPLES, layer + 1)
        w_t = Term(
            f"W{k1}ᵀ", snap.batch_weights[layer].T, layer + 1, layer, edges_of=layer + 1, transposed=True
        )
        da = Term(f"dA{k}", state.da, SAMPLES, layer)
        lines.append(
            Line(
                f"dA{k} = δ{k1}·W{k1}ᵀ",
                f"{d_next.shape_text}·{w_t.shape_text} → {da.shape_text}",
                (da, "=", d_next, "·", w_t),
            )
        )
    else:
        da = Term("dL/dŶ", state.da, SAMPLES, layer)
    lines.append(_delta_line(snap, layer, delta, da))
    a_t = Term(f"{a_symbol(layer - 1)}ᵀ", prev.T, layer - 1, SAMPLES)
    dw = Term(f"dW{k}", state.dW, layer - 1, layer, edges_of=layer)
    lines.append(
        Line(
            f"dW{k} = {a_t.symbol}·δ{k}",
            f"{a_t.shape_text}·{delta.shape_text} → {dw.shape_text}",
            (dw, "=", a_t, "·", delta),
        )
    )
    db = Term(f"db{k}", state.db[None, :], ONE, layer)
    lines.append(Line(f"db{k} = Σ over the rows of δ{k}", f"{delta.shape_text} → {db.shape_text}", (db,)))
    notes = [_batch_note(snap), "Each row of δ already carries the 1/B of the batch mean."]
    if not np.allclose(state.dW, prev.T @ state.dz, rtol=1e-12, atol=0.0):
        notes.append("dW also holds the regularization penalty's gradient.")
    return MatrixForm(f"Backward through layer {layer}", tuple(lines), tuple(notes), layer)


def update_form(snap: Snapshot, layer: int, training: TrainingSpec | None) -> MatrixForm:
    """W ← W − lr·dW and b ← b − lr·db for plain SGD; W ← W + ΔW with the optimizer's step otherwise."""
    state = snap.layers[layer - 1]
    k = subscript(layer)
    opt = training.optimizer if training is not None else None
    sgd = opt is not None and opt.name == "sgd" and state.dW is not None and state.db is not None
    lr = format_number(opt.learning_rate) if opt is not None else ""
    lines = []
    for name, rows_are, new, old, grad, step in (
        ("W", layer - 1, snap.weights, snap.batch_weights, state.dW, state.delta_W),
        ("b", ONE, snap.biases, snap.batch_biases, state.db, state.delta_b),
    ):
        edges = layer if name == "W" else None

        def term(
            symbol: str, values: np.ndarray, edges: int | None = edges, rows_are: int = rows_are
        ) -> Term:
            return Term(
                symbol, values if values.ndim == 2 else values[None, :], rows_are, layer, edges_of=edges
            )

        after, before = term(f"{name}{k} new", new[layer - 1]), term(f"{name}{k}", old[layer - 1])
        if sgd:
            assert grad is not None
            change, formula, op = (
                term(f"d{name}{k}", grad),
                f"{name}{k} ← {name}{k} − {lr}·d{name}{k}",
                f"− {lr}·",
            )
        else:
            assert step is not None
            change, formula, op = term(f"Δ{name}{k}", step), f"{name}{k} ← {name}{k} + Δ{name}{k}", "+ "
        shapes = f"{before.shape_text} {op}{change.shape_text} → {after.shape_text}"
        lines.append(Line(formula, shapes, (after, "=", before, op, change)))
    notes = ["Every layer is updated the same way; select a neuron or edge of another layer to see it."]
    if not sgd:
        rule = {
            "momentum": "momentum: Δ = −lr·v, v the running sum of gradients",
            "adam": "Adam: Δ = −lr·m̂ / (√v̂ + ε)",
        }
        notes.insert(0, f"Optimizer {rule.get(opt.name, opt.name) if opt else 'step'}; lr = {lr or '?'}.")
    return MatrixForm(f"Weight update of layer {layer}", tuple(lines), tuple(notes), layer)
