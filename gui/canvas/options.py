"""What the canvas is asked to show (`CanvasOptions`), what it decided (`FrameStats`), and the numbers
behind both: the level-of-detail thresholds and the layout metrics (`CanvasMetrics`).

Every length in `CanvasMetrics` is in units of `unit_for(rect)` (1.0 at 1280x720), so the picture keeps
its proportions at any output size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from backprop_studio.core.analysis.focus import BATCH_MEAN, Focus
from backprop_studio.core.analysis.images import image_shape_for
from PySide6.QtCore import QRectF

# Level of detail: what a frame draws depends on how big the network is.
VALUES_MAX_NEURONS = 40  # automatic show_values: write numbers only when they can all fit
EDGE_LABELS_MAX_EDGES = 30
# Edge labels need room between columns; on a laptop-sized canvas they would sit on the node labels,
# so they are left to the tooltips there.
EDGE_LABELS_MIN_GAP_PX = 150.0
ANTIALIAS_MAX_EDGES = 2_000
FAINT_DROP_MIN_EDGES = 5_000
FAINT_FRACTION = 0.02
# In a big net each gap draws only its strongest edges: at most EDGES_PER_PIXEL per pixel of on-screen
# column height (and at least MIN_GAP_BUDGET). Past that a bundle is a solid block whatever is drawn,
# and rasterizing the hidden edges would cost more than the whole rest of the frame.
EDGES_PER_PIXEL = 4.0
MIN_GAP_BUDGET = 2_000
SIGN_SLICE = 96  # edges per drawLines call when interleaving the two signs of one width level
WIDTH_LEVELS = 8
# A non-antialiased pen of width <= 1 goes through Qt's cosmetic stroker, which is ~5x slower for steep
# lines than the polygon rasterizer used for anything wider; 1.05 px looks the same and is fast.
FAST_HAIRLINE = 1.05
DENSE_RADIUS = 2.2  # below this radius a column is drawn as a color strip instead of circles
# Level of detail by on-screen size: past VALUES_MAX_NEURONS a column writes its numbers once zooming
# has made every visible node at least this big (in units), whatever the size of the network.
VALUES_MIN_RADIUS = 14.0
# A dense gap (more line width crossing its middle than the column is tall) gets a tinted underlay:
# at the gap's middle every edge i→j passes through one of the few heights (y_i + y_j) / 2, so thin
# lines leave the background showing between them there, a row of white holes, whatever the caps or
# antialiasing. The underlay gives those holes the bundle's own tone.
UNDERLAY_MIN_COVER = 1.5


@dataclass(frozen=True)
class CanvasMetrics:
    """The layout's proportions, in units (lengths) or as plain ratios (`*_ratio`, `*_fraction`)."""

    header_top: float = 8.0  # where the column titles start, below the top edge
    content_top: float = 84.0  # two header lines, then the phase label row
    legend_strip: float = 62.0  # kept free at the bottom for the legend
    min_content: float = 40.0  # below this height the margins are squeezed rather than inverted
    tiny_margin_px: float = 4.0  # the squeezed margin, in pixels
    side_margin: float = 100.0  # left and right of the outer columns ...
    side_margin_fraction: float = 0.12  # ... but at most this share of the width
    max_radius: float = 28.0
    bias_label_room: float = 80.0  # extra spacing between nodes, room for the labels under each
    radius_per_spacing: float = 0.36  # a node fills at most this share of its row
    radius_per_gap: float = 0.2  # ... and of the distance to the next column
    max_edge_width: float = 6.0
    edge_width_per_spacing: float = 0.3  # the widest edge against the node spacing at its ends
    edge_width_bundle: float = 40.0  # the widest edge is this / sqrt(edges in the gap)
    min_edge_width_px: float = 1.5
    bias_marker_min_radius: float = 6.0  # smaller nodes have no bias marker (it would cover the dot)
    bias_marker_side: float = 5.0  # the marker's smallest side ...
    bias_marker_ratio: float = 0.36  # ... or this share of the radius
    bias_marker_offset: float = 0.74  # the marker's center, down and left of the node's, in radii


