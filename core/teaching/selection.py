"""Which neuron, edge and sample a teaching text talks about, from what the window has selected.

A selection is the window's tuple: ("neuron", layer, j) with layer 0 the inputs column and k ≥ 1 layer k,
or ("edge", layer, i, j) for the weight from unit i of layer − 1 to unit j of `layer` (1-based layer,
0-based units); None when nothing is selected. Texts about a layer talk about the selected neuron when it
is in that layer (or the neuron an edge of that layer feeds), else the layer's first neuron.
"""

from __future__ import annotations

from backprop_studio.core.analysis.focus import Focus

Selection = tuple | None


def neuron_in(selection: Selection, layer: int) -> int:
    """The 0-based neuron of `layer` (1-based) the text is about: the selected one there, else the first."""
    if selection is not None and selection[1] == layer:
        return int(selection[2] if selection[0] == "neuron" else selection[3])
    return 0


def edge_in(selection: Selection, n_layers: int) -> tuple[int, int, int]:
    """(layer 1-based, i, j) of the weight a text about the update talks about: the selected edge, the
    first weight into a selected neuron, else the first weight of layer 1."""
    if selection is not None and selection[0] == "edge" and 1 <= selection[1] <= n_layers:
        return int(selection[1]), int(selection[2]), int(selection[3])
    if selection is not None and selection[0] == "neuron" and 1 <= selection[1] <= n_layers:
        return int(selection[1]), 0, int(selection[2])
    return 1, 0, 0


def as_focus(focus: Focus | int | None) -> Focus:
    """A batch row (0-based), a `Focus`, or None for the batch mean → a `Focus`."""
    if isinstance(focus, Focus):
        return focus
    return Focus(focus)
