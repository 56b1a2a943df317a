"""Breakpoints for training: watch conditions checked after each phase, and a runner that stops on one.

Kinds (layers 1-based; `layer=None` means every layer where the condition makes sense):
  nonfinite        a NaN or inf appeared: fires on the session's divergence, at the phase that made it.
  vanishing        ‖dL/dW‖_F of a layer < threshold ε, checked after backward through that layer.
  exploding        ‖dL/dW‖_F of a layer > threshold M, checked after backward through that layer.
  loss_rising      per="epoch": the training-set loss after an epoch is above the one after the epoch
                   before (checked at the update ending an epoch); per="batch": a batch's loss is above the
                   previous batch's (checked at every update; with shuffled mini-batches this is noisy).
  weight_crossing  W[i, j] of `layer` (index=(i, j), 0-based) crossed the value `threshold` in an update:
                   it was on one side and is now on the other or exactly on it (leaving the value is no crossing).
  update_ratio     ‖ΔW‖_F / ‖W before the update‖_F of a layer > threshold r, checked after the update.
  dead_relu        the share of a ReLU layer's units that output 0 for every sample of the batch is at
                   least threshold p (0 < p ≤ 1, so p = 1 means "all dead"), checked after its forward phase.
Each watch is evaluated only after the phases that can change what it watches; `run_until_hit` builds that
table once per run so that the phases no watch cares about run without taking a snapshot.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np
from backprop_studio.core.analysis import health
from backprop_studio.core.errors import FormatError
from backprop_studio.core.training.session import TrainingSession
from backprop_studio.core.training.snapshot import Phase, Snapshot

KINDS = (
    "nonfinite",
    "vanishing",
    "exploding",
    "loss_rising",
    "weight_crossing",
    "update_ratio",
    "dead_relu",
)
PER = ("epoch", "batch")

# (lowest, highest, lowest excluded): what each kind's threshold means and may be; absent = takes none.
_THRESHOLDS: dict[str, tuple[float | None, float | None, bool, str]] = {
    "vanishing": (0.0, None, True, "ε, the gradient norm below which it fires"),
    "exploding": (0.0, None, True, "M, the gradient norm above which it fires"),
    "update_ratio": (0.0, None, True, "r, the ratio ‖ΔW‖/‖W‖ above which it fires"),
    "dead_relu": (0.0, 1.0, True, "p, the share of dead units at which it fires"),
    "weight_crossing": (None, None, False, "the value the weight crosses"),
}
_LAYER_KINDS = ("vanishing", "exploding", "update_ratio", "dead_relu", "weight_crossing")
_BASE_KEYS = ("kind", "id", "enabled")
_KEYS = {
    "nonfinite": _BASE_KEYS,
    "vanishing": (*_BASE_KEYS, "layer", "threshold"),
    "exploding": (*_BASE_KEYS, "layer", "threshold"),
    "loss_rising": (*_BASE_KEYS, "per"),
    "weight_crossing": (*_BASE_KEYS, "layer", "index", "threshold"),
    "update_ratio": (*_BASE_KEYS, "layer", "threshold"),
    "dead_relu": (*_BASE_KEYS, "layer", "threshold"),
}


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def _describe(value: object) -> str:
    """A value as the file format's messages show it: JSON spelling for scalars, a word for containers."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return json.dumps(value) if isinstance(value, str) else repr(value)
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a Python {type(value).__name__}"


