"""Writing a project document: the Project as plain JSON values, and the compact text a file holds.

`document_from_project` gives dicts, lists and scalars (NumPy arrays become nested lists of floats, NaN
in the history becomes null); `encode` indents by 2 but keeps a list of scalars (a row of weights) or a
small object of scalars (a layer) on one line, so a file stays readable and diffs well. Float text is
Python's shortest repr, which reads back as the very same double: a round trip is bit-exact.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import fields
from typing import Any

import numpy as np
from backprop_studio.core.analysis.pinned_runs import PinnedRun
from backprop_studio.core.project.project import Project
from backprop_studio.core.project.schema import (
    DATA_KEYS_SHOWN,
    FORMAT,
    GENERATOR_KEYS,
    HISTORY_KEYS,
    VERSION,
)
from backprop_studio.core.spec import DataSpec, InitSpec, OptimizerSpec
from backprop_studio.core.training.snapshot import History


def document_from_project(project: Project) -> dict[str, Any]:
    """The JSON document (plain dicts, lists and scalars) a file holds for `project`; not validated."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "name": project.name,
        "description": project.description,
        "network": _network_document(project),
        "training": _training_document(project),
        "data": _data_document(project.data),
        "history": _history_document(project.history),
        "breakpoints": [copy.deepcopy(breakpoint) for breakpoint in project.breakpoints],
    }
    if project.pinned_runs:
        document["pinned_runs"] = [_pinned_document(run) for run in project.pinned_runs]
    plain: dict[str, Any] = _plain(document)
    return plain


def _array_list(arrays: list[np.ndarray]) -> list[Any]:
    return [np.asarray(array, dtype=np.float64).tolist() for array in arrays]


def _plain(value: Any) -> Any:
    """Only JSON's own types: the specs' tuples become lists, NumPy scalars and arrays Python ones."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (np.ndarray, np.generic)):
        return value.tolist()
    return value


def _network_document(project: Project) -> dict[str, Any]:
    network = project.network
    init = network.init
    doc: dict[str, Any] = {
        "inputs": network.inputs,
        "layers": [{"units": layer.units, "activation": layer.activation} for layer in network.layers],
        "init": {f.name: getattr(init, f.name) for f in fields(InitSpec)},
    }
    if project.weights is not None:
        doc["weights"] = _array_list(project.weights)
    if project.biases is not None:
        doc["biases"] = _array_list(project.biases)
    return doc


def _training_document(project: Project) -> dict[str, Any]:
    training = project.training
    optimizer: dict[str, Any] = {f.name: getattr(training.optimizer, f.name) for f in fields(OptimizerSpec)}
    state = project.optimizer_state
    if state is not None:
        optimizer["state"] = {
            "step": state.step,
            **{
                name: {"weights": _array_list(weights), "biases": _array_list(biases)}
                for name, (weights, biases) in state.buffers.items()
            },
        }
    return {
        "loss": training.loss,
        "optimizer": optimizer,
        "batch_size": training.batch_size,
        "shuffle": training.shuffle,
        "update_biases": training.update_biases,
        "seed": training.seed,
        "epochs": training.epochs,
        "epochs_completed": project.epochs_completed,
        "regularization": {"kind": training.regularization.kind, "rate": training.regularization.rate},
    }


def _data_document(data: DataSpec) -> dict[str, Any]:
    shown = DATA_KEYS_SHOWN.get(data.kind, GENERATOR_KEYS)
    doc: dict[str, Any] = {"kind": data.kind}
    for f in fields(DataSpec)[1:]:
        value = getattr(data, f.name)
        if (f.name in shown and value is not None) or value != f.default:
            doc[f.name] = _plain(value)
    return doc


def _history_document(history: History) -> dict[str, Any]:
    # The engine records NaN for what it could not measure (test loss without a test set). JSON has
    # no NaN, so that is written as null, and so is an infinite loss: a diverged run can still be saved.
    doc: dict[str, Any] = {}
    numbers: dict[str, list[int]] = {}
    for key in HISTORY_KEYS:
        values = getattr(history, key)
        if values or key in ("train_loss", "test_loss"):
            doc[key] = [
                None if isinstance(v, (float, np.floating)) and not math.isfinite(v) else v for v in values
            ]
        if values.compacted:  # old points were merged: say which epoch or batch each value belongs to
            numbers[key] = (values.at + 1).tolist()
    if numbers:
        doc["numbers"] = numbers
    return doc


def _pinned_document(run: PinnedRun) -> dict[str, Any]:
    """A pinned run: label, settings, losses (null where not measured); epoch numbers only when they
    are not simply 1…n (a history that merged old points)."""
    doc: dict[str, Any] = {"label": run.label, "settings": dict(run.settings)}
    if not np.array_equal(run.epochs, np.arange(1, len(run.epochs) + 1)):
        doc["epochs"] = run.epochs.tolist()
    for key in ("train_loss", "test_loss"):
        doc[key] = [v if math.isfinite(v) else None for v in getattr(run, key).tolist()]
    return doc


_INDENT = "  "


def encode(value: Any, level: int = 0) -> str:
    """JSON indented by 2, except that a list of scalars (a row of weights, say) stays on one line."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad = _INDENT * (level + 1)
        items = [f"{pad}{_scalar(str(key))}: {encode(item, level + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + _INDENT * level + "}"
    if isinstance(value, list):
        if all(_is_scalar(item) for item in value):
            return "[" + ", ".join(_scalar(item) for item in value) + "]"
        pad = _INDENT * (level + 1)
        items = [pad + (_flat_object(item) or encode(item, level + 1)) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + _INDENT * level + "]"
    return _scalar(value)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _flat_object(value: Any) -> str | None:
    """A small object of scalars in a list (a layer) on one line; None when it does not fit that."""
    if isinstance(value, dict) and value and all(_is_scalar(item) for item in value.values()):
        return "{" + ", ".join(f"{_scalar(str(key))}: {_scalar(item)}" for key, item in value.items()) + "}"
    return None


def _scalar(value: Any) -> str:
    # float repr (what json uses) is the shortest text that reads back as the same double: bit-exact.
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
