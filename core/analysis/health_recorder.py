"""The gradient health of every layer over time: per-step ‖dL/dW‖ and ‖ΔW‖/‖W‖ (see `health`) kept in
arrays that grow by doubling, so the live plots of a long run cost no more per frame than a short one's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from backprop_studio.core.analysis.health import LayerHealth

RECORDED = ("grad_norm", "update_ratio")


class HealthRecorder:
    """Per-step grad_norm and update_ratio of every layer, in arrays that grow by doubling, for a live plot.

    Steps are recorded in increasing order. Recording a step at or before the last one recorded means the
    session went back (or branched), so the entries from that step on are dropped first. A quantity that
    was None is stored as NaN and left out of `series`.
    """

    def __init__(self, n_layers: int | None = None, capacity: int = 256) -> None:
        self._n_layers = n_layers
        self._size = 0
        self._steps = np.zeros(max(capacity, 1), dtype=np.int64)
        self._values: dict[str, np.ndarray] | None = None
        if n_layers is not None:
            self._allocate(n_layers)

    def _allocate(self, n_layers: int) -> None:
        self._n_layers = n_layers
        self._values = {name: np.full((len(self._steps), n_layers), np.nan) for name in RECORDED}

    def __len__(self) -> int:
        return self._size

    @property
    def n_layers(self) -> int | None:
        return self._n_layers

    @property
    def last_step(self) -> int | None:
        return int(self._steps[self._size - 1]) if self._size else None

    def record(self, step: int, health: tuple[LayerHealth, ...]) -> None:
        if self._values is None:
            self._allocate(len(health))
        if len(health) != self._n_layers:
            raise ValueError(
                f"this recorder holds {self._n_layers} layers, not {len(health)}; use a new recorder "
                "for another network"
            )
        if self._size and step <= self._steps[self._size - 1]:
            self.truncate(step - 1)
        if self._size == len(self._steps):
            self._grow()
        assert self._values is not None
        row = self._size
        self._steps[row] = step
        for name, table in self._values.items():
            for k, h in enumerate(health):
                value = getattr(h, name)
                table[row, k] = np.nan if value is None else value
        self._size += 1

    def _grow(self) -> None:
        assert self._values is not None
        capacity = 2 * len(self._steps)
        steps = np.zeros(capacity, dtype=np.int64)
        steps[: self._size] = self._steps[: self._size]
        self._steps = steps
        for name, table in self._values.items():
            grown = np.full((capacity, table.shape[1]), np.nan)
            grown[: self._size] = table[: self._size]
            self._values[name] = grown

    def truncate(self, step: int) -> None:
        """Drop every entry recorded for a step after `step`."""
        self._size = int(np.searchsorted(self._steps[: self._size], step, side="right"))

    def clear(self) -> None:
        self._size = 0

    def series(self, layer: int, quantity: str) -> tuple[np.ndarray, np.ndarray]:
        """(steps (n,) int64, values (n,) float64) of `quantity` ("grad_norm" or "update_ratio") for
        `layer` (1-based), only where it was computed. Both are fresh copies."""
        if quantity not in RECORDED:
            raise ValueError(f"unknown quantity {quantity!r}; choose one of {', '.join(RECORDED)}")
        if self._values is None or self._n_layers is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if not 1 <= layer <= self._n_layers:
            raise ValueError(f"there is no layer {layer}; layers are 1 to {self._n_layers}")
        values = self._values[quantity][: self._size, layer - 1]
        known = ~np.isnan(values)
        return self._steps[: self._size][known], values[known]
