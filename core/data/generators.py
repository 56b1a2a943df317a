"""TensorFlow Playground's six 2-D data sets, drawn from a caller's NumPy Generator.

The geometry and the way `noise` (a fraction 0 … 0.5, Playground's 0 … 50 %) jitters the samples
follow Playground's dataset.ts. Playground labels classes -1/+1; here class 1 is Playground's +1
(inside the circle, the XOR quadrants where x1·x2 ≥ 0, the Gaussian around (2, 2), the spiral arm that
starts at angle 0) and class 0 its -1. Samples come grouped by class, class 1 first as in Playground;
`backprop_studio.core.data.build` shuffles them when it splits train from test. Playground draws
numSamples / 2 of each class, so an odd count gives it one sample more than asked; here the total is
exactly `samples`, the first class drawn taking the odd one.
"""

from __future__ import annotations

import math

import numpy as np
from backprop_studio.core.errors import DataError
from backprop_studio.core.spec import GENERATORS

MAX_SAMPLES = 100_000
MAX_CLASSES = 8


def generate(
    kind: str, samples: int, noise: float, rng: np.random.Generator, classes: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """Draw `samples` points (n, 2) and their labels (n,).

    Classification kinds give int labels in 0 … classes-1 (only `spiral` uses `classes`, as its
    number of arms; the others always have 2 classes); regression kinds give float values in
    about [-1, 1]. Every random number comes from `rng`.
    """
    if kind not in GENERATORS:
        raise DataError(f"unknown data generator {kind!r}; choose one of {', '.join(GENERATORS)}")
    if not _is_whole(samples) or not 2 <= samples <= MAX_SAMPLES:
        raise DataError(f"samples must be a whole number from 2 to {MAX_SAMPLES:,}, not {samples!r}")
    is_real = isinstance(noise, (int, float, np.integer, np.floating))
    if not is_real or not 0.0 <= noise <= 0.5:  # the comparison also refuses NaN
        raise DataError(f"noise must be a fraction between 0 and 0.5, not {noise!r}")
    if kind == "spiral":
        if not _is_whole(classes) or not 2 <= classes <= MAX_CLASSES:
            raise DataError(f"a spiral needs 2 to {MAX_CLASSES} classes (arms), not {classes!r}")
        if samples < classes:
            raise DataError(f"a spiral with {classes} arms needs at least {classes} samples, not {samples}")
        return _spiral(int(samples), noise, rng, int(classes))
    return _MAKERS[kind](int(samples), noise, rng)


def _is_whole(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _class_sizes(samples: int, classes: int) -> list[int]:
    """As even as possible; the first classes take the remainder so the total is exactly `samples`."""
    return [samples // classes + (k < samples % classes) for k in range(classes)]


def _circle(samples: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    radius = 5.0
    inside, outside = _class_sizes(samples, 2)
    # Inner disc up to 0.5·radius, outer ring from 0.7·radius: the gap keeps noise-free data separable.
    r = np.concatenate([rng.uniform(0, radius * 0.5, inside), rng.uniform(radius * 0.7, radius, outside)])
    angle = rng.uniform(0, 2 * math.pi, samples)
    points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    # As in Playground, noise moves the point used for the label, not the point itself: labels flip.
    jittered = points + rng.uniform(-radius, radius, (samples, 2)) * noise
    labels = (np.hypot(jittered[:, 0], jittered[:, 1]) < radius * 0.5).astype(np.int64)
    return points, labels


def _xor(samples: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    points = rng.uniform(-5, 5, (samples, 2))
    # Playground's padding pushes points 0.3 away from both axes so the quadrants have a visible gap.
    points += np.where(points > 0, 0.3, -0.3)
    jittered = points + rng.uniform(-5, 5, (samples, 2)) * noise
    labels = (jittered[:, 0] * jittered[:, 1] >= 0).astype(np.int64)
    return points, labels


def _gaussian(samples: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    # Playground maps noise 0 … 0.5 linearly onto a variance of 0.5 … 4.
    std = math.sqrt(0.5 + noise / 0.5 * 3.5)
    positive, negative = _class_sizes(samples, 2)
    centers = np.concatenate([np.tile([2.0, 2.0], (positive, 1)), np.tile([-2.0, -2.0], (negative, 1))])
    points = centers + rng.normal(0.0, std, (samples, 2))
    labels = np.concatenate([np.ones(positive, np.int64), np.zeros(negative, np.int64)])
    return points, labels


def _spiral(
    samples: int, noise: float, rng: np.random.Generator, classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Arm a starts at angle Δt = 2π·a/classes and holds class (a + 1) mod classes: with two arms, the one
    with Δt = 0 is class 1 (Playground's positive examples, drawn first) and the one with Δt = π class 0.

    Every arm follows the same curve, sample i at r = 5·i/n and t = 1.75·2π·i/n + Δt with n = samples /
    classes as in Playground (not the arm's own size, so with an odd count the longer arm only adds a
    point further out along it, and the arms stay congruent).
    """
    sizes = _class_sizes(samples, classes)
    n = samples / classes
    arms = []
    for arm, size in enumerate(sizes):
        step = np.arange(size) / n
        r = step * 5
        t = 1.75 * step * 2 * math.pi + 2 * math.pi * arm / classes
        arms.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
    points = np.concatenate(arms) + rng.uniform(-1, 1, (samples, 2)) * noise
    labels = np.repeat((np.arange(classes, dtype=np.int64) + 1) % classes, sizes)
    return points, labels


def _plane(samples: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    points = rng.uniform(-6, 6, (samples, 2))
    jittered = points + rng.uniform(-6, 6, (samples, 2)) * noise
    # Playground scales x1 + x2 from [-10, 10] onto [-1, 1] (unclamped, so corners reach ±1.2).
    return points, (jittered[:, 0] + jittered[:, 1]) / 10


# (center x1, center x2, sign) of Playground's six bumps.
_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def _multi_gaussian(samples: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    points = rng.uniform(-6, 6, (samples, 2))
    jittered = points + rng.uniform(-6, 6, (samples, 2)) * noise
    distance = np.hypot(jittered[:, None, 0] - _BUMPS[:, 0], jittered[:, None, 1] - _BUMPS[:, 1])
    heights = _BUMPS[:, 2] * np.clip(1 - distance / 2, 0, 1)  # (n, 6): each bump is a cone of radius 2
    # The value is the bump strongest in absolute value; argmax keeps the first on ties, like Playground.
    strongest = np.argmax(np.abs(heights), axis=1)
    return points, heights[np.arange(samples), strongest]


_MAKERS = {
    "circle": _circle,
    "xor": _xor,
    "gaussian": _gaussian,
    "plane": _plane,
    "multi_gaussian": _multi_gaussian,
}
