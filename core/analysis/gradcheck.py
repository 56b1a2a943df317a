"""Check backpropagation's gradients against central finite differences of the batch loss.

For each checked parameter θ, the fourth-order central difference
  numeric = (−L(θ + 2h) + 8·L(θ + h) − 8·L(θ − h) + L(θ − 2h)) / 12h,   h = 1e-4,
whose truncation (~h⁴) and rounding (~1e-16/h) errors are both near 1e-12, so even small gradients
are checked to a relative 1e-6 (the plain (L(θ+h) − L(θ−h))/2h leaves ~1e-10 of noise). L is the batch loss plus
regularization computed by a plain forward pass (`backprop_studio.core.nn.network.forward`), independent of the session's
backward code. Relative error = |analytic − numeric| / max(|analytic|, |numeric|, floor).

Kinks: ReLU and leaky ReLU have no derivative at z = 0 (the analytic gradient uses PyTorch's choice,
relu′(0) = 0, leaky_relu′(0) = 0.01). When moving θ across the stencil's window [θ − 2h, θ + 2h] makes
some pre-activation z (batch, units) of such a layer change sign, or touch 0, the loss is not smooth there
and the finite difference measures a mixture of both sides: that entry is marked "at a kink, not
comparable" (its error is NaN, it is neither a pass nor a failure). The sign of every ReLU-like z is
compared between θ and the four points the stencil evaluates anyway (one extra forward pass in all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from backprop_studio.core.errors import StudioError
from backprop_studio.core.nn import losses, regularization
from backprop_studio.core.nn.network import forward
from backprop_studio.core.spec import RegularizationSpec
from backprop_studio.core.training.snapshot import Snapshot

DEFAULT_TOLERANCE = 1e-6
STEP = 1e-4
FLOOR = 1e-4  # below this, compare absolutely: the stencil leaves ~1e-11 of rounding noise, so 1e-6 relative = 1e-10 absolute
KINKED = frozenset({"relu", "leaky_relu"})  # activations with a kink at z = 0


@dataclass(frozen=True, eq=False)
class LayerReport:
    """Relative errors for one layer; entries not sampled, or at a kink, are NaN. errors_W (n_in, n_out),
    errors_b (n_out,); kink_W, kink_b (same shapes) are True where the entry's window crosses a kink."""

    layer: int
    errors_W: np.ndarray
    errors_b: np.ndarray
    numeric_W: np.ndarray
    numeric_b: np.ndarray
    kink_W: np.ndarray
    kink_b: np.ndarray

    @property
    def worst(self) -> float:
        both = np.concatenate([self.errors_W.ravel(), self.errors_b.ravel()])
        checked = both[~np.isnan(both)]
        return float(checked.max()) if checked.size else 0.0

    @property
    def checked(self) -> int:
        """Entries evaluated by finite differences: the compared ones and those at a kink."""
        return int(np.count_nonzero(~np.isnan(self.numeric_W)) + np.count_nonzero(~np.isnan(self.numeric_b)))

    @property
    def compared(self) -> int:
        """Entries whose relative error counts (kinks excluded)."""
        return int(np.count_nonzero(~np.isnan(self.errors_W)) + np.count_nonzero(~np.isnan(self.errors_b)))

    @property
    def kinks(self) -> int:
        """Entries at a kink: evaluated, but not comparable."""
        return int(np.count_nonzero(self.kink_W) + np.count_nonzero(self.kink_b))


@dataclass(frozen=True, eq=False)
class GradCheckReport:
    layers: tuple[LayerReport, ...]
    tolerance: float

    @property
    def worst(self) -> float:
        return max((r.worst for r in self.layers), default=0.0)

    @property
    def passed(self) -> bool:
        """Every compared entry is within the tolerance (entries at a kink are not compared)."""
        return self.worst <= self.tolerance

    @property
    def kinks(self) -> int:
        return sum(r.kinks for r in self.layers)

    def kink_entries(self) -> list[tuple[int, str, tuple[int, ...]]]:
        """Entries at a kink as (layer, "W" or "b", index), in layer and index order."""
        return [
            (r.layer, name, tuple(int(i) for i in index))
            for r in self.layers
            for name, mask in (("W", r.kink_W), ("b", r.kink_b))
            for index in zip(*np.nonzero(mask), strict=True)
        ]

    def worst_entries(self, count: int = 10) -> list[tuple[float, int, str, tuple[int, ...]]]:
        """The `count` largest errors as (error, layer, "W" or "b", index), largest first."""
        entries = []
        for r in self.layers:
            for name, errs in (("W", r.errors_W), ("b", r.errors_b)):
                for index in zip(*np.nonzero(~np.isnan(errs)), strict=True):
                    entries.append((float(errs[index]), r.layer, name, tuple(int(i) for i in index)))
        entries.sort(key=lambda e: -e[0])
        return entries[:count]


@dataclass(frozen=True, eq=False)
class GradCheckRun:
    """One gradient check as the views show it: the report, the analytic gradients it compared (dW
    (n_in, n_out) and db (n_out,) per layer, after any injected fault), and where in training it ran."""

    report: GradCheckReport
    analytic_W: tuple[np.ndarray, ...]
    analytic_b: tuple[np.ndarray, ...]
    step: int
    where: str  # e.g. "epoch 1 · batch 3/20 · after backward through layer 1"
    parameters: int  # in the whole network
    sampled: bool  # True when only a random sample per layer was checked

    @property
    def checked(self) -> int:
        """Entries evaluated: compared ones and those at a kink."""
        return sum(layer.checked for layer in self.report.layers)


def batch_loss(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    acts: Sequence[str],
    loss: str,
    reg: RegularizationSpec,
    x: np.ndarray,
    y: np.ndarray,
) -> float:
    """The loss used for gradients: data loss of the batch (B, n_in) → (B, K) plus the penalty."""
    return _loss_and_signs(weights, biases, acts, loss, reg, x, y)[0]


