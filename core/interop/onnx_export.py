"""The trained network as a float64 ONNX inference graph, built with onnx.helper (the optional extra `onnx`).

Layer k becomes `Gemm(a, 2k.weight, 2k.bias, transB=1)`, a @ weightᵀ + bias with weight (n_out, n_in) as
PyTorch's exporter writes it, then its activation node (none for a linear layer). Leaky ReLU is written as
`Max(z, Mul(z, leaky_slope))` with a float64 slope 0.01: ONNX's LeakyRelu keeps its slope as a float32
attribute (0.00999999977…), which would change every negative output in the 9th digit. The input is `input`
(batch, n_in) and the output `output` (batch, n_out), both float64, so onnxruntime computes what the
studio computes up to the order of each sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from backprop_studio.core.errors import StudioError
from backprop_studio.core.interop.state_dict import bias_name, to_state_dict, weight_name
from backprop_studio.core.nn.activations import LEAKY_SLOPE

OPSET = 17
IR_VERSION = 8  # what onnxruntime releases of the last years all read
_NODES: dict[str, tuple[str, dict[str, Any]]] = {
    "relu": ("Relu", {}),
    "sigmoid": ("Sigmoid", {}),
    "tanh": ("Tanh", {}),
    "softmax": ("Softmax", {"axis": 1}),
}


def require_onnx() -> Any:
    """The `onnx` module, or a StudioError saying how to install it."""
    try:
        import onnx
    except ImportError:
        raise StudioError("ONNX needs the onnx package: pip install 'backprop-studio[onnx]'") from None
    return onnx


def onnx_bytes(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    activations: Sequence[str],
    name: str = "network",
) -> bytes:
    """The serialized model for W[k] (n_in, n_out), b[k] (n_out,) and one activation name per layer."""
    onnx = require_onnx()
    helper, double = onnx.helper, onnx.TensorProto.DOUBLE
    tensors = to_state_dict(weights, biases)
    initializers = [onnx.numpy_helper.from_array(array, name) for name, array in tensors.items()]
    nodes, current = [], "input"
    for k, act in enumerate(activations):
        z = f"/{2 * k}/Gemm_output"
        nodes.append(
            helper.make_node(
                "Gemm", [current, weight_name(k), bias_name(k)], [z], name=f"/{2 * k}/Gemm", transB=1
            )
        )
        current = z
        if act == "leaky_relu":
            if not any(t.name == "leaky_slope" for t in initializers):
                initializers.append(onnx.numpy_helper.from_array(np.array(LEAKY_SLOPE), "leaky_slope"))
            scaled, out = f"/{2 * k + 1}/Mul_output", f"/{2 * k + 1}/Max_output"
            nodes.append(helper.make_node("Mul", [z, "leaky_slope"], [scaled], name=f"/{2 * k + 1}/Mul"))
            nodes.append(helper.make_node("Max", [z, scaled], [out], name=f"/{2 * k + 1}/Max"))
            current = out
        elif act != "linear":
            op, attrs = _NODES[act]
            nodes.append(
                helper.make_node(op, [z], [f"/{2 * k + 1}/{op}_output"], name=f"/{2 * k + 1}/{op}", **attrs)
            )
            current = f"/{2 * k + 1}/{op}_output"
    nodes[-1].output[0] = "output"
    n_in, n_out = weights[0].shape[0], weights[-1].shape[1]
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("input", double, ["batch", n_in])],
        [helper.make_tensor_value_info("output", double, ["batch", n_out])],
        initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="backprop-studio"
    )
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model.SerializeToString()
