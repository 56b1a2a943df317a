"""One loss or accuracy series of a run: float64 values at increasing entry numbers (epoch or batch).

`SeriesBuffer` is the recorder's growing store: preallocated arrays that double when full, so recording
costs O(1) amortized and handing out the series up to a position costs O(1): `Series` holds read-only
views, never copies. A view stays valid forever because the store never changes a value a view can
see: growing, truncating a shared store and compacting all move to new arrays (copy on write), and a
replay only rewrites a value with the same bits.

A store over its share of the memory budget compacts its oldest points: each group of 4 consecutive
points becomes the two holding the group's minimum and maximum (1 when they are the same point), at their
own entry numbers. Every point kept is a real (entry, value) pair and the envelope a plot draws is
kept, so an old stretch is shown at a coarser resolution, not wrongly. Until a store compacts, entry i
is point i, as before.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np

_MIN_CAPACITY = 16
POINT_BYTES = 16  # a float64 value and an int64 entry number
_GROUP = 4  # compaction turns each group of this many points into at most 2


class Series(Sequence[float]):
    """An immutable series: `values` (n,) float64 recorded at entries `at` (n,) int64, both read-only.

    Behaves like the tuple it replaces: `len()`, `s[i]` (a Python float), iteration, and `==` with a
    Series, tuple or list (equal values, NaN equal to NaN). `entries` is how many entries it spans.
    """

    __slots__ = ("at", "values")

    def __init__(self, values: Any = (), at: np.ndarray | None = None) -> None:
        v = values
        if not (
            isinstance(v, np.ndarray) and v.dtype == np.float64 and v.ndim == 1 and not v.flags.writeable
        ):
            v = np.array(values, dtype=np.float64).reshape(-1)  # a private copy
            v.flags.writeable = False
        if at is None:
            at = np.arange(len(v), dtype=np.int64)
            at.flags.writeable = False
        elif at.flags.writeable:
            at = np.array(at, dtype=np.int64)
            at.flags.writeable = False
        self.values: np.ndarray = v
        self.at: np.ndarray = at

    @property
    def entries(self) -> int:
        """How many entries (epochs or batches) the series spans: one past the last entry number."""
        return int(self.at[-1]) + 1 if len(self.at) else 0

    @property
    def compacted(self) -> bool:
        """Whether old points were merged (then `len()` is less than `entries`)."""
        return len(self.values) != self.entries

    def __len__(self) -> int:
        return len(self.values)

    @overload
    def __getitem__(self, i: int) -> float: ...
    @overload
    def __getitem__(self, i: slice) -> Series: ...
    def __getitem__(self, i: int | slice) -> float | Series:
        if isinstance(i, slice):
            return Series(self.values[i], self.at[i])
        return float(self.values[i])

    def __iter__(self) -> Iterator[float]:
        return iter(self.values.tolist())

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.values if dtype is None else self.values.astype(dtype)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Series):
            return np.array_equal(self.values, other.values, equal_nan=True) and np.array_equal(
                self.at, other.at
            )
        if isinstance(other, (tuple, list)):
            if len(other) != len(self.values):
                return False
            return bool(np.array_equal(self.values, np.asarray(other, dtype=np.float64), equal_nan=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Series({self.values.tolist()!r})" if len(self) <= 8 else f"Series(<{len(self)} points>)"


def _readonly(arr: np.ndarray) -> np.ndarray:
    view = arr.view()
    view.flags.writeable = False
    return view


class SeriesBuffer:
    """The growing store behind one series; `view(entries)` is the Series of entries before `entries`."""

    def __init__(self, start: Sequence[float] | None = None, length: int = 0) -> None:
        """Start from `start` (a Series keeps its entry numbers), padded with NaN to `length` entries."""
        start = start if start is not None else Series()
        src = start if isinstance(start, Series) else Series(start)
        n = len(src)
        pad = max(0, length - src.entries)
        self._n = n + pad
        self._values = np.empty(max(_MIN_CAPACITY, self._n))
        self._index = np.empty(len(self._values), dtype=np.int64)
        self._values[:n], self._index[:n] = src.values, src.at
        self._values[n : self._n] = np.nan
        self._index[n : self._n] = np.arange(src.entries, src.entries + pad)
        self._shared = False  # views of the current arrays were handed out
        self._last = int(self._index[self._n - 1]) if self._n else -1  # the last entry stored

    def __deepcopy__(self, memo: dict[int, Any]) -> SeriesBuffer:
        """A store sharing this one's arrays until either writes where the other could read: both are
        marked shared, so a rewrite, truncation or compaction copies first (copy on write), and an
        append writes past the end the other one reads (`core/training/fork.py`)."""
        twin = copy.copy(self)
        self._shared = twin._shared = True
        return twin

    @property
    def nbytes(self) -> int:
        """Bytes the store holds (its capacity, not only the points used)."""
        return self._values.nbytes + self._index.nbytes

    def __len__(self) -> int:
        return self._n

    def _position(self, entry: int) -> int:
        """How many stored points lie before `entry`."""
        n = self._n
        if n == 0 or self._index[n - 1] == n - 1:
            return min(entry, n)  # not compacted: entry i is point i
        return int(np.searchsorted(self._index[: self._n], entry))

    def value_at(self, entry: int) -> float:
        return float(self._values[self._position(entry + 1) - 1])

    def put(self, entry: int, value: float | None) -> bool:
        """Record `value` for `entry`: rewrite it (a replay: the same bits) or append it. Returns
        whether the store grew (its bytes changed)."""
        v = math.nan if value is None else value
        n = self._n
        if entry > self._last:  # the common case: a new entry at the end
            grew = n == len(self._values)
            if grew:
                self._reallocate(2 * n)
            self._values[n] = v
            self._index[n] = entry
            self._n = n + 1
            self._last = entry
            return grew
        p = self._position(entry)
        if self._index[p] != entry:
            return False  # an entry merged away by compaction: its group's envelope already holds it
        old = self._values[p]
        if old == v or (old != old and v != v):
            return False
        self._unshare()
        self._values[p] = v
        return False

    def view(self, entries: int) -> Series:
        """The series of entries before `entries`, as read-only views of the store (no copy)."""
        k = self._position(entries)
        self._shared = True
        return Series(_readonly(self._values[:k]), _readonly(self._index[:k]))

    def truncate(self, entries: int) -> None:
        """Forget the entries from `entries` on (a new branch of history starts there)."""
        k = self._position(entries)
        if k < self._n:
            self._n = k
            self._last = int(self._index[k - 1]) if k else -1
            self._unshare()

    def compact(self, before: int) -> int:
        """Merge the points of entries before `before` in groups of 4 into their min and max; return
        the bytes saved (0 when fewer than 2 groups are there to merge)."""
        m = self._position(before)
        groups = m // _GROUP
        if groups < 2:
            return 0
        head = self._values[: groups * _GROUP].reshape(groups, _GROUP)
        finite = np.isfinite(head)
        low = np.where(finite, head, np.inf).argmin(axis=1)
        high = np.where(finite, head, -np.inf).argmax(axis=1)
        starts = np.arange(groups) * _GROUP
        keep = np.unique(np.concatenate([starts + low, starts + high]))
        rest = np.arange(groups * _GROUP, self._n)
        keep = np.concatenate([keep, rest])
        before_bytes = self.nbytes
        n = len(keep)
        capacity = max(_MIN_CAPACITY, min(len(self._values), n + n // 4))
        values, index = np.empty(capacity), np.empty(capacity, dtype=np.int64)
        values[:n], index[:n] = self._values[keep], self._index[keep]
        self._values, self._index, self._n, self._shared = values, index, n, False
        return max(0, before_bytes - self.nbytes)

    def _unshare(self) -> None:
        """Copy on write: never change memory a handed-out view can see."""
        if self._shared:
            self._reallocate(len(self._values))

    def _reallocate(self, capacity: int) -> None:
        values, index = np.empty(capacity), np.empty(capacity, dtype=np.int64)
        values[: self._n], index[: self._n] = self._values[: self._n], self._index[: self._n]
        self._values, self._index, self._shared = values, index, False
