"""Draws the network (nodes, weighted edges, biases, the current phase) with a QPainter, no widget needed.

The app's `NetworkView` and the offscreen video recorder both paint through `CanvasRenderer`, so a
recorded frame looks exactly like the window. Every number drawn comes from the `Snapshot`; this module
only picks colours, sizes and positions (and the batch mean / focused sample it is asked to show).

Speed matters more than anywhere else in the GUI: a 784-64-10 net has 50,000 edges that change every
frame. Edge endpoints are computed once per layout as one NumPy array; each frame only sorts edges into
~16 (sign, width) buckets with NumPy and hands each bucket to `QPainter.drawLines` as a pointer into
that array, so no Python code runs per edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shiboken6
from backprop_studio.core.training.snapshot import Snapshot
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
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPainter,
    QPen,
    QPolygonF,
    QTransform,
)

MODES = ("values", "gradients")

VALUES_MAX_NEURONS = 40  # automatic show_values: write numbers only when they can all fit
EDGE_LABELS_MAX_EDGES = 30
ANTIALIAS_MAX_EDGES = 2_000
FAINT_DROP_MIN_EDGES = 5_000
FAINT_FRACTION = 0.02
# In a big net each gap draws only its strongest edges: at most EDGES_PER_PIXEL per pixel of on-screen
# column height (and at least MIN_GAP_BUDGET). Past that a bundle is a solid block whatever is drawn,
# and rasterising the hidden edges would cost more than the whole rest of the frame.
EDGES_PER_PIXEL = 4.0
MIN_GAP_BUDGET = 2_000
SIGN_SLICE = 96  # edges per drawLines call when interleaving the two signs of one width level
WIDTH_LEVELS = 8
# A non-antialiased pen of width <= 1 goes through Qt's cosmetic stroker, which is ~5x slower for steep
# lines than the polygon rasteriser used for anything wider; 1.05 px looks the same and is fast.
FAST_HAIRLINE = 1.05
DENSE_RADIUS = 2.2  # below this radius a column is drawn as a colour strip instead of circles
# Gradient-check overlay: each edge coloured by its relative error |analytic − numeric| / scale, in four
# bands: within the core's tolerance, then two decades of "suspicious", then plainly wrong. Worse bands
# are also wider, so the verdict does not rest on hue alone.
OVERLAY_BOUNDS = (1e-6, 1e-4, 1e-2)
OVERLAY_LABELS = ("≤ 1e-6 agrees", "≤ 1e-4", "≤ 1e-2", "> 1e-2 wrong")
OVERLAY_WIDTHS = (1.3, 2.2, 3.2, 4.6)  # times the unit


@dataclass(frozen=True)
class CanvasOptions:
    """What to show. Layers are numbered as in the signals: 0 = inputs column, k = layer k."""

    mode: str = "values"  # "values": a, w, b; "gradients": ∂L/∂z, ∂L/∂W, ∂L/∂b
    focus: int | None = None  # sample of the batch whose per-sample values are shown; None = batch mean
    show_values: bool | None = None  # None = automatic (small nets only)
    show_biases: bool = True
    heatmaps: bool = False
    dark: bool = False
    selected_neuron: tuple[int, int] | None = None  # (layer, index)
    selected_edge: tuple[int, int, int] | None = None  # (layer it feeds, i in layer-1, j in layer)
    highlight_layers: frozenset[int] = frozenset()
    highlight_neurons: frozenset[tuple[int, int]] = frozenset()
    highlight_edges: frozenset[tuple[int, int, int]] = frozenset()
    antialias: bool | None = None  # None = automatic (off above ANTIALIAS_MAX_EDGES edges)
    show_legend: bool = True
    # Per layer k (1-based, index k-1), an (n_in, n_out) array of gradient-check relative errors, NaN
    # where not checked: edges are then coloured by agreement instead of by value (see OVERLAY_BOUNDS).
    edge_overlay: tuple[np.ndarray | None, ...] | None = field(default=None, compare=False)
    # Per column (0 = inputs), a short warning shown after the neuron count, e.g. "2 dead"; "" for none.
    column_notes: tuple[str, ...] | None = None


@dataclass(eq=False)
class Layout:
    """Where everything goes for one set of layer sizes in one rectangle (all in painter coordinates)."""

    sizes: tuple[int, ...]
    rect: QRectF  # the visible area
    content: QRectF  # the area the network is spread over: `rect` zoomed and panned
    unit: float  # 1.0 at 1280x720; text and strokes scale with it
    xs: np.ndarray  # (columns,) x of each column
    ys: tuple[np.ndarray, ...]  # node centre y per column
    spacing: tuple[float, ...]
    radius: tuple[float, ...]
    dense: tuple[bool, ...]  # drawn as a colour strip
    edge_lines: np.ndarray  # (E, 4) float64 x1 y1 x2 y2, gap by gap, each gap in weights[k].ravel() order
    edge_start: tuple[int, ...]  # gap k (1-based) is edge_lines[edge_start[k-1]:edge_start[k]]
    max_edge_width: float
    header_top: float
    content_top: float
    content_bottom: float
    serial: int = 0  # distinguishes layouts for caches keyed on geometry

    @property
    def n_edges(self) -> int:
        return len(self.edge_lines)

    def node_center(self, layer: int, index: int) -> QPointF:
        return QPointF(float(self.xs[layer]), float(self.ys[layer][index]))

    def edge_midpoint(self, layer: int, i: int, j: int) -> QPointF:
        x1, y1, x2, y2 = self.edge_lines[self.edge_start[layer - 1] + i * self.sizes[layer] + j]
        return QPointF((x1 + x2) / 2, (y1 + y2) / 2)

    def column_span(self, layer: int) -> tuple[float, float]:
        """Top and bottom of the column's nodes."""
        ys, r = self.ys[layer], self.radius[layer]
        half = self.spacing[layer] / 2 if self.dense[layer] else r
        return float(ys[0]) - half, float(ys[-1]) + half

    def bias_marker_rect(self, layer: int, index: int) -> QRectF | None:
        """The small square that stands for neuron `index`'s bias; None where there is no room for one."""
        r = self.radius[layer]
        if layer == 0 or self.dense[layer] or r < 4 * self.unit:
            return None
        side = max(5.0 * self.unit, 0.36 * r)
        cx = float(self.xs[layer]) - 0.74 * r
        cy = float(self.ys[layer][index]) + 0.74 * r
        return QRectF(cx - side / 2, cy - side / 2, side, side)


@dataclass(frozen=True)
class PhaseBand:
    rect: QRectF
    label: str
    kind: str  # a Palette attribute: forward, backward, loss or update
    gaps: frozenset[int]  # layers whose incoming edges the band covers


@dataclass
class FrameStats:
    """What the last `paint` decided, for tests, benchmarks and the widget's tooltip policy."""

    edges_total: int = 0
    edges_drawn: int = 0  # edges with a value (W, or ∂L/∂W once computed) drawn as lines
    edges_with_values: int = 0  # edges that have a value this frame; the rest are "not computed yet"
    antialiased: bool = False
    values_shown: bool = False
    edge_labels_shown: bool = False
    heatmaps_shown: bool = False
    biases_shown: bool = True  # bias markers drawn, so clicks on them count
    has_missing: bool = False  # some node or edge is not computed yet in this batch
    band: PhaseBand | None = None  # where the last completed phase is highlighted
    overlay_shown: bool = False  # edges were coloured by the gradient check, not by their values
    overlay_unchecked: int = 0  # edges the gradient check left out (a sample of a big network)
    node_vmax: float = 1.0
    edge_vmax: float = 1.0
    bias_label_rects: list[tuple[QRectF, int, int]] = field(default_factory=list)


