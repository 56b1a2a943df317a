"""Hover texts: every quantity of one neuron, bias or weight that this batch has computed so far.

Layers and neurons are numbered from 1 and inputs named by their feature (core.display.names), so the
tooltip, the Inspector and the status bar call a node by the same name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from backprop_studio.core.analysis.focus import pick
from backprop_studio.core.display.names import input_label, layer_label, neuron_label, neuron_short
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.canvas.values import sample_phrase

NOT_YET = "not computed yet"


def _line(name: str, values: np.ndarray | None, index: int | tuple[int, int]) -> str:
    return f"{name} = {format_number(float(values[index])) if values is not None else NOT_YET}"


def node_name(layer: int, index: int, input_names: Sequence[str] = ()) -> str:
    """Column `layer` (0 = inputs), node `index` (0-based) → "x₂" or "neuron 3 of layer 1"."""
    if layer == 0:
        return input_label(index, input_names)
    return neuron_label(layer - 1, index)


def describe_neuron(snapshot: Snapshot, options: CanvasOptions, layer: int, index: int) -> str:
    """Tooltip of node `index` of column `layer` (0 = inputs), for the focused sample or the batch mean."""
    focus = options.sample_focus
    pairs: tuple[tuple[str, np.ndarray | None], ...]
    if layer == 0:
        lines = [f"Input {input_label(index, options.input_names)}"]
        pairs = (("x", snapshot.x), ("∂L/∂x", snapshot.dx))
    else:
        state = snapshot.layers[layer - 1]
        where = layer_label(layer - 1, snapshot.n_layers)
        lines = [f"{neuron_short(index).capitalize()} of {where} ({snapshot.activations[layer - 1]})"]
        pairs = (("z", state.z), ("a", state.a), ("∂L/∂a", state.da), ("∂L/∂z", state.dz))
    lines += [_line(name, pick(arr, focus), index) for name, arr in pairs]
    if layer > 0:
        lines.append(_line("b", snapshot.biases[layer - 1], index))
        if state.db is not None:
            lines.append(_line("∂L/∂b", state.db, index))
    lines.append(f"({sample_phrase(snapshot, options)})")
    return "\n".join(lines)


def describe_edge(snapshot: Snapshot, options: CanvasOptions, layer: int, i: int, j: int) -> str:
    """Tooltip of the weight from node i of column layer-1 to neuron j of layer `layer`."""
    state = snapshot.layers[layer - 1]
    source = node_name(layer - 1, i, options.input_names)
    lines = [f"Weight from {source} to {node_name(layer, j)}"]
    lines.append(_line("w", snapshot.weights[layer - 1], (i, j)))
    if state.dW is not None:
        lines.append(_line("∂L/∂w", state.dW, (i, j)))
    if state.delta_W is not None:
        lines.append(_line("Δw (last update)", state.delta_W, (i, j)))
    return "\n".join(lines)


def describe_bias(snapshot: Snapshot, layer: int, index: int) -> str:
    """Tooltip of the bias of neuron `index` of layer `layer` (1-based column)."""
    state = snapshot.layers[layer - 1]
    lines = [f"Bias of {node_name(layer, index)}"]
    lines.append(_line("b", snapshot.biases[layer - 1], index))
    if state.db is not None:
        lines.append(_line("∂L/∂b", state.db, index))
    if state.delta_b is not None:
        lines.append(_line("Δb (last update)", state.delta_b, index))
    return "\n".join(lines)
