"""The empty-state hint: before the first step a newcomer sees dashed nodes and needs to know where to
start, so the canvas says it where the phase's name will appear once the first phase has run."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import METRICS, CanvasOptions, FrameStats
from backprop_studio.gui.style.colors import Palette, mix, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen

EMPTY_HINT = "Press Step (→) to push the first batch through layer 1, or Play to train"
HINT_TOP = 46.0  # units below the canvas top: under the column headers, where the phase label goes


def hint_wanted(snapshot: Snapshot, options: CanvasOptions, cols: list[np.ndarray | None]) -> bool:
    """Only at step 0 and while no layer of this batch has been computed."""
    return options.empty_hint and snapshot.step == 0 and all(c is None for c in cols[1:])


def paint_empty_hint(painter: QPainter, lay: Layout, pal: Palette, stats: FrameStats) -> None:
    """The hint in a pill across the top of the canvas (wrapped onto two lines on a narrow canvas)."""
    u = lay.unit
    rect = lay.rect
    hint_font = font(max(13 * u, 10.0), bold=True)
    fm = QFontMetricsF(hint_font)
    max_w = rect.width() - 16 * u
    flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
    bound = fm.boundingRect(QRectF(0, 0, max_w - 24 * u, 1000), int(flags), EMPTY_HINT)
    w, h = bound.width() + 24 * u, bound.height() + 8 * u
    top = rect.top() + min(HINT_TOP * u, max(METRICS.content_top * u - h - 2 * u, 0))
    pill = QRectF(rect.center().x() - w / 2, top, w, h)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(qcolor(pal.forward), 1.5 * u))
    painter.setBrush(qcolor(mix(pal.background, pal.forward, 0.12)))
    radius = min(h / 2, 14 * u)
    painter.drawRoundedRect(pill, radius, radius)
    painter.setFont(hint_font)
    painter.setPen(qcolor(pal.text))
    painter.drawText(pill, flags, EMPTY_HINT)
    stats.empty_hint_shown = True
