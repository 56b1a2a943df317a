"""Write a project's network for other tools: a PyTorch script (+ its .npz), npz, safetensors or ONNX.

Everything is taken from the session the project opens (`open_session`), so what is written is exactly
what the studio would train: the current weights (or the initial ones a fresh project draws), the data
after features and preprocessing, and the optimizer state. Files are written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from backprop_studio.core.errors import StudioError
from backprop_studio.core.interop import npz_format, safetensors_format
from backprop_studio.core.interop.onnx_export import onnx_bytes
from backprop_studio.core.interop.pytorch_script import script_arrays, script_text
from backprop_studio.core.interop.state_dict import metadata, to_state_dict
from backprop_studio.core.interop.weights_import import SAFETENSORS_ARCHITECTURE
from backprop_studio.core.project.atomic import check_writable, write_atomically
from backprop_studio.core.project.project import Project, open_session
from backprop_studio.core.training.parameters import seeds
from backprop_studio.core.training.session import TrainingSession

FORMATS = ("pytorch", "npz", "safetensors", "onnx")
LABELS = {
    "pytorch": "PyTorch script (.py and its .npz)",
    "npz": "NumPy weights (.npz)",
    "safetensors": "safetensors weights (.safetensors)",
    "onnx": "ONNX model (.onnx)",
}
SUFFIXES = {"pytorch": ".py", "npz": ".npz", "safetensors": ".safetensors", "onnx": ".onnx"}


def export_project(
    project: Project, kind: str, out: str, session: TrainingSession | None = None
) -> list[str]:
    """Write `project` as `kind` to `out` (the PyTorch script also writes `out` with suffix .npz);
    return the paths written. `session` is the project's open session, when there is one already."""
    if kind not in FORMATS:
        raise StudioError(f"unknown export format {kind!r}; choose one of {', '.join(FORMATS)}")
    target = Path(out)
    check_writable(target)
    session = session or open_session(project)
    weights, biases = list(session.weights), list(session.biases)
    network, training = session.network, session.training
    if kind == "pytorch":
        data = target.with_suffix(".npz")
        if data == target:
            raise StudioError(f"{out}: the script's name must not end in .npz (its data is written there)")
        check_writable(data)
        d = session.dataset
        arrays = script_arrays(
            (d.x_train, d.y_train, d.x_test, d.y_test), weights, biases, session.optimizer_state
        )
        if d.standardization is not None:  # x above is standardized: new raw inputs need the same z-score
            arrays["feature_mean"], arrays["feature_std"] = (np.asarray(a) for a in d.standardization)
        shuffle_state = seeds(training.seed)[1].bit_generator.state  # the generator the session shuffles with
        text = script_text(
            project.name, network, training, data.name, shuffle_state, session.epochs_completed
        )
        write_atomically(data, npz_format.encode(arrays))
        write_atomically(target, text.encode("utf-8"))
        return [str(target), str(data)]
    meta = metadata(network, training.loss)
    if kind == "npz":
        payload = npz_format.encode(to_state_dict(weights, biases), meta)
    elif kind == "safetensors":
        strings = {"format": "pt", SAFETENSORS_ARCHITECTURE: json.dumps(meta)}
        payload = safetensors_format.encode(to_state_dict(weights, biases), strings)
    else:
        payload = onnx_bytes(weights, biases, network.activations, project.name or "network")
    write_atomically(target, payload)
    return [str(target)]


def studio_predictions(project: Project) -> tuple[np.ndarray, np.ndarray]:
    """(inputs, outputs) of the studio on the project's training and test data, stacked: (n, n_in), (n, n_out)."""
    session = open_session(project)
    x = np.concatenate([session.dataset.x_train, session.dataset.x_test])
    return x, session.predict(x)
