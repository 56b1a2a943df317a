"""Colour scales and palettes shared by the views: one diverging scale (orange < 0 < blue) everywhere.

Negative is orange and positive is blue, as in TensorFlow Playground, so people who know it read the
canvas at once; the centre of the scale is a neutral grey chosen against each palette's background,
so a zero still looks like a node and not like a hole.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PySide6.QtGui import QColor

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    background: RGB
    text: RGB
    muted: RGB  # secondary text: neuron counts, legend notes
    node_outline: RGB
    node_empty: RGB  # fill of a neuron whose value this batch has not computed yet
    negative: RGB  # strongest negative on the diverging scale
    centre: RGB  # zero on the diverging scale
    positive: RGB
    edge_negative: RGB  # edges are drawn opaque, so their hues are tuned to read on the background
    edge_positive: RGB
    edge_missing: RGB  # edges whose gradient is not computed yet
    label_background: RGB  # pill behind numbers written over edges
    forward: RGB  # phase band hues: one per kind of phase, distinct from the orange/blue of the data
    backward: RGB
    loss: RGB
    update: RGB
    selection: RGB
    warning: RGB  # what the debugger flags


LIGHT = Palette(
    background=(251, 251, 252),
    text=(32, 33, 36),
    muted=(95, 99, 104),
    node_outline=(60, 64, 67),
    node_empty=(255, 255, 255),
    negative=(232, 113, 10),
    centre=(232, 234, 237),
    positive=(16, 110, 190),
    edge_negative=(238, 130, 30),
    edge_positive=(24, 112, 196),
    edge_missing=(200, 203, 208),
    label_background=(255, 255, 255),
    forward=(46, 160, 67),
    backward=(142, 68, 173),
    loss=(200, 40, 40),
    update=(190, 140, 0),
    selection=(0, 0, 0),
    warning=(214, 39, 40),
)

DARK = Palette(
    background=(30, 31, 35),
    text=(232, 234, 237),
    muted=(154, 160, 166),
    node_outline=(200, 204, 210),
    node_empty=(30, 31, 35),
    negative=(255, 153, 51),
    centre=(72, 75, 82),
    positive=(77, 166, 255),
    edge_negative=(245, 145, 45),
    edge_positive=(70, 155, 245),
    edge_missing=(78, 82, 90),
    label_background=(30, 31, 35),
    forward=(87, 200, 110),
    backward=(190, 130, 230),
    loss=(255, 110, 110),
    update=(240, 195, 60),
    selection=(255, 255, 255),
    warning=(255, 90, 90),
)


def palette(dark: bool) -> Palette:
    return DARK if dark else LIGHT


def qcolor(rgb: RGB, alpha: int = 255) -> QColor:
    return QColor(rgb[0], rgb[1], rgb[2], alpha)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """`a` moved a fraction `t` of the way to `b` (opaque blend, which paints much faster than alpha)."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


@lru_cache(maxsize=4)
def diverging_lut(dark: bool = False) -> np.ndarray:
    """256 opaque ARGB32 colours from the negative end (0) through zero (127.5) to the positive end (255)."""
    p = palette(dark)
    t = np.linspace(-1.0, 1.0, 256)
    lo, mid, hi = (np.array(c, dtype=float) for c in (p.negative, p.centre, p.positive))
    # Ease out from the centre so small values already show a tint instead of staying grey.
    s = np.sqrt(np.abs(t))[:, None]
    rgb = np.where(t[:, None] < 0, mid + (lo - mid) * s, mid + (hi - mid) * s)
    rgb = np.clip(np.round(rgb), 0, 255).astype(np.uint32)
    lut = (0xFF << 24) | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
    lut = lut.astype(np.uint32)
    lut.setflags(write=False)
    return lut


def lut_indices(values: np.ndarray, vmax: float) -> np.ndarray:
    """Indices into a 256-entry diverging LUT for `values` on the symmetric scale [-vmax, vmax]."""
    scale = 127.5 / vmax if vmax > 0 else 0.0
    idx = np.asarray(values, dtype=float) * scale + 127.5
    if not np.isfinite(idx).all():  # NaN shows as zero, infinities as the ends of the scale
        idx = np.nan_to_num(idx, nan=127.5, posinf=255.0, neginf=0.0)
    return np.clip(idx, 0, 255).astype(np.intp)


def map_to_argb(values: np.ndarray, vmax: float, dark: bool = False) -> np.ndarray:
    """ARGB32 (uint32) colours for an array of values on the symmetric diverging scale [-vmax, vmax]."""
    return diverging_lut(dark)[lut_indices(values, vmax)]


def diverging_color(value: float, vmax: float, dark: bool = False) -> QColor:
    """The colour of one value on the symmetric diverging scale [-vmax, vmax]."""
    argb = int(diverging_lut(dark)[int(lut_indices(np.array([value]), vmax)[0])])
    return QColor((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF)


def readable_text_on(argb: int) -> RGB:
    """Black or white, whichever reads better on the opaque colour `argb`."""
    r, g, b = (argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF
    return (20, 20, 20) if 0.299 * r + 0.587 * g + 0.114 * b > 150 else (250, 250, 250)
