"""The whole training loop on one screen: where to start reading how the network learns.

Mini-batch gradient descent on the mean squared error L = (1/B) Σ ½(ŷ − y)², plain SGD, no
regularization. `TrainingSession` computes the same thing one phase at a time (and more losses,
optimizers and checks); this loop is also the tests' independent oracle for it. Same seed, same
initial weights, same batch order: the session draws both from `parameters.seeds(training.seed)`.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.nn import activations
from backprop_studio.core.spec import NetworkSpec, TrainingSpec
from backprop_studio.core.training.parameters import init_params, seeds


def train(
    network: NetworkSpec, training: TrainingSpec, data: Dataset, epochs: int
) -> tuple[list[np.ndarray], list[np.ndarray], list[float]]:
    """Train `epochs` epochs; return the weights W[k] (n_in, n_out), biases b[k] (n_out,) and each batch's loss."""
    init_rng, shuffle_rng = seeds(training.seed)
    weights, biases = init_params(network, init_rng)
    acts, lr, size = network.activations, training.optimizer.learning_rate, training.batch_size
    n = data.x_train.shape[0]
    batch_losses = []
    for _ in range(epochs):
        order = shuffle_rng.permutation(n) if training.shuffle else np.arange(n)
        for start in range(0, n, size):
            rows = order[start : start + size]
            x, y = data.x_train[rows], data.y_train[rows]
            # Forward: remember every layer's input a and weighted sum z.
            inputs, sums = [x], []
            for w, b, act in zip(weights, biases, acts, strict=True):
                sums.append(inputs[-1] @ w + b)  # (B, n_in) @ (n_in, n_out) + (n_out,)
                inputs.append(activations.apply(act, sums[-1]))
            out = inputs[-1]
            batch_losses.append(float(0.5 * np.sum((out - y) ** 2) / len(rows)))
            # Backward: the chain rule from the loss to every weight, last layer first.
            grad_a = (out - y) / len(rows)  # dL/dŷ
            for k in reversed(range(len(weights))):
                grad_z = grad_a * activations.local_gradient(acts[k], sums[k], inputs[k + 1])  # dL/dz
                grad_w, grad_b = inputs[k].T @ grad_z, grad_z.sum(axis=0)  # dL/dW, dL/db
                grad_a = grad_z @ weights[k].T  # dL/da of the layer below, with W before its update
                weights[k] = weights[k] - lr * grad_w
                biases[k] = biases[k] - lr * grad_b
    return weights, biases, batch_losses
