"""Import a network's weights from .npz, .safetensors or .onnx into a project the studio can open.

The architecture comes from the tensors' shapes; the activations from the file (metadata or graph) or the
`activations` option; the data and training settings from a preset or project (`data`), or for a network
with 2 inputs a 2-D generator that fits its outputs. Every problem is a StudioError in one line; the
project is checked by building its session, so what is returned opens.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from backprop_studio.core.errors import StudioError
from backprop_studio.core.interop import npz_format, safetensors_format
from backprop_studio.core.interop.onnx_import import read_onnx
from backprop_studio.core.interop.state_dict import (
    ImportedNetwork,
    WeightsError,
    from_state_dict,
    network_spec,
)
from backprop_studio.core.limits import LimitError, read_regular
from backprop_studio.core.project.fileformat import load_project
from backprop_studio.core.project.json_strict import parse_json
from backprop_studio.core.project.presets_catalog import PRESETS, load_preset
from backprop_studio.core.project.project import Project, open_session
from backprop_studio.core.spec import ACTIVATIONS, LOSSES, DataSpec, TrainingSpec

MAX_WEIGHTS_BYTES = 1024 * 2**20  # 50 million float64 parameters (the network limit) and then some
SUFFIXES = (".npz", ".safetensors", ".onnx")
SAFETENSORS_ARCHITECTURE = "backprop_studio"  # the __metadata__ key holding metadata() as JSON


def read_weights(path: str) -> ImportedNetwork:
    """The network in a weights file, by its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise WeightsError(
            path, f"unknown kind of file {suffix or '(no suffix)'!r}; import .npz, .safetensors or .onnx"
        )
    try:
        raw = read_regular(path, MAX_WEIGHTS_BYTES)
    except LimitError as error:
        raise WeightsError(path, str(error)) from None
    except (OSError, ValueError) as error:
        raise WeightsError(
            path, f"cannot read the file ({getattr(error, 'strerror', None) or error})"
        ) from None
    if suffix == ".onnx":
        return read_onnx(raw, path)
    if suffix == ".npz":
        arrays, npz_meta = npz_format.decode(raw, path)
        return from_state_dict(arrays, npz_meta, path)
    tensors, strings = safetensors_format.decode(raw, path)
    meta: object = None
    if SAFETENSORS_ARCHITECTURE in strings:
        try:
            meta = parse_json(strings[SAFETENSORS_ARCHITECTURE], None)
        except StudioError as error:
            raise WeightsError(
                path, f"the metadata {SAFETENSORS_ARCHITECTURE!r} is not valid JSON ({error})"
            ) from None
    return from_state_dict(tensors, meta, path)


def parse_activations(text: str, n_layers: int) -> tuple[str, ...]:
    """`relu,relu,softmax` → one checked activation name per layer."""
    names = tuple(part.strip() for part in text.split(","))
    for name in names:
        if name not in ACTIVATIONS:
            raise StudioError(
                f"--activations: unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)}"
            )
    if len(names) != n_layers:
        raise StudioError(
            f"--activations names {len(names)} activations but the network has {n_layers} layers"
        )
    return names


def build_project(
    imported: ImportedNetwork,
    source: str,
    activations: str | None = None,
    loss: str | None = None,
    data: str | None = None,
    base: Project | None = None,
) -> Project:
    """A project of the weights read from the file `source` (untrained history), checked by opening its session.

    The data and training settings come from `base` (the window's current project), else from the preset or
    project file named by `data`, else a 2-D generator that fits the outputs."""
    n_layers = len(imported.weights)
    if activations is not None:
        acts = parse_activations(activations, n_layers)
    elif all(act is not None for act in imported.activations):
        acts = tuple(str(act) for act in imported.activations)
    else:
        raise StudioError(
            f"the file does not say the activations; give --activations with {n_layers} names "
            f"(one per layer, from {', '.join(ACTIVATIONS)})"
        )
    if loss is not None and loss not in LOSSES:
        raise StudioError(f"--loss: unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    base = base or _data_source(data, imported)
    network = network_spec(imported, acts, base.network if base else None)
    training = base.training if base else TrainingSpec()
    chosen = loss or imported.loss or _fitting_loss(training.loss if base else None, acts[-1])
    project = Project(
        network=network,
        training=replace(training, loss=chosen),
        data=base.data if base else _default_data(imported),
        name=Path(source).stem,
        description=f"Weights imported from {os.path.basename(source)}",
        weights=[w.copy() for w in imported.weights],
        biases=[b.copy() for b in imported.biases],
    )
    open_session(project)  # refuses data or settings that do not fit the network, naming what
    return project


def _fitting_loss(current: str | None, output: str) -> str:
    """The data source's loss when the output activation allows it, else the one it trains with:
    softmax needs cross-entropy, bce needs a sigmoid, a sigmoid suits bce, anything else mse."""
    allowed = {"cross_entropy": output == "softmax", "bce": output == "sigmoid", "mse": output != "softmax"}
    if current is not None and allowed.get(current, False):
        return current
    return {"softmax": "cross_entropy", "sigmoid": "bce"}.get(output, "mse")


def _data_source(data: str | None, imported: ImportedNetwork) -> Project | None:
    """The project or preset named by --data; its CSV path is made absolute so it reads from anywhere."""
    if data is None:
        if imported.sizes[0] != 2:
            raise StudioError(
                f"the network has {imported.sizes[0]} inputs; name its data with --data "
                f"(a preset: {', '.join(PRESETS)}, or a project file)"
            )
        return None
    if data in PRESETS and not os.path.exists(data):
        return load_preset(data)
    project = load_project(data)
    spec = project.data
    if spec.kind == "csv" and spec.path and not os.path.isabs(spec.path):
        folder = os.path.dirname(os.path.abspath(data))
        project = replace(project, data=replace(spec, path=os.path.normpath(os.path.join(folder, spec.path))))
    return project


def _default_data(imported: ImportedNetwork) -> DataSpec:
    """A 2-D generator whose targets fit the outputs: the circle for one unit, a spiral of K arms for K."""
    outputs = imported.sizes[-1]
    return DataSpec(kind="circle") if outputs == 1 else DataSpec(kind="spiral", classes=outputs)
