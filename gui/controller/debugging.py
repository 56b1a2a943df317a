"""The debugger's state in the controller: the breakpoints in force, the last hit, the last gradient check.

Breakpoints (`core.debugger.watch`) are checked after every phase while any is enabled, so play and
multi-phase steps stop at the exact phase a condition fires. The gradient check runs on the batch being
shown; `core.analysis.gradcheck.check_snapshot` decides whether that batch can be checked.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from backprop_studio.core.analysis import gradcheck
from backprop_studio.core.analysis.gradcheck import GradCheckRun
from backprop_studio.core.debugger.conditions import Hit
from backprop_studio.core.debugger.plan import WatchList
from backprop_studio.core.debugger.runner import DIVERGENCE
from backprop_studio.core.debugger.watch import Watch
from backprop_studio.core.spec import RegularizationSpec
from backprop_studio.core.training.snapshot import Snapshot

GradientFault = Callable[[list[np.ndarray]], list[np.ndarray]]


class Debugging:
    """Breakpoints, the hit the session stopped at, and the last gradient check, each valid only while
    the session stands at the step it belongs to."""

    def __init__(self, watches: tuple[Watch, ...]) -> None:
        self.watches = WatchList(watches)
        # Tests (and teaching) can corrupt the analytic dL/dW the gradient check compares, to see it caught.
        self.gradient_fault: GradientFault | None = None
        self._hit: Hit | None = None
        self._run: GradCheckRun | None = None

    def set_watches(self, watches: tuple[Watch, ...]) -> None:
        self.watches = WatchList(watches)

    def record_hit(self, hit: Hit | None) -> Hit | None:
        """Keep a breakpoint hit for the canvas to mark; returns it, or None for no hit or a divergence
        (which is not a breakpoint: the window reports it on its own)."""
        if hit is None or hit.watch is DIVERGENCE:
            return None
        self._hit = hit
        return hit

    def forget(self) -> None:
        """The parameters changed (an edit, a new session): what was found or checked no longer holds."""
        self._hit = None
        self._run = None

    def current_hit(self, step: int) -> Hit | None:
        hit = self._hit
        return hit if hit is not None and hit.step == step else None

    def current_gradcheck(self, step: int) -> GradCheckRun | None:
        run = self._run
        return run if run is not None and run.step == step else None

    def check_gradients(
        self, snap: Snapshot, reg: RegularizationSpec, max_per_layer: int | None = None
    ) -> GradCheckRun:
        """Compare the gradients backpropagation computed for the shown batch with finite differences.
        Raises StudioError (from core) when the batch has no complete, finite set of gradients."""
        analytic_W = [layer.dW for layer in snap.layers]
        analytic_b = [layer.db for layer in snap.layers]
        if all(g is not None for g in analytic_W + analytic_b):  # else core refuses below, with its reason
            analytic_W = [np.array(g, dtype=np.float64) for g in analytic_W]
            analytic_b = [np.array(g, dtype=np.float64) for g in analytic_b]
            if self.gradient_fault is not None:
                analytic_W = [np.asarray(g, dtype=np.float64) for g in self.gradient_fault(analytic_W)]
        report = gradcheck.check_snapshot(snap, reg, analytic_W, analytic_b, max_per_layer)
        parameters = sum(w.size + b.size for w, b in zip(snap.weights, snap.biases, strict=True))
        phase = snap.phase.label if snap.phase is not None else "start"
        self._run = GradCheckRun(
            report,
            tuple(analytic_W),
            tuple(analytic_b),
            snap.step,
            f"epoch {snap.epoch + 1} · batch {snap.batch + 1}/{snap.batches_per_epoch} · after {phase}",
            parameters,
            sampled=sum(layer.checked for layer in report.layers) < parameters,
        )
        return self._run
