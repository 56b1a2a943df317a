"""One weight: the value the batch used, dL/dw = Σ_b aᵢ·dL/dzⱼ as a table of the batch's samples, the update.

dL/dw is batch-wide, so the text is the same for one sample and for the batch mean; the focused sample's
row is marked, and the samples are named by their data-set index (#48), as everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.analysis.chain_rule import EdgeTerms, edge_terms
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.display.names import input_label, neuron_short
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.panels.inspector.formula import COLLAPSED_HEAD, MAX_TERMS, Page
from backprop_studio.gui.panels.inspector.phrases import after, sample_index, source_name

FOCUS_MARK = "◀"


def write_edge(
    page: Page, snap: Snapshot, layer: int, i: int, j: int, focus: Focus, names: Sequence[str]
) -> None:
    """The weight from unit i of layer `layer` − 1 to unit j of `layer` (1-based layer, 0-based units)."""
    page.title = f"Weight: {source_name(layer, i, names)} → {neuron_short(j)} of layer {layer}"
    page.subtitle = f"row {i + 1}, column {j + 1} of W in layer {layer} · {after(snap)}"
    e = edge_terms(snap, layer, i, j)
    a_name = input_label(i, names) if layer == 1 else "aᵢ"
    # After an update on the fast path (whole epochs) the weight before it may not be recorded, and
    # edge_terms then reports the updated weight as the one the batch used: say so instead.
    before_known = e.step is None or snap.weights_before_update is not None
    if before_known:
        page.math(f"w = {page.num(e.weight)}", "result")
        page.remember("w", e.weight)
        page.note(
            f"The value this batch used: in the forward pass every sample adds {a_name}·w to "
            f"{neuron_short(j)}'s z."
        )
    else:
        page.math(f"w = {page.num(e.weight_after)}   (after this batch's update)", "result")
        page.note("The value before the update was not recorded (this batch ran as part of a fast run).")

    page.heading("backward", f"Backward: dL/dw = Σ_b {a_name}·dL/dzⱼ")
    if e.products is None:
        page.note(
            f"Not reached yet: dL/dw appears after backward through layer {layer}, once this "
            f"neuron's dL/dz is known for every sample of the batch."
        )
    else:
        _table(page, snap, e, a_name, focus)

    page.heading("update", "Update: new w = w + Δw")
    if e.step is None or e.weight_after is None:
        page.note("Not applied yet: the weight update ends the batch, after backward through layer 1.")
    else:
        page.math(f"Δw = {page.num(e.step)}")
        page.note("The optimizer's step, computed from dL/dw.")
        if before_known:
            old, new = page.change(e.weight, e.weight_after)
            page.chain("new w", ["w + Δw", f"{old} + {page.after_op(e.step)}", new])
        else:
            page.chain("new w", ["w + Δw", page.num(e.weight_after)])
        page.remember("Δw", e.step)
        page.remember("new w", e.weight_after)
    page.editor(float(snap.weights[layer - 1][i, j]), "w =")


def _table(page: Page, snap: Snapshot, e: EdgeTerms, a_name: str, focus: Focus) -> None:
    assert e.inputs is not None and e.dz is not None and e.products is not None
    products = e.products
    rows = list(range(len(products)))
    hidden = 0
    if not page.show_all and len(rows) > MAX_TERMS:
        hidden = len(rows) - COLLAPSED_HEAD
        rows = rows[:COLLAPSED_HEAD]
    cells = [
        (f"#{sample_index(snap, b) + 1}", page.num(e.inputs[b]), page.num(e.dz[b]), page.num(products[b]))
        for b in rows
    ]
    header = ("sample", a_name, "dL/dzⱼ", f"{a_name}·dL/dzⱼ")
    widths = [max(len(header[c]), *(len(row[c]) for row in cells)) for c in range(4)]
    widths[3] = max(widths[3], len(page.num(e.gradient)) if e.gradient is not None else 0)
    marked = focus.valid_row(len(products)) if len(products) > 1 else None

    def row(values: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(widths[c]) for c, v in enumerate(values)).rstrip()

    page.math(row(header))
    for b, cell in zip(rows, cells):
        page.math(row(cell) + (f"  {FOCUS_MARK}" if b == marked else ""))
    if hidden:
        page.math(row(("⋮", "", "", f"…{hidden} more samples")))
    lead = " " * (sum(widths[:3]) + 6)
    page.math(lead + "─" * widths[3])
    # Regularization is reported as dL/dw minus the data sum, so float rounding leaves ~1e-17 behind
    # when there is none; only a share that is visible against the gradient is worth a line.
    reg = e.regularization if e.regularization is not None else 0.0
    scale = abs(e.gradient) if e.gradient is not None else 0.0
    if abs(reg) > 1e-12 + 1e-9 * scale:
        page.math(f"{'+ regularization'.ljust(len(lead))}{page.num(reg)}")
        page.remember("regularization share", reg)
    page.math(f"{'dL/dw ='.ljust(len(lead))}{page.num(e.gradient)}", "result")
    if e.gradient is not None:
        page.remember("dL/dw", e.gradient)
    if len(products) == 1:
        page.note("One sample in the batch, so the sum has one term.")
    else:
        page.note(
            f"One row per sample of the batch ({len(products)}); each dL/dz already carries the 1/B, so "
            "dL/dw is the exact sum over the batch, for one sample's view and the batch mean alike."
        )
