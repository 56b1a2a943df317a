"""Color scales and palettes shared by the views: one diverging scale (orange < 0 < blue) everywhere.

Negative is orange and positive is blue, as in TensorFlow Playground, so people who know it read the
canvas at once; the center of the scale is a neutral gray chosen against each palette's background,
so a zero still looks like a node and not like a hole.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from backprop_studio.core.analysis.evaluation import OutputMap
from PySide6.QtGui import QColor

RGB = tuple[int, int, int]

# Classes beyond the first two continue with Okabe & Ito's color-blind-safe hues; the first two are
# the palette's negative/positive pair, so class 0/1 match "is not"/"is" everywhere else in the app.
# On the light background the paler Okabe & Ito hues are darkened to 3:1 (WCAG's contrast for graphics).
_MORE_CLASSES = (
    (0, 158, 115),
    (190, 100, 150),
    (213, 94, 0),
    (40, 140, 200),
    (128, 128, 128),
    (160, 135, 0),
)
_MORE_CLASSES_DARK = (
    (40, 200, 150),
    (230, 150, 200),
    (255, 120, 40),
    (120, 200, 245),
    (190, 190, 190),
    (240, 228, 66),
)

# The loss curves' train and test colors, per dark flag. Train and test differ in hue (Paul Tol's
# color-blind-safe set), in lightness and in dash, so they stay apart in gray-scale, for color-blind
# viewers and on either background.
TRAIN_COLOR: dict[bool, RGB] = {False: (34, 85, 170), True: (120, 175, 255)}
TEST_COLOR: dict[bool, RGB] = {False: (170, 51, 119), True: (238, 130, 190)}
# Pinned runs on the loss plot, one color each (up to five), apart from the train blue and test magenta.
PINNED_COLORS: dict[bool, tuple[RGB, ...]] = {
    False: ((214, 110, 0), (0, 140, 100), (115, 75, 190), (150, 110, 40), (90, 100, 110)),
    True: ((255, 165, 70), (80, 210, 160), (185, 150, 255), (215, 180, 110), (175, 185, 195)),
}

# How strongly the output map tints the background: enough to read the regions, faint enough that the
# points on top keep their contrast.
MAP_STRENGTH = 0.55
MAP_FLOOR = 0.12  # several classes: even a barely-winning class tints its region a little


@dataclass(frozen=True)
class Palette:
    background: RGB
    text: RGB
    muted: RGB  # secondary text: neuron counts, legend notes
    node_outline: RGB
    node_empty: RGB  # fill of a neuron whose value this batch has not computed yet
    negative: RGB  # strongest negative on the diverging scale
    center: RGB  # zero on the diverging scale
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
    muted=(84, 88, 93),
    node_outline=(60, 64, 67),
    node_empty=(255, 255, 255),
    negative=(226, 108, 8),
    center=(232, 234, 237),
    positive=(16, 110, 190),
    edge_negative=(238, 130, 30),
    edge_positive=(24, 112, 196),
    edge_missing=(200, 203, 208),
    label_background=(255, 255, 255),
    forward=(30, 130, 50),
    backward=(142, 68, 173),
    loss=(200, 40, 40),
    update=(176, 128, 0),
    selection=(0, 0, 0),
    warning=(190, 30, 30),
)

DARK = Palette(
    background=(30, 31, 35),
    text=(232, 234, 237),
    muted=(154, 160, 166),
    node_outline=(200, 204, 210),
    node_empty=(30, 31, 35),
    negative=(255, 153, 51),
    center=(72, 75, 82),
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
    """256 opaque ARGB32 colors from the negative end (0) through zero (127.5) to the positive end (255)."""
    p = palette(dark)
    t = np.linspace(-1.0, 1.0, 256)
    lo, mid, hi = (np.array(c, dtype=float) for c in (p.negative, p.center, p.positive))
    # Ease out from the center so small values already show a tint instead of staying gray.
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


def diverging_color(value: float, vmax: float, dark: bool = False) -> QColor:
    """The color of one value on the symmetric diverging scale [-vmax, vmax]."""
    argb = int(diverging_lut(dark)[int(lut_indices(np.array([value]), vmax)[0])])
    return QColor((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF)


_DARK_TEXT: RGB = (0, 0, 0)
_LIGHT_TEXT: RGB = (255, 255, 255)


def _luminance(rgb: RGB) -> float:
    """WCAG relative luminance (0 black … 1 white) of an sRGB color."""
    lin = [c / 3294.6 if c <= 10.31 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def readable_text_on(argb: int) -> RGB:
    """Black or white, whichever has the higher WCAG contrast on the opaque color `argb`.

    Pure black and white: on a mid-tone fill (an orange or blue half way along the scale) they are the
    only pair that always leaves one of them at 4.5:1 or more.
    """
    fill = ((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF)
    # Black's contrast (L + 0.05) / 0.05 beats white's 1.05 / (L + 0.05) once L exceeds ~0.179.
    return _DARK_TEXT if (_luminance(fill) + 0.05) ** 2 > 0.05 * 1.05 else _LIGHT_TEXT


def class_color(k: int, dark: bool) -> RGB:
    """The color of class (or output unit) `k`: 0 and 1 are the diverging scale's ends, then Okabe & Ito."""
    p = palette(dark)
    if k == 0:
        return p.negative
    if k == 1:
        return p.positive
    more = _MORE_CLASSES_DARK if dark else _MORE_CLASSES
    return more[(k - 2) % len(more)]


def argb_to_rgb(argb: np.ndarray) -> np.ndarray:
    """(..., 3) uint32 channels of opaque ARGB32 values (...)."""
    argb = np.asarray(argb, dtype=np.uint32)
    return np.stack([(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF], axis=-1)


def map_tint(om: OutputMap, dark: bool, n_classes: int = 0) -> np.ndarray:
    """(res, res, 3) uint8: the output map tinted over the background, row 0 at ymin.

    One output unit: its value on the diverging scale around the decision threshold, at MAP_STRENGTH.
    Several units: the winning class's color, stronger the surer the network is (from MAP_FLOOR to
    MAP_STRENGTH); for softmax the confidence is rescaled from chance (1/`n_classes`, or 1/units when 0)
    to certainty, so an undecided region fades to the background.
    """
    bg = np.array(palette(dark).background, dtype=float)
    if om.classes is None:
        rgb = argb_to_rgb(diverging_lut(dark)[lut_indices(om.values - om.threshold, om.half_range)])
        out = bg + (rgb.astype(float) - bg) * MAP_STRENGTH
    else:
        k = max(int(om.classes.max()) + 1, 2)
        colors = np.array([class_color(c, dark) for c in range(k)], dtype=float)
        strength = np.nan_to_num(om.confidence, nan=0.0)
        if om.activation == "softmax":
            chance = 1.0 / (n_classes or k)
            strength = np.clip((strength - chance) / (1.0 - chance), 0.0, 1.0)
        tint = MAP_FLOOR + (MAP_STRENGTH - MAP_FLOOR) * strength
        out = bg + (colors[om.classes] - bg) * tint[..., None]
    return np.clip(np.round(out), 0, 255).astype(np.uint8)
