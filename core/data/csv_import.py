"""Read a CSV of numeric features and targets (or one class column) into arrays, or say exactly what is wrong.

Line numbers in errors are 1-based as in a text editor; columns are named by their header.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from backprop_studio.core.errors import DataError


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


def read_csv(path: str | os.PathLike, targets: Sequence[str], one_hot: str | None) -> CsvTable:
    """Read `path`: a header row, then one row per sample. Give exactly one of `targets` (numeric
    target columns) or `one_hot` (a class column whose values may be any text).
    Every other column is a numeric feature. Raises DataError naming file, line and column.
    """
    file = os.fspath(path)
    targets = tuple(targets)
    if bool(targets) == (one_hot is not None):
        raise DataError("give either target columns or a one-hot class column (exactly one of them)", file)
    header_line, header, rows = _read_rows(file)
    _check_header(file, header_line, header)
    wanted = targets if one_hot is None else (one_hot,)
    for name in wanted:
        if name not in header:
            what = "target" if one_hot is None else "one-hot class"
            raise DataError(
                f"{what} column {name!r} is not in the header; the header has {', '.join(header)}",
                file,
                header_line,
            )
    if len(set(targets)) != len(targets):
        raise DataError(f"a target column is named twice in {', '.join(targets)}", file)
    feature_names = tuple(name for name in header if name not in wanted)
    if not feature_names:
        raise DataError("no feature columns are left after taking the targets out", file, header_line)

    numeric = [name for name in header if name != one_hot]
    values = {name: np.empty(len(rows)) for name in numeric}
    class_cells: list[str] = []
    for row_index, (line, cells) in enumerate(rows):
        if len(cells) != len(header):
            raise DataError(f"expected {len(header)} cells as in the header, found {len(cells)}", file, line)
        for name, cell in zip(header, cells, strict=True):
            if name == one_hot:
                class_cells.append(_class_name(cell, file, line, name))
            else:
                values[name][row_index] = _number(cell, file, line, name)

    x = np.stack([values[name] for name in feature_names], axis=1)
    if one_hot is None:
        y = np.stack([values[name] for name in targets], axis=1)
        return CsvTable(x, y, feature_names, targets)
    classes = _sorted_classes(set(class_cells))
    if len(classes) < 2:
        raise DataError(
            f"only one class ({classes[0]!r}); classification needs at least 2", file, column=one_hot
        )
    index = {name: k for k, name in enumerate(classes)}
    labels = np.array([index[cell] for cell in class_cells], dtype=np.int64)
    y = np.eye(len(classes))[labels]
    return CsvTable(x, y, feature_names, classes, labels, classes)


def _read_rows(file: str) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header's line number and cells, then (line number, cells) for every non-blank data row."""
    try:
        with open(file, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise DataError("file not found", file) from None
    except (OSError, ValueError) as error:  # ValueError: a path with a NUL character
        raise DataError(f"cannot read the file: {getattr(error, 'strerror', None) or error}", file) from None
    try:
        text = raw.decode("utf-8-sig")  # "-sig" drops the byte-order mark Excel writes
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(f"not UTF-8 text (byte {raw[error.start]:#04x})", file, line) from None

    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    end_of_previous = 0
    try:
        for cells in reader:
            # A quoted cell may span lines; the row starts just after where the previous one ended.
            start, end_of_previous = end_of_previous + 1, reader.line_num
            if cells and not (len(cells) == 1 and not cells[0].strip()):
                rows.append((start, cells))
    except csv.Error as error:
        raise DataError(f"not valid CSV: {error}", file, reader.line_num) from None
    if not rows:
        raise DataError("the file is empty; it needs a header row and data rows", file)
    (header_line, header), data = rows[0], rows[1:]
    if not data:
        raise DataError("no data rows after the header", file, header_line)
    return header_line, [name.strip() for name in header], data


def _check_header(file: str, line: int, header: list[str]) -> None:
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            raise DataError("empty header name", file, line, position)
        if name in seen:
            raise DataError(f"header name {name!r} appears twice", file, line, name)
        seen.add(name)


def _number(cell: str, file: str, line: int, column: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise DataError(f"{cell!r} is not a number", file, line, column) from None
    if not math.isfinite(value):
        raise DataError(f"{cell!r} is not a finite number", file, line, column)
    return value


def _class_name(cell: str, file: str, line: int, column: str) -> str:
    name = cell.strip()
    if not name:
        raise DataError("empty class name", file, line, column)
    return name


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
