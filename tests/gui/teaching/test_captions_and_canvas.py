"""The narration in recordings' captions, and the "?" the canvas writes on a quizzed neuron."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.teaching.narration import narrate
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.canvas.renderer import CanvasRenderer
from backprop_studio.gui.recording.frame import FrameRenderer, FrameSpec, caption_for, narrated_caption
from backprop_studio.gui.style.qimage import qimage_to_rgb
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from tests.core.teaching.helpers import small_session


def test_a_recordings_caption_carries_the_narration_of_the_batch_means_it_shows(qapp):
    s = small_session()
    for _ in range(3):
        s.step()
    snap = s.snapshot()
    first, second = narrated_caption(snap).split("\n")
    assert first == caption_for(snap)
    assert second == narrate(snap, None, focus=None) and "mean over the batch" in second
    assert FrameRenderer(FrameSpec(1920, 1080)).narrated
    assert not FrameRenderer(FrameSpec(320, 180)).narrated  # too small to read: the one-line caption


def _paint(snap, **options) -> np.ndarray:
    image = QImage(800, 500, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    CanvasRenderer().paint(painter, QRectF(0, 0, 800, 500), snap, CanvasOptions(**options))
    painter.end()
    return qimage_to_rgb(image)


def test_the_quizzed_neuron_reads_a_question_mark_and_nothing_else_changes(qapp):
    s = small_session()
    s.step()
    snap = s.snapshot()  # layer 2 not computed yet: its nodes read "–"
    plain, asked = _paint(snap, show_values=True), _paint(snap, show_values=True, hidden_node=(2, 1))
    changed = np.argwhere((plain != asked).any(axis=2))
    assert len(changed) > 0
    renderer = CanvasRenderer()
    lay = renderer.layout(snap.sizes, QRectF(0, 0, 800, 500))
    x, y, r = lay.xs[2], lay.ys[2][1], lay.radius[2]
    assert np.all(np.abs(changed[:, 1] - x) <= r + 2) and np.all(np.abs(changed[:, 0] - y) <= r + 2)
