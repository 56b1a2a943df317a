"""A small iris-like project for the data panel's tests: 4 inputs, 3 classes, inline data, softmax.

Three Gaussian clusters in four dimensions whose means differ mostly along two mixed directions, so the
principal-component picture separates them and a 4-6-3 network learns them within a few epochs.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.project.fileformat import project_from_document
from backprop_studio.core.project.project import Project

CLASS_NAMES = ("setosa", "versicolor", "virginica")


def samples(n_per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(3·n, 4) inputs (rounded to 2 decimals, like measurements) and (3·n,) class indices."""
    rng = np.random.default_rng(seed)
    means = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
    spread = np.array([0.35, 0.35, 0.45, 0.25])
    x = np.concatenate([m + rng.normal(size=(n_per_class, 4)) * spread for m in means])
    labels = np.repeat(np.arange(3), n_per_class)
    return np.round(x, 2), labels


def document(n_train: int = 30, n_test: int = 10, hidden: int = 6) -> dict:
    x, labels = samples(n_train, seed=1)
    x_test, labels_test = samples(n_test, seed=2)
    one_hot = np.eye(3)
    return {
        "format": "backprop-studio",
        "version": 1,
        "name": "Iris-like",
        "description": "Four measurements, three classes (a test stand-in for Iris).",
        "network": {
            "inputs": 4,
            "layers": [{"units": hidden, "activation": "tanh"}, {"units": 3, "activation": "softmax"}],
        },
        "training": {
            "loss": "cross_entropy",
            "optimizer": {"name": "adam", "learning_rate": 0.05},
            "batch_size": 10,
            "seed": 3,
            "epochs": 50,
        },
        "data": {
            "kind": "inline",
            "x": x.tolist(),
            "y": one_hot[labels].tolist(),
            "x_test": x_test.tolist(),
            "y_test": one_hot[labels_test].tolist(),
        },
    }


def project(**kwargs: int) -> Project:
    return project_from_document(document(**kwargs), "iris-like")


def write_csv(path: str, n_per_class: int = 40) -> None:
    """The same kind of samples as a CSV with a header and a "species" class column."""
    x, labels = samples(n_per_class, seed=4)
    lines = ["sepal_length,sepal_width,petal_length,petal_width,species"]
    lines += [
        ",".join(f"{v:g}" for v in row) + f",{CLASS_NAMES[k]}" for row, k in zip(x, labels, strict=True)
    ]
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")


def csv_project(path: str) -> Project:
    """A 4-6-3 softmax project over the CSV at `path` (see `write_csv`), 75 % of it for training."""
    doc = document()
    doc["data"] = {"kind": "csv", "path": path, "one_hot": "species", "train_fraction": 0.75, "seed": 1}
    return project_from_document(doc, path)
