"""Activation functions f, applied elementwise to z (batch, units) — softmax row by row.

One registry entry per activation (`REGISTRY`) holds everything the app knows about it: the function, its
derivative, how it is named and drawn, the rule the Inspector shows for f′, and the class encoding it
trains towards. Adding an activation means adding one entry here (and a test).

`apply` gives a = f(z). `local_gradient` gives f'(z) elementwise (for softmax, the diagonal ∂a_j/∂z_j
= a_j(1 − a_j), which is what an inspector shows). `backward` turns dL/da into dL/dz: elementwise
dL/da · f'(z), except softmax, whose Jacobian couples the units: dL/dz_j = a_j (dL/da_j − Σ_k a_k dL/da_k).
Derivatives at the kinks follow PyTorch: relu'(0) = 0, leaky_relu'(0) = 0.01.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01

Array = np.ndarray


def _sigmoid(z: Array) -> Array:
    # exp(-z) overflows to inf for z < -709; 1/(1+inf) is the right limit 0, so silence the warning.
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def _softmax(z: Array) -> Array:
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Activation:
    """Everything about one activation function, for the maths, the views and the data encoding."""

    name: str  # the file format's and command line's name
    label: str  # how menus and captions name it ("leaky ReLU")
    symbol: str  # the short name drawn on a node or a graph ("σ")
    gradient_rule: str  # f′ in words, as the Inspector explains it
    off_value: float  # target for "not this class" (the class itself is 1): the function's low end
    apply: Callable[[Array], Array]  # z → a, (batch, units) → (batch, units)
    local_gradient: Callable[[Array, Array], Array]  # (z, a) → f′(z), (batch, units)

    @property
    def threshold(self) -> float:
        """A single output unit separates two classes halfway between its two target values."""
        return (self.off_value + 1.0) / 2.0


REGISTRY: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "linear", "linear", "id", "always 1", -1.0, lambda z: z.copy(), lambda z, a: np.ones_like(z)
        ),
        Activation(
            "relu",
            "ReLU",
            "relu",
            "1 if z > 0, else 0",
            0.0,
            lambda z: np.maximum(z, 0.0),
            lambda z, a: (z > 0).astype(z.dtype),
        ),
        Activation(
            "leaky_relu",
            "leaky ReLU",
            "lrelu",
            "1 if z > 0, else 0.01",
            -1.0,
            lambda z: np.where(z > 0, z, z * LEAKY_SLOPE),
            lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE),
        ),
        Activation("sigmoid", "sigmoid", "σ", "σ′(z) = a·(1 − a)", 0.0, _sigmoid, lambda z, a: a * (1.0 - a)),
        Activation("tanh", "tanh", "tanh", "tanh′(z) = 1 − a²", -1.0, np.tanh, lambda z, a: 1.0 - a * a),
        Activation(
            "softmax",
            "softmax",
            "soft-max",
            "diagonal aⱼ·(1 − aⱼ) of the Jacobian",
            0.0,
            _softmax,
            lambda z, a: a * (1.0 - a),
        ),
    )
}
NAMES = tuple(REGISTRY)


def get(name: str) -> Activation:
    """The registry entry; ValueError names the unknown activation."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}") from None


def apply(name: str, z: Array) -> Array:
    """(batch, units) → (batch, units)."""
    try:  # one dictionary look-up and no extra call: this runs for every layer of every batch
        return REGISTRY[name].apply(z)
    except KeyError:
        raise ValueError(f"unknown activation {name!r}") from None


def local_gradient(name: str, z: Array, a: Array) -> Array:
    """f'(z) elementwise, (batch, units); for softmax the Jacobian's diagonal."""
    try:
        return REGISTRY[name].local_gradient(z, a)
    except KeyError:
        raise ValueError(f"unknown activation {name!r}") from None


def backward(name: str, z: Array, a: Array, da: Array) -> Array:
    """dL/da (batch, units) → dL/dz (batch, units)."""
    if name == "softmax":
        return a * (da - (a * da).sum(axis=1, keepdims=True))
    if name == "linear":
        return da.copy()
    if name == "tanh":  # in place: the same bits as da · (1 − a²) with one temporary instead of three
        g = a * a
        np.subtract(1.0, g, out=g)
        g *= da
        return g
    return da * local_gradient(name, z, a)
