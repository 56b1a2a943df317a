"""The CSV files behind data specs, read once per file state and kept for the checks.

The settings panel asks `problem` after every edit; reading a big CSV each time would freeze it, so the
last few tables are kept, keyed by path, columns and the file's modification time and size (a changed
file is read again).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from backprop_studio.core.data.csv_import import CsvTable, read_csv
from backprop_studio.core.spec import DataSpec


def csv_table(
    data: DataSpec,
    base_dir: str | None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CsvTable | None:
    """The CSV behind `data` (None when its path cannot be resolved), read once per file state and kept
    for these checks: a worker reads it with `progress` and `should_stop` (see `read_csv`) and hands
    it to `build_dataset`, so the checks the settings panel runs next on the GUI thread do not read it again."""
    return readable_table(data, base_dir, progress, should_stop)


def forget_tables() -> None:
    """Drop the CSV tables kept for the checks (tests that count reads start from nothing)."""
    _TABLES.clear()


_TABLES: dict[tuple[str, tuple[str, ...], str | None, tuple[int, int]], CsvTable] = {}
_KEPT_TABLES = 4


def readable_table(
    data: DataSpec,
    base_dir: str | None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CsvTable | None:
    """The CSV behind `data` if its path can be resolved, read once per file state; DataError if unreadable."""
    if not data.path or (not os.path.isabs(data.path) and base_dir is None):
        return None
    path = data.path if os.path.isabs(data.path) else os.path.join(base_dir or "", data.path)
    try:
        stat = os.stat(path)
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (0, 0)  # read_csv reports the missing file in its own words
    # `stamp` (modification time, size) is part of the key: a changed file is read again.
    key = (path, data.targets, data.one_hot, stamp)
    table = _TABLES.get(key)
    if table is None:
        table = read_csv(path, data.targets, data.one_hot, progress, should_stop)
        _TABLES[key] = table
        while len(_TABLES) > _KEPT_TABLES:
            del _TABLES[next(iter(_TABLES))]  # the oldest
    return table