def _is_int(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _problem(
    kind: object,
    enabled: object,
    layer: object,
    threshold: object,
    index: object,
    per: object,
    watch_id: object,
) -> tuple[str, str] | None:
    """The first invalid field as (field name, message), or None. Shared by the constructor and
    `from_dict`, so a watch built in code and one read from a file are held to the same rules."""
    if not isinstance(kind, str) or kind not in KINDS:
        return "kind", f"unknown watch kind {_describe(kind)}; expected one of {', '.join(KINDS)}"
    if not isinstance(enabled, bool):
        return "enabled", f"expected true or false, got {_describe(enabled)}"
    if not isinstance(watch_id, str) or not watch_id:
        return "id", f"expected a non-empty string, got {_describe(watch_id)}"
    if layer is not None:
        if kind not in _LAYER_KINDS:
            return "layer", f"a {kind} watch takes no layer"
        if not _is_int(layer) or layer < 1:
            return "layer", f"expected a layer number >= 1 (or null for any layer), got {_describe(layer)}"
    elif kind == "weight_crossing":
        return "layer", "required key is missing: a weight_crossing watch needs the layer of its weight"
    bounds = _THRESHOLDS.get(kind)
    if bounds is None:
        if threshold is not None:
            return "threshold", f"a {kind} watch takes no threshold"
    else:
        low, high, exclusive, meaning = bounds
        if threshold is None:
            return "threshold", f"required key is missing: a {kind} watch needs a threshold ({meaning})"
        wanted = _range_text(low, high, exclusive)
        if not _is_real(threshold) or not math.isfinite(float(threshold)):
            return "threshold", f"expected {wanted} ({meaning}), got {_describe(threshold)}"
        number = float(threshold)
        too_low = low is not None and (number <= low if exclusive else number < low)
        if too_low or (high is not None and number > high):
            return "threshold", f"expected {wanted} ({meaning}), got {_describe(threshold)}"
    if kind == "weight_crossing":
        if index is None:
            return "index", "required key is missing: a weight_crossing watch needs the weight's [i, j]"
        if (
            not isinstance(index, (tuple, list))
            or len(index) != 2
            or not all(_is_int(n) and n >= 0 for n in index)
        ):
            return "index", f"expected [i, j], two integers >= 0, got {_describe(index)}"
    elif index is not None:
        return "index", f"a {kind} watch takes no index"
    if kind == "loss_rising":
        if not isinstance(per, str) or per not in PER:
            return "per", f"expected one of {', '.join(PER)}, got {_describe(per)}"
    elif per != "epoch":
        return "per", f"only a loss_rising watch takes per, not a {kind} watch"
    return None


def _range_text(low: float | None, high: float | None, exclusive: bool) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if exclusive else '>='} {low:g}")
    if high is not None:
        parts.append(f"<= {high:g}")
    return "a number " + " and ".join(parts) if parts else "a finite number"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@dataclass(frozen=True)
class Watch:
    """One watch condition (see the module docstring). Invalid fields raise FormatError naming the field."""

    kind: str
    enabled: bool = True
    layer: int | None = None
    threshold: float | None = None
    index: tuple[int, int] | None = None
    per: str = "epoch"
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        problem = _problem(self.kind, self.enabled, self.layer, self.threshold, self.index, self.per, self.id)
        if problem is not None:
            raise FormatError(problem[1], problem[0])
        # Numbers from NumPy or JSON ints become plain Python values, so equality and to_dict are exact.
        if self.layer is not None:
            object.__setattr__(self, "layer", int(self.layer))
        if self.threshold is not None:
            object.__setattr__(self, "threshold", float(self.threshold))
        if self.index is not None:
            object.__setattr__(self, "index", (int(self.index[0]), int(self.index[1])))

    def to_dict(self) -> dict[str, Any]:
        """A plain JSON-able dict holding only the fields this kind uses."""
        out: dict[str, Any] = {"kind": self.kind, "id": self.id, "enabled": self.enabled}
        keys = _KEYS[self.kind]
        if "layer" in keys and self.layer is not None:
            out["layer"] = self.layer
        if "index" in keys and self.index is not None:
            out["index"] = list(self.index)
        if "threshold" in keys:
            out["threshold"] = self.threshold
        if "per" in keys:
            out["per"] = self.per
        return out

    @classmethod
    def from_dict(cls, data: object, path: str = "") -> Watch:
        """Read `to_dict`'s output; `path` (e.g. "breakpoints[2]") prefixes the JSON path of any error."""
        if not isinstance(data, Mapping):
            raise FormatError(f"expected an object, got {_describe(data)}", path)
        kind = data.get("kind")
        if "kind" not in data:
            raise FormatError("required key is missing", _join(path, "kind"))
        allowed = _KEYS.get(kind) if isinstance(kind, str) else None
        if allowed is not None:
            for key in data:
                if key not in allowed:
                    raise FormatError(
                        f"unknown key {_describe(key)} for a {kind} watch; expected one of {', '.join(allowed)}",
                        _join(path, str(key)),
                    )
        index = data.get("index")
        fields_ = {
            "kind": kind,
            "enabled": data.get("enabled", True),
            "layer": data.get("layer"),
            "threshold": data.get("threshold"),
            "index": tuple(index) if isinstance(index, list) else index,
            "per": data.get("per", "epoch"),
            "watch_id": data.get("id", new_id()),
        }
        problem = _problem(**fields_)
        if problem is not None:
            raise FormatError(problem[1], _join(path, problem[0]))
        watch_id = fields_.pop("watch_id")
        return cls(**fields_, id=watch_id)

    def describe(self) -> str:
        """A one-line label for a list of breakpoints, e.g. "vanishing gradient in layer 1: ‖dL/dW‖ < 1e-06"."""
        where = "any layer" if self.layer is None else f"layer {self.layer}"
        t = self.threshold
        if self.kind == "nonfinite":
            return "NaN or inf anywhere"
        if self.kind == "vanishing":
            return f"vanishing gradient in {where}: ‖dL/dW‖ < {t:.3g}"
        if self.kind == "exploding":
            return f"exploding gradient in {where}: ‖dL/dW‖ > {t:.3g}"
        if self.kind == "loss_rising":
            if self.per == "epoch":
                return "training loss rises from one epoch to the next"
            return "batch loss rises from one batch to the next"
        if self.kind == "weight_crossing":
            assert self.index is not None
            return f"W[{self.index[0]}, {self.index[1]}] of layer {self.layer} crosses {t:.4g}"
        if self.kind == "update_ratio":
            return f"large update in {where}: ‖ΔW‖/‖W‖ > {t:.3g}"
        return f"dead ReLUs in {where}: share ≥ {t:.3g}"


