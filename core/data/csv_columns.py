"""The data rows of a CSV file as numbers: cells converted a chunk of rows at a time into a growing
float64 array, and a class column's text as indices, each failing cell named by line and column.

`csv_import.read_csv` feeds rows here one by one; converting thousands of rows in one `np.fromiter` keeps
the reader fast, and the doubling array keeps memory near the size of the result. A cell is a plain
decimal number (`12`, `-0.5`, `1.5e3`): not `1_000`, `0x10`, `nan` or a number too large for a float.
"""

from __future__ import annotations

import re

import numpy as np
from backprop_studio.core import limits
from backprop_studio.core.errors import DataError

# Plain decimal numbers; spaces and tabs around them are allowed, as float() allows them.
_NUMBER = r"[ \t]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*"
_IS_NUMBER = re.compile(_NUMBER)
_NOT_FINITE = {"nan", "inf", "infinity"}
_CHUNK_ROWS = 4096  # rows converted at once: big enough for speed, small enough to keep memory flat
_QUOTED_CELL = 40  # characters of a failing cell an error shows


def shorten(text: str) -> str:
    """`text` cut to the characters an error shows of a cell or a header name."""
    return text if len(text) <= _QUOTED_CELL else text[: _QUOTED_CELL - 1] + "…"


def quote(cell: str) -> str:
    """A failing cell as an error shows it: repr, shortened."""
    return repr(shorten(cell))


class Columns:
    """The numeric cells of the data rows, converted a chunk of rows at a time into a growing (n, k)
    float64 array, and the class column's values as indices into the classes in order of appearance."""

    def __init__(self, file: str, header: list[str], one_hot: str | None) -> None:
        self.file, self.header = file, header
        self.numeric = [name for name in header if name != one_hot]
        self.class_at = header.index(one_hot) if one_hot is not None else None
        self.rows = 0
        self.class_index: dict[str, int] = {}
        self._block = np.empty((_CHUNK_ROWS, len(self.numeric)))
        self._labels = np.empty(_CHUNK_ROWS if one_hot is not None else 0, dtype=np.int64)
        self._cells: list[str] = []
        self._lines: list[int] = []
        self._pending_labels: list[int] = []

    def add(self, line: int, cells: list[str]) -> bool:
        """Take one data row; True when it completed a chunk, which was converted."""
        if len(cells) != len(self.header):
            raise DataError(
                f"expected {len(self.header)} cells as in the header, found {len(cells)}", self.file, line
            )
        if self.rows + len(self._lines) >= limits.MAX_ROWS:
            raise DataError(f"more than {limits.MAX_ROWS:,} data rows (the limit)", self.file, line)
        if self.class_at is None:
            self._cells.extend(cells)
        else:
            self._pending_labels.append(self._class(cells[self.class_at], line))
            self._cells.extend(cells[: self.class_at])
            self._cells.extend(cells[self.class_at + 1 :])
        self._lines.append(line)
        if len(self._lines) == _CHUNK_ROWS:
            self.flush()
            return True
        return False

    def _class(self, cell: str, line: int) -> int:
        name = cell.strip()
        if not name:
            raise DataError("empty class name", self.file, line, self.header[self.class_at or 0])
        index = self.class_index.get(name)
        if index is None:
            if len(self.class_index) >= limits.MAX_CSV_CLASSES:
                raise DataError(
                    f"more than {limits.MAX_CSV_CLASSES:,} classes (the limit)",
                    self.file,
                    line,
                    self.header[self.class_at or 0],
                )
            index = self.class_index[name] = len(self.class_index)
        return index

    def flush(self) -> None:
        """Convert the pending rows and append them; a cell that is no plain finite number is an error."""
        n, width = len(self._lines), len(self.numeric)
        if n == 0:
            return
        cells = self._cells
        if not all(
            map(_IS_NUMBER.fullmatch, cells)
        ):  # (one pattern over all cells joined keeps ~700 bytes a cell on the regex stack)
            bad = next(k for k, cell in enumerate(cells) if not _IS_NUMBER.fullmatch(cell))
            self._fail(bad, "is not a finite number" if _is_non_finite(cells[bad]) else _NOT_A_NUMBER)
        chunk = np.fromiter(map(float, cells), np.float64, count=len(cells)).reshape(n, width)
        infinite = np.flatnonzero(~np.isfinite(chunk))
        if infinite.size:
            self._fail(int(infinite[0]), "is not a finite number (too large for a 64-bit float)")
        self._block = _grown(self._block, self.rows + n)
        self._block[self.rows : self.rows + n] = chunk
        if self.class_at is not None:
            self._labels = _grown(self._labels, self.rows + n)
            self._labels[self.rows : self.rows + n] = self._pending_labels
        self.rows += n
        self._cells, self._lines, self._pending_labels = [], [], []

    def _fail(self, flat: int, problem: str) -> None:
        row, column = divmod(flat, len(self.numeric))
        cell = self._cells[flat]
        raise DataError(f"{quote(cell)} {problem}", self.file, self._lines[row], self.numeric[column])

    def values(self) -> np.ndarray:
        """(rows, numeric columns) float64, the numeric columns in header order."""
        return self._block[: self.rows]

    def labels(self) -> np.ndarray:
        """(rows,) int64: each row's class as an index into `class_index` (order of appearance)."""
        return self._labels[: self.rows]


_NOT_A_NUMBER = "is not a number (plain decimal numbers only, such as 12, -0.5 or 1.5e3)"


def _is_non_finite(cell: str) -> bool:
    return cell.strip().lstrip("+-").lower() in _NOT_FINITE


def _grown(array: np.ndarray, rows: int) -> np.ndarray:
    """`array` with room for at least `rows` rows: capacity doubles, so appending is linear overall."""
    if rows <= len(array):
        return array
    bigger = np.empty((max(rows, 2 * len(array)), *array.shape[1:]), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger
