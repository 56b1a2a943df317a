"""A project whose inputs form an image, in the window: the input column is the pixel grid (View → Inputs
as image, on by default), clicking a cell or a first-layer neuron on the canvas shows the sample and the
neuron's weights as images in the Inspector, and a project without an image is left as it was."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings, Qt

from tests.gui.test_main_window import click_toolbar
from tests.image_checks import assert_ordered_like, cell_positions
from tests.image_projects import image_project


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(image_project(n=4, samples=12, hidden=5, classes=3)), "light")
    win.confirm_discard = lambda doing: True
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.controller.pause()
    win.close()


def _step_to_backward(window):
    for _ in range(4):  # forward 1, forward 2, loss, backward 2
        window.actions["step"].trigger()


def _view_action(window, text):
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    return next(a for a in view_menu.actions() if a.text() == text)


def test_the_inputs_are_drawn_as_the_image_by_default_and_the_view_menu_turns_it_off(window, qtbot):
    canvas = window.canvas
    action = _view_action(window, "Inputs as image")
    assert action.isEnabled() and action.isChecked()
    canvas.grab()
    assert canvas.renderer.last_layout.grid is not None
    action.trigger()
    canvas.grab()
    assert not action.isChecked() and canvas.renderer.last_layout.grid is None
    action.trigger()
    canvas.grab()
    assert canvas.renderer.last_layout.grid is not None


def test_clicking_a_cell_selects_the_input_and_rings_its_pixel(window, qtbot):
    _step_to_backward(window)
    canvas = window.canvas
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.node_position(0, 5))
    assert window.inspector.selection() == ("neuron", 0, 5)
    assert window.inspector.text().startswith("Input x6")  # inline data names its columns x1, x2 …
    images = window.inspector.images
    assert images.isVisible()
    assert "x6 is the pixel at row 2, column 2" in images.captions()[0]
    assert not images.sample_image().isNull()


def test_clicking_a_first_layer_neuron_shows_its_weights_as_the_image(window, qtbot):
    _step_to_backward(window)
    canvas = window.canvas
    for j in (0, 3):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.node_position(1, j))
        assert window.inspector.selection() == ("neuron", 1, j)
        images = window.inspector.images
        weights = np.asarray(window.controller.snapshot.weights[0])[:, j].reshape(4, 4)
        assert images.weights_scale() == pytest.approx(float(np.abs(weights).max()))
        assert_ordered_like(cell_positions(images.weights_image(), (4, 4), images.weights_cell()), weights)


def test_neuron_heatmaps_are_offered_and_draw_the_weight_images(window, qtbot):
    heatmaps = _view_action(window, "Neuron heatmaps")
    assert heatmaps.isEnabled()  # no input plane, but layer 1 has weight images to show
    heatmaps.trigger()
    window.canvas.grab()
    assert window.canvas.renderer.last_stats.heatmaps_shown


def test_a_project_without_an_image_keeps_its_column(window, qtbot):
    assert window.controller.open_preset("circle")
    assert not _view_action(window, "Inputs as image").isEnabled()
    window.canvas.grab()
    assert window.canvas.renderer.last_layout.grid is None
    assert not window.inspector.images.isVisible()


def test_a_standardized_image_is_drawn_as_read_not_as_z_scores(qtbot, tmp_path):
    """With data.standardize the network gets per-pixel z-scores, which reorder the pixels' brightness
    (a rarely-inked pixel gets a huge score); the grid draws the focused sample as the data held it."""
    from dataclasses import replace

    from PySide6.QtGui import QColor

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    project = image_project(n=4, samples=12, hidden=5, classes=3)
    raw = np.array(project.data.x)
    project = replace(project, data=replace(project.data, standardize=True))
    win = mw.MainWindow(StudioController(project), "light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    click_toolbar(win, "Step", qtbot)
    snap = win.controller.snapshot
    sample = raw[snap.batch_indices[0]]  # the focused sample: row 1 of the batch
    assert not np.allclose(snap.x[0], sample)  # the network does see z-scores
    picture = win.canvas.grab().toImage()
    ink = np.array(
        [255 - QColor(picture.pixel(win.canvas.node_position(0, i))).lightness() for i in range(16)]
    )
    order = np.argsort(sample, kind="stable")  # lighter (less ink) for a lower value as read
    assert np.all(np.diff(ink[order]) >= 0), (sample, ink)
    assert ink[np.argmax(sample)] > ink[np.argmin(sample)]
    win.controller.pause()
