"""Whole video frames: the network canvas alone, or the canvas beside the data/output panel and the loss
curve, with an optional title bar and a caption strip saying what is happening.

Everything is painted with QPainter straight into a QImage of the output size, so a 1080p frame is as
sharp as a 720p one (nothing is a scaled screenshot) and no widget is involved: the recorder can paint
in a worker thread and the command line without a display. The network is drawn by the app's own
`CanvasRenderer`, so a recording looks like the window. Text sizes follow the frame height, one unit
per 720 pixels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shiboken6
from backprop_studio.core.analysis.evaluation import OutputMap, input_curve, input_range
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.display.numbers import format_number as format_value
from backprop_studio.core.errors import StudioError
from backprop_studio.core.nn.network import predict
from backprop_studio.core.training.snapshot import History, Snapshot, phases_of_batch
from backprop_studio.gui.canvas.layout import unit_for
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.canvas.renderer import CanvasRenderer
from backprop_studio.gui.panels.data_view import class_color
from backprop_studio.gui.style.colors import (
    RGB,
    Palette,
    diverging_lut,
    lut_indices,
    mix,
    palette,
    qcolor,
    readable_text_on,
)
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

LAYOUTS = ("canvas", "full")
FRAME_MODES = ("values", "gradients", "auto")
MIN_SIZE = 64

# The loss plot's train and test colours (as backprop_studio.gui.panels.loss_plot draws them), per dark flag.
_TRAIN = {False: (34, 85, 170), True: (120, 175, 255)}
_TEST = {False: (170, 51, 119), True: (238, 130, 190)}

# How strongly the output map tints the plot (as backprop_studio.gui.panels.data_view does), so points on top keep their contrast.
_MAP_STRENGTH = 0.55
_MAP_FLOOR = 0.12

# The canvas reads best in a video somewhat larger than in the window, where it can be zoomed.
_CANVAS_TEXT_SCALE = 1.1
_CANVAS_MIN_UNIT = unit_for(QRectF(0, 0, 1, 1))  # the smallest unit CanvasRenderer uses
_MAX_POINTS = 2_000  # samples drawn in the data panel; more only makes a solid blob and costs time
_MAX_CURVE_POINTS = 1_500


@dataclass(frozen=True)
class FrameSpec:
    """What a frame holds and how big it is. `mode` "auto" shows gradients during backward phases."""

    width: int = 1280
    height: int = 720
    layout: str = "full"  # "canvas" | "full"
    title: str = ""
    dark: bool = False
    mode: str = "auto"  # "values" | "gradients" | "auto"

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise StudioError(f"unknown layout {self.layout!r}; choose one of {', '.join(LAYOUTS)}")
        if self.mode not in FRAME_MODES:
            raise StudioError(f"unknown mode {self.mode!r}; choose one of {', '.join(FRAME_MODES)}")
        if self.width < MIN_SIZE or self.height < MIN_SIZE:
            raise StudioError(
                f"a frame of {self.width}x{self.height} is too small; use at least {MIN_SIZE}x{MIN_SIZE}"
            )


def resolve_mode(snapshot: Snapshot, mode: str) -> str:
    """The view a frame shows, "values" or "gradients"; "auto" picks gradients right after a backward phase."""
    if mode != "auto":
        return mode
    return "gradients" if snapshot.phase is not None and snapshot.phase.kind == "backward" else "values"


def caption_for(snapshot: Snapshot, mode: str = "auto") -> str:
    """One line for the caption strip, e.g.
    "Epoch 3 · batch 2/50 · backward through layer 2 · ∂L/∂z and ∂L/∂w shown"."""
    parts = [f"Epoch {snapshot.epoch + 1}", f"batch {snapshot.batch + 1}/{snapshot.batches_per_epoch}"]
    phase = snapshot.phase
    if phase is None:
        parts.append("before the first step")
    elif phase.kind == "loss" and snapshot.loss is not None:
        parts.append(f"loss L = {format_value(snapshot.loss)}")
    else:
        parts.append(phase.label)
    if snapshot.divergence:
        parts.append(f"stopped: {snapshot.divergence}")
    elif resolve_mode(snapshot, mode) == "gradients":
        parts.append("∂L/∂z and ∂L/∂w shown")
    else:
        parts.append("activations a and weights w shown")
    return " · ".join(parts)


def _font(px: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(7, round(px)))
    font.setBold(bold)
    return font


def _minus(text: str) -> str:
    return text.replace("-", "−")


def nice_ticks(lo: float, hi: float, max_ticks: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10^k) covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / max(max_ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * next((m for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), 10)
    first = math.ceil(lo / step - 1e-9) * step
    count = math.floor((hi - first) / step + 1e-9) + 1
    return [first + i * step for i in range(max(count, 0))]


def _tick_text(value: float, step: float) -> str:
    if abs(value) < step * 1e-6:
        return "0"
    if abs(value) >= 1e5:
        return _minus(f"{value:.3g}")
    decimals = 0
    while decimals < 6 and abs(round(step, decimals) - step) > step * 1e-6:
        decimals += 1
    return _minus(f"{value:.{decimals}f}")


def contour_segments(field: np.ndarray, level: float) -> np.ndarray:
    """Marching squares: line segments (n, 4) as (col, row, col, row) in grid coordinates where `field`
    crosses `level`; grid point [row, col] sits at (col, row)."""
    f = np.nan_to_num(np.asarray(field, dtype=np.float64) - level, nan=0.0, posinf=1e300, neginf=-1e300)
    if f.ndim != 2 or min(f.shape) < 2:
        return np.zeros((0, 4))
    above = f > 0
    tl, tr, br, bl = f[:-1, :-1], f[:-1, 1:], f[1:, 1:], f[1:, :-1]
    case = (above[:-1, :-1] * 8 + above[:-1, 1:] * 4 + above[1:, 1:] * 2 + above[1:, :-1] * 1).astype(np.int8)
    rows, cols = np.indices(case.shape, dtype=np.float64)

    def cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            t = a / (a - b)
        return np.clip(np.nan_to_num(t, nan=0.5), 0.0, 1.0)

    def point(edge: str, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, c = rows[m], cols[m]
        if edge == "top":
            return c + cross(tl[m], tr[m]), r
        if edge == "right":
            return c + 1, r + cross(tr[m], br[m])
        if edge == "bottom":
            return c + cross(bl[m], br[m]), r + 1
        return c, r + cross(tl[m], bl[m])  # left

    table = {
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
    parts = []
    for code, pairs in table.items():
        m = case == code
        if not m.any():
            continue
        for e1, e2 in pairs:
            x1, y1 = point(e1, m)
            x2, y2 = point(e2, m)
            parts.append(np.stack([x1, y1, x2, y2], axis=1))
    return np.concatenate(parts) if parts else np.zeros((0, 4))


def _draw_lines(painter: QPainter, lines: np.ndarray) -> None:
    lines = np.ascontiguousarray(lines, dtype=np.float64)
    if len(lines):
        painter.drawLines(shiboken6.wrapInstance(lines.ctypes.data, QLineF), len(lines))


def _draw_points(painter: QPainter, points: np.ndarray) -> None:
    """Each row of (n, 2) as a dot the size of the pen (with a round cap a dot is a disc)."""
    points = np.ascontiguousarray(points, dtype=np.float64)
    if len(points):
        painter.drawPoints(shiboken6.wrapInstance(points.ctypes.data, QPointF), len(points))


def _round_pen(rgb: RGB, width: float, alpha: int = 255) -> QPen:
    pen = QPen(qcolor(rgb, alpha), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """(height, width, 3) uint8 RGB copy of an opaque ARGB32/RGB32 image."""
    return bgra_view(image)[..., 2::-1].copy()


def bgra_view(image: QImage) -> np.ndarray:
    """(height, width, 4) view of a 32-bit QImage's pixels in memory order (B, G, R, A on little-endian)."""
    w, h = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return raw[:, : 4 * w].reshape(h, w, 4)