def watches_from_dicts(items: Iterable[object], path: str = "breakpoints") -> tuple[Watch, ...]:
    """Project.breakpoints → watches; refuses an invalid item or a repeated id with its JSON path."""
    out: list[Watch] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        watch = Watch.from_dict(item, f"{path}[{i}]")
        if watch.id in seen:
            raise FormatError(
                f"id {_describe(watch.id)} is already used by {path}[{seen[watch.id]}]", f"{path}[{i}].id"
            )
        seen[watch.id] = i
        out.append(watch)
    return tuple(out)


def watches_to_dicts(watches: Iterable[Watch]) -> tuple[dict[str, Any], ...]:
    """Watches → what Project.breakpoints holds."""
    return tuple(w.to_dict() for w in watches)


def fit_problem(watch: Watch, sizes: Sequence[int], activations: Sequence[str]) -> str | None:
    """Why `watch` can never fire on a network of these sizes (inputs, units of layer 1, …) and activations,
    or None when it fits. A watch that does not fit is simply never triggered; the GUI can say why."""
    n_layers = len(activations)
    if watch.layer is not None and watch.layer > n_layers:
        return f"there is no layer {watch.layer}; layers are 1 to {n_layers}"
    if watch.kind == "dead_relu":
        if watch.layer is not None and activations[watch.layer - 1] != "relu":
            return f"layer {watch.layer} uses {activations[watch.layer - 1]}, not relu: its units cannot die"
        if watch.layer is None and "relu" not in activations:
            return "the network has no relu layer"
    if watch.kind == "weight_crossing" and watch.layer is not None and watch.index is not None:
        shape = (sizes[watch.layer - 1], sizes[watch.layer])
        i, j = watch.index
        if i >= shape[0] or j >= shape[1]:
            return f"W[{i}, {j}] is outside layer {watch.layer}'s weights, of shape {shape}"
    return None


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


DIVERGENCE = Watch("nonfinite", id="divergence")


def _phase_index(phase: Phase, n_layers: int) -> int:
    """Position of `phase` within a batch: forward 1…L, loss, backward L…1, update."""
    if phase.kind == "forward":
        return (phase.layer or 1) - 1
    if phase.kind == "loss":
        return n_layers
    if phase.kind == "backward":
        return 2 * n_layers + 1 - (phase.layer or 1)
    return 2 * n_layers + 1


@dataclass(frozen=True)
class WatchPlan:
    """Which enabled watches to evaluate after each phase of a batch, in the watch list's order."""

    at: tuple[tuple[Watch, ...], ...]  # by phase index within the batch
    at_epoch_end: tuple[Watch, ...]  # the update phase that ends an epoch
    nonfinite: tuple[Watch, ...]

    def relevant(self, index: int, epoch_end: bool) -> tuple[Watch, ...]:
        return self.at_epoch_end if epoch_end and index == len(self.at) - 1 else self.at[index]


def _build_plan(watches: Sequence[Watch], activations: Sequence[str]) -> WatchPlan:
    n = len(activations)
    per_batch = 2 * n + 2
    update = per_batch - 1
    at: list[list[Watch]] = [[] for _ in range(per_batch)]
    epoch_end: list[Watch] = []
    for w in watches:
        indices: list[int] = []
        layers = range(1, n + 1) if w.layer is None else [w.layer] if w.layer <= n else []
        if w.kind == "dead_relu":
            indices = [k - 1 for k in layers if activations[k - 1] == "relu"]
        elif w.kind in ("vanishing", "exploding"):
            indices = [2 * n + 1 - k for k in layers]
        elif w.kind in ("update_ratio", "weight_crossing") or (w.kind == "loss_rising" and w.per == "batch"):
            indices = [update] if layers else []
        if w.kind == "loss_rising" and w.per == "epoch":
            epoch_end.append(w)
            continue
        for i in indices:
            at[i].append(w)
        if update in indices:
            epoch_end.append(w)
    return WatchPlan(
        tuple(tuple(ws) for ws in at),
        tuple(epoch_end),
        tuple(w for w in watches if w.kind == "nonfinite"),
    )


