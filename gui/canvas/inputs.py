"""The input column's feature names (x₁, x₁², sin(x₁) …) left of each input node, as TensorFlow
Playground labels its features; each name fits between its node and the canvas edge and within its own
row, or is shortened or left out rather than drawn over the node or its neighbors.
"""

from __future__ import annotations

from backprop_studio.core.display.names import input_label
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import CanvasOptions, FrameStats
from backprop_studio.gui.style.colors import Palette, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter

# Font sizes tried, in units, largest first; below MIN_PX pixels a name is not drawn at all.
LABEL_SIZES = (14.0, 12.0, 10.5, 9.0)
MIN_PX = 8.0
GAP = 5.0  # units between a name and its node


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
    fitted = _fit(names, room_w, room_h, u)
    if fitted is None:
        return
    label_font, fm, names = fitted
    painter.setFont(label_font)
    painter.setPen(qcolor(pal.text))
    align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for i, name in enumerate(names):
        y = float(lay.ys[0][i])
        w = fm.horizontalAdvance(name) + 2
        rect = QRectF(right - w, y - fm.height() / 2, w, fm.height())
        painter.drawText(rect, align, name)
        stats.input_labels.append((name, rect))


def _fit(names: list[str], room_w: float, room_h: float, u: float):
    """The largest font at which every name fits its room, trying the short forms ("sin x₁") last;
    None when not even the smallest fits."""
    for short in (False, True):
        texts = [shorten(n) for n in names] if short else names
        for size in LABEL_SIZES:
            px = max(size * u, MIN_PX)
            label_font = font(px)
            fm = QFontMetricsF(label_font)
            if fm.height() <= room_h and max(fm.horizontalAdvance(t) for t in texts) <= room_w:
                return label_font, fm, texts
    return None


def shorten(name: str) -> str:
    """ "sin(x₁)" → "sin x₁", "x₁·x₂" → "x₁x₂": the same feature in fewer pixels."""
    if name.endswith(")") and "(" in name:
        head, _, arg = name[:-1].partition("(")
        return f"{head} {arg}"
    return name.replace("·", "")
