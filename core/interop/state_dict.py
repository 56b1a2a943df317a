"""The weights in the layout of PyTorch's `nn.Sequential(Linear, activation, Linear, activation, …)`.

Layer k (0-based) of the studio is module 2k, a `Linear`, followed by its activation module 2k+1 (an
`nn.Identity()` for a linear layer), so the state_dict holds `0.weight`, `0.bias`, `2.weight`, … The studio
keeps W[k] as (n_in, n_out) and computes a @ W + b; `Linear` keeps weight (n_out, n_in) and computes
a @ weightᵀ + bias, so `weight = W[k]ᵀ`. A transpose moves values and never rounds: the bits are kept.

The architecture travels with the tensors as `metadata()` (JSON), so a file read back knows its activations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from backprop_studio.core.errors import StudioError
from backprop_studio.core.spec import ACTIVATIONS, LayerSpec, NetworkSpec

FORMAT = "backprop-studio-weights"
VERSION = 1
METADATA_KEY = "__metadata__"  # the npz entry (a JSON string) and the safetensors header's metadata

# The torch module each activation becomes, as the generated script writes it.
TORCH_MODULES = {
    "linear": "nn.Identity()",
    "relu": "nn.ReLU()",
    "leaky_relu": "nn.LeakyReLU(0.01)",
    "sigmoid": "nn.Sigmoid()",
    "tanh": "nn.Tanh()",
    "softmax": "nn.Softmax(dim=1)",
}
_NAME = re.compile(r"(\d+)\.(weight|bias)")


class WeightsError(StudioError):
    """A weights file that cannot become a network: names the file and the tensor or node, and why."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}" if source else message)


