"""In-between pictures of training for recorded transitions: a Snapshot part way from one state to the next.

Only for display. A blended snapshot is not a state training ever passed through; it lets a video ease
edge widths and node colors from one phase to the next instead of jumping, so a viewer can follow which
numbers changed. Numbers are blended linearly wherever both snapshots have an array of the same shape;
anything that appears, disappears or changes shape takes the later snapshot's value, as does everything
that says where training is (step, epoch, batch, phase, history, the batch's samples).
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
from backprop_studio.core.training.snapshot import LayerState, Snapshot

# Per-layer arrays that are blended; the batch's inputs and targets are not (a new batch holds other
# samples, and half of one sample plus half of another is not a sample).
_LAYER_FIELDS = tuple(f.name for f in fields(LayerState))


def _blend(a: np.ndarray | None, b: np.ndarray | None, t: float) -> np.ndarray | None:
    if a is None or b is None or a.shape != b.shape:
        return b
    with np.errstate(all="ignore"):  # a diverged run blends to inf/NaN, which the views already show
        out = a + (b - a) * t
    out.flags.writeable = False
    return out


def _blend_scalar(a: float | None, b: float | None, t: float) -> float | None:
    if a is None or b is None:
        return b
    return a + (b - a) * t


def _blend_arrays(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...], t: float) -> tuple[np.ndarray, ...]:
    if len(a) != len(b):
        return b
    return tuple(_blend_array(x, y, t) for x, y in zip(a, b, strict=True))


def _blend_array(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    blended = _blend(a, b, t)
    assert blended is not None  # both are arrays
    return blended


def interpolate(a: Snapshot, b: Snapshot, t: float) -> Snapshot:
    """The snapshot a fraction `t` (0 = a, 1 = b) of the way from `a` to `b`.

    Weights, biases, the input gradient and every per-layer array are blended where both snapshots have
    them with the same shape; otherwise b's value is taken. Position, phase, history and the batch's
    samples are always b's. t = 0 and t = 1 return a and b themselves.
    """
    if t <= 0.0:
        return a
    if t >= 1.0 or a.sizes != b.sizes:
        return b
    layers = b.layers
    if len(a.layers) == len(b.layers):
        layers = tuple(
            LayerState(**{name: _blend(getattr(la, name), getattr(lb, name), t) for name in _LAYER_FIELDS})
            for la, lb in zip(a.layers, b.layers, strict=True)
        )
    return replace(
        b,
        weights=_blend_arrays(a.weights, b.weights, t),
        biases=_blend_arrays(a.biases, b.biases, t),
        layers=layers,
        dx=_blend(a.dx, b.dx, t),
        loss=_blend_scalar(a.loss, b.loss, t),
        data_loss=_blend_scalar(a.data_loss, b.data_loss, t),
        reg_loss=_blend_scalar(a.reg_loss, b.reg_loss, t),
    )


def differs(a: Snapshot, b: Snapshot) -> bool:
    """Whether an in-between picture would differ from b at all: some number both snapshots hold with the
    same shape changed. When not (a phase only added new numbers), a transition would just repeat b."""
    if a.sizes != b.sizes or len(a.layers) != len(b.layers):
        return False

    def changed(x: np.ndarray | None, y: np.ndarray | None) -> bool:
        return x is not None and y is not None and x.shape == y.shape and not np.array_equal(x, y)

    pairs = [*zip(a.weights, b.weights), *zip(a.biases, b.biases), (a.dx, b.dx)]
    for la, lb in zip(a.layers, b.layers, strict=True):
        pairs.extend((getattr(la, name), getattr(lb, name)) for name in _LAYER_FIELDS)
    return any(changed(x, y) for x, y in pairs)
