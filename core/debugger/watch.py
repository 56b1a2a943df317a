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
This module holds the model and its JSON form. When each kind is evaluated is `plan`, how it is
evaluated `conditions`, and `runner.run_until_hit` advances a session until one fires.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backprop_studio.core.display.names import weight_label
from backprop_studio.core.errors import FormatError
from backprop_studio.core.limits import MAX_BREAKPOINTS
from backprop_studio.core.validators import describe, is_int, is_real, join, range_text

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
        return "kind", f"unknown watch kind {describe(kind)}; expected one of {', '.join(KINDS)}"
    if not isinstance(enabled, bool):
        return "enabled", f"expected true or false, got {describe(enabled)}"
    if not isinstance(watch_id, str) or not watch_id:
        return "id", f"expected a non-empty string, got {describe(watch_id)}"
    if layer is not None:
        if kind not in _LAYER_KINDS:
            return "layer", f"a {kind} watch takes no layer"
        if not is_int(layer) or layer < 1:
            return "layer", f"expected a layer number >= 1 (or null for any layer), got {describe(layer)}"
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
        wanted = range_text(low, high, exclusive, False)
        if not is_real(threshold) or not math.isfinite(float(threshold)):
            return "threshold", f"expected {wanted} ({meaning}), got {describe(threshold)}"
        number = float(threshold)
        too_low = low is not None and (number <= low if exclusive else number < low)
        if too_low or (high is not None and number > high):
            return "threshold", f"expected {wanted} ({meaning}), got {describe(threshold)}"
    if kind == "weight_crossing":
        if index is None:
            return "index", "required key is missing: a weight_crossing watch needs the weight's [i, j]"
        if (
            not isinstance(index, (tuple, list))
            or len(index) != 2
            or not all(is_int(n) and n >= 0 for n in index)
        ):
            return "index", f"expected [i, j], two integers >= 0, got {describe(index)}"
    elif index is not None:
        return "index", f"a {kind} watch takes no index"
    if kind == "loss_rising":
        if not isinstance(per, str) or per not in PER:
            return "per", f"expected one of {', '.join(PER)}, got {describe(per)}"
    elif per != "epoch":
        return "per", f"only a loss_rising watch takes per, not a {kind} watch"
    return None


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
            raise FormatError(f"expected an object, got {describe(data)}", path)
        kind = data.get("kind")
        if "kind" not in data:
            raise FormatError("required key is missing", join(path, "kind"))
        allowed = _KEYS.get(kind) if isinstance(kind, str) else None
        if allowed is not None:
            for key in data:
                if key not in allowed:
                    raise FormatError(
                        f"unknown key {describe(key)} for a {kind} watch; expected one of {', '.join(allowed)}",
                        join(path, str(key)),
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
            raise FormatError(problem[1], join(path, problem[0]))
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
            assert self.index is not None and self.layer is not None  # both required for this kind
            return f"{weight_label(self.layer, *self.index)} crosses {t:.4g}"
        if self.kind == "update_ratio":
            return f"large update in {where}: ‖ΔW‖/‖W‖ > {t:.3g}"
        return f"dead ReLUs in {where}: share ≥ {t:.3g}"


def watches_from_dicts(items: Iterable[object], path: str = "breakpoints") -> tuple[Watch, ...]:
    """Project.breakpoints → watches; refuses more than `MAX_BREAKPOINTS`, an invalid item or a repeated
    id with its JSON path. Linear in the number of items (ids are looked up in a dict)."""
    out: list[Watch] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if i == MAX_BREAKPOINTS:
            raise FormatError(f"more than {MAX_BREAKPOINTS:,} breakpoints (the limit)", path)
        watch = Watch.from_dict(item, f"{path}[{i}]")
        if watch.id in seen:
            raise FormatError(
                f"id {describe(watch.id)} is already used by {path}[{seen[watch.id]}]", f"{path}[{i}].id"
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
            return (
                f"there is no {weight_label(watch.layer, i, j)}: layer {watch.layer} has "
                f"{shape[0]} inputs and {shape[1]} neurons"
            )
    return None
