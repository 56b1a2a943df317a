"""Draws the network (nodes, weighted edges, biases, the current phase) with a QPainter, no widget needed.

The app's `NetworkView` and the offscreen video recorder both paint through `CanvasRenderer`, so a
recorded frame looks exactly like the window. Every number drawn comes from the `Snapshot`; the canvas
only picks colors, sizes and positions (and the batch mean / focused sample it is asked to show).

This module orders the layers of a frame; each layer lives in its own module: layout.py (geometry),
edges.py (the performance core), nodes.py (node_labels.py), edge_labels.py, chrome.py (phase band, headers), legend.py,
inputs.py (feature names), hover.py (fan-in and fan-out), hints.py (the empty-state hint),
hit_test.py (what is under a point) and options.py (what to show, what was decided, the thresholds).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas import chrome, hit_test
from backprop_studio.gui.canvas.edge_labels import EdgeLabels
from backprop_studio.gui.canvas.edges import paint_edges, paint_marked_edges, paint_overlay_edges
from backprop_studio.gui.canvas.heatmaps import WeightImages
from backprop_studio.gui.canvas.hints import hint_wanted, paint_empty_hint
from backprop_studio.gui.canvas.hover import paint_fan
from backprop_studio.gui.canvas.inputs import paint_input_labels
from backprop_studio.gui.canvas.layout import Layout, LayoutCache, unit_for
from backprop_studio.gui.canvas.legend import paint_legend
from backprop_studio.gui.canvas.nodes import paint_nodes
from backprop_studio.gui.canvas.options import (
    EDGE_LABELS_MAX_EDGES,
    EDGE_LABELS_MIN_GAP_PX,
    CanvasOptions,
    FrameStats,
    antialiased,
    values_shown,
    values_shown_at,
)
from backprop_studio.gui.canvas.outputs import paint_output_labels
from backprop_studio.gui.canvas.overlays import overlay_errors
from backprop_studio.gui.canvas.pixel_grid import grid_caption, paint_caption
from backprop_studio.gui.canvas.values import (
    bias_values,
    edge_values,
    grid_values,
    max_magnitude,
    node_values,
    sample_phrase,
)
from backprop_studio.gui.style.colors import Palette, palette, qcolor
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QTransform


class CanvasRenderer:
    """Paints snapshots and answers "what is under this point" for the last painted layout."""

    def __init__(self) -> None:
        self._layouts = LayoutCache()
        self._edge_labels = EdgeLabels()
        self._weight_images = WeightImages()
        self.last_stats = FrameStats()

    @property
    def last_layout(self) -> Layout | None:
        return self._layouts.last

    def layout(
        self,
        snapshot_sizes: Sequence[int],
        rect: QRectF,
        view: QTransform | None = None,
        grid_shape: tuple[int, int] | None = None,
    ) -> Layout:
        """The layout of `snapshot_sizes` (inputs first) in `rect` under `view`, the inputs as a pixel grid
        of `grid_shape` when given; cached per geometry."""
        return self._layouts.get(snapshot_sizes, rect, view, grid_shape)

    values_shown = staticmethod(values_shown)
    antialiased = staticmethod(antialiased)

    # ---------------------------------------------------------------------------------- hit testing

    def neuron_at(self, point: QPointF) -> tuple[int, int] | None:
        """(layer, index) of the neuron under `point` in the last layout; layer 0 is the inputs column."""
        lay = self.last_layout
        return None if lay is None else hit_test.neuron_at(lay, point)

    def edge_at(self, point: QPointF) -> tuple[int, int, int] | None:
        """(layer, i, j) of the edge nearest `point` within a few pixels in the last layout."""
        lay = self.last_layout
        return None if lay is None else hit_test.edge_at(lay, point)

    def bias_at(self, point: QPointF) -> tuple[int, int] | None:
        """(layer, index) of the bias marker or bias label under `point` in the last frame."""
        lay = self.last_layout
        return None if lay is None else hit_test.bias_at(lay, point, self.last_stats)

    def item_at(self, point: QPointF) -> tuple | None:
        """("neuron" | "bias", layer, index) or ("edge", layer, i, j) under `point`, neuron first."""
        lay = self.last_layout
        return None if lay is None else hit_test.item_at(lay, point, self.last_stats)

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
        lay = self.layout(snapshot.sizes, rect, view, options.grid_for(snapshot.sizes[0]))
        stats = self.last_stats = FrameStats(edges_total=lay.n_edges, biases_shown=options.show_biases)
        cols = node_values(snapshot, options)
        mats = edge_values(snapshot, options)
        self._decide(stats, snapshot, options, lay, cols, mats)

        painter.save()
        painter.setClipRect(rect)
        painter.fillRect(rect, qcolor(pal.background))
        overlay = overlay_errors(lay.sizes, lay.edge_start, options.edge_overlay)
        self._paint_edges(painter, lay, mats, overlay, pal, stats)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        paint_marked_edges(painter, lay, snapshot, options, pal, stats, overlay)
        if options.hovered_neuron is not None:
            paint_fan(painter, lay, options.hovered_neuron, mats, pal, stats)
        biases = bias_values(snapshot, options)
        bias_vmax = max_magnitude([b for b in biases if b is not None and b.size])
        images = self._weight_images(snapshot, options)
        drawn = cols if lay.grid is None else [grid_values(snapshot, options, cols), *cols[1:]]
        paint_nodes(painter, lay, options, pal, stats, drawn, biases, bias_vmax, neuron_maps, images)
        paint_output_labels(painter, lay, options, pal, stats)
        if lay.grid is None:
            paint_input_labels(painter, lay, options, pal, stats)
        else:
            stats.grid_caption = grid_caption(lay.grid, sample_phrase(snapshot, options), options.gradients)
            paint_caption(painter, lay.grid, stats.grid_caption, lay.rect, pal, lay.unit)
        if stats.band is not None:
            chrome.paint_phase_label(painter, lay, pal, stats.band)
        if (
            stats.values_shown
            and lay.n_edges <= EDGE_LABELS_MAX_EDGES
            and lay.min_gap() >= EDGE_LABELS_MIN_GAP_PX
        ):
            self._edge_labels.paint(painter, lay, mats, pal, overlay)
            stats.edge_labels_shown = True
        chrome.paint_headers(painter, lay, snapshot, options, pal, stats)
        if hint_wanted(snapshot, options, cols):
            paint_empty_hint(painter, lay, pal, stats)
        if options.show_legend:
            paint_legend(painter, rect, unit_for(rect), lay, snapshot, options, pal, stats)
        painter.restore()

    @staticmethod
    def _decide(
        stats: FrameStats,
        snapshot: Snapshot,
        options: CanvasOptions,
        lay: Layout,
        cols: list[np.ndarray | None],
        mats: list[np.ndarray | None],
    ) -> None:
        """The frame's color scale, level of detail and phase band, before anything is drawn."""
        layer_cols = [c for c in cols[1:] if c is not None and c.size]
        stats.node_vmax = max_magnitude(layer_cols or [c for c in cols[:1] if c is not None and c.size])
        stats.has_missing = any(c is None for c in cols) or any(m is None for m in mats)
        stats.values_shown = values_shown_at(snapshot.sizes, options, lay.smallest_visible_radius(), lay.unit)
        stats.antialiased = antialiased(lay.n_edges, options)
        stats.band = chrome.phase_band(lay, snapshot)

    @staticmethod
    def _paint_edges(
        painter: QPainter,
        lay: Layout,
        mats: list[np.ndarray | None],
        overlay: np.ndarray | None,
        pal: Palette,
        stats: FrameStats,
    ) -> None:
        """The phase band under the edges, then the edges by value or by gradient-check agreement."""
        band = stats.band
        if band is not None:
            chrome.paint_phase_band(painter, lay, pal, band)
        if overlay is not None:
            paint_overlay_edges(painter, lay, overlay, pal, stats)
        elif band is not None:
            paint_edges(painter, lay, mats, pal, stats, band.gaps, chrome.band_background(pal, band))
        else:
            paint_edges(painter, lay, mats, pal, stats)
