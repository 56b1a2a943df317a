"""The loss plot's data, kept so that one refresh costs the same at epoch 100 and at epoch 100,000.

Each curve is a `Track`: the History's own read-only values, x positions in a growing float64 buffer
that follows them, computing only the points added since the last refresh, and a min/max pyramid over
them (blocks of 8, 16, 32… points) brought up to date the same way. What a curve is handed to draw is
the visible stretch at the coarsest level that still gives about two points per pixel column: each
block's minimum and maximum at the block's start, the same envelope pyqtgraph's "peak" downsampling
draws, without scanning every point on every refresh.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.training.series import Series

_INITIAL_CAPACITY = 1024
_BASE = 8  # points per block at the pyramid's finest level; each level above doubles it
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
    """One curve's points: the series' values (× `scale`; their log10 when drawn on a log axis) at x
    positions from its entry numbers (epoch e at e + 1; batch b where it ends), and their min/max
    pyramid. The values are the History's own read-only views, never copied: a run's history is
    recorded once, not once more per plot."""

    def __init__(self, scale: float = 1.0, max_drawn: int = MAX_DRAWN) -> None:
        self._scale = scale
        self._max_drawn = max_drawn
        self._source = Series()
        self.x = np.empty(_INITIAL_CAPACITY)
        self.n = 0
        self.any_finite = False
        self._pyramid = _Pyramid()

    def clear(self) -> None:
        self._source = Series()
        self.n = 0
        self.any_finite = False
        self._pyramid.truncate(0)

    @property
    def at(self) -> np.ndarray:
        """The entry number of each point."""
        return self._source.at

    def sync(self, source: Series, per_entry: float, start: float) -> int:
        """Follow `source`, x = position of its entries (`start` + (entry + 1) · `per_entry` for entries
        after the last kept one). Returns the index from which points changed (== n when none did).

        History only grows, or shrinks when training steps back, or merges old points (see
        `core.training.series`): a source whose point at the join still matches continues the
        positions and the pyramid; any other change rebuilds them.
        """
        values, at = source.values, source.at
        old_values, old_at = self._source.values, self._source.at
        m, n = len(values), self.n
        keep = min(m, n)
        if keep and not (at[keep - 1] == old_at[keep - 1] and _same(values[keep - 1], old_values[keep - 1])):
            keep = 0
        if m > len(self.x):
            self.x = _grown(self.x, keep, m)
        # Continue from the last kept position, so a batch size changed mid-run keeps the earlier batches
        # where they were and the new ones still end each epoch on a whole number.
        x0, a0 = (self.x[keep - 1], at[keep - 1]) if keep else (start, -1)
        self.x[keep:m] = x0 + (at[keep:m] - a0) * per_entry
        if keep < n:  # points were dropped: whether any finite one is left needs a fresh look
            self.any_finite = bool(np.isfinite(values).any())
        else:
            self.any_finite = self.any_finite or bool(np.isfinite(values[keep:m]).any())
        self._source, self.n = source, m
        self._pyramid.truncate(keep)
        return keep

    def _shown(self, values: np.ndarray, log: bool) -> np.ndarray:
        """`values` as drawn: scaled, and log10 (NaN where not positive) on a log axis."""
        out = values * self._scale if self._scale != 1.0 else values
        if log:
            with np.errstate(divide="ignore", invalid="ignore"):
                out = np.log10(out)
            out[~np.isfinite(out)] = np.nan  # a zero loss has no place on a log axis: leave a gap
        return out

    def values(self, log: bool) -> np.ndarray:
        """y of every point as drawn (a full pass over the points: for tests and tools, not refreshes)."""
        return self._shown(self._source.values, log)

    def y_at(self, point: int) -> float:
        return float(self._source.values[point] * self._scale)

    @property
    def last_x(self) -> float:
        """Where the last point is drawn (0 when there is none)."""
        return float(self.x[self.n - 1]) if self.n else 0.0

    @property
    def entries(self) -> int:
        """How many entries (epochs or batches) the points span."""
        return self._source.entries

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
        i = int(np.searchsorted(self._source.at, entry, side="right")) - 1
        return self.y_at(i) if i >= 0 else float("nan")

    def drawn(self, x0: float, x1: float, log: bool) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) to hand pyqtgraph for the x range [x0, x1]: the visible points themselves while they
        are few enough for pyqtgraph's own peak downsampling to be cheap (4 × `max_drawn`), else each
        block's min and max at the finest pyramid level giving at most `max_drawn` points."""
        x, values = self.positions(), self._source.values
        lo = max(int(np.searchsorted(x, x0)) - 1, 0)
        hi = min(int(np.searchsorted(x, x1, side="right")) + 1, self.n)
        if hi - lo <= 4 * self._max_drawn:
            return x[lo:hi], self._shown(values[lo:hi], log)
        xs, ys = self._pyramid.envelope(x, values, lo, hi, self._max_drawn // 2)
        return xs, self._shown(ys, log)


class _Pyramid:
    """Min and max of the values over blocks of 8·2ʲ points for j = 0, 1, …; `valid[j]` blocks are
    up to date. Blocks start at 8 points: finer levels would cost more memory than the values."""

    def __init__(self) -> None:
        self.mins: list[np.ndarray] = []
        self.maxs: list[np.ndarray] = []
        self.valid: list[int] = []  # complete blocks known per level

    def truncate(self, keep: int) -> None:
        """Points from `keep` on changed: forget every block holding one."""
        for j in range(len(self.valid)):
            self.valid[j] = min(self.valid[j], keep // (_BASE << j))

    def envelope(
        self, x: np.ndarray, y: np.ndarray, lo: int, hi: int, blocks: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Min and max of points `lo` … `hi` − 1 in at most `blocks` blocks, at each block's start."""
        size, j = _BASE, 0
        while (hi - lo) // size > blocks:
            size *= 2
            j += 1
        self._update(y, j)
        b0, b1 = lo // size, -(-hi // size)
        full = min(b1, self.valid[j])
        mins, maxs = self.mins[j][b0:full], self.maxs[j][b0:full]
        if b1 > full:  # the last, partial block: straight from the points
            part = y[full * size : hi]
            with np.errstate(invalid="ignore"):
                mins = np.append(mins, np.fmin.reduce(part) if len(part) else np.nan)
                maxs = np.append(maxs, np.fmax.reduce(part) if len(part) else np.nan)
        xs = x[b0 * size : hi : size][: len(mins)]
        out_y = np.empty(2 * len(mins))
        out_y[0::2], out_y[1::2] = mins, maxs
        return np.repeat(xs, 2), out_y

    def _update(self, y: np.ndarray, top: int) -> None:
        """Bring levels 0…`top` up to date with the complete blocks of `y` (fmin/fmax skip NaN)."""
        below_min, below_max, below_n, factor = y, y, len(y), _BASE
        for j in range(top + 1):
            if j == len(self.valid):
                self.mins.append(np.empty(0))
                self.maxs.append(np.empty(0))
                self.valid.append(0)
            n = below_n // factor
            if n > len(self.mins[j]):
                self.mins[j] = _grown(self.mins[j], self.valid[j], n)
                self.maxs[j] = _grown(self.maxs[j], self.valid[j], n)
            v = self.valid[j]
            if v < n:
                with np.errstate(invalid="ignore"):
                    lows = below_min[v * factor : n * factor].reshape(-1, factor)
                    highs = below_max[v * factor : n * factor].reshape(-1, factor)
                    self.mins[j][v:n] = np.fmin.reduce(lows, axis=1)
                    self.maxs[j][v:n] = np.fmax.reduce(highs, axis=1)
                self.valid[j] = n
            below_min, below_max, below_n, factor = self.mins[j][:n], self.maxs[j][:n], n, 2