METRICS = CanvasMetrics()


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
    # where not checked: edges are then colored by agreement instead of by value (see overlays.py).
    edge_overlay: tuple[np.ndarray | None, ...] | None = field(default=None, compare=False)
    # Per column (0 = inputs), a short warning shown after the neuron count, e.g. "2 dead"; "" for none.
    column_notes: tuple[str, ...] | None = None
    # The project's feature of each input column ("x1", "x1^2", …); empty: x₁ … xₙ.
    input_names: tuple[str, ...] = ()
    # The data set's name of each output (its classes: "setosa", "0" …), written right of the output
    # nodes; empty: none.
    output_names: tuple[str, ...] = ()
    # (n_inputs, res, res) each input feature over the plane, in [−1, 1] (core.analysis.feature_maps),
    # drawn inside the input nodes as TensorFlow Playground does; None off the plane.
    input_maps: np.ndarray | None = field(default=None, compare=False)
    # "Press Step (→) …" before anything of the first batch is computed; the window wants it, a
    # recording usually does not.
    empty_hint: bool = False
    hovered_neuron: tuple[int, int] | None = None  # (layer, index): its fan-in and fan-out stand out
    hidden_node: tuple[int, int] | None = None  # (layer, index): its number reads "?" (Quiz mode asks it)
    # The inputs are an image's pixels (data.image_shape, rows × cols, row-major): first-layer neurons'
    # heatmaps and tooltips show their incoming weights as that image; None: not an image.
    image_shape: tuple[int, int] | None = None
    pixel_grid: bool = True  # with image_shape, draw the input column as the rows × cols grid of pixels
    image_range: tuple[float, float] | None = None  # the data's (lowest, highest) input: the gray scale
    # (mean, std) per input when the data was standardized: pixels are drawn as read (as_read), not as z-scores
    image_unscale: tuple[tuple[float, ...], tuple[float, ...]] | None = None

    @property
    def sample_focus(self) -> Focus:
        """`focus` as the shared rule of core.analysis.focus (None there means the batch mean)."""
        return BATCH_MEAN if self.focus is None else Focus(self.focus)

    @property
    def gradients(self) -> bool:
        return self.mode == "gradients"

    def image_for(self, n_inputs: int) -> tuple[int, int] | None:
        """`image_shape` when it fits a network of `n_inputs` inputs, else None."""
        return image_shape_for(self.image_shape, n_inputs)

    def grid_for(self, n_inputs: int) -> tuple[int, int] | None:
        """The shape the input column is drawn as (pixel_grid on and the image fits), else None."""
        return self.image_for(n_inputs) if self.pixel_grid else None


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
    overlay_shown: bool = False  # edges were colored by the gradient check, not by their values
    overlay_unchecked: int = 0  # edges the gradient check left out (a sample of a big network)
    node_vmax: float = 1.0
    edge_vmax: float = 1.0
    bias_label_rects: list[tuple[QRectF, int, int]] = field(default_factory=list)
    value_columns: list[int] = field(default_factory=list)  # columns whose numbers were written
    input_labels: list[tuple[str, QRectF]] = field(default_factory=list)  # feature names drawn
    output_labels: list[tuple[str, QRectF]] = field(default_factory=list)  # class names drawn
    input_maps_shown: bool = False
    header_rects: list[tuple[str, QRectF]] = field(default_factory=list)  # column titles drawn
    empty_hint_shown: bool = False
    scale_title_beside: bool = False  # the color scale's title went left of the bar (no room above it)
    grid_caption: str = ""  # what the pixel grid shows, written under it ("sample #1 · 8×8 inputs")
    fan_edges: int = 0  # edges of the hovered neuron drawn on top


def values_shown(sizes: Sequence[int], options: CanvasOptions) -> bool:
    """Whether numbers are written on the canvas (otherwise the widget offers hover tooltips)."""
    if options.show_values is not None:
        return options.show_values
    return sum(sizes) <= VALUES_MAX_NEURONS


def values_shown_at(
    sizes: Sequence[int], options: CanvasOptions, smallest_radius: float, unit: float
) -> bool:
    """Whether numbers are written, given the smallest on-screen radius of the visible node columns:
    always in a small net, else once zooming has made every visible node big enough to hold them
    (level of detail by on-screen size, not by the size of the network)."""
    if options.show_values is not None or sum(sizes) <= VALUES_MAX_NEURONS:
        return values_shown(sizes, options)
    return smallest_radius >= VALUES_MIN_RADIUS * unit


def antialiased(n_edges: int, options: CanvasOptions) -> bool:
    """Antialiasing costs too much past a few thousand edges, and a dense bundle does not need it."""
    if options.antialias is not None:
        return options.antialias
    return n_edges <= ANTIALIAS_MAX_EDGES


def hairline_width(unit: float, antialias: bool) -> float:
    """The thinnest edge: 0.8 units, but never into Qt's slow cosmetic stroker when not antialiased."""
    return 0.8 * unit if antialias else max(FAST_HAIRLINE, 0.8 * unit)
