"""When the project's inputs form an image (data.image_shape): tell the canvas and the Inspector, and
offer View → Inputs as image (checked by default) to draw the input column as the pixel grid.

A part of the window's assembly, called when a project is (re)loaded; the views do the drawing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_studio.core.analysis.images import as_read, image_shape_for, value_range

if TYPE_CHECKING:
    from backprop_studio.gui.controller.view_state import ViewState
    from backprop_studio.gui.main_window import MainWindow


def show_image_inputs(window: MainWindow, state: ViewState) -> bool:
    """Pass the image shape (or None) to the views; returns whether the inputs form an image."""
    shape = image_shape_for(state.data.image_shape, state.network.inputs)
    ds = state.dataset
    stats = ds.standardization
    unscale = None if stats is None else (tuple(map(float, stats[0])), tuple(map(float, stats[1])))
    low_high = value_range(as_read(ds.x_train, unscale)) if shape is not None else (0.0, 1.0)
    window.canvas.set_options(image_shape=shape, image_range=low_high, image_unscale=unscale)
    grid = window.actions["pixel_grid"]
    grid.setEnabled(shape is not None)
    grid.setChecked(shape is not None)
    labels = ds.labels_train if ds.task == "classification" else None
    window.inspector.images.set_data(shape, low_high, labels, ds.target_names, unscale)
    return shape is not None