@dataclass(frozen=True)
class _Areas:
    title: QRectF | None
    canvas: QRectF
    data: QRectF | None
    loss: QRectF | None
    caption: QRectF


class _TailCache:
    """A float array following an append-only tuple (History), converting only what was appended, so a
    long recording does not re-convert a million batch losses every frame."""

    def __init__(self) -> None:
        self._array = np.empty(0)

    def get(self, values: Sequence[float]) -> np.ndarray:
        n, old = len(values), len(self._array)
        if old and n >= old and (values[old - 1] == self._array[-1] or values[old - 1] != values[old - 1]):
            if n > old:
                self._array = np.concatenate([self._array, np.asarray(values[old:], dtype=np.float64)])
        else:
            self._array = np.asarray(values, dtype=np.float64)
        return self._array


class FrameRenderer:
    """Paints frames of one `FrameSpec`. Not shared between threads: each thread makes its own."""

    def __init__(self, spec: FrameSpec) -> None:
        self.spec = spec
        # Below 720p text shrinks less than the frame, or a 360p GIF would have unreadable 6-pixel print.
        self.unit = max(spec.height / 720, min(0.62, spec.height / 400))
        self._canvas = CanvasRenderer()
        self._areas = self._place()
        self._train_loss = _TailCache()
        self._test_loss = _TailCache()
        self._batch_loss = _TailCache()
        self._points_key: tuple | None = None
        self._points: dict[str, np.ndarray] = {}
        self._samples_layer: tuple[tuple, QImage] | None = None

    # ------------------------------------------------------------------------------------- public

    def render(
        self,
        snapshot: Snapshot,
        output_map: OutputMap | None = None,
        history: History | None = None,
        dataset: Dataset | None = None,
        caption: str | None = None,
        target: QImage | None = None,
    ) -> QImage:
        """The frame for `snapshot`, exactly spec.width × spec.height, Format_ARGB32_Premultiplied, opaque.

        `output_map` is the decision map for planar data (None: the panel shows the points only);
        `history` defaults to the snapshot's; `caption` to `caption_for`. Painting into `target` (an
        image of the right size and format) reuses its memory, which a long recording wants.
        """
        spec = self.spec
        image = target
        if (
            image is None
            or image.width() != spec.width
            or image.height() != spec.height
            or image.format() != QImage.Format.Format_ARGB32_Premultiplied
        ):
            image = QImage(spec.width, spec.height, QImage.Format.Format_ARGB32_Premultiplied)
        pal = palette(spec.dark)
        mode = resolve_mode(snapshot, spec.mode)
        history = snapshot.history if history is None else history
        painter = QPainter(image)
        try:
            painter.fillRect(QRectF(0, 0, spec.width, spec.height), qcolor(pal.background))
            areas = self._areas
            self._paint_canvas(painter, areas.canvas, snapshot, mode)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            if areas.data is not None:
                self._paint_data(painter, areas.data, snapshot, output_map, dataset, pal)
            if areas.loss is not None:
                self._paint_loss(painter, areas.loss, snapshot, history, pal)
            if areas.title is not None:
                self._paint_title(painter, areas.title, pal)
            text = caption_for(snapshot, spec.mode) if caption is None else caption
            self._paint_caption(painter, areas.caption, snapshot, text, pal)
        finally:
            painter.end()
        return image

    def key_colours(self) -> np.ndarray:
        """(n, 3) uint8: the colours frames are made of (palette, scales, tints), for an encoder with a
        limited palette (GIF) to reproduce exactly."""
        pal = palette(self.spec.dark)
        dark = self.spec.dark
        base = [getattr(pal, name) for name in Palette.__dataclass_fields__]
        chrome = [mix(pal.background, pal.text, t) for t in (0.025, 0.07, 0.1, 0.16, 0.18, 0.35)]
        bands = [
            mix(pal.background, getattr(pal, k), t)
            for k in ("forward", "backward", "loss", "update")
            for t in (0.12, 0.18, 0.5)
        ]
        classes = [class_color(k, dark) for k in range(6)]
        lut = diverging_lut(dark)[::8]
        scale = [((int(c) >> 16) & 255, (int(c) >> 8) & 255, int(c) & 255) for c in lut]
        tints = [mix(pal.background, c, _MAP_STRENGTH) for c in scale[::2]]
        tints += [mix(pal.background, c, t) for c in classes[:3] for t in (_MAP_FLOOR, 0.3, _MAP_STRENGTH)]
        edges = [
            mix(pal.background, hue, 0.3 + 0.7 * (level + 0.5) / 8)
            for hue in (pal.edge_negative, pal.edge_positive)
            for level in range(0, 8, 2)
        ]
        lines = [_TRAIN[dark], _TEST[dark], mix(pal.background, pal.muted, 0.6)]
        return np.array(base + chrome + bands + classes + scale + tints + edges + lines, dtype=np.uint8)

    # ------------------------------------------------------------------------------------- layout

    def _place(self) -> _Areas:
        spec, u = self.spec, self.unit
        w, h = float(spec.width), float(spec.height)
        top = 0.0
        title = None
        if spec.title:
            title = QRectF(0, 0, w, 58 * u)
            top = title.bottom()
        caption = QRectF(0, h - 64 * u, w, 64 * u)
        body = QRectF(0, top, w, caption.top() - top)
        if spec.layout == "canvas":
            return _Areas(title, body, None, None, caption)
        pad = 12 * u
        if w / h >= 1.3:
            side = max(min(0.36 * w, 1.05 * body.height()), 200 * u)
            canvas = QRectF(0, top, w - side, body.height())
            column = QRectF(canvas.right(), top + pad, side - pad, body.height() - 2 * pad)
            split = column.top() + 0.58 * column.height()
            data = QRectF(column.left(), column.top(), column.width(), split - column.top() - pad / 2)
            loss = QRectF(column.left(), split + pad / 2, column.width(), column.bottom() - split - pad / 2)
        else:  # narrow or portrait: the panels go under the network, side by side
            panels_h = 0.4 * body.height()
            canvas = QRectF(0, top, w, body.height() - panels_h)
            row = QRectF(pad, canvas.bottom(), w - 2 * pad, panels_h - pad)
            data = QRectF(row.left(), row.top(), row.width() / 2 - pad / 2, row.height())
            loss = QRectF(data.right() + pad, row.top(), row.width() / 2 - pad / 2, row.height())
        return _Areas(title, canvas, data, loss, caption)

    # ------------------------------------------------------------------------------------- canvas

    def _paint_canvas(self, painter: QPainter, rect: QRectF, snapshot: Snapshot, mode: str) -> None:
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
        options = CanvasOptions(mode=mode, dark=self.spec.dark)
        painter.save()
        painter.setClipRect(rect)
        painter.translate(rect.topLeft())
        painter.scale(scale, scale)
        self._canvas.paint(
            painter, QRectF(0, 0, rect.width() / scale, rect.height() / scale), snapshot, options
        )
        painter.restore()

    # ------------------------------------------------------------------------------------- title and caption

    def _paint_title(self, painter: QPainter, rect: QRectF, pal: Palette) -> None:
        u = self.unit
        painter.fillRect(rect, qcolor(mix(pal.background, pal.text, 0.07)))
        painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.18)), max(1.0, 1.0 * u)))
        painter.drawLine(QPointF(rect.left(), rect.bottom()), QPointF(rect.right(), rect.bottom()))
        brand = "Backprop Studio"
        brand_font = _font(15 * u)
        brand_w = QFontMetricsF(brand_font).horizontalAdvance(brand)
        text_rect = rect.adjusted(24 * u, 0, -(brand_w + 48 * u), 0)
        font = self._fitted_font(self.spec.title, 30 * u, 18 * u, text_rect.width(), bold=True)
        painter.setFont(font)
        painter.setPen(qcolor(pal.text))
        fm = QFontMetricsF(font)
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(self.spec.title, Qt.TextElideMode.ElideRight, text_rect.width()),
        )
        painter.setFont(brand_font)
        painter.setPen(qcolor(pal.muted))
        painter.drawText(
            rect.adjusted(0, 0, -24 * u, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            brand,
        )

    def _paint_caption(
        self, painter: QPainter, rect: QRectF, snapshot: Snapshot, text: str, pal: Palette
    ) -> None:
        u = self.unit
        painter.fillRect(rect, qcolor(mix(pal.background, pal.text, 0.07)))
        painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.18)), max(1.0, 1.0 * u)))
        painter.drawLine(QPointF(rect.left(), rect.top()), QPointF(rect.right(), rect.top()))
        left = rect.left() + 20 * u
        phase = snapshot.phase
        kind = phase.kind if phase is not None else None
        word = {"forward": "FORWARD", "backward": "BACKWARD", "loss": "LOSS", "update": "UPDATE"}.get(
            kind or "", "START"
        )
        if snapshot.divergence:
            word, hue = "STOPPED", pal.warning
        else:
            hue = getattr(pal, kind) if kind is not None else pal.muted
        pill_font = _font(17 * u, bold=True)
        pfm = QFontMetricsF(pill_font)
        pill_w = pfm.horizontalAdvance(word) + 28 * u
        pill_h = pfm.height() + 12 * u
        pill = QRectF(left, rect.center().y() - pill_h / 2, pill_w, pill_h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(qcolor(hue))
        painter.drawRoundedRect(pill, pill_h / 2, pill_h / 2)
        painter.setFont(pill_font)
        painter.setPen(qcolor(readable_text_on(0xFF000000 | (hue[0] << 16) | (hue[1] << 8) | hue[2])))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, word)

        text_rect = QRectF(
            pill.right() + 18 * u, rect.top(), rect.right() - pill.right() - 38 * u, rect.height()
        )
        font = self._fitted_font(text, 25 * u, 15 * u, text_rect.width())
        painter.setFont(font)
        painter.setPen(qcolor(pal.text))
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width()),
        )

    @staticmethod
    def _fitted_font(text: str, largest: float, smallest: float, width: float, bold: bool = False) -> QFont:
        """The largest font from `largest` down to `smallest` pixels in which `text` fits `width`."""
        font = _font(largest, bold)
        advance = QFontMetricsF(font).horizontalAdvance(text)
        if advance > width > 0:
            font = _font(max(smallest, largest * width / advance * 0.98), bold)
        return font

    # ------------------------------------------------------------------------------------- panels

    def _panel(self, painter: QPainter, rect: QRectF, heading: str, note: str, pal: Palette) -> QRectF:
        """A framed panel with a heading (and a note on the right); returns the area inside it."""
        u = self.unit
        painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.16)), max(1.0, 1.0 * u)))
        painter.setBrush(qcolor(mix(pal.background, pal.text, 0.025)))
        painter.drawRoundedRect(rect, 8 * u, 8 * u)
        font = _font(16 * u, bold=True)
        fm = QFontMetricsF(font)
        head = QRectF(rect.left() + 12 * u, rect.top() + 6 * u, rect.width() - 24 * u, fm.height() + 4 * u)
        painter.setFont(font)
        painter.setPen(qcolor(pal.text))
        painter.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, heading)
        if note:
            note_font = _font(14 * u)
            nfm = QFontMetricsF(note_font)
            room = head.width() - fm.horizontalAdvance(heading) - 16 * u
            painter.setFont(note_font)
            painter.setPen(qcolor(pal.muted))
            painter.drawText(
                head,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                nfm.elidedText(note, Qt.TextElideMode.ElideRight, max(room, 0.0)),
            )
        return QRectF(
            rect.left() + 10 * u,
            head.bottom() + 4 * u,
            rect.width() - 20 * u,
            rect.bottom() - head.bottom() - 10 * u,
        )

    def _axes(
        self,
        painter: QPainter,
        area: QRectF,
        xlim: tuple[float, float],
        ylim: tuple[float, float],
        pal: Palette,
        xlabel: str,
        ylabel: str,
        keep_aspect: bool = False,
        max_x_ticks: int = 5,
    ) -> tuple[QRectF, _Scale]:
        """Draw tick labels and axis names around a plot placed in `area`; returns the plot rectangle and
        the mapping from data to pixels."""
        u = self.unit
        font = _font(12.5 * u)
        fm = QFontMetricsF(font)
        yt = nice_ticks(*ylim, max_ticks=4)
        xt = nice_ticks(*xlim, max_ticks=max_x_ticks)
        ystep = yt[1] - yt[0] if len(yt) > 1 else 1.0
        xstep = xt[1] - xt[0] if len(xt) > 1 else 1.0
        ylabels = [_tick_text(v, ystep) for v in yt]
        label_w = max((fm.horizontalAdvance(t) for t in ylabels), default=0.0)
        left = area.left() + fm.height() + 6 * u + label_w + 6 * u
        bottom = area.bottom() - fm.height() - 6 * u
        plot = QRectF(
            left,
            area.top() + fm.height() / 2,
            area.right() - left - 6 * u,
            bottom - area.top() - fm.height() / 2,
        )
        if keep_aspect and plot.width() > 0 and plot.height() > 0:
            aspect = (xlim[1] - xlim[0]) / max(ylim[1] - ylim[0], 1e-12)
            if plot.width() / plot.height() > aspect:
                w = plot.height() * aspect
                plot = QRectF(plot.left() + (plot.width() - w) / 2, plot.top(), w, plot.height())
            else:
                h = plot.width() / aspect
                plot = QRectF(plot.left(), plot.top() + (plot.height() - h) / 2, plot.width(), h)
        scale = _Scale(plot, xlim, ylim)
        painter.setFont(font)
        grid = QPen(qcolor(mix(pal.background, pal.text, 0.1)), max(1.0, 0.8 * u))
        for v, text in zip(yt, ylabels):
            y = scale.y(v)
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(qcolor(pal.muted))
            painter.drawText(
                QRectF(plot.left() - label_w - 12 * u, y - fm.height() / 2, label_w + 6 * u, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        # The axis name shares the row of tick labels, at its right end, so the plot keeps that height.
        name_w = fm.horizontalAdvance(xlabel) + 8 * u
        name_rect = QRectF(plot.right() - name_w, plot.bottom() + 3 * u, name_w, fm.height())
        for v in xt:
            x = scale.x(v)
            painter.setPen(grid)
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            text = _tick_text(v, xstep)
            tw = fm.horizontalAdvance(text)
            label = QRectF(x - tw / 2 - 2 * u, plot.bottom() + 3 * u, tw + 4 * u, fm.height())
            if label.intersects(name_rect):
                continue
            painter.setPen(qcolor(pal.muted))
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, text)
        painter.setPen(qcolor(pal.text))
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, xlabel)
        painter.setPen(qcolor(pal.muted))
        painter.save()
        painter.translate(area.left() + fm.height() / 2 + 1 * u, plot.center().y())
        painter.rotate(-90)
        painter.drawText(
            QRectF(-plot.height() / 2, -fm.height() / 2, plot.height(), fm.height()),
            Qt.AlignmentFlag.AlignCenter,
            ylabel,
        )
        painter.restore()
        return plot, scale

    # ------------------------------------------------------------------------------------- data panel

    def _paint_data(
        self,
        painter: QPainter,
        rect: QRectF,
        snapshot: Snapshot,
        output_map: OutputMap | None,
        dataset: Dataset | None,
        pal: Palette,
    ) -> None:
        u = self.unit
        if dataset is None:
            inner = self._panel(painter, rect, "Data", "", pal)
            painter.setFont(_font(14 * u))
            painter.setPen(qcolor(pal.muted))
            painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, "no data")
            return
        if dataset.is_planar:
            inner = self._panel(painter, rect, "Data and the network's output", "", pal)
            self._paint_plane(painter, inner, snapshot, output_map, dataset, pal)
        elif dataset.n_inputs == 1:
            inner = self._panel(painter, rect, "Targets and the network's output", "", pal)
            self._paint_curve(painter, inner, snapshot, dataset, pal)
        else:
            inner = self._panel(painter, rect, "Prediction vs target", "exact on the dashed line", pal)
            self._paint_scatter(painter, inner, snapshot, dataset, pal)

    def _legend_icon(self, painter: QPainter, kind: str, rgb: RGB, centre: QPointF, d: float) -> None:
        u = self.unit
        x, y = centre.x(), centre.y()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if kind == "dot":
            painter.setPen(_round_pen(rgb, d))
            painter.drawPoint(centre)
        elif kind == "ring":
            painter.setPen(QPen(qcolor(rgb), 1.8 * u))
            painter.drawEllipse(centre, d / 2, d / 2)
        elif kind == "batch":
            painter.setPen(QPen(qcolor(rgb), 2.2 * u))
            painter.drawEllipse(centre, d * 0.8, d * 0.8)
        elif kind in ("line", "dash"):
            pen = _round_pen(rgb, 2.5 * u)
            if kind == "dash":
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawLine(QPointF(x - d, y), QPointF(x + d, y))
        elif kind == "now":
            painter.setPen(QPen(qcolor(rgb, 150), 1.6 * u, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, y - d * 0.8), QPointF(x, y + d * 0.8))

    def _legend(
        self,
        painter: QPainter,
        area: QRectF,
        items: list[tuple[str, RGB, str]],
        pal: Palette,
        beside: bool = False,
    ) -> QRectF:
        """Icons and labels along the bottom of `area` (or down its right side when `beside`); returns
        what is left for the plot. A row that does not fit gets a smaller font, then loses its last items."""
        u = self.unit
        px = 13 * u
        font = _font(px)
        fm = QFontMetricsF(font)
        d = 9 * u
        icon_w = 2 * d + 6 * u  # room for a line icon, which is the widest
        if beside:
            width = max(fm.horizontalAdvance(text) for _, _, text in items) + icon_w + 8 * u
            step = fm.height() + 6 * u
            top = area.top() + max(0.0, (area.height() - step * len(items)) / 2)
            left = area.right() - width
            painter.setFont(font)
            for n, (kind, rgb, text) in enumerate(items):
                y = top + step * (n + 0.5)
                self._legend_icon(painter, kind, rgb, QPointF(left + icon_w / 2, y), d)
                painter.setPen(qcolor(pal.text))
                painter.drawText(
                    QRectF(left + icon_w, y - fm.height() / 2, width - icon_w, fm.height()),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    text,
                )
            return QRectF(area.left(), area.top(), area.width() - width - 6 * u, area.height())

        gap = 14 * u
        needed = sum(icon_w + fm.horizontalAdvance(text) + gap for _, _, text in items) - gap
        if needed > area.width():
            font = _font(max(px * 0.8, px * area.width() / needed))
            fm = QFontMetricsF(font)
        painter.setFont(font)
        y = area.bottom() - fm.height() / 2
        x = area.left() + 2 * u
        for kind, rgb, text in items:
            tw = fm.horizontalAdvance(text)
            if x + icon_w + tw > area.right() + 1:
                break
            self._legend_icon(painter, kind, rgb, QPointF(x + icon_w / 2 - 3 * u, y), d)
            painter.setPen(qcolor(pal.text))
            painter.drawText(
                QRectF(x + icon_w, y - fm.height() / 2, tw + 2, fm.height()),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x += icon_w + tw + gap
        return QRectF(area.left(), area.top(), area.width(), area.height() - fm.height() - 6 * u)

    def _class_items(self, dataset: Dataset) -> list[tuple[str, RGB, str]]:
        dark = self.spec.dark
        if dataset.labels_train is not None:
            return [("dot", class_color(k, dark), f"class {k}") for k in range(max(dataset.classes, 2))]
        return []

    def _paint_plane(
        self,
        painter: QPainter,
        inner: QRectF,
        snapshot: Snapshot,
        output_map: OutputMap | None,
        dataset: Dataset,
        pal: Palette,
    ) -> None:
        u = self.unit
        items = self._class_items(dataset)
        if len(dataset.x_test):
            items.append(("ring", pal.text, "test"))
        items.append(("batch", pal.selection, "this batch"))
        if dataset.task == "classification":
            items.append(("line", pal.text, "boundary"))
        area = self._legend(painter, inner, items, pal, beside=inner.width() > 1.4 * inner.height())
        if output_map is not None:
            xmin, xmax, ymin, ymax = output_map.extent
        else:
            from backprop_studio.core.analysis.evaluation import plane_extent

            xmin, xmax, ymin, ymax = plane_extent(dataset)
        plot, scale = self._axes(painter, area, (xmin, xmax), (ymin, ymax), pal, "x₁", "x₂", keep_aspect=True)
        painter.save()
        painter.setClipRect(plot)
        if output_map is not None:
            self._paint_map(painter, plot, output_map, dataset)
            self._paint_boundary(painter, plot, output_map, dataset, pal)
        pts = self._plane_points(dataset, scale)
        self._paint_samples(painter, pts, dataset, snapshot, pal, plot)
        painter.restore()
        painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.35)), max(1.0, 1.0 * u)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(plot)

    def _plane_points(self, dataset: Dataset, scale: _Scale) -> dict[str, np.ndarray]:
        key = (id(dataset), scale.key())
        if key != self._points_key:
            self._points = {
                "train": scale.points(dataset.points_train[:_MAX_POINTS]),
                "test": scale.points(dataset.points_test[:_MAX_POINTS])
                if dataset.points_test is not None
                else np.zeros((0, 2)),
            }
            self._points_key = key
        return self._points

    def _sample_colours(self, dataset: Dataset, split: str, n: int) -> list[tuple[RGB, np.ndarray]]:
        """Groups of (colour, row indices) for the first n samples of a split."""
        labels = dataset.labels_train if split == "train" else dataset.labels_test
        dark = self.spec.dark
        if labels is not None:
            labels = np.asarray(labels[:n])
            return [(class_color(int(k), dark), np.flatnonzero(labels == k)) for k in np.unique(labels)]
        y = (dataset.y_train if split == "train" else dataset.y_test)[:n, 0]
        idx = lut_indices(y - self._value_centre(dataset), 1.0) // 32  # eight shades are plenty for dots
        lut = diverging_lut(dark)
        groups = []
        for level in np.unique(idx):
            argb = int(lut[min(int(level) * 32 + 16, 255)])
            groups.append((((argb >> 16) & 255, (argb >> 8) & 255, argb & 255), np.flatnonzero(idx == level)))
        return groups

    @staticmethod
    def _value_centre(dataset: Dataset) -> float:
        return 0.0 if dataset.task != "classification" else 0.5

    def _paint_samples(
        self,
        painter: QPainter,
        pts: dict[str, np.ndarray],
        dataset: Dataset,
        snapshot: Snapshot,
        pal: Palette,
        plot: QRectF,
    ) -> None:
        """The samples (from a cached layer: they never move) and rings around this batch's."""
        u = self.unit
        n_all = len(pts["train"]) + len(pts["test"])
        d = (9.0 if n_all <= 400 else 6.5 if n_all <= 1500 else 4.5) * u
        key = (self._points_key, self.spec.dark, d)
        if self._samples_layer is None or self._samples_layer[0] != key:
            self._samples_layer = (key, self._samples_image(pts, dataset, pal, plot, d))
        # The layer starts on a whole pixel, so its dots land exactly where the rings below are drawn.
        painter.drawImage(QPointF(math.floor(plot.left()), math.floor(plot.top())), self._samples_layer[1])
        batch = snapshot.batch_indices
        if batch is not None and len(batch) and len(pts["train"]):
            rows = np.asarray(batch)
            rows = rows[rows < len(pts["train"])]
            painter.setBrush(Qt.BrushStyle.NoBrush)
            r = d * 0.95 + 2.5 * u
            painter.setPen(QPen(qcolor(pal.background), 4.5 * u))
            for x, y in pts["train"][rows]:
                painter.drawEllipse(QPointF(x, y), r, r)
            painter.setPen(QPen(qcolor(pal.selection), 2.2 * u))
            for x, y in pts["train"][rows]:
                painter.drawEllipse(QPointF(x, y), r, r)

    def _samples_image(
        self, pts: dict[str, np.ndarray], dataset: Dataset, pal: Palette, plot: QRectF, d: float
    ) -> QImage:
        """Training samples filled, test samples hollow, on a transparent layer the size of the plot."""
        u = self.unit
        left, top = math.floor(plot.left()), math.floor(plot.top())
        image = QImage(
            max(1, math.ceil(plot.right()) - left),
            max(1, math.ceil(plot.bottom()) - top),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.fill(0)
        layer = QPainter(image)
        layer.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        layer.translate(-left, -top)
        outline = pal.background
        for split in ("test", "train"):
            p = pts[split]
            if not len(p):
                continue
            groups = self._sample_colours(dataset, split, len(p))
            if split == "train":
                layer.setPen(_round_pen(outline, d + 2.4 * u))
                _draw_points(layer, p)
                for rgb, rows in groups:
                    layer.setPen(_round_pen(rgb, d))
                    _draw_points(layer, p[rows])
            else:
                for rgb, rows in groups:
                    layer.setPen(_round_pen(rgb, d + 1.5 * u))
                    _draw_points(layer, p[rows])
                layer.setPen(_round_pen(outline, d - 2.5 * u))
                _draw_points(layer, p)
        layer.end()
        return image

    def _paint_map(self, painter: QPainter, plot: QRectF, om: OutputMap, dataset: Dataset) -> None:
        rgb = self._map_colours(om, dataset)
        res_h, res_w = rgb.shape[:2]
        # Row 0 of the map is at ymin, which is the bottom of the plot.
        argb = np.empty((res_h, res_w), dtype=np.uint32)
        flipped = rgb[::-1].astype(np.uint32)
        argb[:] = 0xFF000000 | (flipped[..., 0] << 16) | (flipped[..., 1] << 8) | flipped[..., 2]
        image = QImage(argb.data, res_w, res_h, 4 * res_w, QImage.Format.Format_ARGB32)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(plot, image)
        painter.restore()

    def _map_colours(self, om: OutputMap, dataset: Dataset) -> np.ndarray:
        """(res, res, 3) uint8: the output tinted over the background, as the app's data view shows it."""
        dark = self.spec.dark
        bg = np.array(palette(dark).background, dtype=float)
        if om.classes is None:
            argb = diverging_lut(dark)[lut_indices(om.values - om.threshold, om.half_range)]
            rgb = np.stack([(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF], axis=-1).astype(float)
            out = bg + (rgb - bg) * _MAP_STRENGTH
        else:
            k = max(int(om.classes.max()) + 1, 2)
            colours = np.array([class_color(c, dark) for c in range(k)], dtype=float)
            strength = np.nan_to_num(om.confidence, nan=0.0)
            if om.activation == "softmax":
                n_classes = dataset.classes or k
                chance = 1.0 / n_classes
                strength = np.clip((strength - chance) / (1.0 - chance), 0.0, 1.0)
            tint = _MAP_FLOOR + (_MAP_STRENGTH - _MAP_FLOOR) * strength
            out = bg + (colours[om.classes] - bg) * tint[..., None]
        return np.clip(np.round(out), 0, 255).astype(np.uint8)

    def _paint_boundary(
        self, painter: QPainter, plot: QRectF, om: OutputMap, dataset: Dataset, pal: Palette
    ) -> None:
        if dataset.task != "classification":
            return
        res = om.resolution
        if om.classes is None:
            segments = [contour_segments(om.values, om.threshold)]
        elif om.margins is not None:
            present = np.unique(om.classes)
            segments = [contour_segments(om.margins[k], 0.0) for k in present] if len(present) > 1 else []
        else:
            segments = []
        if not segments:
            return
        lines = np.concatenate(segments)
        if not len(lines):
            return
        # Grid point (col, row) is the centre of its cell; rows rise with x2, so they run up the plot.
        sx, sy = plot.width() / res, plot.height() / res
        out = np.empty_like(lines)
        out[:, 0::2] = plot.left() + (lines[:, 0::2] + 0.5) * sx
        out[:, 1::2] = plot.bottom() - (lines[:, 1::2] + 0.5) * sy
        painter.setPen(_round_pen(pal.text, 2.0 * self.unit, 190))
        _draw_lines(painter, out)

    def _paint_curve(
        self, painter: QPainter, inner: QRectF, snapshot: Snapshot, dataset: Dataset, pal: Palette
    ) -> None:
        u = self.unit
        dark = self.spec.dark
        units = dataset.n_outputs
        items: list[tuple[str, RGB, str]] = []
        names = dataset.target_names or tuple(f"y{k + 1}" for k in range(units))
        for k in range(units):
            rgb = class_color(k, dark) if units > 1 else pal.text
            items.append(("line", rgb, f"prediction {names[k]}" if units > 1 else "prediction"))
        items.append(("dot", pal.positive, "train"))
        if len(dataset.x_test):
            items.append(("ring", pal.positive, "test"))
        items.append(("batch", pal.selection, "this batch"))
        area = self._legend(painter, inner, items, pal)
        lo, hi = input_range(dataset)
        x, out = input_curve(snapshot.weights, snapshot.biases, snapshot.activations, lo, hi)
        ys = [dataset.y_train[:_MAX_POINTS], dataset.y_test[:_MAX_POINTS], out[np.isfinite(out).all(axis=1)]]
        ylo, yhi = _finite_range(np.concatenate([y.ravel() for y in ys]))
        plot, scale = self._axes(painter, area, (lo, hi), (ylo, yhi), pal, _input_name(dataset), "output")
        painter.save()
        painter.setClipRect(plot)
        for k in range(units):
            rgb = class_color(k, dark) if units > 1 else pal.text
            path = QPainterPath()
            pts = scale.points(np.stack([x, out[:, k]], axis=1))
            finite = np.isfinite(pts).all(axis=1)
            first = True
            for px, py in pts[finite]:
                if first:
                    path.moveTo(px, py)
                    first = False
                else:
                    path.lineTo(px, py)
            painter.setPen(_round_pen(rgb, 3.0 * u))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        pts = {
            "train": np.concatenate(
                [
                    scale.points(
                        np.stack([dataset.x_train[:_MAX_POINTS, 0], dataset.y_train[:_MAX_POINTS, k]], 1)
                    )
                    for k in range(units)
                ]
            ),
            "test": np.concatenate(
                [
                    scale.points(
                        np.stack([dataset.x_test[:_MAX_POINTS, 0], dataset.y_test[:_MAX_POINTS, k]], 1)
                    )
                    for k in range(units)
                ]
            ),
        }
        self._paint_unit_samples(painter, pts, dataset, snapshot, pal, units)
        painter.restore()
        painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.35)), max(1.0, 1.0 * u)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(plot)

    def _paint_scatter(
        self, painter: QPainter, inner: QRectF, snapshot: Snapshot, dataset: Dataset, pal: Palette
    ) -> None:
        u = self.unit
        dark = self.spec.dark
        units = dataset.n_outputs
        names = dataset.target_names or tuple(f"y{k + 1}" for k in range(units))
        items: list[tuple[str, RGB, str]] = []
        if units > 1:
            items += [("dot", class_color(k, dark), names[k]) for k in range(units)]
        else:
            items.append(("dot", pal.positive, "train"))
        if len(dataset.x_test):
            items.append(("ring", pal.positive if units == 1 else pal.text, "test"))
        items.append(("batch", pal.selection, "this batch"))
        area = self._legend(painter, inner, items, pal, beside=inner.width() > 1.4 * inner.height())
        with np.errstate(all="ignore"):
            pred_train = predict(
                snapshot.weights, snapshot.biases, snapshot.activations, dataset.x_train[:_MAX_POINTS]
            )
            pred_test = predict(
                snapshot.weights, snapshot.biases, snapshot.activations, dataset.x_test[:_MAX_POINTS]
            )
        y_train, y_test = dataset.y_train[:_MAX_POINTS], dataset.y_test[:_MAX_POINTS]
        lo, hi = _finite_range(np.concatenate([a.ravel() for a in (y_train, y_test, pred_train, pred_test)]))
        plot, scale = self._axes(
            painter, area, (lo, hi), (lo, hi), pal, "target", "prediction", keep_aspect=True
        )
        painter.save()
        painter.setClipRect(plot)
        painter.setPen(QPen(qcolor(pal.muted), 1.5 * u, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(scale.x(lo), scale.y(lo)), QPointF(scale.x(hi), scale.y(hi)))
        pts = {
            "train": np.concatenate(
                [scale.points(np.stack([y_train[:, k], pred_train[:, k]], 1)) for k in range(units)]
            ),
            "test": np.concatenate(
                [scale.points(np.stack([y_test[:, k], pred_test[:, k]], 1)) for k in range(units)]
            ),
        }
        self._paint_unit_samples(painter, pts, dataset, snapshot, pal, units)
        painter.restore()
        painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.35)), max(1.0, 1.0 * u)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(plot)

    def _paint_unit_samples(
        self,
        painter: QPainter,
        pts: dict[str, np.ndarray],
        dataset: Dataset,
        snapshot: Snapshot,
        pal: Palette,
        units: int,
    ) -> None:
        """Samples drawn once per output unit (points stacked unit by unit), coloured by unit."""
        u = self.unit
        dark = self.spec.dark
        d = 9.0 * u
        for split in ("test", "train"):
            p = pts[split]
            per_unit = len(p) // max(units, 1)
            finite = np.isfinite(p).all(axis=1)
            for k in range(units):
                rgb = class_color(k, dark) if units > 1 else pal.positive
                part = p[k * per_unit : (k + 1) * per_unit][finite[k * per_unit : (k + 1) * per_unit]]
                if split == "train":
                    painter.setPen(_round_pen(pal.background, d + 2.4 * u))
                    _draw_points(painter, part)
                    painter.setPen(_round_pen(rgb, d))
                    _draw_points(painter, part)
                else:
                    painter.setPen(_round_pen(rgb, d + 1.5 * u))
                    _draw_points(painter, part)
                    painter.setPen(_round_pen(pal.background, d - 2.5 * u))
                    _draw_points(painter, part)
        batch = snapshot.batch_indices
        train = pts["train"]
        per_unit = len(train) // max(units, 1)
        if batch is not None and len(batch) and per_unit:
            rows = np.asarray(batch)
            rows = rows[rows < per_unit]
            sel = np.concatenate([rows + k * per_unit for k in range(units)])
            r = d * 0.95 + 2.5 * u
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for pen in (QPen(qcolor(pal.background), 4.5 * u), QPen(qcolor(pal.selection), 2.2 * u)):
                painter.setPen(pen)
                for x, y in train[sel]:
                    if math.isfinite(x) and math.isfinite(y):
                        painter.drawEllipse(QPointF(x, y), r, r)

    # ------------------------------------------------------------------------------------- loss panel

    def _paint_loss(
        self, painter: QPainter, rect: QRectF, snapshot: Snapshot, history: History, pal: Palette
    ) -> None:
        u = self.unit
        dark = self.spec.dark
        train = self._train_loss.get(history.train_loss)
        test = self._test_loss.get(history.test_loss)
        batch = self._batch_loss.get(history.batch_loss)
        if len(train) and math.isfinite(train[-1]):
            note = f"train {format_value(float(train[-1]))}"
            if len(test) and math.isfinite(test[-1]):
                note += f" · test {format_value(float(test[-1]))}"
        elif len(batch):
            note = f"last batch {format_value(float(batch[-1]))}"
        else:
            note = ""
        inner = self._panel(painter, rect, "Loss", note, pal)
        items: list[tuple[str, RGB, str]] = [("line", _TRAIN[dark], "train")]
        if np.isfinite(test).any():
            items.append(("dash", _TEST[dark], "test"))
        items.append(("line", mix(pal.background, pal.muted, 0.6), "each batch"))
        items.append(("now", pal.text, f"now: epoch {snapshot.epoch + 1}"))
        area = self._legend(painter, inner, items, pal)

        per_epoch = max(snapshot.batches_per_epoch, 1)
        now = self._position_in_epochs(snapshot)
        x_batch = (np.arange(len(batch)) + 1) / per_epoch
        x_epoch = np.arange(1, len(train) + 1, dtype=np.float64)
        xmax = max(
            now, float(x_epoch[-1]) if len(x_epoch) else 0.0, x_batch[-1] if len(x_batch) else 0.0, 1.0
        )
        visible = [a[np.isfinite(a)] for a in (train, test, batch) if len(a)]
        values = np.concatenate(visible) if visible else np.zeros(0)
        ymax = float(values.max()) * 1.08 if len(values) and values.max() > 0 else 1.0
        ymin = min(0.0, float(values.min())) if len(values) else 0.0
        plot, scale = self._axes(
            painter, area, (0.0, xmax), (ymin, ymax), pal, "epoch", "loss", max_x_ticks=6
        )
        painter.save()
        painter.setClipRect(plot.adjusted(-4 * u, -4 * u, 4 * u, 4 * u))
        if len(batch):
            xs, ys = _decimate(x_batch, batch, int(plot.width()))
            grey = mix(pal.background, pal.muted, 0.6)
            painter.setPen(_round_pen(grey, 1.3 * u))
            self._polyline(painter, scale, xs, ys)
            if len(batch) <= 40:  # a few batches make no line yet: show each as a dot
                painter.setPen(_round_pen(grey, 5 * u))
                keep = np.isfinite(batch)
                _draw_points(painter, scale.points(np.stack([x_batch[keep], batch[keep]], 1)))
        for series, rgb, style in (
            (test, _TEST[dark], Qt.PenStyle.DashLine),
            (train, _TRAIN[dark], Qt.PenStyle.SolidLine),
        ):
            if not len(series):
                continue
            xs, ys = _decimate(x_epoch[: len(series)], series, int(plot.width()))
            pen = _round_pen(rgb, 3.0 * u)
            pen.setStyle(style)
            painter.setPen(pen)
            self._polyline(painter, scale, xs, ys)
            if len(series) <= 60:
                painter.setPen(_round_pen(rgb, 7 * u))
                keep = np.isfinite(series)
                _draw_points(painter, scale.points(np.stack([x_epoch[: len(series)][keep], series[keep]], 1)))
        # Where training is now: a vertical line labelled with the epoch.
        x = scale.x(now)
        hue = pal.text
        painter.setPen(QPen(qcolor(hue, 150), 1.6 * u, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.restore()
        painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.35)), max(1.0, 1.0 * u)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(plot)

    @staticmethod
    def _position_in_epochs(snapshot: Snapshot) -> float:
        """How far training is, in epochs (fractions within an epoch by batch and phase)."""
        per_epoch = max(snapshot.batches_per_epoch, 1)
        within = 0.0
        if snapshot.phase is not None:
            order = phases_of_batch(snapshot.n_layers)
            within = (order.index(snapshot.phase) + 1) / len(order) if snapshot.phase in order else 1.0
        return snapshot.epoch + (snapshot.batch + within) / per_epoch

    @staticmethod
    def _polyline(painter: QPainter, scale: _Scale, xs: np.ndarray, ys: np.ndarray) -> None:
        pts = scale.points(np.stack([xs, ys], axis=1))
        finite = np.isfinite(pts).all(axis=1)
        if finite.sum() < 2:
            return
        pts = pts[finite]
        segments = np.concatenate([pts[:-1], pts[1:]], axis=1)
        _draw_lines(painter, segments)


