"""Whole video frames: the network canvas alone, or the canvas beside the data panel and the loss curve,
with an optional title bar and a caption strip saying what is happening.

Everything is painted with QPainter straight into a QImage of the output size, so a 1080p frame is as
sharp as a 720p one (nothing is a scaled screenshot) and no widget is involved: the recorder can paint
in a worker thread and the command line without a display. The network is drawn by the app's own
`CanvasRenderer`, so a recording looks like the window; the data panel paints a precomputed
`FrameData` (core/analysis/frame_data.py), as the window's does. Text sizes follow the frame height,
one unit per 720 pixels. Where each part goes is `frame_layout`; the title bar and caption strip are
`frame_strips`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.core.analysis.frame_data import FrameData
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.display.position import position_text
from backprop_studio.core.errors import StudioError
from backprop_studio.core.teaching.narration import narrate
from backprop_studio.core.training.snapshot import History, Snapshot
from backprop_studio.gui.canvas.layout import Layout, unit_for
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.canvas.renderer import CanvasRenderer
from backprop_studio.gui.recording.data_panel import DataPanel
from backprop_studio.gui.recording.frame_canvas import CanvasLook
from backprop_studio.gui.recording.frame_layout import place_areas
from backprop_studio.gui.recording.frame_strips import paint_caption, paint_title
from backprop_studio.gui.recording.loss_panel import LossPanel
from backprop_studio.gui.style.colors import (
    MAP_FLOOR,
    MAP_STRENGTH,
    TEST_COLOR,
    TRAIN_COLOR,
    Palette,
    argb_to_rgb,
    class_color,
    diverging_lut,
    mix,
    palette,
    qcolor,
)
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

LAYOUTS = ("canvas", "full")
FRAME_MODES = ("values", "gradients", "auto")
MIN_SIZE = 64

# The canvas reads best in a video somewhat larger than in the window, where it can be zoomed.
_CANVAS_TEXT_SCALE = 1.1
_CANVAS_MIN_UNIT = unit_for(QRectF(0, 0, 1, 1))  # the smallest unit CanvasRenderer uses
NARRATION_MIN_HEIGHT = 480  # px: smaller frames (a small GIF) keep the one-line caption, still readable


@dataclass(frozen=True)
class FrameSpec:
    """What a frame holds and how big it is. `mode` "auto" shows gradients during backward phases."""

    width: int = 1280
    height: int = 720
    layout: str = "full"  # "canvas" | "full"
    title: str = ""
    dark: bool = False
    mode: str = "auto"  # "values" | "gradients" | "auto"
    # The share of the width left free at the right (of the height under the canvas, in a narrow frame)
    # for an explanation view the caller paints (`FrameRenderer.side_rect`; a lesson's Inspector,
    # Neuron zoom…) instead of the data and loss panels (full layout); 0: none.
    side_share: float = 0.0
    narrated: bool | None = None  # caption with the phase's narration; None: when the frame is tall enough
    # The inputs are an image's pixels (data.image_shape): the input column is drawn as that pixel grid.
    image_shape: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise StudioError(f"unknown layout {self.layout!r}; choose one of {', '.join(LAYOUTS)}")
        if self.mode not in FRAME_MODES:
            raise StudioError(f"unknown mode {self.mode!r}; choose one of {', '.join(FRAME_MODES)}")
        if self.width < MIN_SIZE or self.height < MIN_SIZE:
            raise StudioError(
                f"a frame of {self.width}x{self.height} is too small; use at least {MIN_SIZE}x{MIN_SIZE}"
            )
        if not 0 <= self.side_share < 1:
            raise StudioError(
                f"the side view's share of the width must be from 0 to 1, not {self.side_share}"
            )


def resolve_mode(snapshot: Snapshot, mode: str) -> str:
    """The view a frame shows, "values" or "gradients"; "auto" picks gradients right after a backward phase."""
    if mode != "auto":
        return mode
    return "gradients" if snapshot.phase is not None and snapshot.phase.kind == "backward" else "values"


def caption_for(snapshot: Snapshot, mode: str = "auto") -> str:
    """One line for the caption strip: where training is (`position_text`), the loss after the loss
    phase, and what the canvas shows, e.g.
    "Epoch 3 · batch 2/50 · backward through layer 2 · ∂L/∂z and ∂L/∂w shown"."""
    parts = [position_text(snapshot)]
    phase = snapshot.phase
    if phase is not None and phase.kind == "loss" and snapshot.loss is not None:
        parts[0] += f" L = {format_number(snapshot.loss)}"
    if snapshot.divergence:
        parts.append(f"stopped: {snapshot.divergence}")
    elif resolve_mode(snapshot, mode) == "gradients":
        parts.append("∂L/∂z and ∂L/∂w shown")
    else:
        parts.append("activations a and weights w shown")
    return " · ".join(parts)


def narrated_caption(snapshot: Snapshot, mode: str = "auto") -> str:
    """`caption_for` on the first line, the phase's narration (core.teaching.narration) on the second,
    with the batch means the frame's canvas shows."""
    return f"{caption_for(snapshot, mode)}\n{narrate(snapshot, None, focus=None)}"