@dataclass(frozen=True, eq=False)
class ImportedNetwork:
    """A network read from a file: W[k] (n_in, n_out) and b[k] (n_out,) float64, one activation per layer
    (None where the file does not say), and the loss the file suggests, if any."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activations: tuple[str | None, ...]
    loss: str | None = None

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.weights[0].shape[0], *(w.shape[1] for w in self.weights))


def weight_name(k: int) -> str:
    return f"{2 * k}.weight"


def bias_name(k: int) -> str:
    return f"{2 * k}.bias"


def to_state_dict(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """{`2k.weight`: W[k]ᵀ (n_out, n_in), `2k.bias`: b[k] (n_out,)}, contiguous float64, in module order."""
    out: dict[str, np.ndarray] = {}
    for k, (w, b) in enumerate(zip(weights, biases, strict=True)):
        out[weight_name(k)] = np.ascontiguousarray(np.asarray(w, dtype=np.float64).T)
        out[bias_name(k)] = np.ascontiguousarray(np.asarray(b, dtype=np.float64))
    return out


def metadata(network: NetworkSpec, loss: str | None = None) -> dict[str, Any]:
    """What a reader needs besides the tensors: sizes, activations, the torch modules, the loss."""
    modules = []
    for n_in, layer in zip(network.sizes, network.layers, strict=False):
        modules += [f"nn.Linear({n_in}, {layer.units})", TORCH_MODULES[layer.activation]]
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "layout": "torch.nn.Sequential",
        "inputs": network.inputs,
        "layers": [{"units": layer.units, "activation": layer.activation} for layer in network.layers],
        "modules": modules,
    }
    if loss is not None:
        doc["loss"] = loss
    return doc


def network_spec(
    imported: ImportedNetwork, activations: Sequence[str], like: NetworkSpec | None = None
) -> NetworkSpec:
    """The NetworkSpec of `imported` with these activations (initialization settings from `like`)."""
    layers = tuple(LayerSpec(w.shape[1], act) for w, act in zip(imported.weights, activations, strict=True))
    if like is None:
        return NetworkSpec(imported.sizes[0], layers)
    return NetworkSpec(imported.sizes[0], layers, like.init)


def from_state_dict(tensors: Mapping[str, np.ndarray], meta: object, source: str) -> ImportedNetwork:
    """Read `N.weight` (n_out, n_in) and `N.bias` (n_out,) pairs in the order of N (any modules without
    parameters may sit between them) into W (n_in, n_out), b; check shapes chain and values are finite."""
    indices: dict[int, dict[str, np.ndarray]] = {}
    prefix = _common_prefix(tensors)
    for full_name, array in tensors.items():
        name = full_name[len(prefix) :]
        match = _NAME.fullmatch(name)
        if match is None:
            raise WeightsError(
                source,
                f"tensor {full_name!r}: only Linear layers (N.weight and N.bias of an nn.Sequential) can be drawn",
            )
        indices.setdefault(int(match[1]), {})[match[2]] = array
    if not indices:
        raise WeightsError(source, "no weights found (expected 0.weight, 0.bias, 2.weight, …)")
    weights, biases = [], []
    n_prev: int | None = None
    for number in sorted(indices):
        pair = indices[number]
        for part in ("weight", "bias"):
            if part not in pair:
                raise WeightsError(
                    source, f"tensor {number}.{part} is missing: every Linear layer needs both"
                )
        w, b = (
            finite_float64(pair["weight"], f"{number}.weight", source),
            finite_float64(pair["bias"], f"{number}.bias", source),
        )
        if w.ndim != 2:
            raise WeightsError(
                source, f"tensor {number}.weight has shape {w.shape}: a Linear weight is (out, in)"
            )
        if b.shape != (w.shape[0],):
            raise WeightsError(
                source,
                f"tensor {number}.bias has shape {b.shape}, expected ({w.shape[0]},) for {number}.weight {w.shape}",
            )
        if n_prev is not None and w.shape[1] != n_prev:
            raise WeightsError(
                source,
                f"tensor {number}.weight has shape {w.shape} but the layer before gives {n_prev} outputs",
            )
        if min(w.shape) < 1:
            raise WeightsError(source, f"tensor {number}.weight has shape {w.shape}: a layer needs units")
        n_prev = w.shape[0]
        weights.append(np.ascontiguousarray(w.T))
        biases.append(b.copy())
    acts, loss = _metadata_fields(meta, len(weights), source)
    return ImportedNetwork(weights, biases, acts, loss)


def _common_prefix(tensors: Mapping[str, np.ndarray]) -> str:
    """A prefix all names share before `N.weight` / `N.bias` (`model.` of a wrapped Sequential), else ""."""
    prefixes = set()
    for name in tensors:
        match = re.search(r"(\d+)\.(weight|bias)$", name)
        if match is None:
            return ""
        prefixes.add(name[: match.start()])
    return prefixes.pop() if len(prefixes) == 1 and all(p.endswith(".") for p in prefixes) else ""


def finite_float64(array: np.ndarray, name: str, source: str) -> np.ndarray:
    """The tensor as float64 (exact from float16/32), refusing other kinds and non-finite values."""
    if array.dtype.kind != "f":
        raise WeightsError(source, f"tensor {name} holds {array.dtype} values, not floating-point numbers")
    out = np.asarray(array, dtype=np.float64)
    bad = np.argwhere(~np.isfinite(out))
    if bad.size:
        where = tuple(int(i) for i in bad[0])
        raise WeightsError(
            source, f"tensor {name} holds {out[where]} at {list(where)}: weights must be finite"
        )
    return out


def _metadata_fields(meta: object, n_layers: int, source: str) -> tuple[tuple[str | None, ...], str | None]:
    """Activations and loss from the metadata written by `metadata()`; None where absent."""
    if not isinstance(meta, dict):
        return (None,) * n_layers, None
    layers = meta.get("layers")
    acts: tuple[str | None, ...] = (None,) * n_layers
    if isinstance(layers, list):
        if len(layers) != n_layers:
            raise WeightsError(
                source,
                f"the metadata describes {len(layers)} layers but the file holds {n_layers} weight matrices",
            )
        names = [layer.get("activation") if isinstance(layer, dict) else None for layer in layers]
        for number, name in enumerate(names, start=1):
            if name not in ACTIVATIONS:
                raise WeightsError(source, f"the metadata's layer {number} has unknown activation {name!r}")
        acts = tuple(names)
    loss = meta.get("loss")
    return acts, loss if isinstance(loss, str) else None
