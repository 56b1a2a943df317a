"""The input column as an image's pixel grid, and first-layer neurons' weights as images: drawn where the
layout says, colored by the numbers, and hovered and clicked as a person would."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.training.snapshot import Phase
from backprop_studio.gui.canvas.heatmaps import weight_image_side
from backprop_studio.gui.canvas.image_tips import TIP_IMAGE_SIDE
from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.style.colors import palette
from backprop_studio.gui.style.pixel_images import cell_for
from PySide6.QtCore import Qt

from tests.gui.canvas.painting import hover_text
from tests.image_checks import assert_ordered_like, cell_positions, rgb_at, tooltip_image
from tests.snapshot_factory import make_snapshot

SIZES = (16, 5, 3)
SHAPE = (4, 4)


@pytest.fixture
def view(qtbot):
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(900, 560)
    snap = make_snapshot(SIZES, 3, Phase("backward", 1))
    widget.set_snapshot(snap)
    x = snap.x
    widget.set_options(image_shape=SHAPE, image_range=(float(x.min()), float(x.max())), focus=0)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_inputs_are_laid_out_as_the_image_row_major(view):
    view.grab()
    lay = view.renderer.last_layout
    assert lay.grid is not None and (lay.grid.rows, lay.grid.cols) == SHAPE
    centers = [view.node_position(0, i) for i in range(16)]
    # Input i at row i // 4, column i % 4: x grows along a row, y from one row to the next.
    for i in range(16):
        row, col = divmod(i, 4)
        assert abs(centers[i].x() - centers[row * 4].x() - col * lay.grid.cell) <= 1
        assert abs(centers[i].y() - centers[col].y() - row * lay.grid.cell) <= 1
    # Edges into layer 1 start at the cells: edge (1, i, j) leaves cell i.
    lines = lay.gap_lines(1)
    for i in (0, 7, 15):
        start = lines[i * SIZES[1] + 2][:2]
        assert np.hypot(start[0] - centers[i].x(), start[1] - centers[i].y()) <= 1


def test_each_cell_is_inked_by_the_focused_samples_value(view):
    snap = view.snapshot
    values = snap.x[0]
    low, high = float(snap.x.min()), float(snap.x.max())
    image = view.grab().toImage()
    pal = palette(False)
    for i in (int(np.argmax(values)), int(np.argmin(values)), 5):
        center = view.node_position(0, i)
        ink = (values[i] - low) / (high - low)  # the share of the way from paper to ink
        want = [p + (t - p) * ink for p, t in zip(pal.background, pal.text, strict=True)]
        got = rgb_at(image, center.x(), center.y())
        assert np.allclose(got, want, atol=1.5), (i, got, want)


def test_clicking_a_cell_selects_that_input(qtbot, view):
    for i in (0, 6, 15):
        with qtbot.waitSignal(view.neuron_clicked, timeout=1000) as blocker:
            qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.node_position(0, i))
        assert blocker.args == [0, i]


def test_hovering_a_cell_names_the_input_and_its_pixel(qtbot, view):
    text = hover_text(qtbot, view, view.node_position(0, 6))
    assert text.startswith("Input x₇, pixel at row 2, column 3 of 4×4")
    assert "x = " in text


def test_a_first_layer_neurons_tooltip_shows_its_weights_as_the_image(qtbot, view):
    j = 2
    html = hover_text(qtbot, view, view.node_position(1, j))
    assert "Weights into neuron 3 of layer 1, laid out as the 4×4 image" in html
    assert "Neuron 3 of layer 1" in html  # the numbers are still there
    picture = tooltip_image(html)
    weights = view.snapshot.weights[0][:, j].reshape(SHAPE)
    assert_ordered_like(cell_positions(picture, SHAPE, cell_for(SHAPE, TIP_IMAGE_SIDE)), weights)


def test_other_layers_keep_their_plain_tooltips(qtbot, view):
    text = hover_text(qtbot, view, view.node_position(2, 0))
    assert "<img" not in text and text.startswith("Neuron 1 of output layer 2")


def test_with_heatmaps_on_a_first_layer_neuron_shows_its_weights_on_the_canvas(view):
    view.set_options(heatmaps=True)
    image = view.grab().toImage()
    assert view.renderer.last_stats.heatmaps_shown
    lay = view.renderer.last_layout
    side = weight_image_side(lay, view.options)
    assert side >= 2 * lay.radius[1]  # the image fills at least the node
    for j in range(SIZES[1]):
        center = view.node_position(1, j)
        weights = view.snapshot.weights[0][:, j].reshape(SHAPE)
        positions = cell_positions(image, SHAPE, side / 4, center.x() - side / 2, center.y() - side / 2)
        assert_ordered_like(positions, weights)


def test_turning_the_grid_off_gives_the_column_back(view):
    view.set_options(pixel_grid=False)
    view.grab()
    lay = view.renderer.last_layout
    assert lay.grid is None
    assert len({view.node_position(0, i).x() for i in range(16)}) == 1


def test_an_image_shape_that_does_not_fit_the_inputs_is_ignored(view):
    view.set_options(image_shape=(3, 3), heatmaps=True)
    view.grab()
    assert view.renderer.last_layout.grid is None
    assert not view.renderer.last_stats.heatmaps_shown


def test_with_gradients_shown_the_weight_images_show_the_gradient_of_each_weight(view):
    view.set_options(heatmaps=True, mode="gradients")
    image = view.grab().toImage()
    lay = view.renderer.last_layout
    side = weight_image_side(lay, view.options)
    dw = view.snapshot.layers[0].dW
    for j in (0, 4):
        center = view.node_position(1, j)
        positions = cell_positions(image, SHAPE, side / 4, center.x() - side / 2, center.y() - side / 2)
        assert_ordered_like(positions, dw[:, j].reshape(SHAPE))


def test_before_the_gradient_exists_no_gradient_image_is_drawn(view):
    view.set_snapshot(make_snapshot(SIZES, 3, Phase("forward", 2)))
    view.set_options(heatmaps=True, mode="gradients")
    view.grab()
    assert not view.renderer.last_stats.heatmaps_shown


def test_new_weights_redraw_the_weight_images(view):
    view.set_options(heatmaps=True)
    view.grab()
    view.set_snapshot(make_snapshot(SIZES, 11, Phase("backward", 1)))  # other weights
    image = view.grab().toImage()
    lay = view.renderer.last_layout
    side = weight_image_side(lay, view.options)
    center = view.node_position(1, 1)
    positions = cell_positions(image, SHAPE, side / 4, center.x() - side / 2, center.y() - side / 2)
    assert_ordered_like(positions, view.snapshot.weights[0][:, 1].reshape(SHAPE))
