"""With the digits preset the pixel grid shows the focused sample from the start, before any Step: the
picture of the sample the first Step draws (not a blank box), named under the grid ("sample #N · 8×8
inputs"); after the first Step the same picture stays, and the caption follows the focus."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import QSettings

from tests.image_checks import rgb_at


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(load_preset("digits")), "light")
    win.confirm_discard = lambda doing: True
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.controller.pause()
    win.close()


def first_drawn_sample() -> tuple[int, np.ndarray, np.ndarray]:
    """(data-set row, pixels as read, every training pixel as read) of the first sample the first Step
    draws, from a second run of the same project stepped once."""
    other = StudioController(load_preset("digits"))
    other.step("phase")
    snap = other.snapshot
    mean, std = other.view_state.dataset.standardization
    unscale = lambda x: np.asarray(x) * np.asarray(std) + np.asarray(mean)  # noqa: E731
    return int(snap.batch_indices[0]), unscale(snap.x[0]), unscale(other.view_state.dataset.x_train)


def assert_grid_shows(canvas, pixels: np.ndarray, low: float, high: float) -> None:
    """Every cell is inked by its pixel: the share of the way from paper to ink."""
    image = canvas.grab().toImage()
    pal = palette(False)
    assert high > low
    for i in range(64):
        center = canvas.node_position(0, i)
        ink = (pixels[i] - low) / (high - low)
        want = [p + (t - p) * ink for p, t in zip(pal.background, pal.text, strict=True)]
        assert np.allclose(rgb_at(image, center.x(), center.y()), want, atol=1.5), (i, pixels[i])


def test_before_the_first_step_the_grid_shows_the_sample_the_first_step_draws(window):
    canvas = window.canvas
    assert window.controller.snapshot.x is None  # nothing drawn yet
    row, pixels, every = first_drawn_sample()
    assert pixels.max() > pixels.min()  # a real picture, not a flat box
    assert_grid_shows(canvas, pixels, float(every.min()), float(every.max()))
    caption = canvas.renderer.last_stats.grid_caption
    assert caption == f"sample #{row + 1:,} · 8×8 inputs"

    window.actions["step"].trigger()  # forward through layer 1: the same sample, now in the batch
    assert int(window.controller.snapshot.batch_indices[0]) == row
    assert_grid_shows(canvas, pixels, float(every.min()), float(every.max()))
    assert canvas.renderer.last_stats.grid_caption == caption


def test_the_caption_says_batch_mean_when_the_mean_is_shown_and_is_drawn_under_the_grid(window, qtbot):
    canvas = window.canvas
    window.actions["batch_mean"].trigger()
    image = canvas.grab().toImage()
    assert canvas.renderer.last_stats.grid_caption == "batch mean · 8×8 inputs"
    grid = canvas.renderer.last_layout.grid.rect
    # Ink in the strip under the grid: the caption is there, not only in the frame's statistics.
    strip = [
        rgb_at(image, x, y)
        for x in range(int(grid.left()), int(grid.right()))
        for y in range(int(grid.bottom()) + 4, int(grid.bottom()) + 16)
    ]
    assert min(sum(c) for c in strip) < 3 * 120