def key_colors(dark: bool) -> np.ndarray:
    """(n, 3) uint8: the colors frames are made of (palette, scales, tints), for an encoder with a
    limited palette (GIF) to reproduce exactly."""
    pal = palette(dark)
    base = [getattr(pal, name) for name in Palette.__dataclass_fields__]
    chrome = [mix(pal.background, pal.text, t) for t in (0.025, 0.07, 0.1, 0.16, 0.18, 0.35)]
    bands = [
        mix(pal.background, getattr(pal, k), t)
        for k in ("forward", "backward", "loss", "update")
        for t in (0.12, 0.18, 0.5)
    ]
    classes = [class_color(k, dark) for k in range(6)]
    scale = [tuple(int(c) for c in rgb) for rgb in argb_to_rgb(diverging_lut(dark)[::8])]
    tints = [mix(pal.background, c, MAP_STRENGTH) for c in scale[::2]]
    tints += [mix(pal.background, c, t) for c in classes[:3] for t in (MAP_FLOOR, 0.3, MAP_STRENGTH)]
    edges = [
        mix(pal.background, hue, 0.3 + 0.7 * (level + 0.5) / 8)
        for hue in (pal.edge_negative, pal.edge_positive)
        for level in range(0, 8, 2)
    ]
    lines = [TRAIN_COLOR[dark], TEST_COLOR[dark], mix(pal.background, pal.muted, 0.6)]
    return np.array(base + chrome + bands + classes + scale + tints + edges + lines, dtype=np.uint8)


