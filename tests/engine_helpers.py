"""Small builders shared by the engine tests: a dataset from arrays and a session in one line."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.spec import LayerSpec, NetworkSpec, OptimizerSpec, RegularizationSpec, TrainingSpec
from backprop_studio.core.training.session import TrainingSession


def dataset(x, y, x_test=None, y_test=None, task: str = "regression") -> Dataset:
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xt = np.zeros((0, x.shape[1])) if x_test is None else np.asarray(x_test, dtype=float)
    yt = np.zeros((0, y.shape[1])) if y_test is None else np.asarray(y_test, dtype=float)
    return Dataset(x, y, xt, yt, task)


def network(inputs: int, *layers: tuple[int, str], init: str = "xavier_uniform") -> NetworkSpec:
    from backprop_studio.core.spec import InitSpec

    return NetworkSpec(inputs, tuple(LayerSpec(u, a) for u, a in layers), InitSpec(weights=init))


def training(
    loss: str = "mse",
    optimizer: str = "sgd",
    lr: float = 0.1,
    batch_size: int = 4,
    shuffle: bool = False,
    seed: int = 0,
    reg: str = "none",
    rate: float = 0.0,
) -> TrainingSpec:
    return TrainingSpec(
        loss=loss,
        optimizer=OptimizerSpec(optimizer, lr),
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        regularization=RegularizationSpec(reg, rate),
    )


def session(net: NetworkSpec, train: TrainingSpec, ds: Dataset, **kwargs) -> TrainingSession:
    return TrainingSession(net, train, ds, **kwargs)


def params_equal(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
