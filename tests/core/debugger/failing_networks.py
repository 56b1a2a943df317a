"""Networks built to trip each kind of watch, and oracles that step them phase by phase."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.spec import InitSpec, LayerSpec, NetworkSpec

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(11)
X = RNG.normal(size=(16, 2))


def frobenius(arr) -> float:
    return float(np.sqrt(np.sum(np.asarray(arr) ** 2)))


# ------------------------------------------------------------------------------------ networks that fail

DEEP = 8
DEEP_NET = NetworkSpec(
    2,
    (*(LayerSpec(4, "sigmoid") for _ in range(DEEP)), LayerSpec(1, "sigmoid")),
    InitSpec("normal", std=0.1, bias=0.0),
)
DEEP_DS = dataset(X, (X[:, :1] > 0).astype(float))


def deep_sigmoid():
    """Nine sigmoid layers with small weights: each layer scales the gradient by ≤ 0.25·‖W‖."""
    return session(DEEP_NET, training(lr=0.1, batch_size=8), DEEP_DS)


LINEAR_DS = dataset(X, X @ np.array([[1.0], [-2.0]]))
LINEAR_NET = network(2, (3, "linear"), (1, "linear"))


def linear(lr: float):
    """A linear regression that gradient descent overshoots geometrically once lr is too large."""
    return session(LINEAR_NET, training(lr=lr, batch_size=8), LINEAR_DS)


def first_step(make, predicate, limit: int = 2000) -> int | None:
    """The oracle: step a fresh session phase by phase and test every snapshot by hand."""
    s = make()
    for _ in range(limit):
        s.step()
        snap = s.snapshot()
        if snap.divergence is None and predicate(snap):
            return snap.step
    return None


def sigmoid_backprop(weights, biases, x, y) -> list[np.ndarray]:
    """dL/dW of an all-sigmoid MSE network, written out independently of the session."""
    acts = [x]
    for w, b in zip(weights, biases, strict=True):
        acts.append(1.0 / (1.0 + np.exp(-(acts[-1] @ w + b))))
    delta = (acts[-1] - y) / x.shape[0] * acts[-1] * (1.0 - acts[-1])
    grads: list[np.ndarray] = [np.zeros(0)] * len(weights)
    for k in reversed(range(len(weights))):
        grads[k] = acts[k].T @ delta
        if k:
            delta = (delta @ weights[k].T) * acts[k] * (1.0 - acts[k])
    return grads


def one_update(make):
    s = make()
    before = s.snapshot().weights
    s.step_update()
    return before, s.snapshot().weights
