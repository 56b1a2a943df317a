"""How each kind of watch is evaluated on a snapshot, and the `Hit` it reports when it fires.

Each function reads the snapshot taken after the phase the plan evaluates the watch at; `previous` (the
snapshot before) is needed only for a hand-made snapshot that lacks the weights before its update.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from backprop_studio.core.analysis import health
from backprop_studio.core.debugger.watch import Watch
from backprop_studio.core.display.names import weight_label
from backprop_studio.core.training.schedule import Phase
from backprop_studio.core.training.snapshot import Snapshot


@dataclass(frozen=True, eq=False)
class Hit:
    """A watch that fired: `message` states the condition with its numbers; `layer` (1-based), `neuron`
    (0-based unit of that layer) and `edge` (layer, i, j) say what to highlight; `values` holds the numbers.
    `step` and `phase` are the session position it fired at."""

    watch: Watch
    message: str
    layer: int | None
    neuron: int | None = None
    edge: tuple[int, int, int] | None = None
    values: dict[str, Any] = field(default_factory=dict)
    step: int = 0
    phase: Phase | None = None


def _hit(watch: Watch, current: Snapshot, message: str, layer: int | None, **kw: Any) -> Hit:
    assert current.phase is not None
    return Hit(
        watch, f"{message} (after {current.phase.label})", layer, step=current.step, phase=current.phase, **kw
    )


def nonfinite_hit(watch: Watch, current: Snapshot) -> Hit:
    """The hit reporting `current`'s divergence, highlighting the layer it names (else its phase's)."""
    found = current.divergence
    text = "" if found is None else found.message
    phase = current.phase
    layer = found.layer if found is not None and found.layer is not None else phase.layer if phase else None
    return Hit(
        watch,
        f"non-finite value: {text}",
        layer,
        values={"divergence": text},
        step=current.step,
        phase=phase,
    )


def evaluate(watch: Watch, phase: Phase, previous: Snapshot | None, current: Snapshot) -> Hit | None:
    kind = watch.kind
    if kind in ("vanishing", "exploding"):
        return _gradient_norm(watch, phase.layer or 1, current)
    if kind == "dead_relu":
        return _dead_relu(watch, phase.layer or 1, current)
    if kind == "update_ratio":
        return _update_ratio(watch, current)
    if kind == "weight_crossing":
        return _weight_crossing(watch, previous, current)
    if kind == "loss_rising":
        return _loss_rising(watch, current)
    return None


def _gradient_norm(watch: Watch, layer: int, current: Snapshot) -> Hit | None:
    norm = health.grad_norm(current, layer)
    t = watch.threshold
    assert t is not None
    if norm is None:
        return None
    if watch.kind == "vanishing" and norm < t:
        text = f"vanishing gradient: ‖dL/dW‖ of layer {layer} is {norm:.3g} < {t:.3g}"
    elif watch.kind == "exploding" and norm > t:
        text = f"exploding gradient: ‖dL/dW‖ of layer {layer} is {norm:.3g} > {t:.3g}"
    else:
        return None
    return _hit(watch, current, text, layer, values={"grad_norm": norm, "threshold": t})


def _dead_relu(watch: Watch, layer: int, current: Snapshot) -> Hit | None:
    a = current.layers[layer - 1].a
    mask = health.dead_mask(current.activations[layer - 1], a)
    if mask is None or a is None:
        return None
    dead = np.flatnonzero(mask)
    units = mask.size
    share = dead.size / units
    t = watch.threshold
    assert t is not None
    if dead.size == 0 or share < t:
        return None
    text = (
        f"dead ReLUs: {dead.size} of {units} units of layer {layer} (share {share:.3g} ≥ {t:.3g}) "
        f"output 0 for all {a.shape[0]} samples of the batch"
    )
    values = {
        "share": share,
        "dead_units": int(dead.size),
        "units": units,
        "dead": dead.tolist(),
        "threshold": t,
    }
    return _hit(watch, current, text, layer, neuron=int(dead[0]), values=values)


def _update_ratio(watch: Watch, current: Snapshot) -> Hit | None:
    layers = range(1, current.n_layers + 1) if watch.layer is None else [watch.layer]
    t = watch.threshold
    assert t is not None
    worst: tuple[float, int] | None = None
    for layer in layers:
        ratio = health.update_ratio(current, layer)
        if ratio is not None and ratio > t and (worst is None or ratio > worst[0]):
            worst = (ratio, layer)
    if worst is None:
        return None
    ratio, layer = worst
    text = f"large update: ‖ΔW‖/‖W‖ of layer {layer} is {ratio:.3g} > {t:.3g}"
    return _hit(watch, current, text, layer, values={"update_ratio": ratio, "threshold": t})


def _weight_crossing(watch: Watch, previous: Snapshot | None, current: Snapshot) -> Hit | None:
    layer, value = watch.layer, watch.threshold
    assert layer is not None and watch.index is not None and value is not None
    i, j = watch.index
    if layer > current.n_layers:
        return None
    old = health.weights_before_update(current, layer)
    if old is None and previous is not None and previous.step < current.step:
        old = previous.weights[layer - 1]
    after_w = current.weights[layer - 1]
    if old is None or i >= after_w.shape[0] or j >= after_w.shape[1]:
        return None
    before, after = float(old[i, j]), float(after_w[i, j])
    if not (before < value <= after or before > value >= after):
        return None
    text = (
        f"weight crossed {value:.4g}: the {weight_label(layer, i, j)} went from {before:.6g} to {after:.6g}"
    )
    values = {"before": before, "after": after, "value": value}
    return _hit(watch, current, text, layer, edge=(layer, i, j), values=values)


def _loss_rising(watch: Watch, current: Snapshot) -> Hit | None:
    series = current.history.train_loss if watch.per == "epoch" else current.history.batch_loss
    if len(series) < 2:
        return None
    before, after = float(series[-2]), float(series[-1])
    if not after > before:
        return None
    if watch.per == "epoch":
        e = current.epoch + 1
        text = f"loss rising: the training loss rose from {before:.6g} after epoch {e - 1} to {after:.6g} after epoch {e}"
    else:
        text = (
            f"loss rising: the batch loss rose from {before:.6g} to {after:.6g}, "
            f"batch {current.batch + 1} of epoch {current.epoch + 1} against the batch before"
        )
    return _hit(watch, current, text, None, values={"before": before, "after": after})
