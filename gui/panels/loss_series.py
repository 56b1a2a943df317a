"""The loss plot's data, kept so that one refresh costs the same at epoch 100 and at epoch 100,000.

Each curve is a `Track`: its values and x positions in growing float64 buffers that follow the
History's series, converting only the points added since the last refresh, and a min/max pyramid over
them (blocks of 2, 4, 8… points) brought up to date the same way. What a curve is handed to draw is
the visible stretch at the coarsest level that still gives about two points per pixel column: each
block's minimum and maximum at the block's start, the same envelope pyqtgraph's "peak" downsampling
draws, without scanning every point on every refresh.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.training.series import Series

_INITIAL_CAPACITY = 1024
_FACTOR = 2  # points per block from one pyramid level to the next
MAX_DRAWN = 1536  # points handed to pyqtgraph at most, per curve (2 per block at the coarse levels)
# The epoch curves are smooth and drawn with wide pens, whose cost grows with their points: fewer do.
MAX_DRAWN_EPOCHS = 256


def _grown(buffer: np.ndarray, keep: int, needed: int) -> np.ndarray:
    """A buffer at least twice as large holding the first `keep` values, so appends cost O(1) amortized."""
    grown = np.empty(max(needed, 2 * len(buffer), _INITIAL_CAPACITY), dtype=buffer.dtype)
    grown[:keep] = buffer[:keep]
    return grown


def _same(a: float, b: float) -> bool:
    """Equal, counting NaN equal to NaN (an empty test set reports NaN every epoch)."""
    return a == b or (a != a and b != b)


class Track:
    """One curve's points: y = `scale` · the series' values (log10 of them when `log`), x from entry
    numbers by `x_of` (epoch e at e + 1; batch b where it ends), and their min/max pyramid."""

    def __init__(self, scale: float = 1.0, max_drawn: int = MAX_DRAWN) -> None:
        self._scale = scale
        self._max_drawn = max_drawn
        self.y = np.empty(_INITIAL_CAPACITY)
        self.at = np.empty(_INITIAL_CAPACITY, dtype=np.int64)
        self.x = np.empty(_INITIAL_CAPACITY)
        self.n = 0
        self.any_finite = False
        self._log = np.empty(0)
        self._log_n = 0
        self._pyramids: dict[bool, _Pyramid] = {False: _Pyramid(), True: _Pyramid()}

    def clear(self) -> None:
        self.n = self._log_n = 0
        self.any_finite = False
        for pyramid in self._pyramids.values():
            pyramid.truncate(0)

    def sync(self, source: Series, per_entry: float, start: float) -> int:
        """Follow `source`, x = position of its entries (`start` + (entry + 1) · `per_entry` for entries
        after the last kept one). Returns the index from which points changed (== n when none did).

        History only grows, or shrinks when training steps back, or merges old points (see
        `core.training.series`): a source whose point at the join still matches continues the
        buffers; any other change rebuilds them.
        """
        values, at = source.values, source.at
        m, n = len(values), self.n
        keep = min(m, n)
        if keep and not (
            at[keep - 1] == self.at[keep - 1] and _same(values[keep - 1] * self._scale, self.y[keep - 1])
        ):
            keep = 0
        if m > len(self.y):
            self.y, self.at, self.x = (_grown(b, keep, m) for b in (self.y, self.at, self.x))
        tail = self.y[keep:m]
        np.multiply(values[keep:m], self._scale, out=tail)
        self.at[keep:m] = at[keep:m]
        # Continue from the last kept position, so a batch size changed mid-run keeps the earlier batches
        # where they were and the new ones still end each epoch on a whole number.
        x0, a0 = (self.x[keep - 1], self.at[keep - 1]) if keep else (start, -1)
        self.x[keep:m] = x0 + (self.at[keep:m] - a0) * per_entry
        if keep < n:  # points were dropped: whether any finite one is left needs a fresh look
            self.any_finite = bool(np.isfinite(self.y[:m]).any())
        else:
            self.any_finite = self.any_finite or bool(np.isfinite(tail).any())
        self.n = m
        self._log_n = min(self._log_n, keep)
        for pyramid in self._pyramids.values():
            pyramid.truncate(keep)
        return keep

    def values(self, log: bool) -> np.ndarray:
        """y of every point, or its log10 (NaN where not positive), brought up to date for the new tail."""
        if not log:
            return self.y[: self.n]
        if self.n > len(self._log):
            self._log = _grown(self._log, self._log_n, self.n)
        if self._log_n < self.n:
            tail = self._log[self._log_n : self.n]
            with np.errstate(divide="ignore", invalid="ignore"):
                np.log10(self.y[self._log_n : self.n], out=tail)
            tail[~np.isfinite(tail)] = np.nan  # a zero loss has no place on a log axis: leave a gap
            self._log_n = self.n
        return self._log[: self.n]

    @property
    def last_x(self) -> float:
        """Where the last point is drawn (0 when there is none)."""
        return float(self.x[self.n - 1]) if self.n else 0.0

    @property
    def entries(self) -> int:
        """How many entries (epochs or batches) the points span."""
        return int(self.at[self.n - 1]) + 1 if self.n else 0

    def nearest(self, x: float) -> int:
        """Index of the point drawn closest to `x` (there must be one)."""
        xs = self.positions()
        i = int(np.searchsorted(xs, x))
        if i >= len(xs):
            return len(xs) - 1
        if i > 0 and x - xs[i - 1] <= xs[i] - x:
            return i - 1
        return i

    def positions(self) -> np.ndarray:
        return self.x[: self.n]

    def value_at(self, entry: int) -> float:
        """y of the point recorded for `entry` (or the last one before it, if old points were merged)."""
        i = int(np.searchsorted(self.at[: self.n], entry, side="right")) - 1
        return float(self.y[i]) if i >= 0 else float("nan")

    def drawn(self, x0: float, x1: float, log: bool) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) to hand pyqtgraph for the x range [x0, x1]: every point when few are visible,
        else each block's min and max at the finest level giving at most `max_drawn` points."""
        y = self.values(log)
        x = self.positions()
        lo = max(int(np.searchsorted(x, x0)) - 1, 0)
        hi = min(int(np.searchsorted(x, x1, side="right")) + 1, self.n)
        if hi - lo <= self._max_drawn:
            return x[lo:hi], y[lo:hi]
        return self._pyramids[log].envelope(x, y, lo, hi, self._max_drawn // 2)


class _Pyramid:
    """Min and max of y over blocks of 2ʲ points for j = 1, 2, …, up to date for the first `valid[j]`."""

    def __init__(self) -> None:
        self.mins: list[np.ndarray] = []
        self.maxs: list[np.ndarray] = []
        self.valid: list[int] = []  # complete blocks known per level

    def truncate(self, keep: int) -> None:
        """Points from `keep` on changed: forget every block holding one."""
        size = 1
        for j in range(len(self.valid)):
            size *= _FACTOR
            self.valid[j] = min(self.valid[j], keep // size)

    def envelope(
        self, x: np.ndarray, y: np.ndarray, lo: int, hi: int, blocks: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Min and max of points `lo` … `hi` − 1 in at most `blocks` blocks, at each block's start."""
        size, j = _FACTOR, 0
        while (hi - lo) // size > blocks:
            size *= _FACTOR
            j += 1
        self._update(y, j)
        b0, b1 = lo // size, -(-hi // size)
        full = min(b1, self.valid[j])
        mins, maxs = self.mins[j][b0:full], self.maxs[j][b0:full]
        if b1 > full:  # the last, partial block: straight from the points
            with np.errstate(invalid="ignore"):
                part = y[full * size : hi]
                mins = np.append(mins, np.fmin.reduce(part) if len(part) else np.nan)
                maxs = np.append(maxs, np.fmax.reduce(part) if len(part) else np.nan)
        xs = x[b0 * size : hi : size][: len(mins)]
        out_y = np.empty(2 * len(mins))
        out_y[0::2], out_y[1::2] = mins, maxs
        return np.repeat(xs, 2), out_y

    def _update(self, y: np.ndarray, top: int) -> None:
        """Bring levels 0…`top` up to date with the complete blocks of `y` (fmin/fmax skip NaN)."""
        below_min, below_max, below_n = y, y, len(y)
        for j in range(top + 1):
            if j == len(self.valid):
                self.mins.append(np.empty(0))
                self.maxs.append(np.empty(0))
                self.valid.append(0)
            n = below_n // _FACTOR
            if n > len(self.mins[j]):
                self.mins[j] = _grown(self.mins[j], self.valid[j], n)
                self.maxs[j] = _grown(self.maxs[j], self.valid[j], n)
            v = self.valid[j]
            if v < n:
                with np.errstate(invalid="ignore"):
                    lows = below_min[v * _FACTOR : n * _FACTOR].reshape(-1, _FACTOR)
                    highs = below_max[v * _FACTOR : n * _FACTOR].reshape(-1, _FACTOR)
                    self.mins[j][v:n] = np.fmin.reduce(lows, axis=1)
                    self.maxs[j][v:n] = np.fmax.reduce(highs, axis=1)
                self.valid[j] = n
            below_min, below_max, below_n = self.mins[j][:n], self.maxs[j][:n], n
