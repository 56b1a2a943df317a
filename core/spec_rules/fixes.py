"""The automatic fixes when one choice settles another (`coerce`).

Cross-entropy needs a softmax output with one unit per class, bce a sigmoid output, a softmax output
needs cross-entropy, regression data one linear output and mse. `coerce` returns the fixed specs and a
note for each fix, in words for the person who made the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from backprop_studio.core.display.numbers import count
from backprop_studio.core.spec import (
    CLASSIFICATION_GENERATORS,
    REAL_DATASETS,
    DataSpec,
    LayerSpec,
    NetworkSpec,
    TrainingSpec,
)
from backprop_studio.core.spec_rules.shape import DataShape, data_shape

CHANGES = ("loss", "output_activation", "data")  # what `coerce` can be told was changed
LOSS_NAMES = {"mse": "mean squared error", "bce": "binary cross-entropy", "cross_entropy": "cross-entropy"}
CLASSIFICATION_LOSSES = ("bce", "cross_entropy")


class Specs(NamedTuple):
    """A whole project's settings; a plain tuple (network, training, data) where one is expected."""

    network: NetworkSpec
    training: TrainingSpec
    data: DataSpec


def coerce(
    specs: Specs | tuple[NetworkSpec, TrainingSpec, DataSpec], changed: str, base_dir: str | None = None
) -> tuple[Specs, list[str]]:
    """Fix what `changed` (one of CHANGES) implies for the output layer and the loss; (specs, notes).

    "loss": the output layer follows the loss. "output_activation": the loss follows the output.
    "data" (kind or classes): the output layer (and for regression data the loss) follows the data.
    `base_dir` as for `problem` (a CSV's classes are known once it is read).
    """
    specs = Specs(*specs)
    if changed not in CHANGES:
        raise ValueError(f"coerce knows the changes {', '.join(CHANGES)}, not {changed!r}")  # a caller's slip
    shape = data_shape(specs.data, base_dir)
    output, loss = specs.network.layers[-1], specs.training.loss
    notes: list[str] = []
    if changed == "loss":
        output = _output_for_loss(output, loss, specs.data.kind, shape, notes)
    elif changed == "output_activation":
        loss, output = _loss_for_output(output, loss, shape, notes)
    else:
        output, loss = _fit_to_data(output, loss, specs.data.kind, shape, notes)
    network = replace(specs.network, layers=(*specs.network.layers[:-1], output))
    return Specs(network, replace(specs.training, loss=loss), specs.data), notes


def _output_for_loss(
    output: LayerSpec, loss: str, kind: str, shape: DataShape, notes: list[str]
) -> LayerSpec:
    if loss == "cross_entropy":
        units = _softmax_units(output.units, shape)
        if output.activation != "softmax" or units != output.units:
            notes.append(
                f"Output layer set to softmax with {count(units, 'unit')}: "
                "cross-entropy needs one softmax unit per class."
            )
            return LayerSpec(units, "softmax")
    elif loss == "bce" and output.activation != "sigmoid":
        notes.append("Output layer set to sigmoid: binary cross-entropy needs outputs between 0 and 1.")
        return replace(output, activation="sigmoid")
    elif loss == "mse" and output.activation == "softmax":
        activation = "sigmoid" if kind in (*CLASSIFICATION_GENERATORS, *REAL_DATASETS) else "linear"
        notes.append(f"Output layer set to {activation}: softmax is only used with cross-entropy.")
        return replace(output, activation=activation)
    return output


def _loss_for_output(
    output: LayerSpec, loss: str, shape: DataShape, notes: list[str]
) -> tuple[str, LayerSpec]:
    if output.activation == "softmax":
        units = _softmax_units(output.units, shape)
        if units != output.units:
            output = replace(output, units=units)
            notes.append(f"Output layer set to {count(units, 'unit')}, one per class.")
        new_loss = "cross_entropy"
    elif output.activation == "sigmoid":
        new_loss = "bce" if loss == "cross_entropy" else loss
    else:
        new_loss = "mse" if loss in CLASSIFICATION_LOSSES else loss
    if new_loss != loss:
        notes.append(f"Loss set to {LOSS_NAMES[new_loss]}, the loss that fits a {output.activation} output.")
    return new_loss, output


def _fit_to_data(
    output: LayerSpec, loss: str, kind: str, shape: DataShape, notes: list[str]
) -> tuple[LayerSpec, str]:
    if shape.regression:
        changes = []
        if output.units != 1:
            output = replace(output, units=1)
            changes.append("1 output unit")
        if output.activation in ("softmax", "sigmoid"):
            output = replace(output, activation="linear")
            changes.append("a linear output")
        if loss != "mse":
            loss = "mse"
            changes.append("mean squared error")
        if changes:
            notes.append(f"Switched to {_join(changes)}: {kind} data is one value per sample.")
        return output, loss
    units = shape.outputs
    if units is None:
        classes = shape.classes
        if classes is None:
            return output, loss
        fits = output.units == classes or (output.units == 1 and classes == 2)
        if fits and not (output.activation == "softmax" and output.units != classes):
            return output, loss
        units = classes if output.activation == "softmax" or classes > 2 else 1
    if units != output.units:
        notes.append(f"Output layer set to {count(units, 'unit')} to match the data.")
        output = replace(output, units=units)
    return output, loss


def _softmax_units(units: int, shape: DataShape) -> int:
    """One softmax unit per class when the data says how many; else at least 2 (softmax over 1 is 1)."""
    return shape.classes if shape.classes is not None else max(units, 2)


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