class WatchList:
    """An ordered, immutable list of watches; the enabled ones are evaluated, the first in order wins."""

    def __init__(self, watches: Iterable[Watch] = ()) -> None:
        self.watches: tuple[Watch, ...] = tuple(watches)
        self.enabled: tuple[Watch, ...] = tuple(w for w in self.watches if w.enabled)
        self._plans: dict[tuple[str, ...], WatchPlan] = {}

    def __iter__(self) -> Iterator[Watch]:
        return iter(self.watches)

    def __len__(self) -> int:
        return len(self.watches)

    def plan(self, activations: Sequence[str]) -> WatchPlan:
        key = tuple(activations)
        if key not in self._plans:
            self._plans[key] = _build_plan(self.enabled, key)
        return self._plans[key]

    def check(self, previous: Snapshot | None, current: Snapshot) -> Hit | None:
        """The first enabled watch that fires after the phase `current` was taken at, or None.

        Only the watches that phase can affect are evaluated. `previous` is the snapshot before that
        phase; it is consulted only when `current` lacks the weights from before its update (a session's
        snapshots always carry them), so passing None is fine.
        """
        hits = self.hits(previous, current, first_only=True)
        return hits[0] if hits else None

    def hits(self, previous: Snapshot | None, current: Snapshot, first_only: bool = False) -> list[Hit]:
        """Every enabled watch that fires after `current`'s phase, in list order."""
        phase = current.phase
        if phase is None:
            return []
        plan = self.plan(current.activations)
        if current.divergence is not None:
            # Past a NaN every other quantity is meaningless: only the nonfinite watches speak.
            found = [_nonfinite_hit(w, current) for w in plan.nonfinite]
            return found[:1] if first_only else found
        epoch_end = phase.kind == "update" and current.batch == current.batches_per_epoch - 1
        found = []
        for w in plan.relevant(_phase_index(phase, current.n_layers), epoch_end):
            hit = _evaluate(w, phase, previous, current)
            if hit is not None:
                found.append(hit)
                if first_only:
                    break
        return found


# ----------------------------------------------------------------------------------------- evaluation


def _hit(watch: Watch, current: Snapshot, message: str, layer: int | None, **kw: Any) -> Hit:
    assert current.phase is not None
    return Hit(
        watch, f"{message} (after {current.phase.label})", layer, step=current.step, phase=current.phase, **kw
    )


def _nonfinite_hit(watch: Watch, current: Snapshot) -> Hit:
    text = current.divergence or ""
    named = re.search(r"layer (\d+)", text)
    phase = current.phase
    layer = int(named.group(1)) if named else phase.layer if phase is not None else None
    return Hit(
        watch,
        f"non-finite value: {text}",
        layer,
        values={"divergence": text},
        step=current.step,
        phase=phase,
    )


def _evaluate(watch: Watch, phase: Phase, previous: Snapshot | None, current: Snapshot) -> Hit | None:
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
    text = f"weight crossed {value:.4g}: W[{i}, {j}] of layer {layer} went from {before:.6g} to {after:.6g}"
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


# ----------------------------------------------------------------------------------------- running


def run_until_hit(
    session: TrainingSession,
    watches: WatchList | Iterable[Watch],
    max_phases: int,
    should_stop: Callable[[], bool] | None = None,
) -> Hit | None:
    """Step `session` phase by phase until an enabled watch fires, a divergence, `max_phases` phases, or
    `should_stop()` (asked after every phase) says stop. Returns the hit, with the session left at the
    phase that triggered it, or None.

    A divergence always stops play: it is reported through an enabled nonfinite watch, or else through
    the stand-in `DIVERGENCE`. Phases that no enabled watch cares about run without a snapshot; like
    `session.step()`, this raises DivergenceError when the session has already diverged.
    """
    wl = watches if isinstance(watches, WatchList) else WatchList(watches)
    plan = wl.plan(session.network.activations)
    per_batch = session.phases_per_batch
    per_epoch = per_batch * session.batches_per_epoch
    flags = [bool(ws) for ws in plan.at]
    flags_epoch_end = bool(plan.at_epoch_end)
    update = per_batch - 1

    def relevant(step: int) -> bool:
        index = (step - 1) % per_batch
        if index == update and step % per_epoch == 0:
            return flags_epoch_end
        return flags[index]

    stop = False

    def done(_: Phase) -> bool:
        nonlocal stop
        if relevant(session.step_count):
            return True
        stop = should_stop is not None and should_stop()
        return stop

    remaining = max_phases
    while remaining > 0:
        # step_until runs the phases exactly as step() does, minus a call and an errstate per phase.
        remaining -= session.step_until(done, limit=remaining)
        if session.divergence is not None:
            snap = session.snapshot()
            return _nonfinite_hit(plan.nonfinite[0] if plan.nonfinite else DIVERGENCE, snap)
        if stop:
            return None
        if relevant(session.step_count):
            hit = wl.check(None, session.snapshot())
            if hit is not None:
                return hit
            if should_stop is not None and should_stop():
                return None
    return None
