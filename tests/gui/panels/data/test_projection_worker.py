"""A large data set's principal components are computed on a worker: after File → Open the Projection
tab says "computing projection…" until they arrive, then draws the samples where an independent
decomposition (numpy.linalg.eigh of the scatter matrix) puts them."""

from __future__ import annotations

import threading

import numpy as np
from backprop_studio.core.analysis.projection import QUICK_VALUES
from backprop_studio.core.project.fileformat import save_project
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller import projections
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from tests.gui.panels.data import iris_like

N_PER_CLASS = 25_000  # 56,250 training rows of 4 inputs


def by_eigh(x: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(len(rows), 2) coordinates on the first two principal directions and their variance shares."""
    centered = x - x.mean(axis=0)
    values, vectors = np.linalg.eigh(centered.T @ centered)  # ascending
    top = vectors[:, ::-1][:, :2]
    for k in range(2):  # the largest loading of each direction is positive
        if top[np.argmax(np.abs(top[:, k])), k] < 0:
            top[:, k] *= -1
    return centered[rows] @ top, values[::-1][:2] / values.sum()


def test_a_large_data_sets_projection_arrives_from_a_worker_and_is_drawn(qtbot, tmp_path, monkeypatch):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    csv = tmp_path / "big.csv"
    iris_like.write_csv(str(csv), N_PER_CLASS)
    saved = tmp_path / "big.json"
    save_project(iris_like.csv_project(str(csv)), str(saved))
    threads: list[int] = []
    real = projections.principal_components
    monkeypatch.setattr(
        projections, "principal_components", lambda x: threads.append(threading.get_ident()) or real(x)
    )
    win = mw.MainWindow(StudioController(load_preset("circle")), theme_name="light")
    qtbot.addWidget(win)
    win.confirm_discard = lambda doing: True
    win.show()
    qtbot.waitExposed(win)
    c, view = win.controller, win.data_view
    pv = view.projection_view
    at_open: list[tuple[bool, str, str]] = []
    c.file_opened.connect(
        lambda _path: at_open.append((pv.waiting(), view.current_page(), view.legend_text()))
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    with qtbot.waitSignal(c.file_opened, timeout=60000):
        win.actions["open"].trigger()
    x = c.view_state.dataset.x_train
    assert x.size > QUICK_VALUES
    assert at_open == [(True, "projection", at_open[0][2])]
    assert "computing projection" in at_open[0][2]
    qtbot.waitUntil(lambda: not pv.waiting(), timeout=30000)
    assert threads and threading.get_ident() not in threads  # computed off the window's thread
    rows = pv.drawn["train"][2]
    assert 0 < len(rows) < len(x)  # the drawn samples, spread over the whole set
    expected, shares = by_eigh(x, rows)
    px, py = pv.train_points.getData()
    np.testing.assert_allclose(np.column_stack([px, py]), expected, atol=1e-9)
    label = pv.plot.getAxis("bottom").labelText
    assert label == f"PC1 ({shares[0]:.0%} of variance)"
    assert "computing projection" not in view.legend_text()
