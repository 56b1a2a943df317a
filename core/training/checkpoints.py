"""Bounded storage of training states at batch boundaries, from which any earlier phase is rebuilt.

Training is deterministic given (parameters, optimiser state, shuffle RNG state, epoch order, settings),
so the session keeps such states only at some batch boundaries and replays the phases in between
when it steps back or jumps. The store drops the oldest states first once it exceeds its byte budget.
"""

from __future__ import annotations

import bisect
import copy
from dataclasses import dataclass

import numpy as np
from backprop_studio.core.nn.optimizers import OptimizerState
from backprop_studio.core.spec import TrainingSpec


@dataclass(frozen=True, eq=False)
class Checkpoint:
    """The state after `step` phases (a batch boundary). Arrays are private copies."""

    step: int
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    optimizer: OptimizerState
    rng_state: dict
    order: np.ndarray | None  # the epoch's sample order the last batch used
    training: TrainingSpec
    history_lengths: tuple[int, int]  # (epochs recorded, batches recorded)

    @property
    def nbytes(self) -> int:
        # The epoch's sample order is one array shared by every checkpoint of that epoch: not counted here.
        arrays = sum(a.nbytes for a in (*self.weights, *self.biases))
        return arrays + self.optimizer.nbytes() + 512


def capture(
    step: int,
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    optimizer: OptimizerState,
    rng: np.random.Generator,
    order: np.ndarray | None,
    training: TrainingSpec,
    history_lengths: tuple[int, int],
) -> Checkpoint:
    return Checkpoint(
        step,
        tuple(w.copy() for w in weights),
        tuple(b.copy() for b in biases),
        optimizer.copy(),
        copy.deepcopy(dict(rng.bit_generator.state)),
        order,  # never mutated in place: a new epoch makes a new array
        training,
        history_lengths,
    )


class CheckpointStore:
    """Checkpoints by step, oldest dropped first past `budget` bytes (the newest is always kept)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._steps: list[int] = []
        self._items: dict[int, Checkpoint] = {}
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._steps)

    def __contains__(self, step: int) -> bool:
        return step in self._items

    @property
    def nbytes(self) -> int:
        return self._bytes

    @property
    def oldest_step(self) -> int:
        return self._steps[0]

    def add(self, cp: Checkpoint) -> None:
        """Store `cp`, replacing any checkpoint at the same step."""
        if cp.step in self._items:
            self._bytes -= self._items[cp.step].nbytes
        else:
            bisect.insort(self._steps, cp.step)
        self._items[cp.step] = cp
        self._bytes += cp.nbytes
        while self._bytes > self.budget and len(self._steps) > 1:
            oldest = self._steps.pop(0)
            self._bytes -= self._items.pop(oldest).nbytes

    def get(self, step: int) -> Checkpoint | None:
        return self._items.get(step)

    def latest_at_or_before(self, step: int) -> Checkpoint | None:
        i = bisect.bisect_right(self._steps, step)
        return self._items[self._steps[i - 1]] if i else None

    def drop_after(self, step: int) -> None:
        """Forget every checkpoint later than `step` (a new branch of history starts there)."""
        i = bisect.bisect_right(self._steps, step)
        for s in self._steps[i:]:
            self._bytes -= self._items.pop(s).nbytes
        del self._steps[i:]
