"""The input column's feature names (x₁, x₁², sin(x₁) …) left of each input node, as TensorFlow
Playground labels its features; each name fits between its node and the canvas edge and within its own
row: shortened, or a data set's long names ("sepal length (cm)") wrapped onto up to three lines, or, when
not even that fits, the symbols x₁, x₂ … (tooltips and the Inspector still give the names), rather than
drawn over the node or its neighbors.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.display.names import input_label
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import CanvasOptions, FrameStats
from backprop_studio.gui.style.colors import Palette, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter

# Font sizes tried, in units, largest first; below MIN_PX pixels a name is not drawn at all.
LABEL_SIZES = (14.0, 12.0, 10.5, 9.0)
MIN_PX = 8.0
GAP = 5.0  # units between a name and its node
MAX_LINES = 3  # a long name wraps onto at most this many lines


def paint_input_labels(
    painter: QPainter, lay: Layout, options: CanvasOptions, pal: Palette, stats: FrameStats
) -> None:
    """Each input's feature name, right-aligned just left of its node; records what was drawn."""
    if not lay.sizes or lay.dense[0]:
        return  # hundreds of pixel inputs: the strip has no room for names (tooltips still give them)
    u = lay.unit
    x, r = float(lay.xs[0]), lay.radius[0]
    right = x - r - GAP * u
    room_w = right - (lay.rect.left() + 2 * u)
    room_h = lay.spacing[0] - 2 * u  # a name's row ends halfway to the next node
    names = [input_label(i, options.input_names) for i in range(lay.sizes[0])]
    fitted = fit_names(names, room_w, room_h, u)
    if fitted is None and options.input_names:
        fitted = fit_names([input_label(i, ()) for i in range(lay.sizes[0])], room_w, room_h, u)
    if fitted is None:
        return
    stats.input_labels.extend(paint_names(painter, fitted, lay.ys[0], right, pal, right_aligned=True))


def paint_names(
    painter: QPainter,
    fitted: tuple[QFont, QFontMetricsF, list[str]],
    ys: Sequence[float],
    edge: float,
    pal: Palette,
    right_aligned: bool,
) -> list[tuple[str, QRectF]]:
    """Draw `fitted` (from `fit_names`) one per row, centered on `ys`, ending at (or starting from) x =
    `edge`; returns each text with its rectangle."""
    label_font, fm, texts = fitted
    painter.setFont(label_font)
    painter.setPen(qcolor(pal.text))
    side = Qt.AlignmentFlag.AlignRight if right_aligned else Qt.AlignmentFlag.AlignLeft
    drawn = []
    for y, text in zip(ys, texts, strict=True):
        lines = text.split("\n")
        w = max(fm.horizontalAdvance(line) for line in lines) + 2
        h = fm.lineSpacing() * (len(lines) - 1) + fm.height()
        rect = QRectF(edge - w if right_aligned else edge, float(y) - h / 2, w, h)
        painter.drawText(rect, side | Qt.AlignmentFlag.AlignVCenter, text)
        drawn.append((text, rect))
    return drawn


def fit_names(
    names: list[str], room_w: float, room_h: float, u: float
) -> tuple[QFont, QFontMetricsF, list[str]] | None:
    """(font, metrics, texts) for `names` in rows `room_w` wide and `room_h` tall: the largest font at
    which every name fits on one line, trying the short forms ("sin x₁") next and names wrapped at spaces
    last; None when not even the smallest fits."""
    for form in ("full", "short", "wrapped"):
        for size in LABEL_SIZES:
            px = max(size * u, MIN_PX)
            label_font = font(px)
            fm = QFontMetricsF(label_font)
            if form == "wrapped":
                texts = [wrap(n, fm, room_w) for n in names]
            else:
                texts = [shorten(n) for n in names] if form == "short" else names
            lines = [t.split("\n") for t in texts]
            tallest = fm.lineSpacing() * (max(len(t) for t in lines) - 1) + fm.height()
            widest = max(fm.horizontalAdvance(line) for t in lines for line in t)
            if tallest <= room_h and widest <= room_w and max(len(t) for t in lines) <= MAX_LINES:
                return label_font, fm, texts
    return None


def wrap(name: str, fm: QFontMetricsF, width: float) -> str:
    """`name` broken at spaces into lines no wider than `width` where the words allow ("\\n" between)."""
    lines: list[str] = []
    for word in name.split():
        if lines and fm.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def shorten(name: str) -> str:
    """ "sin(x₁)" → "sin x₁", "x₁·x₂" → "x₁x₂": the same feature in fewer pixels."""
    if name.endswith(")") and "(" in name:
        head, _, arg = name[:-1].partition("(")
        return f"{head} {arg}"
    return name.replace("·", "")