@dataclass(frozen=True)
class _Scale:
    """Data coordinates → pixels for one plot rectangle (y up)."""

    plot: QRectF
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def key(self) -> tuple:
        p = self.plot
        return (p.x(), p.y(), p.width(), p.height(), self.xlim, self.ylim)

    def x(self, v: float) -> float:
        x0, x1 = self.xlim
        return self.plot.left() + (v - x0) / (x1 - x0 or 1.0) * self.plot.width()

    def y(self, v: float) -> float:
        y0, y1 = self.ylim
        return self.plot.bottom() - (v - y0) / (y1 - y0 or 1.0) * self.plot.height()

    def points(self, xy: np.ndarray) -> np.ndarray:
        xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        out = np.empty_like(xy)
        with np.errstate(all="ignore"):
            out[:, 0] = self.plot.left() + (xy[:, 0] - x0) / (x1 - x0 or 1.0) * self.plot.width()
            out[:, 1] = self.plot.bottom() - (xy[:, 1] - y0) / (y1 - y0 or 1.0) * self.plot.height()
        return out


def _finite_range(values: np.ndarray) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    if not len(values):
        return (-1.0, 1.0)
    lo, hi = float(values.min()), float(values.max())
    margin = (hi - lo) * 0.08 if hi > lo else 0.5
    return (lo - margin, hi + margin)


def _input_name(dataset: Dataset) -> str:
    return dataset.feature_names[0] if dataset.feature_names else "input"


def _decimate(xs: np.ndarray, ys: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ~2 points per pixel column: bucket means, so a million-batch history draws as fast as a short one."""
    n = len(xs)
    limit = max(2 * width, 2)
    if n <= limit:
        return xs, ys
    size = -(-n // limit)
    whole = (n // size) * size
    xb = xs[:whole].reshape(-1, size).mean(axis=1)
    with np.errstate(all="ignore"):
        yb = ys[:whole].reshape(-1, size).mean(axis=1)
    if whole < n:
        xb = np.append(xb, xs[whole:].mean())
        yb = np.append(yb, ys[whole:].mean())
    return xb, yb


__all__ = [
    "FRAME_MODES",
    "LAYOUTS",
    "FrameRenderer",
    "FrameSpec",
    "bgra_view",
    "caption_for",
    "contour_segments",
    "nice_ticks",
    "qimage_to_rgb",
    "resolve_mode",
]
