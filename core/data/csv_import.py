"""Read a CSV of numeric features and targets (or one class column) into arrays, or say exactly what is wrong.

Line numbers in errors are 1-based as in a text editor; columns are named by their header. Only regular
files are read, at most `limits.MAX_CSV_BYTES` of them (core/limits.py), line by line (`csv_lines`) and
row by row into growing float64 arrays (`csv_columns`), so memory stays near the size of the arrays
returned rather than of the text. Cells are plain decimal numbers (`12`, `-0.5`, `1.5e3`): not `1_000`,
`0x10`, `nan` or a number too large for a float. An error quotes at most the cell that failed, never the
rest of the file (it may be any file at all).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from backprop_studio.core import limits
from backprop_studio.core.data.csv_columns import Columns, quote, shorten
from backprop_studio.core.data.csv_lines import decoded_lines
from backprop_studio.core.errors import Cancelled, DataError


@dataclass(frozen=True, eq=False)
class CsvTable:
    """x (n, n_features) and y (n, n_targets) float64, columns in the order of the names.

    With `one_hot`, y holds one 0/1 column per class (target_names == classes), `labels` (n,) the
    class index of each row and `classes` the class names in sorted order; otherwise labels is None
    and classes is empty.
    """

    x: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    labels: np.ndarray | None = None
    classes: tuple[str, ...] = ()


def read_csv(
    path: str | os.PathLike,
    targets: Sequence[str],
    one_hot: str | None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CsvTable:
    """Read `path`: a header row, then one row per sample. Give exactly one of `targets` (numeric
    target columns) or `one_hot` (a class column whose values may be any text).
    Every other column is a numeric feature. Raises DataError naming file, line and column.

    After each chunk of rows, `progress` gets the share of the file's bytes read (0…1) and
    `should_stop` is asked whether to go on: True raises Cancelled (a window reading in a worker thread
    passes its Cancel button here).
    """
    file = os.fspath(path)
    targets = tuple(targets)
    if bool(targets) == (one_hot is not None):
        raise DataError("give either target columns or a one-hot class column (exactly one of them)", file)
    try:
        handle = limits.open_regular(file, limits.MAX_CSV_BYTES)
    except FileNotFoundError:
        raise DataError("file not found", file) from None
    except limits.LimitError as error:
        raise DataError(str(error), file) from None
    except (OSError, ValueError) as error:  # ValueError: a path with a NUL character
        raise DataError(f"cannot read the file: {getattr(error, 'strerror', None) or error}", file) from None
    with handle:
        size = max(os.fstat(handle.fileno()).st_size, 1)
        rows = _rows(csv.reader(decoded_lines(handle, file)), file)
        header_line, header = _header(rows, file)
        wanted = targets if one_hot is None else (one_hot,)
        _check_columns(file, header_line, header, targets, wanted)
        numeric = [name for name in header if name != one_hot]
        columns = Columns(file, header, one_hot)
        for line, cells in rows:
            if columns.add(line, cells):
                if should_stop is not None and should_stop():
                    raise Cancelled()
                if progress is not None:
                    progress(min(handle.tell() / size, 1.0))
        columns.flush()
    if columns.rows == 0:
        raise DataError("no data rows after the header", file, header_line)
    block = columns.values()
    feature_names = tuple(name for name in header if name not in wanted)
    x = np.ascontiguousarray(block[:, [numeric.index(name) for name in feature_names]])
    if one_hot is None:
        y = np.ascontiguousarray(block[:, [numeric.index(name) for name in targets]])
        return CsvTable(x, y, feature_names, targets)
    del block
    return _one_hot_table(x, feature_names, columns, file, one_hot)


def csv_header(path: str | os.PathLike) -> tuple[str, ...]:
    """The column names of `path`'s header row, for a dialog to show before the import; () when the
    file cannot be read or its first line is not a header of two or more comma-separated names (it may be
    any file's first line). Reads one line of a regular file at most."""
    try:
        with limits.open_regular(os.fspath(path), limits.MAX_CSV_BYTES) as handle:
            first = next(csv.reader(decoded_lines(handle, os.fspath(path))), [])
    except (OSError, ValueError, csv.Error, limits.LimitError, DataError):
        return ()
    names = tuple(name.strip() for name in first)
    return names if len(names) >= 2 and all(names) else ()


def _rows(reader: Any, file: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every non-blank row; a quoted cell may span lines, so a row starts just
    after where the previous one ended."""
    end_of_previous = 0
    try:
        for cells in reader:
            start, end_of_previous = end_of_previous + 1, reader.line_num
            if cells and not (len(cells) == 1 and not cells[0].strip()):
                yield start, cells
    except csv.Error as error:
        raise DataError(f"not valid CSV: {error}", file, reader.line_num) from None


def _header(rows: Iterator[tuple[int, list[str]]], file: str) -> tuple[int, list[str]]:
    first = next(rows, None)
    if first is None:
        raise DataError("the file is empty; it needs a header row and data rows", file)
    line, cells = first
    header = [name.strip() for name in cells]
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            raise DataError("empty header name", file, line, position)
        if name in seen:
            raise DataError(f"header name {quote(name)} appears twice", file, line, name)
        seen.add(name)
    return line, header


def _check_columns(
    file: str, line: int, header: list[str], targets: tuple[str, ...], wanted: tuple[str, ...]
) -> None:
    for name in wanted:
        if name not in header:
            what = "target" if targets else "one-hot class"
            raise DataError(
                f"{what} column {name!r} is not in the header; {_header_text(header)}", file, line
            )
    if len(set(targets)) != len(targets):
        raise DataError(f"a target column is named twice in {', '.join(targets)}", file)
    if all(name in wanted for name in header):
        raise DataError("no feature columns are left after taking the targets out", file, line)


def _header_text(header: list[str]) -> str:
    """The header's names, to help find a misspelled column. A first line without a comma is not a header
    of a CSV file (it may be any file's first line, a password's say), so it is not quoted."""
    if len(header) < 2:
        return "the first line is not a header of comma-separated column names"
    shown = [shorten(name) for name in header[:20]]
    more = f" and {len(header) - 20} more" if len(header) > 20 else ""
    return f"the header has {', '.join(shown)}{more}"


def _one_hot_table(
    x: np.ndarray, feature_names: tuple[str, ...], columns: Columns, file: str, one_hot: str
) -> CsvTable:
    """The class column one-hot encoded, classes in sorted order; the size is checked before allocating."""
    classes = _sorted_classes(set(columns.class_index))
    if len(classes) < 2:
        raise DataError(
            f"only one class ({quote(classes[0])}); classification needs at least 2", file, column=one_hot
        )
    rows, k = columns.rows, len(classes)
    try:
        limits.check_memory(
            rows * k * 8 * limits.DATA_COPIES,
            f"the one-hot targets ({rows:,} rows × {k:,} classes × 8 bytes × {limits.DATA_COPIES} copies)",
        )
    except limits.LimitError as error:
        raise DataError(str(error), file, column=one_hot) from None
    position = {name: k for k, name in enumerate(classes)}
    order = np.array([position[name] for name in columns.class_index], dtype=np.int64)
    labels = order[columns.labels()]
    y = np.zeros((rows, k))
    y[np.arange(rows), labels] = 1.0
    return CsvTable(x, y, feature_names, classes, labels, classes)


def _sorted_classes(names: set[str]) -> tuple[str, ...]:
    """Numerically when every class name is a finite number (so "10" comes after "9"), else alphabetically."""
    try:
        numbers = {name: float(name) for name in names}
    except ValueError:
        return tuple(sorted(names))
    if not all(math.isfinite(number) for number in numbers.values()):
        return tuple(sorted(names))
    # The name breaks ties ("1" vs "1.0") so the order never depends on set iteration order.
    return tuple(sorted(names, key=lambda name: (numbers[name], name)))
