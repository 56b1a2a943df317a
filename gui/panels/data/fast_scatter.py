"""A pyqtgraph scatter whose per-point styles cost NumPy work, not Python work per point.

pyqtgraph looks each point's (symbol, size, pen, brush) up in its symbol atlas one point at a time, in
Python: for the 5,000 points a split draws that took most of the ~100 ms the window stopped repainting
after a large CSV import. The points share a handful of styles (one brush or pen object per color, see
`sample_points.ColorCache`), so here each distinct style is looked up once and its atlas rectangle is
spread to its points by NumPy indexing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QPen

_STYLE = ("symbol", "size", "pen", "brush")


def _object_ids(column: np.ndarray) -> np.ndarray:
    """id() of each object in an object column (strings and numbers by value would be equal anyway)."""
    return np.fromiter(map(id, column), dtype=np.int64, count=len(column))


def _column(values: object, kind: type) -> np.ndarray | None:
    """`values` as an object column when it is a list or array holding only `kind` objects, else None."""
    if not isinstance(values, (list, np.ndarray)):
        return None
    # fromiter stores the objects as they are; assigning a list makes NumPy probe each for a sequence.
    column = values if isinstance(values, np.ndarray) else np.fromiter(values, object, count=len(values))
    distinct = {id(v): v for v in column}.values()  # a handful: checking them is cheap
    return column if all(isinstance(v, kind) for v in distinct) else None


class FastScatter(pg.ScatterPlotItem):
    """`pg.ScatterPlotItem` drawn from its pre-rendered symbol atlas, with the atlas looked up per
    distinct style instead of per point; everything else (hover, tips, clicks, `data`) is pyqtgraph's.
    Per-point pens and brushes given as lists of QPen / QBrush objects are stored as they are, instead of
    passed one by one through pyqtgraph's `mkPen` / `mkBrush`."""

    def setBrush(self, *args: object, **kargs: object) -> None:
        self._set_style("brush", QBrush, args, kargs, super().setBrush)

    def setPen(self, *args: object, **kargs: object) -> None:
        self._set_style("pen", QPen, args, kargs, super().setPen)

    def _set_style(self, name: str, kind: type, args: tuple, kargs: dict, fallback: Callable) -> None:
        column = _column(args[0], kind) if len(args) == 1 and kargs.get("mask") is None else None
        if column is None:
            fallback(*args, **kargs)
            return
        data_set = kargs.get("dataSet", self.data)
        if len(column) != len(data_set):
            raise ValueError(f"{len(column)} values of {name} for {len(data_set)} points")
        data_set[name] = column
        data_set["sourceRect"] = 0
        if kargs.get("update", True):
            self.updateSpots(data_set)

    def updateSpots(self, dataSet: np.ndarray | None = None) -> None:
        if dataSet is None:
            dataSet = self.data
        if not (self.opts["pxMode"] and self.opts["useCache"]):
            super().updateSpots(dataSet)
            return
        mask = dataSet["sourceRect"]["w"] == 0
        if np.any(mask):
            columns = list(self._style(list(_STYLE), data=dataSet, idx=mask))
            # Points with the same four style objects share one atlas rectangle.
            keys = np.column_stack([_object_ids(c) if c.dtype == object else c for c in columns])
            _, first, which = np.unique(keys, axis=0, return_index=True, return_inverse=True)
            coords = self.fragmentAtlas[[tuple(c[i] for c in columns) for i in first]]
            rects = np.array([tuple(r) for r in coords], dtype=dataSet["sourceRect"].dtype)
            dataSet["sourceRect"][mask] = rects[np.ravel(which)]
        self._maybeRebuildAtlas()
        self._updateMaxSpotSizes(data=dataSet)
        if np.any(mask):
            self.invalidate()
