"""Maps over the input plane drawn inside nodes: each input feature (as TensorFlow Playground draws
its inputs) and, when asked, each neuron's output; x₂ rises upwards as in the data plot. When the inputs
are an image (options.image_shape) the plane means nothing, and a first-layer neuron's map is instead its
incoming weights as that image, each on its own symmetric scale: the strokes it has learned to look for.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.analysis.images import symmetric_scale
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.canvas.values import edge_values
from backprop_studio.gui.style.colors import diverging_lut, lut_indices
from backprop_studio.gui.style.pixel_images import cells_image, diverging_argb
from PySide6.QtGui import QImage

# Radii (in units) from which a node holds its map.
HEATMAP_MIN_RADIUS = 10.0
INPUT_MAP_MIN_RADIUS = 7.0  # a feature's map reads at a smaller size than a neuron's: it is simpler
WEIGHT_IMAGE_ROW_SHARE = 0.9  # a weight image fills this share of its neuron's row ...
WEIGHT_IMAGE_GAP_SHARE = 0.35  # ... and at most this share of the way to the next column
MIN_PX_PER_PIXEL = 1.5  # below this many screen pixels per image pixel the strokes no longer read


def heat_images_for(
    lay: Layout, options: CanvasOptions, c: int, neuron_maps: list[np.ndarray] | None
) -> list[QImage] | None:
    """Column c's maps over the input plane, one image per node, where they are on and fit: each input
    feature (options.input_maps) or each neuron's output (`neuron_maps`, with options.heatmaps)."""
    r = lay.radius[c]
    if c == 0:
        maps = options.input_maps
        if r < INPUT_MAP_MIN_RADIUS * lay.unit:
            return None
    else:
        big_enough = r >= HEATMAP_MIN_RADIUS * lay.unit
        maps = None
        if options.heatmaps and neuron_maps and c - 1 < len(neuron_maps) and big_enough:
            maps = neuron_maps[c - 1]
    if maps is None or maps.ndim != 3 or maps.shape[0] != lay.sizes[c]:
        return None
    return heatmap_images(maps, options.dark)


def heatmap_images(maps: np.ndarray, dark: bool) -> list[QImage]:
    """(units, res, res) values over the input plane (row 0 at the lowest x₂) → one image per unit, on
    the diverging scale, with x₂ rising upwards as in the data plot (image row 0 is the top)."""
    lut = diverging_lut(dark)
    argb = np.ascontiguousarray(lut[lut_indices(maps[:, ::-1, :], 1.0)], dtype=np.uint32)
    res_h, res_w = argb.shape[1], argb.shape[2]
    # copy() detaches each image from the temporary array so it survives this function.
    return [
        QImage(argb[i].data, res_w, res_h, 4 * res_w, QImage.Format.Format_ARGB32).copy()
        for i in range(argb.shape[0])
    ]


def weight_image_side(lay: Layout, options: CanvasOptions) -> float:
    """The side of the square a first-layer neuron's weight image fills (larger than the node, up to its
    row), or 0 when even that is too small for the image to read."""
    shape = options.image_for(lay.sizes[0]) if lay.sizes else None
    if shape is None or len(lay.sizes) < 2:
        return 0.0
    gap = lay.min_gap() if len(lay.sizes) > 1 else float("inf")
    side = max(2 * lay.radius[1], min(WEIGHT_IMAGE_ROW_SHARE * lay.spacing[1], WEIGHT_IMAGE_GAP_SHARE * gap))
    return side if side >= MIN_PX_PER_PIXEL * max(shape) else 0.0


class WeightImages:
    """Layer 1's weight images for a renderer, remade only when the array they show changes (snapshot
    arrays never change, so the same array object means the same pictures: a hover or a resize repaints
    without redrawing them)."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._source: np.ndarray | None = None
        self._images: list[QImage] | None = None

    def __call__(self, snapshot: Snapshot, options: CanvasOptions) -> list[QImage] | None:
        """Per neuron j of layer 1, its incoming weights W[:, j] (∂L/∂W[:, j] with Show gradients, as the
        edges show) as an image of options.image_shape (one pixel per input, row-major), symmetric around
        0 at that neuron's largest magnitude; None unless heatmaps are on, the inputs are an image and
        the values exist."""
        shape = options.image_for(snapshot.sizes[0])
        if not options.heatmaps or shape is None or not snapshot.weights:
            return None
        first = edge_values(snapshot, options)[0]
        if first is None:
            return None
        if first is not self._source or self._key != (shape, options.dark):
            weights = np.asarray(first)
            self._images = [
                cells_image(
                    diverging_argb(
                        weights[:, j].reshape(shape), symmetric_scale(weights[:, j]), options.dark
                    ),
                    1,
                )
                for j in range(weights.shape[1])
            ]
            self._source, self._key = first, (shape, options.dark)
        return self._images