def unit_for(rect: QRectF) -> float:
    """Scale of text and strokes for an output of this size: 1 at 1280x720, 1.5 at 1920x1080."""
    return float(min(max(min(rect.width() / 1280, rect.height() / 720), 0.85), 3.0))


def format_value(value: float) -> str:
    """Three significant digits, with a true minus sign so columns of numbers line up and read well."""
    if not np.isfinite(value):
        return "nan" if np.isnan(value) else ("∞" if value > 0 else "−∞")
    if value == 0:
        return "0"
    text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def _font(px: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(7, round(px)))
    font.setBold(bold)
    return font


def _pen(color: QColor, width: float, cap: Qt.PenCapStyle = Qt.PenCapStyle.SquareCap) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(cap)
    return pen


def _draw_lines(painter: QPainter, lines: np.ndarray) -> None:
    """Draw rows of a C-contiguous float64 (n, 4) array without building a QLineF per row.

    QPainter's C++ drawLines takes a pointer to an array of QLineF, which has exactly this memory layout
    (four qreal = double), so the array is handed over as is.
    """
    if lines.dtype != np.float64 or not lines.flags.c_contiguous:  # Qt would read garbage otherwise
        lines = np.ascontiguousarray(lines, dtype=np.float64)
    n = len(lines)
    if n:
        painter.drawLines(shiboken6.wrapInstance(lines.ctypes.data, QLineF), n)


def overlay_levels(errors: np.ndarray) -> np.ndarray:
    """Band 0…3 of each relative error by OVERLAY_BOUNDS (a value on a bound belongs to the better
    band); −1 where NaN, i.e. not checked."""
    errors = np.asarray(errors, dtype=np.float64)
    levels = np.searchsorted(np.array(OVERLAY_BOUNDS), errors, side="left").astype(np.int8)
    levels[np.isnan(errors)] = -1
    return levels


def overlay_colours(pal: Palette) -> tuple[RGB, RGB, RGB, RGB]:
    """Green for agreement through gold and orange to the debugger's red, readable on either background."""
    return (
        mix(pal.background, pal.forward, 0.8),
        pal.update,
        mix(pal.update, pal.warning, 0.55),
        pal.warning,
    )


def _pick(array: np.ndarray | None, focus: int | None) -> np.ndarray | None:
    """The focused sample's row, or the batch mean when there is no (valid) focus."""
    if array is None:
        return None
    if array.ndim == 1:
        return array
    if focus is not None and 0 <= focus < array.shape[0]:
        return array[focus]
    return array.mean(axis=0)


def column_values(snapshot: Snapshot, options: CanvasOptions) -> list[np.ndarray | None]:
    """Per column, the value each neuron shows (a or ∂L/∂z; x or ∂L/∂x for inputs), None if not computed yet."""
    gradients = options.mode == "gradients"
    first = snapshot.dx if gradients else snapshot.x
    cols = [_pick(first, options.focus)]
    for layer in snapshot.layers:
        cols.append(_pick(layer.dz if gradients else layer.a, options.focus))
    return cols


def edge_values(snapshot: Snapshot, options: CanvasOptions) -> list[np.ndarray | None]:
    """Per layer, the (n_in, n_out) matrix the edges show: W or ∂L/∂W."""
    if options.mode == "gradients":
        return [layer.dW for layer in snapshot.layers]
    return list(snapshot.weights)


def bias_values(snapshot: Snapshot, options: CanvasOptions) -> list[np.ndarray | None]:
    if options.mode == "gradients":
        return [layer.db for layer in snapshot.layers]
    return list(snapshot.biases)


def _sample_phrase(snapshot: Snapshot, options: CanvasOptions) -> str:
    batch = None if snapshot.x is None else snapshot.x.shape[0]
    if options.focus is not None and batch is not None and 0 <= options.focus < batch:
        return f"sample {options.focus + 1} of {batch}"
    return "batch mean"


def describe_neuron(snapshot: Snapshot, options: CanvasOptions, layer: int, index: int) -> str:
    """Tooltip text: every quantity of one neuron this batch has computed so far."""
    focus = options.focus
    lines = []
    if layer == 0:
        lines.append(f"Input {index + 1}")
        for name, arr in (("x", snapshot.x), ("∂L/∂x", snapshot.dx)):
            v = _pick(arr, focus)
            lines.append(f"{name} = {format_value(float(v[index])) if v is not None else 'not computed yet'}")
    else:
        state = snapshot.layers[layer - 1]
        title = "Output" if layer == snapshot.n_layers else f"Layer {layer}"
        lines.append(f"{title} · neuron {index + 1} ({snapshot.activations[layer - 1]})")
        for name, arr in (("z", state.z), ("a", state.a), ("∂L/∂a", state.da), ("∂L/∂z", state.dz)):
            v = _pick(arr, focus)
            lines.append(f"{name} = {format_value(float(v[index])) if v is not None else 'not computed yet'}")
        lines.append(f"b = {format_value(float(snapshot.biases[layer - 1][index]))}")
        if state.db is not None:
            lines.append(f"∂L/∂b = {format_value(float(state.db[index]))}")
    lines.append(f"({_sample_phrase(snapshot, options)})")
    return "\n".join(lines)


def describe_edge(snapshot: Snapshot, layer: int, i: int, j: int) -> str:
    state = snapshot.layers[layer - 1]
    source = f"input {i + 1}" if layer == 1 else f"layer {layer - 1} neuron {i + 1}"
    lines = [f"Weight from {source} to layer {layer} neuron {j + 1}"]
    lines.append(f"w = {format_value(float(snapshot.weights[layer - 1][i, j]))}")
    if state.dW is not None:
        lines.append(f"∂L/∂w = {format_value(float(state.dW[i, j]))}")
    if state.delta_W is not None:
        lines.append(f"Δw (last update) = {format_value(float(state.delta_W[i, j]))}")
    return "\n".join(lines)


def describe_bias(snapshot: Snapshot, layer: int, index: int) -> str:
    state = snapshot.layers[layer - 1]
    lines = [f"Bias of layer {layer} neuron {index + 1}"]
    lines.append(f"b = {format_value(float(snapshot.biases[layer - 1][index]))}")
    if state.db is not None:
        lines.append(f"∂L/∂b = {format_value(float(state.db[index]))}")
    if state.delta_b is not None:
        lines.append(f"Δb (last update) = {format_value(float(state.delta_b[index]))}")
    return "\n".join(lines)


def _layer_title(sizes: Sequence[int], activations: Sequence[str], layer: int) -> str:
    if layer == 0:
        return "Input"
    act = activations[layer - 1] if layer - 1 < len(activations) else ""
    name = "Output" if layer == len(sizes) - 1 else f"Layer {layer}"
    return f"{name} · {act}" if act else name


def _count_text(n: int, layer: int) -> str:
    if layer == 0:
        return f"{n:,} input" + ("" if n == 1 else "s")
    return f"{n:,} neuron" + ("" if n == 1 else "s")


