"""Read a multilayer perceptron from an ONNX graph (the optional extra `onnx`): a chain of dense layers.

A dense layer is `Gemm(a, W, b)` (alpha = beta = 1, transB 0 or 1: PyTorch's exporter) or `MatMul(a, W)`
followed by `Add(·, b)` (tf2onnx for Keras, skl2onnx for scikit-learn), with W and b constant. After it
comes at most one activation: Relu, LeakyRelu (slope 0.01), Sigmoid, Tanh, Softmax over the units, or
`Max(z, Mul(z, 0.01))` (leaky ReLU in float64, as the studio exports it); none means linear. Identity nodes
and a leading Cast of the input are passed through. Nodes after the last layer that only turn its output
into labels or probability maps (skl2onnx's ArgMax, ZipMap, …) are left out. Anything else is refused,
naming the node (numbered from 1) and why.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from backprop_studio.core.interop.onnx_export import require_onnx
from backprop_studio.core.interop.state_dict import ImportedNetwork, WeightsError, finite_float64
from backprop_studio.core.nn.activations import LEAKY_SLOPE

_ACTIVATIONS = {
    "Relu": "relu",
    "Sigmoid": "sigmoid",
    "Tanh": "tanh",
    "Softmax": "softmax",
    "LeakyRelu": "leaky_relu",
}
_OUTPUT_DECODING = {
    "ArgMax",
    "ZipMap",
    "ArrayFeatureExtractor",
    "Cast",
    "Reshape",
    "Identity",
    "Sub",
    "Concat",
    "Flatten",
    "Squeeze",
    "Unsqueeze",
}
_OTHER_ACTIVATIONS = {
    "Elu",
    "Selu",
    "Softplus",
    "Softsign",
    "HardSigmoid",
    "HardSwish",
    "PRelu",
    "Gelu",
    "Mish",
    "ThresholdedRelu",
    "Celu",
    "LogSoftmax",
}
_FLOAT_TYPES = {1, 10, 11, 16}  # FLOAT, FLOAT16, DOUBLE, BFLOAT16


def read_onnx(raw: bytes, source: str) -> ImportedNetwork:
    """The network in the serialized ONNX model `raw`; WeightsError names the node or tensor it cannot use."""
    onnx = require_onnx()
    try:
        model = onnx.load_model_from_string(raw)
    except Exception as error:  # protobuf's DecodeError and friends: a damaged or foreign file
        raise WeightsError(source, f"not a readable ONNX model ({type(error).__name__})") from None
    if not model.graph.node:
        raise WeightsError(source, "the ONNX graph has no nodes (truncated or not an ONNX model?)")
    return _Chain(model.graph, onnx, source).read()


class _Chain:
    """Walks the graph from its one input along the chain of layers."""

    def __init__(self, graph: Any, onnx: Any, source: str) -> None:
        self.nodes, self.source = list(graph.node), source
        self.constants: dict[str, np.ndarray] = {}
        for tensor in graph.initializer:
            self.constants[tensor.name] = self._array(
                lambda t=tensor: onnx.numpy_helper.to_array(t), tensor.name
            )
        for node in self.nodes:
            if node.op_type == "Constant" and node.attribute:
                value = onnx.helper.get_attribute_value(node.attribute[0])
                if hasattr(value, "dims"):
                    self.constants[node.output[0]] = self._array(
                        lambda v=value: onnx.numpy_helper.to_array(v), node.output[0]
                    )
        self.consumers: dict[str, list[int]] = defaultdict(list)
        for i, node in enumerate(self.nodes):
            for name in node.input:
                if name and name not in self.constants and i not in self.consumers[name]:
                    self.consumers[name].append(i)
        inputs = [v for v in graph.input if v.name not in self.constants]
        if len(inputs) != 1:
            names = ", ".join(v.name for v in inputs) or "none"
            raise WeightsError(
                source, f"the graph has {len(inputs)} inputs ({names}); a network drawn here has one"
            )
        self.input = inputs[0].name
        self.outputs = {v.name for v in graph.output}
        self.used = {i for i, node in enumerate(self.nodes) if node.op_type == "Constant"}

    def _array(self, convert: Any, name: str) -> np.ndarray:
        try:
            return np.asarray(convert())
        except Exception as error:
            raise WeightsError(self.source, f"tensor {name!r} cannot be read ({error})") from None

    def where(self, i: int) -> str:
        node = self.nodes[i]
        label = f" ({node.name!r})" if node.name else ""
        return f"{node.op_type} at node {i + 1}{label}"

    def read(self) -> ImportedNetwork:
        current = self._skip(self.input, {"Cast", "Identity", "Flatten"})
        weights: list[np.ndarray] = []
        biases: list[np.ndarray] = []
        acts: list[str | None] = []
        while (layer := self._dense(current)) is not None:
            w, b, current = layer
            if weights and w.shape[0] != weights[-1].shape[1]:
                raise WeightsError(
                    self.source,
                    f"layer {len(weights) + 1} takes {w.shape[0]} inputs but layer {len(weights)} gives {weights[-1].shape[1]}",
                )
            act, current = self._activation(current)
            weights.append(w)
            biases.append(b)
            acts.append(act)
            current = self._skip(current, {"Identity"})
        if not weights:
            raise WeightsError(
                self.source,
                self._refusal(self._next(current))
                if self._next(current) is not None
                else "no fully connected layer follows the input",
            )
        self._check_rest(current)
        return ImportedNetwork(weights, biases, tuple(acts))

    def _next(self, tensor: str) -> int | None:
        found = self.consumers.get(tensor, [])
        return found[0] if len(found) == 1 else None

    def _skip(self, tensor: str, ops: set[str]) -> str:
        while (
            (i := self._next(tensor)) is not None
            and self.nodes[i].op_type in ops
            and tensor not in self.outputs
        ):
            if self.nodes[i].op_type == "Cast" and self._attrs(i).get("to") not in _FLOAT_TYPES:
                break
            self.used.add(i)
            tensor = self.nodes[i].output[0]
        return tensor

    def _attrs(self, i: int) -> dict[str, Any]:
        onnx = require_onnx()
        return {a.name: onnx.helper.get_attribute_value(a) for a in self.nodes[i].attribute}

    def _constant(self, name: str, i: int, what: str) -> np.ndarray:
        if name not in self.constants:
            raise WeightsError(
                self.source,
                f"{self.where(i)}: its {what} {name!r} is computed, not stored; only fixed weights can be drawn",
            )
        return finite_float64(self.constants[name], repr(name), self.source)

    def _dense(self, tensor: str) -> tuple[np.ndarray, np.ndarray, str] | None:
        """(W (n_in, n_out), b (n_out,), output tensor) of the layer reading `tensor`, or None at the chain's end."""
        if tensor in self.outputs:
            return None
        i = self._next(tensor)
        if i is None:
            return None
        node = self.nodes[i]
        if node.op_type == "Gemm":
            return self._gemm(i)
        if node.op_type == "MatMul" and node.input[0] == tensor:
            w = self._constant(node.input[1], i, "weight matrix")
            add = self._next(node.output[0])
            if add is None or self.nodes[add].op_type != "Add":
                raise WeightsError(
                    self.source,
                    f"{self.where(i)}: a MatMul without a following Add of biases is not a dense layer",
                )
            other = [name for name in self.nodes[add].input if name != node.output[0]]
            b = self._constant(other[0], add, "bias") if len(other) == 1 else None
            self.used.update((i, add))
            w, bias = self._layer(w, b, i)
            return w, bias, self.nodes[add].output[0]
        return None

    def _gemm(self, i: int) -> tuple[np.ndarray, np.ndarray, str]:
        node, attrs = self.nodes[i], self._attrs(i)
        if attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0 or attrs.get("transA", 0):
            raise WeightsError(
                self.source, f"{self.where(i)}: alpha, beta must be 1 and transA 0 for a dense layer"
            )
        w = self._constant(node.input[1], i, "weight matrix")
        if attrs.get("transB", 0) and w.ndim == 2:
            w = w.T
        b = self._constant(node.input[2], i, "bias") if len(node.input) > 2 and node.input[2] else None
        self.used.add(i)
        w, b = self._layer(w, b, i)
        return w, b, node.output[0]

    def _layer(self, w: np.ndarray, b: np.ndarray | None, i: int) -> tuple[np.ndarray, np.ndarray]:
        if w.ndim != 2 or min(w.shape) < 1:
            raise WeightsError(
                self.source, f"{self.where(i)}: weight matrix of shape {w.shape}, not (inputs, units)"
            )
        n_out = w.shape[1]
        bias = np.zeros(n_out) if b is None else b.reshape(-1) if b.size == n_out and b.ndim <= 2 else None
        if bias is None:
            raise WeightsError(
                self.source,
                f"{self.where(i)}: bias of shape {b.shape if b is not None else ()} does not fit {n_out} units",
            )
        return np.ascontiguousarray(w), np.ascontiguousarray(bias)

    def _activation(self, z: str) -> tuple[str, str]:
        """(activation name, its output tensor) after the layer output z; ("linear", z) when none."""
        found = self.consumers.get(z, [])
        if z in self.outputs or not found:
            return "linear", z
        if len(found) == 2 and {self.nodes[j].op_type for j in found} == {"Mul", "Max"}:
            return self._leaky_pattern(z, found)
        i = found[0]
        op = self.nodes[i].op_type
        if len(found) != 1 or op not in _ACTIVATIONS:
            if op in _OTHER_ACTIVATIONS:
                raise WeightsError(
                    self.source,
                    f"{self.where(i)}: this activation is not one the studio has (Relu, LeakyRelu, Sigmoid, Tanh, Softmax or none)",
                )
            return "linear", z
        attrs = self._attrs(i)
        if op == "LeakyRelu" and abs(attrs.get("alpha", 0.01) - LEAKY_SLOPE) > 1e-7:
            raise WeightsError(
                self.source,
                f"{self.where(i)}: slope {attrs['alpha']:g}; the studio's leaky ReLU has slope {LEAKY_SLOPE}",
            )
        if op == "Softmax" and attrs.get("axis", 1) not in (1, -1):
            raise WeightsError(
                self.source, f"{self.where(i)}: softmax over axis {attrs['axis']}, not over the units"
            )
        self.used.add(i)
        return _ACTIVATIONS[op], self.nodes[i].output[0]

    def _leaky_pattern(self, z: str, found: list[int]) -> tuple[str, str]:
        mul, top = sorted(found, key=lambda j: self.nodes[j].op_type != "Mul")
        slope_name = next((n for n in self.nodes[mul].input if n != z), "")
        slope = self.constants.get(slope_name)
        if (
            slope is None
            or slope.size != 1
            or float(slope.reshape(())) != LEAKY_SLOPE
            or set(self.nodes[top].input) != {z, self.nodes[mul].output[0]}
        ):
            raise WeightsError(
                self.source, f"{self.where(top)}: only max(z, 0.01·z), a leaky ReLU, is read as an activation"
            )
        self.used.update((mul, top))
        return "leaky_relu", self.nodes[top].output[0]

    def _check_rest(self, final: str) -> None:
        """Every node not read as a layer must decode the output (labels, probability maps) after it."""
        known = {final}
        for i, node in enumerate(self.nodes):
            if i in self.used:
                continue
            if node.op_type not in _OUTPUT_DECODING:
                raise WeightsError(self.source, self._refusal(i))
            if not all(name in known or name in self.constants or not name for name in node.input):
                raise WeightsError(
                    self.source,
                    f"{self.where(i)}: it does not follow the last layer; only a chain of layers can be drawn",
                )
            known.update(node.output)

    def _refusal(self, i: int | None) -> str:
        if i is None:
            return "the graph branches; only a chain of layers can be drawn"
        op = self.nodes[i].op_type
        if op in _OTHER_ACTIVATIONS:
            return f"{self.where(i)}: this activation is not one the studio has (Relu, LeakyRelu, Sigmoid, Tanh, Softmax or none)"
        return f"{self.where(i)}: only fully connected layers can be drawn"
