"""Recorded frames draw image inputs (data.image_shape, the 8×8 digits) as the window does with View → Inputs
as image: an 8×8 grid of cells whose ink follows the pixels, not a column of 64 tiny nodes."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.commands import load
from backprop_studio.core.project.project import open_session
from backprop_studio.gui.recording.frame import FrameRenderer, FrameSpec
from backprop_studio.gui.style.colors import palette
from PySide6.QtGui import QImage

import main


def digits_after_forward():
    project = load(None, "digits")
    session = open_session(project)
    session.run_phases(1)  # forward through layer 1: the batch's inputs are on the canvas
    return project, session


def test_the_digits_input_column_is_an_8x8_grid_inked_by_the_batchs_pixels(qapp):
    project, session = digits_after_forward()
    snap, dataset = session.snapshot(), session.dataset
    assert project.data.image_shape == (8, 8)
    renderer = FrameRenderer(FrameSpec(1280, 720, "full", image_shape=project.data.image_shape))
    image = renderer.render(snap, None, None, dataset)
    grid = renderer.canvas_layout.grid
    assert grid is not None and (grid.rows, grid.cols) == (8, 8)
    # The pixels as the data set held them before standardizing, averaged over the batch (the canvas
    # shows the batch mean), on the gray scale of the whole training set: paper at its lowest, ink at its highest.
    mean, std = dataset.standardization
    raw = snap.x * std + mean
    train = dataset.x_train * std + mean
    low, high = train.min(), train.max()
    ink = np.clip((raw.mean(axis=0) - low) / (high - low), 0, 1)
    pal = palette(False)
    paper, text = np.array(pal.background, float), np.array(pal.text, float)
    xs, ys = grid.centers()
    scale = renderer._canvas_map[0]
    assert grid.cell * scale >= 20  # cells big enough to see, not 64 dots
    for i in range(64):
        fx, fy = renderer.to_frame(float(xs[i]), float(ys[i]))
        c = image.pixelColor(round(fx), round(fy))
        expected = paper + (text - paper) * ink[i]
        assert np.abs(np.array([c.red(), c.green(), c.blue()]) - expected).max() <= 3, i


def test_recording_the_digits_preset_draws_the_grid(capsys, tmp_path, qapp):
    out = tmp_path / "frames"
    argv = ["record", "--preset", "digits", "--out", f"{out}/", "--epochs", "1", "--granularity", "epoch"]
    assert main.main([*argv, "--size", "640x360", "--hold", "0.1", "--transition", "0", "--fps", "10"]) == 0
    frames = sorted(out.glob("frame_*.png"))
    assert frames
    last = QImage(str(frames[-1]))
    # The grid sits at the left of the canvas: a block of gray cells (ink on paper, r = g = b), where a
    # column of nodes would show colored dots and edges on the background.
    paper = palette(False).background
    grays = 0
    points = [(x, y) for x in range(15, 100, 3) for y in range(120, 200, 3)]
    for x, y in points:
        c = last.pixelColor(x, y)
        rgb = (c.red(), c.green(), c.blue())
        grays += max(rgb) - min(rgb) <= 3 and abs(rgb[0] - paper[0]) > 12
    assert grays > 0.5 * len(points)