class FrameRenderer:
    """Paints frames of one `FrameSpec`. Not shared between threads: each thread makes its own."""

    def __init__(self, spec: FrameSpec) -> None:
        self.spec = spec
        # Below 720p text shrinks less than the frame, or a 360p GIF would have unreadable 6-pixel print.
        self.unit = max(spec.height / 720, min(0.62, spec.height / 400))
        self._canvas = CanvasRenderer()
        tall = spec.height >= NARRATION_MIN_HEIGHT  # the caption has room for the narration
        self.narrated = tall if spec.narrated is None else spec.narrated and tall
        self._areas = place_areas(spec, self.unit, self.narrated)
        self._data = DataPanel(self.unit, spec.dark)
        self._loss = LossPanel(self.unit, spec.dark)
        self._look = CanvasLook(spec.dark, spec.image_shape)
        self._canvas_map = (1.0, 0.0, 0.0)  # the last canvas's scale and origin in the frame

    @property
    def side_rect(self) -> QRectF | None:
        """Where the explanation view goes (`FrameSpec.side_share`), else None."""
        return self._areas.side

    @property
    def canvas_rect(self) -> QRectF:
        """Where the network is drawn (its selection marks included)."""
        return self._areas.canvas

    @property
    def canvas_layout(self) -> Layout | None:
        """Where the last frame put the network's nodes and edges, in canvas coordinates (`to_frame`)."""
        return self._canvas.last_layout

    def to_frame(self, x: float, y: float) -> tuple[float, float]:
        """A point of `canvas_layout` in frame pixels (the canvas is painted enlarged, `_paint_canvas`)."""
        scale, left, top = self._canvas_map
        return left + x * scale, top + y * scale

    def render(
        self,
        snapshot: Snapshot,
        data: FrameData | None = None,
        history: History | None = None,
        dataset: Dataset | None = None,
        caption: str | None = None,
        target: QImage | None = None,
        selection: tuple | None = None,
    ) -> QImage:
        """The frame for `snapshot`, exactly spec.width × spec.height, Format_ARGB32_Premultiplied, opaque.

        `data` is the network's outputs for the data panel (`frame_inputs(snapshot, dataset)`; None: the
        panel shows the samples only); `history` defaults to the snapshot's; `caption` to
        `narrated_caption` (a second line, after a newline, is drawn smaller and wrapped).
        Painting into `target` (an image of the right size and format) reuses its memory, which a long
        recording wants. `selection` (("neuron", layer, j) or ("edge", layer, i, j), 0-based units, as the
        window selects) is ringed or highlighted on the canvas as the window marks it.
        """
        spec = self.spec
        image = target
        if image is None or (image.width(), image.height(), image.format()) != (
            spec.width,
            spec.height,
            QImage.Format.Format_ARGB32_Premultiplied,
        ):
            image = QImage(spec.width, spec.height, QImage.Format.Format_ARGB32_Premultiplied)
        pal = palette(spec.dark)
        history = snapshot.history if history is None else history
        painter = QPainter(image)
        try:
            painter.fillRect(QRectF(0, 0, spec.width, spec.height), qcolor(pal.background))
            areas = self._areas
            options = self._look.options(snapshot, resolve_mode(snapshot, spec.mode), dataset, selection)
            self._paint_canvas(painter, areas.canvas, snapshot, options)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            if areas.data is not None:
                self._data.paint(painter, areas.data, snapshot, data, dataset, pal)
            if areas.loss is not None:
                self._loss.paint(painter, areas.loss, snapshot, history, pal)
            if areas.title is not None:
                paint_title(painter, areas.title, spec.title, self.unit, pal)
            text = narrated_caption(snapshot, spec.mode) if caption is None else caption
            if not self.narrated:
                text = text.partition("\n")[0]
            paint_caption(painter, areas.caption, snapshot, text, self.unit, pal)
        finally:
            painter.end()
        return image

    def key_colors(self) -> np.ndarray:
        """(n, 3) uint8: the colors this renderer's frames are made of (see `key_colors`)."""
        return key_colors(self.spec.dark)

    # ------------------------------------------------------------------------------------- canvas

    def _paint_canvas(
        self, painter: QPainter, rect: QRectF, snapshot: Snapshot, options: CanvasOptions
    ) -> None:
        """The app's canvas, enlarged so its text is a fixed share of the frame height.

        CanvasRenderer sizes its text by the rectangle it fills (never below 0.85 of its 1280x720 size),
        so a canvas sharing the frame with panels would get small print. Painting it into a smaller
        logical rectangle under a scale transform keeps every stroke vector-sharp at full resolution
        while making nodes, edges and text the size a class can read.
        """
        wanted = _CANVAS_TEXT_SCALE * self.unit
        # unit_for clamps at 0.85 from below: only a rectangle that already has a larger unit keeps it.
        natural = min(rect.width() / 1280, rect.height() / 720)
        scale = 1.0 if natural >= wanted else wanted / _CANVAS_MIN_UNIT
        self._canvas_map = (scale, rect.left(), rect.top())
        painter.save()
        painter.setClipRect(rect)
        painter.translate(rect.topLeft())
        painter.scale(scale, scale)
        self._canvas.paint(
            painter, QRectF(0, 0, rect.width() / scale, rect.height() / scale), snapshot, options
        )
        painter.restore()
