"""The video frame's loss panel draws each point at its own epoch or batch (`Series.at`), also after the
memory budget merged old points: the curve of a compacted run is not squeezed to the left (issue 9)."""

from __future__ import annotations

import numpy as np
from backprop_studio.gui.recording import loss_panel
from backprop_studio.gui.recording.loss_panel import LossPanel
from backprop_studio.gui.style.colors import LIGHT
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(3)
X = RNG.normal(size=(40, 2))
Y = np.tanh(X[:, :1] * X[:, 1:])


def test_each_point_is_drawn_at_its_series_number(qapp, monkeypatch):
    s = session(
        network(2, (4, "tanh"), (1, "linear")),
        training(batch_size=2, shuffle=True),
        dataset(X, Y, X[:8], Y[:8]),
        memory_budget=40_000,
    )
    s.run_epochs(600)
    history, snap = s.history(), s.snapshot()
    assert history.batch_loss.compacted and history.train_loss.compacted
    drawn: list[tuple[np.ndarray, np.ndarray]] = []
    real = loss_panel.kit.polyline
    monkeypatch.setattr(loss_panel.kit, "decimate", lambda xs, ys, width: (xs, ys))  # every point
    monkeypatch.setattr(
        loss_panel.kit, "polyline", lambda p, scale, xs, ys: (drawn.append((xs, ys)), real(p, scale, xs, ys))
    )
    image = QImage(800, 400, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    LossPanel(1.0, dark=False).paint(painter, QRectF(0, 0, 800, 400), snap, history, LIGHT)
    painter.end()
    (bx, by), (tx, ty), (rx, ry) = drawn  # batches, test, train (back to front)
    # Batch b (1 for the first) ends at epoch b / 20; epoch e's loss is drawn at e.
    np.testing.assert_array_equal(bx, (history.batch_loss.at + 1) / 20)
    np.testing.assert_array_equal(by, history.batch_loss.values)
    np.testing.assert_array_equal(rx, history.train_loss.at + 1)
    np.testing.assert_array_equal(tx, history.test_loss.at + 1)
    np.testing.assert_array_equal(ry, history.train_loss.values)
    np.testing.assert_array_equal(ty, history.test_loss.values)
    assert bx[-1] == 600 and rx[-1] == 600  # the last batch and epoch are at the end, not at len()
