"""Bounded storage of training states at batch boundaries, from which any earlier phase is rebuilt.

Training is deterministic given (parameters, optimizer state, shuffle RNG state, epoch order, settings),
so the session keeps such states only at some batch boundaries and replays the phases in between
when it steps back or jumps. The store counts every byte a checkpoint keeps alive (its arrays, their
Python objects, the epoch's sample order once however many checkpoints share it); the engine drops the
oldest states first once they and the history exceed the memory budget (see `budget`).
"""

from __future__ import annotations

import bisect
import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
from backprop_studio.core.nn.optimizers import OptimizerState
from backprop_studio.core.spec import TrainingSpec

# Python-object bytes per stored array (ndarray header, its shape and strides) and per checkpoint (the
# dataclass, tuples, lists, the generator state dict), measured with tracemalloc on CPython 3 and NumPy 2.
ARRAY_OVERHEAD = 144
CHECKPOINT_OVERHEAD = 1344


@dataclass(frozen=True, eq=False)
class Checkpoint:
    """The state after `step` phases (a batch boundary). Arrays are private copies."""

    step: int
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    optimizer: OptimizerState
    rng_state: dict
    order: np.ndarray | None  # the epoch's sample order the last batch used; None at an epoch's end
    training: TrainingSpec
    history_lengths: tuple[int, int]  # (epochs recorded, batches recorded)

    @property
    def nbytes(self) -> int:
        """Bytes this checkpoint keeps alive, except its sample order (shared: the store counts it once).

        Besides the array data, each array's Python object and the checkpoint's fixed objects (the
        dataclass, its tuples, the generator state's dict of Python ints) count: on a small network they
        outweigh the numbers (measured with tracemalloc: `tests/core/training/test_memory_budget.py`).
        """
        arrays = (*self.weights, *self.biases, *_buffers(self.optimizer))
        return sum(a.nbytes for a in arrays) + ARRAY_OVERHEAD * len(arrays) + CHECKPOINT_OVERHEAD


def _buffers(optimizer: OptimizerState) -> list[np.ndarray]:
    return [a for ws, bs in optimizer.buffers.values() for a in (*ws, *bs)]


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
    """A private copy of the state after `step`. At an epoch's end the next batch draws a new order, so
    `order` is passed only mid-epoch (full-batch training then keeps no order array per checkpoint)."""
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
    """Checkpoints by step. `budget` bounds their bytes plus `others` (the history's, when the engine
    passes it); `enforce` drops the oldest first (the newest is always kept)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._steps: list[int] = []
        self._items: dict[int, Checkpoint] = {}
        self._bytes = 0
        self._orders: dict[int, list[Any]] = {}  # id(order) → [order, checkpoints using it]

    def __deepcopy__(self, memo: dict[int, Any]) -> CheckpointStore:
        """A store with its own index sharing the checkpoints (immutable) and their sample orders:
        adding or dropping in one never changes the other (`core/training/fork.py`)."""
        twin = CheckpointStore(self.budget)
        twin._steps, twin._items, twin._bytes = list(self._steps), dict(self._items), self._bytes
        twin._orders = {key: list(entry) for key, entry in self._orders.items()}
        for order, _ in self._orders.values():
            memo[id(order)] = order  # the engine's current order is one of them: still counted once
        return twin

    def __len__(self) -> int:
        return len(self._steps)

    def __contains__(self, step: int) -> bool:
        return step in self._items

    @property
    def nbytes(self) -> int:
        """Bytes of every stored checkpoint, each shared sample order counted once."""
        return self._bytes

    @property
    def oldest_step(self) -> int:
        return self._steps[0]

    @property
    def oldest(self) -> Checkpoint:
        return self._items[self._steps[0]]

    def add(self, cp: Checkpoint) -> None:
        """Store `cp`, replacing any checkpoint at the same step (call `enforce` afterwards)."""
        if cp.step in self._items:
            self._forget(self._items[cp.step])
        else:
            bisect.insort(self._steps, cp.step)
        self._items[cp.step] = cp
        self._bytes += cp.nbytes
        if cp.order is not None:
            entry = self._orders.setdefault(id(cp.order), [cp.order, 0])
            if entry[1] == 0:
                self._bytes += cp.order.nbytes + ARRAY_OVERHEAD
            entry[1] += 1

    def _forget(self, cp: Checkpoint) -> None:
        self._bytes -= cp.nbytes
        if cp.order is not None:
            entry = self._orders[id(cp.order)]
            entry[1] -= 1
            if entry[1] == 0:
                del self._orders[id(cp.order)]
                self._bytes -= cp.order.nbytes + ARRAY_OVERHEAD

    def drop_oldest(self) -> bool:
        """Drop the oldest checkpoint unless it is the only one; return whether one was dropped."""
        if len(self._steps) <= 1:
            return False
        self._forget(self._items.pop(self._steps.pop(0)))
        return True

    def get(self, step: int) -> Checkpoint | None:
        return self._items.get(step)

    def latest_at_or_before(self, step: int) -> Checkpoint | None:
        i = bisect.bisect_right(self._steps, step)
        return self._items[self._steps[i - 1]] if i else None

    def drop_after(self, step: int) -> None:
        """Forget every checkpoint later than `step` (a new branch of history starts there)."""
        i = bisect.bisect_right(self._steps, step)
        for s in self._steps[i:]:
            self._forget(self._items.pop(s))
        del self._steps[i:]
