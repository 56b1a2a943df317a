"""Where each part of a recording frame goes: the title bar, the network canvas, the data and loss panels
(or a caller's explanation view) and the caption strip, as rectangles in frame pixels.

Wide frames put the panels in a column at the right of the network; narrow or portrait frames put them
under it, side by side. Sizes are in units of the frame height (one per 720 pixels, `FrameRenderer.unit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF

if TYPE_CHECKING:
    from backprop_studio.gui.recording.frame import FrameSpec

CAPTION_HEIGHT = 104  # units: the position line and two lines of narration
_CAPTION_LINE_HEIGHT = 64  # units: the position line alone
_TITLE_HEIGHT = 58  # units


@dataclass(frozen=True)
class FrameAreas:
    """The rectangles of one frame; None for a part the frame does not have."""

    title: QRectF | None
    canvas: QRectF
    data: QRectF | None
    loss: QRectF | None
    caption: QRectF
    side: QRectF | None = None


def place_areas(spec: FrameSpec, unit: float, narrated: bool) -> FrameAreas:
    """The areas of a `spec` frame whose sizes are in `unit` pixels; a `narrated` caption is taller."""
    u = unit
    w, h = float(spec.width), float(spec.height)
    top = 0.0
    title = None
    if spec.title:
        title = QRectF(0, 0, w, _TITLE_HEIGHT * u)
        top = title.bottom()
    strip = CAPTION_HEIGHT if narrated else _CAPTION_LINE_HEIGHT
    caption = QRectF(0, h - strip * u, w, strip * u)
    body = QRectF(0, top, w, caption.top() - top)
    if spec.layout == "canvas":
        return FrameAreas(title, body, None, None, caption)
    pad = 12 * u
    if spec.side_share > 0:  # beside the canvas; under it in a narrow or portrait frame
        share = min(spec.side_share, 0.6)
        if w / h >= 1.3:
            canvas = QRectF(0, top, w * (1 - share), body.height())
            side = QRectF(canvas.right(), top + pad, w - canvas.right() - pad, body.height() - 2 * pad)
        else:
            canvas = QRectF(0, top, w, body.height() * (1 - share))
            side = QRectF(pad, canvas.bottom(), w - 2 * pad, body.bottom() - canvas.bottom() - pad)
        return FrameAreas(title, canvas, None, None, caption, side)
    if w / h >= 1.3:
        side_w = max(min(0.36 * w, 1.05 * body.height()), 200 * u)
        canvas = QRectF(0, top, w - side_w, body.height())
        column = QRectF(canvas.right(), top + pad, side_w - pad, body.height() - 2 * pad)
        split = column.top() + 0.58 * column.height()
        data = QRectF(column.left(), column.top(), column.width(), split - column.top() - pad / 2)
        loss = QRectF(column.left(), split + pad / 2, column.width(), column.bottom() - split - pad / 2)
    else:  # narrow or portrait: the panels go under the network, side by side
        panels_h = 0.4 * body.height()
        canvas = QRectF(0, top, w, body.height() - panels_h)
        row = QRectF(pad, canvas.bottom(), w - 2 * pad, panels_h - pad)
        data = QRectF(row.left(), row.top(), row.width() / 2 - pad / 2, row.height())
        loss = QRectF(data.right() + pad, row.top(), row.width() / 2 - pad / 2, row.height())
    return FrameAreas(title, canvas, data, loss, caption)
