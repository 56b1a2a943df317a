"""Frames of a lesson: the app's recording frame (network, data, loss, position caption) above a strip
with the lesson's narration for the step, "step 3 of 14" and the lesson's title.

The upper part is painted by the recorder's own `FrameRenderer` (one per canvas mode the lesson uses:
each step chooses values or gradients), with the step's selection marked on the canvas. A step that
names an explanation view (`Stage.view`: Inspector, Neuron zoom, …) gets it beside the canvas, where the
window docks it, in place of the data and loss panels (side_views.py, painted once per scene and blitted);
the caption strip then keeps to one line, the position, since the narration strip says the rest.
The narration is word-wrapped in the largest font that fits, from 22 px down to 15 px per 720 pixels of
frame height (33 px down to 22 px at 1080p).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from backprop_studio.core.analysis.frame_data import FrameData
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.recording.frame import FrameRenderer, FrameSpec, caption_for, key_colors
from backprop_studio.gui.recording.side_views import SideScene, SideViews
from backprop_studio.gui.style.colors import mix, palette, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter, QPen

NARRATION_SHARE = 0.26  # of the frame height, for the narration strip
LARGEST, SMALLEST = 22.0, 15.0  # narration font, px per 720 px of frame height
_WRAP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap


def side_share(columns: int, aspect: float) -> float:
    """The share of the frame width the side view gets: most of the room beside a small network, less
    beside a deep one, whose columns would otherwise crowd and clip the numbers in its nodes."""
    if aspect < 1.3:  # narrow or portrait: the view goes under the canvas, in this share of the height
        return 0.45
    return 0.46 if columns <= 3 else 0.42 if columns == 4 else 0.38 if columns <= 6 else 0.34


class LessonFrameRenderer:
    """Paints `width` × `height` frames: the recording frame of the scene, then its narration."""

    def __init__(
        self,
        width: int,
        height: int,
        layout: str,
        title: str,
        dark: bool,
        image_shape: tuple[int, int] | None = None,
    ) -> None:
        self.width, self.height, self.dark = width, height, dark
        self.unit = height / 720
        self.strip = round(height * NARRATION_SHARE)
        self._spec = FrameSpec(
            width, height - self.strip, layout, title, dark, "values", image_shape=image_shape
        )
        FrameRenderer(self._spec)  # refuses a bad layout or size now, before anything is written
        self._renderers: dict[tuple[str, bool], FrameRenderer] = {}
        self._body = QImage(width, height - self.strip, QImage.Format.Format_ARGB32_Premultiplied)
        self.side_views: SideViews | None = None  # made with the first side view (its unit is the body's)

    def key_colors(self) -> np.ndarray:
        return key_colors(self.dark)

    def wants_data(self, side: SideScene | None) -> bool:
        """Whether a frame with this side view shows the data panel (then it needs `frame_inputs`)."""
        return self._spec.layout == "full" and not self._has_side(side)

    def _has_side(self, side: SideScene | None) -> bool:
        return side is not None and side.view is not None and self._spec.layout == "full"

    def _renderer(self, mode: str, side: bool, columns: int) -> FrameRenderer:
        """The body's renderer for a canvas mode, with a side column or with the data and loss panels."""
        if (mode, side) not in self._renderers:
            share = side_share(columns, self.width / self.height) if side else 0.0
            spec = replace(self._spec, mode=mode, side_share=share, narrated=False if side else None)
            self._renderers[mode, side] = FrameRenderer(spec)
        return self._renderers[mode, side]

    def render(
        self,
        snapshot: Snapshot,
        mode: str,
        counter: str,
        narration: str,
        data: FrameData | None,
        dataset: Dataset | None,
        target: QImage,
        selection: tuple | None = None,
        side: SideScene | None = None,
    ) -> QImage:
        """One frame into `target` (width × height, Format_ARGB32_Premultiplied). `selection` (by default
        the side scene's) is marked on the canvas; `side` (when its view is not None) is painted beside
        it, once per scene."""
        if selection is None and side is not None:
            selection = side.selection
        with_side = self._has_side(side)
        renderer = self._renderer(mode, with_side, len(snapshot.sizes))
        caption = caption_for(snapshot, mode) if with_side else None
        body = renderer.render(snapshot, data, None, dataset, caption, self._body, selection)
        pal = palette(self.dark)
        u = self.unit
        painter = QPainter(target)
        try:
            painter.drawImage(QPointF(0, 0), body)
            if with_side and side is not None and renderer.side_rect is not None:
                rect = renderer.side_rect
                if self.side_views is None:
                    self.side_views = SideViews(renderer.unit, self.dark)
                view = self.side_views.image(side, round(rect.width()), round(rect.height()), dataset)
                painter.drawImage(QPointF(round(rect.left()), round(rect.top())), view)
            strip = QRectF(0, self.height - self.strip, self.width, self.strip)
            painter.fillRect(strip, qcolor(mix(pal.background, pal.text, 0.04)))
            painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.18)), max(1.0, u)))
            painter.drawLine(strip.topLeft(), strip.topRight())
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            inner = strip.adjusted(28 * u, 12 * u, -28 * u, -12 * u)
            counter_font = font(15 * u, bold=True)
            painter.setFont(counter_font)
            painter.setPen(qcolor(pal.muted))
            line = QFontMetricsF(counter_font).height()
            painter.drawText(QRectF(inner.left(), inner.top(), inner.width(), line), counter)
            text_rect = inner.adjusted(0, line + 6 * u, 0, 0)
            painter.setFont(self._fitted(narration, text_rect))
            painter.setPen(qcolor(pal.text))
            painter.drawText(text_rect, int(_WRAP), narration)
        finally:
            painter.end()
        return target

    def _fitted(self, text: str, rect: QRectF) -> QFont:
        """The largest narration font whose word-wrapped `text` fits `rect` (the smallest if none does)."""
        size = LARGEST * self.unit
        smallest = SMALLEST * self.unit
        while True:
            candidate = font(size)
            needed = QFontMetricsF(candidate).boundingRect(rect, int(_WRAP), text).height()
            if needed <= rect.height() or size <= smallest:
                return candidate
            size = max(smallest, size * 0.93)
