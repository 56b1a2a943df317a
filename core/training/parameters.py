"""Where a session's parameters come from, and the checks that a network, its settings and data fit.

Weights W[k] are (n_in, n_out) and biases b[k] (n_out,) float64 arrays, layer k+1 of the network.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.errors import ArchitectureError
from backprop_studio.core.nn.initializers import init_params
from backprop_studio.core.spec import NetworkSpec, TrainingSpec, check_architecture

__all__ = ["check_fit", "checked_params", "init_params", "initial_parameters", "seeds"]


def seeds(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """Independent streams for initialization and shuffling, both from the one training seed."""
    init_seq, shuffle_seq = np.random.SeedSequence(seed).spawn(2)
    return np.random.default_rng(init_seq), np.random.default_rng(shuffle_seq)


def initial_parameters(network: NetworkSpec, seed: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The weights and biases a new session with this training seed starts from."""
    return init_params(network, seeds(seed)[0])


def check_fit(network: NetworkSpec, training: TrainingSpec, dataset: Dataset) -> None:
    """Refuse settings the network cannot train with, and data whose columns do not fit the network."""
    check_architecture(network, training)
    if dataset.n_inputs != network.inputs:
        raise ArchitectureError(
            f"the network has {network.inputs} inputs but the data has {dataset.n_inputs} input columns"
        )
    if dataset.n_outputs != network.outputs:
        raise ArchitectureError(
            f"the output layer (layer {len(network.layers)}) has {network.outputs} units "
            f"but the data has {dataset.n_outputs} target columns"
        )
    if dataset.x_train.shape[0] == 0:
        raise ArchitectureError("the training set is empty")


def checked_params(
    network: NetworkSpec, weights: list[np.ndarray], biases: list[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Float64 copies of `weights` and `biases`, refusing any whose count or shape does not fit `network`."""
    sizes = network.sizes
    if len(weights) != len(network.layers) or len(biases) != len(network.layers):
        raise ArchitectureError(
            f"the network has {len(network.layers)} layers but {len(weights)} weight matrices "
            f"and {len(biases)} bias vectors were given"
        )
    out_w, out_b = [], []
    for k, (w, b) in enumerate(zip(weights, biases, strict=True)):
        w = np.array(w, dtype=np.float64)
        b = np.array(b, dtype=np.float64)
        if w.shape != (sizes[k], sizes[k + 1]):
            raise ArchitectureError(
                f"weights of layer {k + 1} have shape {w.shape}, expected {(sizes[k], sizes[k + 1])}"
            )
        if b.shape != (sizes[k + 1],):
            raise ArchitectureError(
                f"biases of layer {k + 1} have shape {b.shape}, expected {(sizes[k + 1],)}"
            )
        out_w.append(w)
        out_b.append(b)
    return out_w, out_b
