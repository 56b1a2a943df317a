"""Small inline projects whose inputs form an image (data.image_shape), for the image-input tests and
screen grabs: each sample is one of a few stroke shapes (a bar, a line, a ring, a cross) drawn on an
n × n grid with a little noise, so a trained first layer shows recognizable strokes."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.project.project import Project
from backprop_studio.core.spec import DataSpec, InitSpec, LayerSpec, NetworkSpec, OptimizerSpec, TrainingSpec


def stroke(kind: int, n: int) -> np.ndarray:
    """(n, n) ink in [0, 1]: 0 a vertical bar, 1 a horizontal line, 2 a ring, 3 a diagonal cross."""
    image = np.zeros((n, n))
    mid, r = n // 2, np.arange(n)
    if kind == 0:
        image[1:-1, mid - 1 : mid + 1] = 1.0
    elif kind == 1:
        image[mid - 1 : mid + 1, 1:-1] = 1.0
    elif kind == 2:
        image[1, 2:-2] = image[-2, 2:-2] = image[2:-2, 1] = image[2:-2, -2] = 1.0
    else:
        image[r, r] = image[r, n - 1 - r] = 1.0
    return image


def stroke_samples(n: int, count: int, classes: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`count` noisy strokes on an n × n grid: x (count, n·n) in [0, 16] as the digits are, y one-hot."""
    rng = np.random.default_rng(seed)
    labels = np.arange(count) % classes
    x = np.array([stroke(k, n).ravel() for k in labels]) * 16.0
    x = np.clip(x + rng.normal(0.0, 2.0, x.shape), 0.0, 16.0).round()
    return x, np.eye(classes)[labels]


def image_project(
    n: int = 8,
    samples: int = 40,
    hidden: int = 12,
    classes: int = 4,
    seed: int = 0,
    learning_rate: float = 0.02,
    init_std: float | None = None,
) -> Project:
    """An n×n-pixel stroke classifier: n·n inputs → `hidden` tanh → `classes` softmax, inline data;
    `init_std` starts the weights small and normal (so what training adds shows), else Xavier."""
    x, y = stroke_samples(n, samples, classes, seed)
    init = InitSpec() if init_std is None else InitSpec(weights="normal", std=init_std)
    layers = (LayerSpec(hidden, "tanh"), LayerSpec(classes, "softmax"))
    network = NetworkSpec(n * n, layers, init)
    training = TrainingSpec(
        loss="cross_entropy", optimizer=OptimizerSpec("sgd", learning_rate), batch_size=10, seed=seed
    )
    data = DataSpec(
        kind="inline",
        x=tuple(tuple(row) for row in x.tolist()),
        y=tuple(tuple(row) for row in y.tolist()),
        image_shape=(n, n),
    )
    return Project(network=network, training=training, data=data, name=f"{n}×{n} strokes")
