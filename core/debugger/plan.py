"""When each watch is evaluated: after the phases that can change what it watches, and no others.

A plan maps each phase of a batch (by its index in `schedule.phases_of_batch`) to the watches to evaluate
after it; the update ending an epoch has its own entry (the per-epoch loss is measured there).
`WatchList` is the ordered list the GUI edits; it caches one plan per network and checks a snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from backprop_studio.core.debugger.conditions import Hit, evaluate, nonfinite_hit
from backprop_studio.core.debugger.watch import Watch
from backprop_studio.core.training.schedule import Phase, phase_index
from backprop_studio.core.training.snapshot import Snapshot


@dataclass(frozen=True)
class WatchPlan:
    """Which enabled watches to evaluate after each phase of a batch, in the watch list's order."""

    at: tuple[tuple[Watch, ...], ...]  # by phase index within the batch
    at_epoch_end: tuple[Watch, ...]  # the update phase that ends an epoch
    nonfinite: tuple[Watch, ...]

    def relevant(self, index: int, epoch_end: bool) -> tuple[Watch, ...]:
        return self.at_epoch_end if epoch_end and index == len(self.at) - 1 else self.at[index]


def _phases_of(watch: Watch, activations: Sequence[str]) -> list[Phase]:
    """The phases after which `watch` can fire (an epoch-wise loss_rising watch has none but the epoch end)."""
    n = len(activations)
    layers = range(1, n + 1) if watch.layer is None else [watch.layer] if watch.layer <= n else []
    if watch.kind == "dead_relu":
        return [Phase("forward", k) for k in layers if activations[k - 1] == "relu"]
    if watch.kind in ("vanishing", "exploding"):
        return [Phase("backward", k) for k in layers]
    if watch.kind in ("update_ratio", "weight_crossing") or (
        watch.kind == "loss_rising" and watch.per == "batch"
    ):
        return [Phase("update")] if layers else []
    return []


def build_plan(watches: Sequence[Watch], activations: Sequence[str]) -> WatchPlan:
    """The plan for `watches` (the enabled ones, in order) on a network with these activations."""
    n = len(activations)
    at: list[list[Watch]] = [[] for _ in range(2 * n + 2)]
    epoch_end: list[Watch] = []
    for w in watches:
        if w.kind == "loss_rising" and w.per == "epoch":
            epoch_end.append(w)
            continue
        phases = _phases_of(w, activations)
        for phase in phases:
            at[phase_index(phase, n)].append(w)
        if Phase("update") in phases:
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
            self._plans[key] = build_plan(self.enabled, key)
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
            found = [nonfinite_hit(w, current) for w in plan.nonfinite]
            return found[:1] if first_only else found
        epoch_end = phase.kind == "update" and current.batch == current.batches_per_epoch - 1
        found = []
        for w in plan.relevant(phase_index(phase, current.n_layers), epoch_end):
            hit = evaluate(w, phase, previous, current)
            if hit is not None:
                found.append(hit)
                if first_only:
                    break
        return found
