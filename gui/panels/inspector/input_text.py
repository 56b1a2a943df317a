"""An input neuron: the feature's value and how the loss reacts to it, dL/dxᵢ = Σₘ wᵢₘ·dL/dzₘ."""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.analysis.chain_rule import batch_parameters_known, input_terms
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.display.names import input_label
from backprop_studio.core.display.numbers import count
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.panels.inspector.formula import Page
from backprop_studio.gui.panels.inspector.phrases import after, focus_phrase


def write_input(page: Page, snap: Snapshot, i: int, focus: Focus, names: Sequence[str]) -> None:
    """Input column i (0-based), named by its feature, at the focused sample or the batch mean."""
    t = input_terms(snap, i, focus)
    name = input_label(i, names)
    m = "mean " if t.sample is None and t.x is not None else ""
    page.title = f"Input {name}"
    page.subtitle = f"input layer · {focus_phrase(snap, t.sample)} · {after(snap)}"
    page.editor(None)
    page.heading("forward", "Forward: the feature value")
    if t.x is None:
        page.note("No batch loaded yet: the batch starts with forward through layer 1.")
    else:
        page.math(f"{m}{name} = {page.num(t.x)}", "result")
        page.remember(f"{m}{name}", t.x)
    page.heading("backward", "Backward: how the loss reacts to this input")
    if t.dx is None or t.products is None or t.downstream_dz is None:
        page.note(
            "dL/dx appears after backward through layer 1. Inputs are not trained; dL/dx shows "
            "which way a change of this feature would move the loss."
        )
        return
    lhs = f"{m}dL/d{name}"
    symbolic = f"Σₘ wᵢₘ·{m}dL/dzₘ"
    if not batch_parameters_known(snap):
        page.chain(lhs, [symbolic, page.num(t.dx)])
    else:
        parts = page.limited([page.product(wt, d) for wt, d in zip(t.weights, t.downstream_dz)])
        page.equation(lhs, symbolic, parts, page.num(t.dx))
    page.note(f"m runs over the {count(len(t.weights), 'neuron')} of layer 1.")
    page.remember(lhs, t.dx)