def _loss_and_signs(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    acts: Sequence[str],
    loss: str,
    reg: RegularizationSpec,
    x: np.ndarray,
    y: np.ndarray,
) -> tuple[float, np.ndarray]:
    """`batch_loss` and the signs (−1, 0, 1) of every ReLU-like layer's z (B, units), flattened into one
    int8 vector (empty when the network has no kinks)."""
    layers = forward(weights, biases, acts, x)
    z, a = layers[-1]
    value = losses.value(loss, z, a, y) + regularization.penalty(reg, weights)
    signs = [
        np.sign(zk).astype(np.int8).ravel()
        for (zk, _), act in zip(layers, acts, strict=True)
        if act in KINKED
    ]
    return value, np.concatenate(signs) if signs else np.empty(0, np.int8)


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), FLOOR)
    return np.abs(analytic - numeric) / scale


def check(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    acts: Sequence[str],
    loss: str,
    reg: RegularizationSpec,
    x: np.ndarray,
    y: np.ndarray,
    analytic_W: Sequence[np.ndarray],
    analytic_b: Sequence[np.ndarray],
    max_per_layer: int | None = None,
    rng: np.random.Generator | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> GradCheckReport:
    """Compare analytic dL/dW, dL/db with finite differences; with `max_per_layer`, a random sample
    of that many parameters per layer (from `rng`) is checked instead of all. Entries whose window
    crosses or touches a ReLU-like kink are marked in kink_W / kink_b and not compared."""
    rng = rng if rng is not None else np.random.default_rng(0)
    ws = [np.array(w, dtype=np.float64) for w in weights]
    bs = [np.array(b, dtype=np.float64) for b in biases]

    def loss_now() -> tuple[float, np.ndarray]:
        return _loss_and_signs(ws, bs, acts, loss, reg, x, y)

    center_signs = loss_now()[1]
    reports = []
    for k in range(len(ws)):
        numeric_W = np.full(ws[k].shape, np.nan)
        numeric_b = np.full(bs[k].shape, np.nan)
        kink_W = np.zeros(ws[k].shape, dtype=bool)
        kink_b = np.zeros(bs[k].shape, dtype=bool)
        candidates = [("W", idx) for idx in np.ndindex(ws[k].shape)] + [
            ("b", idx) for idx in np.ndindex(bs[k].shape)
        ]
        if max_per_layer is not None and len(candidates) > max_per_layer:
            picks = rng.choice(len(candidates), size=max_per_layer, replace=False)
            candidates = [candidates[i] for i in sorted(picks)]
        for name, idx in candidates:
            target, out, kinks = (ws[k], numeric_W, kink_W) if name == "W" else (bs[k], numeric_b, kink_b)
            original = target[idx]
            values = []
            for offset in (2 * STEP, STEP, -STEP, -2 * STEP):
                target[idx] = original + offset
                value, signs = loss_now()
                values.append(value)
                # A z whose sign differs from the center's crossed (or left, or reached) 0 inside the
                # window: the loss has a kink there. A z that stays exactly 0 does not depend on θ.
                kinks[idx] |= bool(np.any(signs != center_signs))
            target[idx] = original
            out[idx] = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * STEP)
        errors_W = _errors(analytic_W[k], numeric_W, kink_W)
        errors_b = _errors(analytic_b[k], numeric_b, kink_b)
        reports.append(LayerReport(k + 1, errors_W, errors_b, numeric_W, numeric_b, kink_W, kink_b))
    return GradCheckReport(tuple(reports), tolerance)


def _errors(analytic: np.ndarray, numeric: np.ndarray, kinks: np.ndarray) -> np.ndarray:
    """Relative errors, NaN where not sampled (numeric NaN) or at a kink."""
    skip = np.isnan(numeric) | kinks
    return np.where(skip, np.nan, relative_error(np.asarray(analytic), numeric))


FULL_CHECK_LIMIT = 5_000  # parameters; beyond this a random sample per layer is checked
SAMPLE_PER_LAYER = 300


def check_snapshot(
    snap: Snapshot,
    reg: RegularizationSpec,
    analytic_W: Sequence[np.ndarray] | None = None,
    analytic_b: Sequence[np.ndarray] | None = None,
    max_per_layer: int | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> GradCheckReport:
    """Check the gradients a session computed for its current batch (by default the snapshot's own dW,
    db), against the parameters that batch used. Large nets are sampled, the same way on every run of
    the same step. Raises StudioError when the batch has no complete set of gradients."""
    if snap.divergence is not None:
        raise StudioError(f"the gradients of this batch are not finite ({snap.divergence}); step back first")
    grads_W = [layer.dW for layer in snap.layers if layer.dW is not None]
    grads_b = [layer.db for layer in snap.layers if layer.db is not None]
    complete = len(grads_W) == len(grads_b) == len(snap.layers)
    if snap.x is None or snap.y is None or not complete:
        raise StudioError("this batch has not run backward through every layer yet: finish its backward pass")
    weights, biases = snap.batch_weights, snap.batch_biases
    if (
        max_per_layer is None
        and sum(w.size + b.size for w, b in zip(weights, biases, strict=True)) > FULL_CHECK_LIMIT
    ):
        max_per_layer = SAMPLE_PER_LAYER
    return check(
        weights,
        biases,
        snap.activations,
        snap.loss_name,
        reg,
        snap.x,
        snap.y,
        grads_W if analytic_W is None else analytic_W,
        grads_b if analytic_b is None else analytic_b,
        max_per_layer=max_per_layer,
        rng=np.random.default_rng(snap.step),
        tolerance=tolerance,
    )
