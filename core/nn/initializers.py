"""Initial weights and biases, drawn from an explicit numpy Generator.

  xavier_uniform  U(−a, a), a = √(6 / (n_in + n_out))       (torch.nn.init.xavier_uniform_, gain 1)
  he_normal       N(0, 2 / n_in)                            (kaiming_normal_, fan_in, relu gain)
  normal          N(0, std²);   uniform U(low, high);   zeros;   constant value
Biases all start at `init.bias`.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from backprop_studio.core.spec import InitSpec, NetworkSpec


def init_weight(init: InitSpec, n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """One weight matrix (n_in, n_out)."""
    shape = (n_in, n_out)
    kind = init.weights
    if kind == "xavier_uniform":
        bound = math.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-bound, bound, size=shape)
    if kind == "he_normal":
        return rng.normal(0.0, math.sqrt(2.0 / n_in), size=shape)
    if kind == "normal":
        return rng.normal(0.0, init.std, size=shape)
    if kind == "uniform":
        return rng.uniform(init.low, init.high, size=shape)
    if kind == "zeros":
        return np.zeros(shape)
    if kind == "constant":
        return np.full(shape, float(init.value))
    raise ValueError(f"unknown weight initialization {kind!r}")


def init_params(network: NetworkSpec, rng: np.random.Generator) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights [(n_in, n_out) per layer] and biases [(n_out,) per layer], layer 1 first."""
    sizes = network.sizes
    weights = [init_weight(network.init, n_in, n_out, rng) for n_in, n_out in itertools.pairwise(sizes)]
    biases = [np.full(n_out, float(network.init.bias)) for n_out in sizes[1:]]
    return weights, biases
