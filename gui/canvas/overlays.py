"""What the debugger lays over the canvas, in the canvas's own terms: the gradient-check overlay's bands
and colors, and the adapters that turn a breakpoint hit, layer health and a gradient-check report into
`CanvasOptions` fields. Only this package knows those field names; the debugger panels do not.

Gradient-check overlay: each edge colored by its relative error |analytic − numeric| / scale, in four
bands: within the core's tolerance, then two decades of "suspicious", then plainly wrong. Worse bands are
also wider, so the verdict does not rest on hue alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from backprop_studio.core.analysis.gradcheck import GradCheckReport
from backprop_studio.core.analysis.health import LayerHealth
from backprop_studio.core.debugger.conditions import Hit
from backprop_studio.gui.style.colors import RGB, Palette, mix

OVERLAY_BOUNDS = (1e-6, 1e-4, 1e-2)
OVERLAY_LABELS = ("≤ 1e-6 agrees", "≤ 1e-4", "≤ 1e-2", "> 1e-2 wrong")
OVERLAY_WIDTHS = (1.3, 2.2, 3.2, 4.6)  # times the unit


def overlay_levels(errors: np.ndarray) -> np.ndarray:
    """Band 0…3 of each relative error by OVERLAY_BOUNDS (a value on a bound belongs to the better
    band); −1 where NaN, i.e. not checked."""
    errors = np.asarray(errors, dtype=np.float64)
    levels = np.searchsorted(np.array(OVERLAY_BOUNDS), errors, side="left").astype(np.int8)
    levels[np.isnan(errors)] = -1
    return levels


def overlay_colors(pal: Palette) -> tuple[RGB, RGB, RGB, RGB]:
    """Green for agreement through gold and orange to the debugger's red, readable on either background."""
    return (
        mix(pal.background, pal.forward, 0.8),
        pal.update,
        mix(pal.update, pal.warning, 0.55),
        pal.warning,
    )


def overlay_errors(
    sizes: Sequence[int], edge_start: Sequence[int], overlay: Sequence | None
) -> np.ndarray | None:
    """`CanvasOptions.edge_overlay` as one (E,) array in edge_lines order, NaN where not checked."""
    if overlay is None:
        return None
    out = np.full(edge_start[-1], np.nan)
    for k in range(1, len(sizes)):
        errs = overlay[k - 1] if k - 1 < len(overlay) else None
        shape = (sizes[k - 1], sizes[k])
        if errs is not None and np.shape(errs) == shape:  # a stale overlay of another net shows nothing
            out[edge_start[k - 1] : edge_start[k]] = np.asarray(errs, dtype=np.float64).ravel()
    return out


def hit_highlights(hit: Hit | None) -> dict[str, frozenset]:
    """CanvasOptions fields that mark what `hit` is about (empty for None), e.g.
    `canvas.set_options(**hit_highlights(controller.current_hit))`."""
    layers: set[int] = set()
    neurons: set[tuple[int, int]] = set()
    edges: set[tuple[int, int, int]] = set()
    if hit is not None:
        if hit.layer is not None:
            layers.add(hit.layer)
        dead = hit.values.get("dead") if hit.watch.kind == "dead_relu" else None
        if dead and hit.layer is not None:
            neurons.update((hit.layer, int(j)) for j in dead)
        elif hit.neuron is not None and hit.layer is not None:
            neurons.add((hit.layer, hit.neuron))
        if hit.edge is not None:
            edges.add(hit.edge)
    return {
        "highlight_layers": frozenset(layers),
        "highlight_neurons": frozenset(neurons),
        "highlight_edges": frozenset(edges),
    }


def canvas_notes(health: Sequence[LayerHealth]) -> tuple[str, ...]:
    """Per canvas column (0 = inputs), the dead / saturated counts worth flagging, e.g. "2 dead";
    for `CanvasOptions.column_notes`."""
    notes = [""]
    for h in health:
        parts = []
        if h.dead_units:
            parts.append(f"{h.dead_units} dead")
        if h.saturated_units:
            parts.append(f"{h.saturated_units} saturated")
        notes.append(", ".join(parts))
    return tuple(notes)


def edge_overlay(report: GradCheckReport | None) -> tuple[np.ndarray, ...] | None:
    """Per layer, the (n_in, n_out) relative errors of the weights (NaN where not checked), for
    `CanvasOptions.edge_overlay`; None for no report."""
    if report is None:
        return None
    return tuple(layer.errors_W for layer in report.layers)
