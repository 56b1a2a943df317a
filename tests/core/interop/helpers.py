"""Projects for the interop tests: presets with the settings changed, written to a folder."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
from backprop_studio import main as cli
from backprop_studio.core.project.fileformat import save_project
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import Project
from backprop_studio.core.spec import LayerSpec, OptimizerSpec, RegularizationSpec


def variant(
    preset: str,
    optimizer: OptimizerSpec | None = None,
    regularization: RegularizationSpec | None = None,
    batch_size: int | None = None,
    shuffle: bool | None = None,
    activations: tuple[str, ...] | None = None,
    loss: str | None = None,
) -> Project:
    """A preset with some training settings (and hidden activations) changed."""
    project = load_preset(preset)
    training = project.training
    changes = {
        "optimizer": optimizer,
        "regularization": regularization,
        "batch_size": batch_size,
        "shuffle": shuffle,
        "loss": loss,
    }
    training = replace(training, **{k: v for k, v in changes.items() if v is not None})
    network = project.network
    if activations is not None:
        layers = tuple(
            LayerSpec(layer.units, a) for layer, a in zip(network.layers, activations, strict=True)
        )
        network = replace(network, layers=layers)
    return replace(project, network=network, training=training)


def write(project: Project, path: Path) -> Path:
    save_project(project, path)
    return path


def run_cli(*args: str) -> tuple[int, str, str]:
    """main.py in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def project_json(path: Path) -> dict:
    return json.loads(path.read_text())


def weights_of(document: dict) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """W[k] (n_in, n_out) and b[k] as the project file stores them."""
    net = document["network"]
    return [np.array(w) for w in net["weights"]], [np.array(b) for b in net["biases"]]
