"""Optimizers with PyTorch's exact update rules, written in PyTorch's order of operations.

With g the gradient (regularization included) and lr the learning rate:
  sgd       w ← w − lr·g
  momentum  v ← g on the first step, then v ← μ·v + g (dampening 0, no Nesterov);  w ← w − lr·v
  adam      t ← t + 1;  m ← m + (1 − β1)·(g − m);  v ← β2·v + (1 − β2)·g²;
            w ← w − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
The last line is lr·m̂/(√v̂ + ε) evaluated in torch.optim.Adam's order. torch's CPU kernels fuse the
final multiply-add (one rounding), which NumPy cannot, so an sgd or momentum update can differ from
torch's by one unit in the last place; torch forms Adam's moments another way (lerp, addcmul), so where
m nearly cancels an Adam update differs by more. The measured bounds (README, "The maths") are held by
tests/core/nn/test_torch_ulps.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from backprop_studio.core.spec import OptimizerSpec

BUFFERS = {"sgd": (), "momentum": ("velocity",), "adam": ("m", "v")}


@dataclass
class OptimizerState:
    """`step` counts updates made; `buffers[name]` = (one array per layer's weights, one per layer's biases)."""

    step: int = 0
    buffers: dict[str, tuple[list[np.ndarray], list[np.ndarray]]] = field(default_factory=dict)

    def copy(self) -> OptimizerState:
        return OptimizerState(
            self.step,
            {
                name: ([w.copy() for w in ws], [b.copy() for b in bs])
                for name, (ws, bs) in self.buffers.items()
            },
        )

    def nbytes(self) -> int:
        return sum(arr.nbytes for ws, bs in self.buffers.values() for arr in (*ws, *bs))


def initial_state(spec: OptimizerSpec, weights: list[np.ndarray], biases: list[np.ndarray]) -> OptimizerState:
    """Zeroed buffers shaped like the parameters (momentum's velocity is set from g on the first step)."""
    return OptimizerState(
        0,
        {
            name: ([np.zeros_like(w) for w in weights], [np.zeros_like(b) for b in biases])
            for name in BUFFERS[spec.name]
        },
    )


def compatible(state: OptimizerState, spec: OptimizerSpec, weights: list[np.ndarray]) -> bool:
    """True when `state` has the buffers `spec` needs, shaped like `weights`."""
    if set(state.buffers) != set(BUFFERS[spec.name]):
        return False
    return all(
        len(ws) == len(weights) and all(a.shape == w.shape for a, w in zip(ws, weights, strict=True))
        for ws, _ in state.buffers.values()
    )


def begin_step(state: OptimizerState) -> None:
    """Count one more update (Adam's bias correction uses the count)."""
    state.step += 1


def step_parameter(
    spec: OptimizerSpec, state: OptimizerState, param: np.ndarray, grad: np.ndarray, slot: int, index: int
) -> np.ndarray:
    """Update one parameter array in place and return the step that was added to it (same shape).

    `slot` is 0 for a layer's weights and 1 for its biases, `index` the 0-based layer. `begin_step`
    must have been called once for this update.
    """
    lr = spec.learning_rate
    if spec.name == "sgd":
        delta = grad * -lr
    elif spec.name == "momentum":
        buf = state.buffers["velocity"][slot][index]
        if state.step == 1:
            buf[...] = grad
        else:
            buf *= spec.momentum
            buf += grad
        delta = buf * -lr
    else:
        m = state.buffers["m"][slot][index]
        v = state.buffers["v"][slot][index]
        m += (grad - m) * (1.0 - spec.beta1)
        v *= spec.beta2
        v += grad * grad * (1.0 - spec.beta2)
        bias_correction1 = 1.0 - spec.beta1**state.step
        bias_correction2 = 1.0 - spec.beta2**state.step
        denom = np.sqrt(v) / math.sqrt(bias_correction2) + spec.epsilon
        delta = (m / denom) * -(lr / bias_correction1)
    param += delta
    return delta


def step_layers(
    spec: OptimizerSpec,
    state: OptimizerState,
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    grads_w: list[np.ndarray],
    grads_b: list[np.ndarray],
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """One update of every layer, in place; returns the steps added to weights and to biases.

    The same arithmetic as `step_parameter` per array; plain SGD skips the per-array calls, which
    dominate on small nets.
    """
    begin_step(state)
    if spec.name == "sgd":
        factor = -spec.learning_rate
        steps_w = [g * factor for g in grads_w]
        steps_b = [g * factor for g in grads_b]
        for param, step in zip(weights, steps_w, strict=True):
            param += step
        for param, step in zip(biases, steps_b, strict=True):
            param += step
        return steps_w, steps_b
    steps_w = [
        step_parameter(spec, state, w, g, 0, k) for k, (w, g) in enumerate(zip(weights, grads_w, strict=True))
    ]
    steps_b = [
        step_parameter(spec, state, b, g, 1, k) for k, (b, g) in enumerate(zip(biases, grads_b, strict=True))
    ]
    return steps_w, steps_b
