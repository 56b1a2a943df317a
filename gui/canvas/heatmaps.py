"""Maps over the input plane drawn inside nodes: each input feature (as TensorFlow Playground draws
its inputs) and, when asked, each neuron's output; x₂ rises upwards as in the data plot.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.style.colors import diverging_lut, lut_indices
from PySide6.QtGui import QImage

# Radii (in units) from which a node holds its map.
HEATMAP_MIN_RADIUS = 10.0
INPUT_MAP_MIN_RADIUS = 7.0  # a feature's map reads at a smaller size than a neuron's: it is simpler


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
