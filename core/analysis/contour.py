"""Marching squares: where a field sampled on a grid crosses a level, as straight line segments.

Used to draw decision boundaries in recordings (the window's pyqtgraph isocurves do the same job live).
Pure NumPy and vectorized by case: each of the 14 crossing cases is handled for all cells at once.
"""

from __future__ import annotations

import numpy as np

# For each case (corners above the level as bits tl=8, tr=4, br=2, bl=1), the cell edges joined by a
# segment. The saddles 5 and 10 get two segments; cases 0 and 15 do not cross.
_CASES: dict[int, tuple[tuple[str, str], ...]] = {
    1: (("left", "bottom"),),
    2: (("bottom", "right"),),
    3: (("left", "right"),),
    4: (("top", "right"),),
    5: (("left", "top"), ("bottom", "right")),
    6: (("top", "bottom"),),
    7: (("left", "top"),),
    8: (("left", "top"),),
    9: (("top", "bottom"),),
    10: (("top", "right"), ("left", "bottom")),
    11: (("top", "right"),),
    12: (("left", "right"),),
    13: (("bottom", "right"),),
    14: (("left", "bottom"),),
}


def _crossing(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Where along an edge from value a (at 0) to b (at 1) the level (0) is crossed, linearly."""
    with np.errstate(all="ignore"):
        t = a / (a - b)
    return np.clip(np.nan_to_num(t, nan=0.5), 0.0, 1.0)


def contour_segments(field: np.ndarray, level: float) -> np.ndarray:
    """Line segments (n, 4) as (col, row, col, row) in grid coordinates where `field` (rows, cols)
    crosses `level`; grid point [row, col] sits at (col, row). NaN counts as on the level, ±inf as huge."""
    f = np.nan_to_num(np.asarray(field, dtype=np.float64) - level, nan=0.0, posinf=1e300, neginf=-1e300)
    if f.ndim != 2 or min(f.shape) < 2:
        return np.zeros((0, 4))
    above = f > 0
    tl, tr, br, bl = f[:-1, :-1], f[:-1, 1:], f[1:, 1:], f[1:, :-1]
    case = (above[:-1, :-1] * 8 + above[:-1, 1:] * 4 + above[1:, 1:] * 2 + above[1:, :-1] * 1).astype(np.int8)
    rows, cols = np.indices(case.shape, dtype=np.float64)

    def point(edge: str, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, c = rows[m], cols[m]
        if edge == "top":
            return c + _crossing(tl[m], tr[m]), r
        if edge == "right":
            return c + 1, r + _crossing(tr[m], br[m])
        if edge == "bottom":
            return c + _crossing(bl[m], br[m]), r + 1
        return c, r + _crossing(tl[m], bl[m])  # left

    parts = []
    for code, pairs in _CASES.items():
        m = case == code
        if not m.any():
            continue
        for e1, e2 in pairs:
            x1, y1 = point(e1, m)
            x2, y2 = point(e2, m)
            parts.append(np.stack([x1, y1, x2, y2], axis=1))
    return np.concatenate(parts) if parts else np.zeros((0, 4))