class CanvasRenderer:
    """Paints snapshots and answers "what is under this point" for the last painted layout."""

    def __init__(self) -> None:
        self._layout: Layout | None = None
        self._layout_key: tuple | None = None
        self._label_cache: tuple[tuple, np.ndarray] | None = None
        self.last_stats = FrameStats()

    @property
    def last_layout(self) -> Layout | None:
        return self._layout

    # ----------------------------------------------------------------------------------------- layout

    def layout(self, snapshot_sizes: Sequence[int], rect: QRectF, view: QTransform | None = None) -> Layout:
        """Node centres, radii and edge endpoints for `snapshot_sizes` (inputs first) filling `rect`.

        `view` (scale and translation) zooms and pans: positions, node sizes and the level of detail
        follow it, so a crowded column opens up into circles when zoomed in, while text keeps its size.
        """
        sizes = tuple(int(s) for s in snapshot_sizes)
        u = unit_for(rect)
        if view is None or view.isIdentity():
            s, dx, dy = 1.0, 0.0, 0.0
        else:
            s, dx, dy = view.m11(), view.dx(), view.dy()
        key = (sizes, rect.x(), rect.y(), rect.width(), rect.height(), s, dx, dy)
        if key == self._layout_key and self._layout is not None:
            return self._layout

        n_cols = len(sizes)
        header_top = rect.top() + 8 * u
        content_top = rect.top() + 84 * u  # two header lines, then the phase label row
        content_bottom = rect.bottom() - 62 * u  # legend strip
        if content_bottom - content_top < 40 * u:  # tiny rect: squeeze margins rather than invert
            content_top, content_bottom = rect.top() + 4, rect.bottom() - 4
        avail_h = content_bottom - content_top
        margin = min(100 * u, rect.width() * 0.12)
        if n_cols > 1:
            xs = np.linspace(rect.left() + margin, rect.right() - margin, n_cols)
        else:
            xs = np.array([rect.center().x()])
        gap = float(xs[1] - xs[0]) if n_cols > 1 else rect.width()

        r_max = 28 * u
        max_spacing = 2 * r_max + 80 * u  # leaves room for the bias label under each node
        mid = (content_top + content_bottom) / 2
        ys, spacing, radius = [], [], []
        for n in sizes:
            sp = min(avail_h / max(n, 1), max_spacing)
            ys.append(mid + (np.arange(n) - (n - 1) / 2) * sp)
            spacing.append(sp)
            radius.append(min(r_max, 0.36 * sp, 0.2 * gap))

        # Zoom: every length scales, text does not.
        xs = xs * s + dx
        ys = [y * s + dy for y in ys]
        spacing = [sp * s for sp in spacing]
        radius = [r * s for r in radius]
        header_top, content_top, content_bottom = (
            v * s + dy for v in (header_top, content_top, content_bottom)
        )
        content = QRectF(rect.left() * s + dx, rect.top() * s + dy, rect.width() * s, rect.height() * s)
        dense = [r < DENSE_RADIUS for r in radius]

        # Edge endpoints of gap k: row i * n_out + j goes from node i of column k-1 to node j of column k.
        chunks = []
        starts = [0]
        for k in range(1, n_cols):
            n_in, n_out = sizes[k - 1], sizes[k]
            lines = np.empty((n_in * n_out, 4))
            lines[:, 0] = xs[k - 1]
            lines[:, 1] = np.repeat(ys[k - 1], n_out)
            lines[:, 2] = xs[k]
            lines[:, 3] = np.tile(ys[k], n_in)
            chunks.append(lines)
            starts.append(starts[-1] + len(lines))
        edge_lines = np.ascontiguousarray(np.concatenate(chunks)) if chunks else np.zeros((0, 4))

        # The strongest edge may be at most this wide: narrower where nodes are close together or where
        # many edges share a gap, so bundles converging on a node do not merge into a blob.
        widest = 6.0 * u
        for k in range(1, n_cols):
            n_gap = sizes[k - 1] * sizes[k]
            widest = min(widest, 0.3 * min(spacing[k - 1], spacing[k]), 40 * u * s / np.sqrt(n_gap))
        max_edge_width = max(widest, 1.5)

        self._layout = Layout(
            sizes=sizes,
            rect=QRectF(rect),
            content=content,
            unit=u,
            xs=xs,
            ys=tuple(ys),
            spacing=tuple(spacing),
            radius=tuple(radius),
            dense=tuple(dense),
            edge_lines=edge_lines,
            edge_start=tuple(starts),
            max_edge_width=max_edge_width,
            header_top=header_top,
            content_top=content_top,
            content_bottom=content_bottom,
            serial=(self._layout.serial + 1) if self._layout is not None else 1,
        )
        self._layout_key = key
        return self._layout

    # ------------------------------------------------------------------------------------ decisions

    @staticmethod
    def values_shown(sizes: Sequence[int], options: CanvasOptions) -> bool:
        """Whether numbers are written on the canvas (otherwise the widget offers hover tooltips)."""
        if options.show_values is not None:
            return options.show_values
        return sum(sizes) <= VALUES_MAX_NEURONS

    @staticmethod
    def antialiased(n_edges: int, options: CanvasOptions) -> bool:
        if options.antialias is not None:
            return options.antialias
        return n_edges <= ANTIALIAS_MAX_EDGES

    # ---------------------------------------------------------------------------------- hit testing

    def neuron_at(self, point: QPointF) -> tuple[int, int] | None:
        """(layer, index) of the neuron under `point` in the last layout; layer 0 is the inputs column."""
        lay = self._layout
        if lay is None:
            return None
        px, py = point.x(), point.y()
        for c in range(len(lay.sizes)):
            r = lay.radius[c]
            reach = max(r, 4 * lay.unit) + 2
            if abs(px - lay.xs[c]) > reach:
                continue
            ys = lay.ys[c]
            index = int(np.clip(np.rint((py - ys[0]) / lay.spacing[c]), 0, len(ys) - 1))
            if lay.dense[c]:
                top, bottom = lay.column_span(c)
                if top <= py <= bottom:
                    return c, index
            elif np.hypot(px - lay.xs[c], py - ys[index]) <= reach:
                return c, index
        return None

    def edge_at(self, point: QPointF) -> tuple[int, int, int] | None:
        """(layer, i, j) of the edge nearest `point` within a few pixels: it feeds layer `layer` from node i
        of column layer-1 to node j of column layer."""
        lay = self._layout
        if lay is None or lay.n_edges == 0:
            return None
        px, py = point.x(), point.y()
        k = int(np.searchsorted(lay.xs, px))
        if k <= 0 or k >= len(lay.xs):
            return None
        seg = lay.edge_lines[lay.edge_start[k - 1] : lay.edge_start[k]]
        x1, y1, x2, y2 = seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3]
        dx, dy = x2 - x1, y2 - y1
        t = np.clip(((px - x1) * dx + (py - y1) * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0, 1)
        dist = np.hypot(x1 + t * dx - px, y1 + t * dy - py)
        e = int(np.argmin(dist))
        if dist[e] > max(4 * lay.unit, lay.max_edge_width / 2 + 2):
            return None
        n_out = lay.sizes[k]
        return k, e // n_out, e % n_out

    def bias_at(self, point: QPointF) -> tuple[int, int] | None:
        """(layer, index) of the bias marker or bias label under `point`."""
        lay = self._layout
        if lay is None:
            return None
        for rect, layer, index in self.last_stats.bias_label_rects:
            if rect.contains(point):
                return layer, index
        if not self.last_stats.biases_shown:
            return None
        hit = self.neuron_at(point)
        candidates = [hit] if hit is not None else []
        # The marker sits on the rim, so the click may land just outside the circle.
        for c in range(1, len(lay.sizes)):
            if abs(point.x() - lay.xs[c]) <= lay.radius[c] * 1.5 and not lay.dense[c]:
                index = int(
                    np.clip(np.rint((point.y() - lay.ys[c][0]) / lay.spacing[c]), 0, lay.sizes[c] - 1)
                )
                candidates.append((c, index))
        for layer, index in candidates:
            marker = lay.bias_marker_rect(layer, index)
            if marker is not None and marker.adjusted(-2, -2, 2, 2).contains(point):
                return layer, index
        return None

    # ---------------------------------------------------------------------------------------- paint

    def paint(
        self,
        painter: QPainter,
        rect: QRectF,
        snapshot: Snapshot,
        options: CanvasOptions,
        neuron_maps: list[np.ndarray] | None = None,
        view: QTransform | None = None,
    ) -> None:
        """Draw `snapshot` filling `rect`. `view` (scale + translation) zooms and pans the network inside
        `rect`; the legend stays put in the corner of `rect`."""
        pal = palette(options.dark)
        u = unit_for(rect)
        lay = self.layout(snapshot.sizes, rect, view)
        stats = FrameStats(edges_total=lay.n_edges, biases_shown=options.show_biases)
        self.last_stats = stats

        painter.save()
        painter.setClipRect(rect)
        painter.fillRect(rect, qcolor(pal.background))

        cols = column_values(snapshot, options)
        layer_cols = [c for c in cols[1:] if c is not None and c.size]
        pool = layer_cols or [c for c in cols[:1] if c is not None and c.size]
        node_vmax = max((float(np.max(np.abs(c))) for c in pool), default=0.0)
        stats.node_vmax = node_vmax if node_vmax > 0 and np.isfinite(node_vmax) else 1.0
        stats.has_missing = any(c is None for c in cols) or any(
            m is None for m in edge_values(snapshot, options)
        )
        stats.values_shown = self.values_shown(snapshot.sizes, options)
        stats.antialiased = self.antialiased(lay.n_edges, options)

        overlay = self._overlay_errors(lay, options)
        band = stats.band = self._phase_band(lay, snapshot)
        if band is not None:
            self._paint_phase_band(painter, lay, pal, band)
        if overlay is not None:
            self._paint_overlay_edges(painter, lay, overlay, pal, stats)
        elif band is not None:
            self._paint_edges(
                painter, lay, snapshot, options, pal, stats, band.gaps, self._band_background(pal, band)
            )
        else:
            self._paint_edges(painter, lay, snapshot, options, pal, stats)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_marked_edges(painter, lay, snapshot, options, pal, stats, overlay)
        self._paint_nodes(painter, lay, snapshot, options, pal, stats, cols, neuron_maps)
        if band is not None:
            self._paint_phase_label(painter, lay, pal, band)
        if stats.values_shown and lay.n_edges <= EDGE_LABELS_MAX_EDGES:
            self._paint_edge_labels(painter, lay, snapshot, options, pal, stats, overlay)
        self._paint_headers(painter, lay, snapshot, options, pal)
        if options.show_legend:
            self._paint_legend(painter, rect, u, snapshot, options, pal, stats)
        painter.restore()

    # -------------------------------------------------------------------------------------- edges

    def _paint_edges(
        self,
        painter: QPainter,
        lay: Layout,
        snapshot: Snapshot,
        options: CanvasOptions,
        pal: Palette,
        stats: FrameStats,
        band_gaps: frozenset[int] = frozenset(),
        band_background: tuple[int, int, int] = (0, 0, 0),
    ) -> None:
        u = lay.unit
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, stats.antialiased)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        mats = edge_values(snapshot, options)
        known = [k for k, m in enumerate(mats, start=1) if m is not None]
        missing = [k for k, m in enumerate(mats, start=1) if m is None]
        hairline = 0.8 * u if stats.antialiased else max(FAST_HAIRLINE, 0.8 * u)

        # Gaps whose gradient is not computed yet: thin neutral lines, or one flat shape when dense.
        for k in missing:
            seg = lay.edge_lines[lay.edge_start[k - 1] : lay.edge_start[k]]
            if len(seg) > ANTIALIAS_MAX_EDGES:
                a_top, a_bot = lay.column_span(k - 1)
                b_top, b_bot = lay.column_span(k)
                x0, x1 = float(lay.xs[k - 1]), float(lay.xs[k])
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(qcolor(mix(pal.background, pal.edge_missing, 0.5)))
                painter.drawPolygon(
                    QPolygonF(
                        [QPointF(x0, a_top), QPointF(x1, b_top), QPointF(x1, b_bot), QPointF(x0, a_bot)]
                    )
                )
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                pen = QPen(qcolor(pal.edge_missing), hairline)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                painter.setPen(pen)
                _draw_lines(painter, seg)
        if not known:
            stats.edge_vmax = 1.0
            return

        if len(known) == len(mats):
            lines = lay.edge_lines
            vals = np.concatenate([m.ravel() for m in mats])
        else:
            lines = np.concatenate([lay.edge_lines[lay.edge_start[k - 1] : lay.edge_start[k]] for k in known])
            vals = np.concatenate([mats[k - 1].ravel() for k in known])
        mag = np.abs(vals)
        finite = np.isfinite(mag)
        all_finite = bool(finite.all())
        vmax = float(mag.max() if all_finite else (mag[finite].max() if finite.any() else 0.0))
        stats.edge_vmax = vmax if vmax > 0 else 1.0

        level = np.minimum((mag * (WIDTH_LEVELS / stats.edge_vmax)).astype(np.int64), WIDTH_LEVELS - 1)
        key = (level * 2 + (vals > 0)).astype(np.uint8)
        in_band = [k in band_gaps for k in known]
        if any(in_band):
            # Edges over the phase band are blended towards the band's colour rather than the background,
            # so the band can sit underneath while weak edges still look like weak edges there.
            key += np.repeat(
                np.array(in_band, dtype=np.uint8) * 2 * WIDTH_LEVELS, [mats[k - 1].size for k in known]
            )
        skip = None if all_finite else ~finite
        if len(vals) > FAINT_DROP_MIN_EDGES:
            skip = ~(mag >= FAINT_FRACTION * stats.edge_vmax)  # also drops NaN
            offset = 0
            for k in known:
                n = lay.edge_start[k] - lay.edge_start[k - 1]
                budget = self._gap_budget(lay, k)
                part = slice(offset, offset + n)
                kept = n - int(np.count_nonzero(skip[part]))
                if kept > budget:
                    # Keep the `budget` strongest edges of this gap; the cut is one O(n) partition.
                    threshold = np.partition(mag[part], n - budget)[n - budget]
                    skip[part] |= mag[part] < threshold
                offset += n
        if skip is not None:
            key[skip] = 255
        order = np.argsort(key, kind="stable")
        n_keys = 4 * WIDTH_LEVELS
        counts = np.bincount(key, minlength=256)[:n_keys]
        sorted_lines = lines[order]
        stats.edges_drawn = int(counts.sum())
        stats.edges_with_values = len(vals)

        w_min = hairline
        w_max = max(lay.max_edge_width, w_min)
        starts = np.concatenate(([0], np.cumsum(counts)))
        for group, ground in enumerate((pal.background, band_background)):
            for lvl in range(WIDTH_LEVELS):
                t = (lvl + 0.5) / WIDTH_LEVELS
                width = w_min + (w_max - w_min) * t
                pens = [
                    _pen(qcolor(mix(ground, hue, 0.3 + 0.7 * t)), width, Qt.PenCapStyle.FlatCap)
                    for hue in (pal.edge_negative, pal.edge_positive)
                ]
                b = group * 2 * WIDTH_LEVELS + 2 * lvl
                neg = sorted_lines[starts[b] : starts[b + 1]]
                pos = sorted_lines[starts[b + 1] : starts[b + 2]]
                # Where edges overlap, the last one drawn is what shows; drawing the two signs of a level
                # in alternating slices (alternating which goes first) keeps a dense bundle an honest mix.
                slices = max(1, -(-max(len(neg), len(pos)) // SIGN_SLICE))
                for s in range(slices):
                    pair = ((pens[0], neg), (pens[1], pos)) if s % 2 else ((pens[1], pos), (pens[0], neg))
                    for pen, part in pair:
                        lo, hi = len(part) * s // slices, len(part) * (s + 1) // slices
                        if hi > lo:
                            painter.setPen(pen)
                            _draw_lines(painter, part[lo:hi])

    @staticmethod
    def _overlay_errors(lay: Layout, options: CanvasOptions) -> np.ndarray | None:
        """The gradient-check errors as one (E,) array in edge_lines order, NaN where not checked."""
        if options.edge_overlay is None:
            return None
        out = np.full(lay.n_edges, np.nan)
        for k in range(1, len(lay.sizes)):
            errs = options.edge_overlay[k - 1] if k - 1 < len(options.edge_overlay) else None
            shape = (lay.sizes[k - 1], lay.sizes[k])
            if errs is not None and np.shape(errs) == shape:  # a stale overlay of another net shows nothing
                out[lay.edge_start[k - 1] : lay.edge_start[k]] = np.asarray(errs, dtype=np.float64).ravel()
        return out

    def _paint_overlay_edges(
        self, painter: QPainter, lay: Layout, errors: np.ndarray, pal: Palette, stats: FrameStats
    ) -> None:
        """Edges coloured by gradient-check agreement, one drawLines per band, the worst band on top."""
        u = lay.unit
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, stats.antialiased)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        levels = overlay_levels(errors)
        unchecked = levels < 0
        n_unchecked = int(np.count_nonzero(unchecked))
        # Unchecked edges of a sampled big net would bury the checked ones: they are left out there.
        if n_unchecked and n_unchecked <= FAINT_DROP_MIN_EDGES:
            hairline = 0.8 * u if stats.antialiased else max(FAST_HAIRLINE, 0.8 * u)
            painter.setPen(_pen(qcolor(pal.edge_missing), hairline, Qt.PenCapStyle.FlatCap))
            _draw_lines(painter, lay.edge_lines[unchecked])
        colours = overlay_colours(pal)
        for level, rgb in enumerate(colours):
            chosen = levels == level
            if chosen.any():
                painter.setPen(_pen(qcolor(rgb), OVERLAY_WIDTHS[level] * u, Qt.PenCapStyle.FlatCap))
                _draw_lines(painter, lay.edge_lines[chosen])
        stats.overlay_shown = True
        stats.overlay_unchecked = n_unchecked
        stats.edges_with_values = len(errors) - n_unchecked
        stats.edges_drawn = stats.edges_with_values
        stats.edge_vmax = 1.0

    @staticmethod
    def _gap_budget(lay: Layout, k: int) -> int:
        """How many edges gap k may draw: past a few lines per pixel of column height a bundle is a solid
        block whatever is drawn, so more edges only cost time and hide the structure."""
        top, bottom = lay.rect.top(), lay.rect.bottom()

        def visible_height(c: int) -> float:  # only what is on screen counts when zoomed in
            a, b = lay.column_span(c)
            return max(0.0, min(b, bottom) - max(a, top))

        height = max(visible_height(k), visible_height(k - 1))
        return max(MIN_GAP_BUDGET, int(EDGES_PER_PIXEL * height))

    def _paint_marked_edges(
        self,
        painter: QPainter,
        lay: Layout,
        snapshot: Snapshot,
        options: CanvasOptions,
        pal: Palette,
        stats: FrameStats,
        overlay: np.ndarray | None = None,
    ) -> None:
        """Flagged and selected edges: a halo (red for the debugger, black/white for the selection) with
        the edge redrawn on top in its own colour, so the highlight never hides the sign (or, under the
        gradient-check overlay, the edge's agreement band)."""
        u = lay.unit
        marked = [(e, pal.warning) for e in sorted(options.highlight_edges)]
        if options.selected_edge is not None:
            marked.append((options.selected_edge, pal.selection))
        mats = edge_values(snapshot, options)
        for (layer, i, j), rgb in marked:
            if not (
                1 <= layer < len(lay.sizes) and 0 <= i < lay.sizes[layer - 1] and 0 <= j < lay.sizes[layer]
            ):
                continue
            index = lay.edge_start[layer - 1] + i * lay.sizes[layer] + j
            x1, y1, x2, y2 = lay.edge_lines[index]
            line = QLineF(x1, y1, x2, y2)
            mat = mats[layer - 1]
            value = float(mat[i, j]) if mat is not None else 0.0
            own = 2.0 * u
            if mat is not None and np.isfinite(value):
                own = max(own, lay.max_edge_width * min(abs(value) / stats.edge_vmax, 1.0))
            hue = pal.edge_missing if mat is None else (pal.edge_positive if value > 0 else pal.edge_negative)
            if overlay is not None:
                level = int(overlay_levels(overlay[index : index + 1])[0])
                hue = pal.edge_missing if level < 0 else overlay_colours(pal)[level]
                own = OVERLAY_WIDTHS[max(level, 0)] * u
            painter.setPen(_pen(qcolor(rgb), own + 5 * u, Qt.PenCapStyle.RoundCap))
            painter.drawLine(line)
            painter.setPen(_pen(qcolor(hue), own, Qt.PenCapStyle.RoundCap))
            painter.drawLine(line)

    def _phase_band(self, lay: Layout, snapshot: Snapshot) -> PhaseBand | None:
        """Where to highlight the last completed phase, and which gaps of edges it covers."""
        phase = snapshot.phase
        if phase is None:
            return None
        u = lay.unit
        top = lay.content_top - 34 * u
        bottom = lay.content_bottom + 10 * u

        def reach(c: int) -> float:
            return max(lay.radius[c], 4 * u) + 12 * u

        last = len(lay.sizes) - 1
        if phase.kind in ("forward", "backward") and phase.layer is not None and 1 <= phase.layer <= last:
            k = phase.layer
            left = float(lay.xs[k - 1]) + reach(k - 1) - 4 * u
            right = float(lay.xs[k]) + reach(k)
            arrow = "→ forward" if phase.kind == "forward" else "← backward"
            rect = QRectF(left, top, right - left, bottom - top)
            return PhaseBand(rect, f"{arrow} · layer {k}", phase.kind, frozenset({k}))
        if phase.kind == "loss":
            x = float(lay.xs[last])
            half = max(reach(last), 58 * u)
            label = "loss" if snapshot.loss is None else f"loss = {format_value(snapshot.loss)}"
            return PhaseBand(QRectF(x - half, top, 2 * half, bottom - top), label, "loss", frozenset())
        if phase.kind == "update":
            left = float(lay.xs[0]) + reach(0) - 4 * u
            right = float(lay.xs[last]) + reach(last)
            rect = QRectF(left, top, right - left, bottom - top)
            return PhaseBand(rect, "update: every w and b changes", "update", frozenset(range(1, last + 1)))
        return None

    @staticmethod
    def _band_background(pal: Palette, band: PhaseBand) -> tuple[int, int, int]:
        hue: tuple[int, int, int] = getattr(pal, band.kind)
        return mix(pal.background, hue, 0.18 if pal.background[0] < 128 else 0.12)

    def _paint_phase_band(self, painter: QPainter, lay: Layout, pal: Palette, band: PhaseBand) -> None:
        u = lay.unit
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(qcolor(mix(pal.background, getattr(pal, band.kind), 0.5)), 1.2 * u))
        painter.setBrush(qcolor(self._band_background(pal, band)))
        painter.drawRoundedRect(band.rect, 10 * u, 10 * u)

    def _paint_phase_label(self, painter: QPainter, lay: Layout, pal: Palette, band: PhaseBand) -> None:
        u = lay.unit
        hue: tuple[int, int, int] = getattr(pal, band.kind)
        font = _font(15 * u, bold=True)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        width = fm.horizontalAdvance(band.label) + 20 * u
        rect = band.rect
        label_rect = QRectF(rect.center().x() - width / 2, rect.top() + 5 * u, width, fm.height() + 4 * u)
        bounds = lay.rect
        if label_rect.right() > bounds.right() - 4 * u:
            label_rect.moveRight(bounds.right() - 4 * u)
        if label_rect.left() < bounds.left() + 4 * u:
            label_rect.moveLeft(bounds.left() + 4 * u)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(qcolor(hue))
        painter.drawRoundedRect(label_rect, label_rect.height() / 2, label_rect.height() / 2)
        painter.setPen(qcolor(readable_text_on(0xFF000000 | (hue[0] << 16) | (hue[1] << 8) | hue[2])))
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, band.label)

    # -------------------------------------------------------------------------------------- nodes

    def _paint_nodes(
        self,
        painter: QPainter,
        lay: Layout,
        snapshot: Snapshot,
        options: CanvasOptions,
        pal: Palette,
        stats: FrameStats,
        cols: list[np.ndarray | None],
        neuron_maps: list[np.ndarray] | None,
    ) -> None:
        u = lay.unit
        lut = diverging_lut(options.dark)
        biases = bias_values(snapshot, options)
        known_b = [b for b in biases if b is not None and b.size]
        bias_vmax = max((float(np.max(np.abs(b))) for b in known_b), default=0.0)
        if not (bias_vmax > 0 and np.isfinite(bias_vmax)):
            bias_vmax = 1.0
        show_values = stats.values_shown
        outline = QPen(qcolor(pal.node_outline), 1.2 * u)
        empty_pen = QPen(qcolor(pal.muted), 1.2 * u, Qt.PenStyle.DashLine)
        value_font = _font(11 * u)
        small_font = _font(10 * u)
        small_fm = QFontMetricsF(small_font)
        b_name = "db" if options.mode == "gradients" else "b"
        maps_ok = bool(options.heatmaps and neuron_maps)

        for c, n in enumerate(lay.sizes):
            x = float(lay.xs[c])
            ys = lay.ys[c]
            r = lay.radius[c]
            vals = cols[c]
            colours = lut[lut_indices(vals, stats.node_vmax)] if vals is not None else None
            if lay.dense[c]:
                self._paint_strip(painter, lay, c, colours, pal)
                continue
            bvals = biases[c - 1] if c >= 1 else None
            bias_colours = lut[lut_indices(bvals, bias_vmax)] if bvals is not None else None
            maps = None
            if maps_ok and c >= 1 and c - 1 < len(neuron_maps) and r >= 10 * u:
                m = neuron_maps[c - 1]
                if m is not None and m.ndim == 3 and m.shape[0] == n:
                    maps = m
            heat_images = self._heatmap_images(maps, options.dark) if maps is not None else None
            stats.heatmaps_shown |= heat_images is not None
            values_inside = show_values and r >= 15 * u and heat_images is None
            # Otherwise under the node (value, then bias) if two lines fit between neighbours, else beside.
            values_below = show_values and lay.spacing[c] - 2 * r >= 2 * small_fm.height() + 10 * u
            for i in range(n):
                centre = QPointF(x, float(ys[i]))
                if heat_images is not None:
                    side = 2 * r
                    target = QRectF(x - r, ys[i] - r, side, side)
                    painter.drawImage(target, heat_images[i])
                    ring = QPen(qcolor(pal.node_outline), 1.2 * u)
                    if colours is not None:
                        ring = QPen(QColor.fromRgba(int(colours[i])), 3.5 * u)
                    painter.setPen(ring)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(target, 4 * u, 4 * u)
                elif colours is None:
                    painter.setPen(empty_pen)
                    painter.setBrush(qcolor(pal.node_empty))
                    painter.drawEllipse(centre, r, r)
                else:
                    painter.setPen(outline)
                    painter.setBrush(QColor.fromRgba(int(colours[i])))
                    painter.drawEllipse(centre, r, r)

                if options.show_biases and bvals is not None:
                    marker = lay.bias_marker_rect(c, i)
                    if marker is not None:
                        painter.setPen(QPen(qcolor(pal.node_outline), 1.0 * u))
                        painter.setBrush(QColor.fromRgba(int(bias_colours[i])))
                        painter.drawRect(marker)

                if show_values:
                    v_text = format_value(float(vals[i])) if vals is not None else "–"
                    b_text = (
                        f"{b_name}={format_value(float(bvals[i]))}"
                        if options.show_biases and bvals is not None
                        else None
                    )
                    below = QPointF(x, ys[i] + r + 3 * u)
                    if values_inside:
                        painter.setFont(value_font)
                        text_rgb = readable_text_on(int(colours[i])) if colours is not None else pal.muted
                        painter.setPen(qcolor(text_rgb))
                        painter.drawText(
                            QRectF(x - r, ys[i] - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, v_text
                        )
                    elif values_below:
                        value_rect = self._pill_label(
                            painter, lay, pal, small_font, small_fm, v_text, below, pal.text
                        )
                        below = QPointF(x, value_rect.bottom() + 1 * u)
                    if values_inside or values_below:
                        if b_text is not None:
                            label = self._pill_label(
                                painter, lay, pal, small_font, small_fm, b_text, below, pal.muted
                            )
                            stats.bias_label_rects.append((label, c, i))
                    else:
                        text = v_text if b_text is None else f"{v_text}  {b_text}"
                        self._side_label(painter, lay, pal, small_font, small_fm, c, i, text)

            self._paint_marks(painter, lay, c, options, pal)

    def _pill_label(
        self,
        painter: QPainter,
        lay: Layout,
        pal: Palette,
        font: QFont,
        fm: QFontMetricsF,
        text: str,
        top_centre: QPointF,
        text_rgb: tuple[int, int, int],
    ) -> QRectF:
        """A short text on a rounded background, hanging from `top_centre`; returns where it went."""
        u = lay.unit
        w = fm.horizontalAdvance(text) + 8 * u
        h = fm.height() + 2 * u
        rect = QRectF(top_centre.x() - w / 2, top_centre.y(), w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(qcolor(pal.label_background, 225))
        painter.drawRoundedRect(rect, h / 2, h / 2)
        painter.setFont(font)
        painter.setPen(qcolor(text_rgb))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        return rect

    def _side_label(
        self,
        painter: QPainter,
        lay: Layout,
        pal: Palette,
        font: QFont,
        fm: QFontMetricsF,
        c: int,
        i: int,
        text: str,
    ) -> None:
        """A number beside a node too small to hold it: right of the node, left of it for the last column."""
        u = lay.unit
        x, y, r = float(lay.xs[c]), float(lay.ys[c][i]), lay.radius[c]
        w = fm.horizontalAdvance(text) + 8 * u
        h = min(fm.height() + 2 * u, lay.spacing[c])
        left = x + r + 3 * u
        if c == len(lay.sizes) - 1 or left + w > lay.content.right():
            left = x - r - 3 * u - w
        rect = QRectF(left, y - h / 2, w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(qcolor(pal.label_background, 225))
        painter.drawRoundedRect(rect, h / 2, h / 2)
        painter.setFont(font)
        painter.setPen(qcolor(pal.text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_strip(
        self, painter: QPainter, lay: Layout, c: int, colours: np.ndarray | None, pal: Palette
    ) -> None:
        """A column too crowded for circles: one pixel row per neuron, scaled into a thin bar."""
        u = lay.unit
        top, bottom = lay.column_span(c)
        width = 9 * u
        rect = QRectF(float(lay.xs[c]) - width / 2, top, width, bottom - top)
        if colours is None:
            painter.setPen(QPen(qcolor(pal.muted), 1.2 * u, Qt.PenStyle.DashLine))
            painter.setBrush(qcolor(pal.node_empty))
            painter.drawRect(rect)
            return
        column = np.ascontiguousarray(colours, dtype=np.uint32).reshape(-1, 1)
        image = QImage(column.data, 1, len(column), 4, QImage.Format.Format_ARGB32)
        painter.drawImage(rect, image)
        painter.setPen(QPen(qcolor(pal.node_outline), 1.0 * u))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)

    @staticmethod
    def _heatmap_images(maps: np.ndarray, dark: bool) -> list[QImage]:
        lut = diverging_lut(dark)
        argb = np.ascontiguousarray(lut[lut_indices(maps, 1.0)], dtype=np.uint32)
        res_h, res_w = argb.shape[1], argb.shape[2]
        # copy() detaches each image from the temporary array so it survives this function.
        return [
            QImage(argb[i].data, res_w, res_h, 4 * res_w, QImage.Format.Format_ARGB32).copy()
            for i in range(argb.shape[0])
        ]

    def _paint_marks(
        self, painter: QPainter, lay: Layout, c: int, options: CanvasOptions, pal: Palette
    ) -> None:
        """Rings around selected and debugger-flagged neurons, and a frame around flagged layers."""
        u = lay.unit
        x = float(lay.xs[c])
        r = max(lay.radius[c], 3 * u)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if c in options.highlight_layers:
            top, bottom = lay.column_span(c)
            pad = max(r + 10 * u, 36 * u)  # wide enough for the bias labels under the nodes
            below = 26 * u if c > 0 and not lay.dense[c] else 10 * u
            painter.setPen(QPen(qcolor(pal.warning), 2.5 * u, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(
                QRectF(x - pad, top - 10 * u, 2 * pad, bottom - top + 10 * u + below), 8 * u, 8 * u
            )
        rings = [(i, pal.warning) for (layer, i) in options.highlight_neurons if layer == c]
        if options.selected_neuron is not None and options.selected_neuron[0] == c:
            rings.append((options.selected_neuron[1], pal.selection))
        for i, rgb in rings:
            if 0 <= i < lay.sizes[c]:
                painter.setPen(QPen(qcolor(rgb), 2.5 * u))
                painter.drawEllipse(QPointF(x, float(lay.ys[c][i])), r + 5 * u, r + 5 * u)

    def _paint_edge_labels(
        self,
        painter: QPainter,
        lay: Layout,
        snapshot: Snapshot,
        options: CanvasOptions,
        pal: Palette,
        stats: FrameStats,
        overlay: np.ndarray | None = None,
    ) -> None:
        """The weight (or gradient) of each edge, written on the edge; under the gradient-check overlay,
        its relative error."""
        u = lay.unit
        font = _font(10 * u)
        fm = QFontMetricsF(font)
        painter.setFont(font)
        h = fm.height() + 2 * u
        centres = self._edge_label_centres(lay, fm.horizontalAdvance("−0.0000") + 8 * u, h)
        mats = edge_values(snapshot, options)
        if overlay is not None:
            mats = [
                overlay[lay.edge_start[k - 1] : lay.edge_start[k]].reshape(lay.sizes[k - 1], lay.sizes[k])
                for k in range(1, len(lay.sizes))
            ]
            colours = overlay_colours(pal)
        for k, mat in enumerate(mats, start=1):
            if mat is None:
                continue
            base = lay.edge_start[k - 1]
            for e, value in enumerate(mat.ravel().tolist()):
                if overlay is not None:
                    level = int(overlay_levels(np.array([value]))[0])
                    text = "–" if level < 0 else f"{value:.2g}".replace("-", "−")
                    hue = pal.edge_missing if level < 0 else colours[level]
                else:
                    text = format_value(value)
                    hue = pal.edge_positive if value > 0 else pal.edge_negative
                w = fm.horizontalAdvance(text) + 8 * u
                cx, cy = centres[base + e]
                rect = QRectF(cx - w / 2, cy - h / 2, w, h)
                painter.setPen(QPen(qcolor(hue), 1.0 * u))
                painter.setBrush(qcolor(pal.label_background, 235))
                painter.drawRoundedRect(rect, h / 2, h / 2)
                painter.setPen(qcolor(mix(hue, pal.text, 0.4)))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        stats.edge_labels_shown = True

    def _edge_label_centres(self, lay: Layout, w: float, h: float) -> np.ndarray:
        """Where each edge's label goes: slid along its edge to a spot clear of nodes, other labels and
        other edges, so it is obvious which line a number belongs to.

        In a fully connected gap every edge crosses the middle, so the middle alone would be ambiguous.
        The result depends only on the geometry, so labels stay put while values change (no jitter in
        videos) and are computed once per layout.
        """
        key = (lay.serial, round(w, 1), round(h, 1))
        if self._label_cache is not None and self._label_cache[0] == key:
            return self._label_cache[1]
        u = lay.unit
        lines = lay.edge_lines
        ts = np.array([0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8])
        boxes = []  # x0, y0, x1, y1 of what labels must not cover: nodes and the bias labels under them
        for c in range(len(lay.sizes)):
            x, r = float(lay.xs[c]), lay.radius[c] + 2 * u
            for y in lay.ys[c]:
                boxes.append((x - r, y - r, x + r, y + r))
                if c > 0:  # room for the value and bias lines under the node
                    boxes.append((x - 32 * u, y + r, x + 32 * u, y + r + 2 * h + 4 * u))
        obstacles = np.array(boxes, dtype=float).reshape(-1, 4)
        x1, y1, x2, y2 = lines[:, 0], lines[:, 1], lines[:, 2], lines[:, 3]
        dx, dy = x2 - x1, y2 - y1
        seg_len2 = np.maximum(dx * dx + dy * dy, 1e-9)
        centres = np.zeros((len(lines), 2))
        for e in range(len(lines)):
            cx = x1[e] + dx[e] * ts
            cy = y1[e] + dy[e] * ts
            rects = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
            ox = np.clip(
                np.minimum(rects[:, None, 2], obstacles[None, :, 2])
                - np.maximum(rects[:, None, 0], obstacles[None, :, 0]),
                0,
                None,
            )
            oy = np.clip(
                np.minimum(rects[:, None, 3], obstacles[None, :, 3])
                - np.maximum(rects[:, None, 1], obstacles[None, :, 1]),
                0,
                None,
            )
            overlap = (ox * oy).sum(axis=1)
            # Other edges crossing the label: sample its left, centre and right and measure their distance.
            px = np.concatenate([cx - w / 2, cx, cx + w / 2])[:, None]
            py = np.concatenate([cy, cy, cy])[:, None]
            t = np.clip(((px - x1) * dx + (py - y1) * dy) / seg_len2, 0, 1)
            near = np.hypot(x1 + t * dx - px, y1 + t * dy - py) < h * 0.6
            near[:, e] = False
            crossings = near.reshape(3, len(ts), -1).any(axis=0).sum(axis=1)
            cost = overlap + crossings * (0.25 * w * h) + np.abs(ts - 0.5) * h
            best = int(np.argmin(cost))
            centres[e] = cx[best], cy[best]
            obstacles = np.vstack([obstacles, rects[best]])
        self._label_cache = (key, centres)
        return centres

    # ------------------------------------------------------------------------------------- headers

    def _paint_headers(
        self, painter: QPainter, lay: Layout, snapshot: Snapshot, options: CanvasOptions, pal: Palette
    ) -> None:
        u = lay.unit
        title_font = _font(14 * u, bold=True)
        count_font = _font(11.5 * u)
        tfm, cfm = QFontMetricsF(title_font), QFontMetricsF(count_font)
        n_cols = len(lay.sizes)
        gap = float(lay.xs[1] - lay.xs[0]) if n_cols > 1 else lay.rect.width()
        for c, n in enumerate(lay.sizes):
            x = float(lay.xs[c])
            # Each header may use its share of the width between neighbouring columns, no more.
            width = min(
                gap * 0.96, 2 * (x - lay.content.left()) - 4 * u, 2 * (lay.content.right() - x) - 4 * u
            )
            width = max(width, 40 * u)
            title = _layer_title(lay.sizes, snapshot.activations, c)
            flagged = c in options.highlight_layers
            if flagged:
                title = "⚠ " + title
            painter.setFont(title_font)
            painter.setPen(qcolor(pal.warning if flagged else pal.text))
            if tfm.horizontalAdvance(title) > width:
                # Deep nets: "L2 · sigmoid" keeps the activation readable where "Layer 2 · si…" would not.
                title = title.replace("Layer ", "L").replace("Output", "Out")
            text = tfm.elidedText(title, Qt.TextElideMode.ElideRight, width)
            painter.drawText(
                QRectF(x - width / 2, lay.header_top, width, tfm.height()), Qt.AlignmentFlag.AlignCenter, text
            )
            painter.setFont(count_font)
            line = QRectF(x - width / 2, lay.header_top + tfm.height() + 1 * u, width, cfm.height())
            count = _count_text(n, c)
            notes = options.column_notes
            note = notes[c] if notes is not None and c < len(notes) else ""
            if not note:
                painter.setPen(qcolor(pal.muted))
                painter.drawText(
                    line,
                    Qt.AlignmentFlag.AlignCenter,
                    cfm.elidedText(count, Qt.TextElideMode.ElideRight, width),
                )
                continue
            head = f"{count} · "
            full_w = cfm.horizontalAdvance(head + note)
            if full_w > width:  # the warning matters more than the count, which the canvas shows anyway
                painter.setPen(qcolor(pal.warning))
                painter.drawText(
                    line,
                    Qt.AlignmentFlag.AlignCenter,
                    cfm.elidedText(note, Qt.TextElideMode.ElideRight, width),
                )
                continue
            left = x - full_w / 2
            head_w = cfm.horizontalAdvance(head)
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.setPen(qcolor(pal.muted))
            painter.drawText(QRectF(left, line.top(), head_w + 2, line.height()), align, head)
            painter.setPen(qcolor(pal.warning))
            painter.drawText(
                QRectF(left + head_w, line.top(), full_w - head_w + 2, line.height()), align, note
            )

    # -------------------------------------------------------------------------------------- legend

    def _paint_legend(
        self,
        painter: QPainter,
        rect: QRectF,
        u: float,
        snapshot: Snapshot,
        options: CanvasOptions,
        pal: Palette,
        stats: FrameStats,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        font = _font(11.5 * u)
        fm = QFontMetricsF(font)
        painter.setFont(font)
        gradients = options.mode == "gradients"
        pad = 14 * u
        bottom = rect.bottom() - pad

        # Node colour scale, bottom right.
        bar_w, bar_h = 200 * u, 10 * u
        bar = QRectF(rect.right() - pad - bar_w, bottom - fm.height() - 4 * u - bar_h, bar_w, bar_h)
        quantity = "∂L/∂z" if gradients else "activation a"
        title = f"node colour = {quantity} ({_sample_phrase(snapshot, options)})"
        title_w = fm.horizontalAdvance(title)
        title_rect = QRectF(bar.right() - title_w, bar.top() - fm.height() - 3 * u, title_w, fm.height())
        # A backing panel keeps the legend readable when zooming or panning slides edges under it.
        self._legend_panel(
            painter, title_rect.united(bar).adjusted(-6 * u, -4 * u, 6 * u, fm.height() + 6 * u), pal
        )
        painter.setPen(qcolor(pal.muted))
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignRight, title)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        lut = diverging_lut(options.dark)
        for t in np.linspace(0, 1, 9):
            gradient.setColorAt(float(t), QColor.fromRgba(int(lut[round(t * 255)])))
        painter.setPen(QPen(qcolor(pal.node_outline), 0.8 * u))
        painter.setBrush(QBrush(gradient))
        painter.drawRect(bar)
        vmax = stats.node_vmax
        painter.setPen(qcolor(pal.text))
        label_y = bar.bottom() + 2 * u
        painter.drawText(
            QRectF(bar.left() - 40 * u, label_y, 80 * u, fm.height()),
            Qt.AlignmentFlag.AlignCenter,
            format_value(-vmax),
        )
        painter.drawText(
            QRectF(bar.center().x() - 40 * u, label_y, 80 * u, fm.height()), Qt.AlignmentFlag.AlignCenter, "0"
        )
        painter.drawText(
            QRectF(bar.right() - 80 * u, label_y, 80 * u, fm.height()),
            Qt.AlignmentFlag.AlignRight,
            "+" + format_value(vmax),
        )

        # Key to edges and markers, bottom left, wrapping upwards if the canvas is narrow.
        name = "∂L/∂w" if gradients else "weight"
        note = f"thickness ∝ |{'∂L/∂w' if gradients else 'w'}|"
        if stats.edges_drawn < stats.edges_with_values:
            note += f" ({stats.edges_drawn:,} strongest of {stats.edges_with_values:,} edges drawn)"
        items: list[tuple[str, str]] = [
            ("positive", f"{name} > 0"),
            ("negative", f"{name} < 0"),
            ("note", note),
        ]
        if stats.overlay_shown:
            items = [("note", "edge colour = gradient check, relative error:")]
            items += [(f"overlay{level}", text) for level, text in enumerate(OVERLAY_LABELS)]
            if stats.overlay_unchecked:
                items.append(("unchecked", f"not checked ({stats.overlay_unchecked:,})"))
        if options.show_biases and self._layout is not None and not all(self._layout.dense[1:]):
            items.append(("bias", "∂L/∂b" if gradients else "bias b"))
        if stats.has_missing:
            items.append(("missing", "not computed yet in this batch"))
        icon_w, gap = 24 * u, 18 * u
        limit = bar.left() - 24 * u
        x, y = rect.left() + pad, bottom - fm.height() / 2
        placed = []
        for kind, text in items:
            text_w = fm.horizontalAdvance(text)
            width = (0 if kind == "note" else icon_w + 6 * u) + text_w
            if x + width > limit and x > rect.left() + pad:
                x, y = rect.left() + pad, y - fm.height() - 6 * u
            placed.append((kind, text, x, y, width))
            x += width + gap
        extent = QRectF()
        for _, _, x, y, width in placed:
            extent = extent.united(QRectF(x, y - fm.height() / 2, width, fm.height()))
        self._legend_panel(painter, extent.adjusted(-6 * u, -4 * u, 6 * u, 4 * u), pal)
        for kind, text, x, y, width in placed:
            if kind in ("positive", "negative"):
                hue = pal.edge_positive if kind == "positive" else pal.edge_negative
                painter.setPen(_pen(qcolor(hue), 3 * u, Qt.PenCapStyle.FlatCap))
                painter.drawLine(QPointF(x, y), QPointF(x + icon_w, y))
            elif kind.startswith("overlay"):
                level = int(kind[len("overlay") :])
                rgb = overlay_colours(pal)[level]
                painter.setPen(_pen(qcolor(rgb), OVERLAY_WIDTHS[level] * u, Qt.PenCapStyle.FlatCap))
                painter.drawLine(QPointF(x, y), QPointF(x + icon_w, y))
            elif kind == "unchecked":
                painter.setPen(_pen(qcolor(pal.edge_missing), 1.2 * u, Qt.PenCapStyle.FlatCap))
                painter.drawLine(QPointF(x, y), QPointF(x + icon_w, y))
            elif kind == "bias":
                side = 8 * u
                painter.setPen(QPen(qcolor(pal.node_outline), 1.0 * u))
                painter.setBrush(qcolor(pal.positive))
                painter.drawRect(QRectF(x + icon_w / 2 - side / 2, y - side / 2, side, side))
            elif kind == "missing":
                painter.setPen(QPen(qcolor(pal.muted), 1.2 * u, Qt.PenStyle.DashLine))
                painter.setBrush(qcolor(pal.node_empty))
                painter.drawEllipse(QPointF(x + icon_w / 2, y), 7 * u, 7 * u)
            tx = x if kind == "note" else x + icon_w + 6 * u
            painter.setPen(qcolor(pal.muted if kind == "note" else pal.text))
            painter.drawText(
                QRectF(tx, y - fm.height() / 2, width + 2, fm.height()), Qt.AlignmentFlag.AlignVCenter, text
            )

    @staticmethod
    def _legend_panel(painter: QPainter, rect: QRectF, pal: Palette) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(qcolor(pal.background, 225))
        painter.drawRoundedRect(rect, 6, 6)
