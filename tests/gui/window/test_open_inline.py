"""File → Open of a project with many inline rows, as a person does it (the QAction the menu shows, the
file dialog answered by a monkeypatch): the rows are converted once, on the worker that opens the file,
never again on the GUI thread by the settings panel's check; a bad row still gives its one-line error
naming the JSON path; the opened project shows its data."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest
from backprop_studio.core import project as project_package
from backprop_studio.core.data import build
from backprop_studio.core.spec_rules import forget_inline
from backprop_studio.gui.panels.data.sample_points import MAX_DRAWN_POINTS
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.gui.window import test_background_jobs

ROWS = 20_000  # many rows, yet a quick test: what matters is where they are converted, not how long it takes
TEST_ROWS = 500
PRESETS = Path(project_package.__file__).parent / "presets"
window = test_background_jobs.window  # the same fixture: the circle preset's window, discards confirmed


@pytest.fixture(autouse=True)
def _no_kept_rows():
    forget_inline()  # every test starts with no inline data set kept from another
    yield
    forget_inline()


def write_inline_project(folder, bad_row: int | None = None):
    """The circle preset with ROWS inline training rows (2 inputs, 0/1 targets) and TEST_ROWS test rows."""
    document = json.loads((PRESETS / "circle.json").read_text())
    k = np.arange(ROWS + TEST_ROWS)
    x = np.column_stack([k % 97 / 97, k % 89 / 89]).round(6).tolist()
    y = (k % 2)[:, None].astype(float).tolist()
    if bad_row is not None:
        x[bad_row - 1][1] = "abc"
    document["data"] = {
        "kind": "inline",
        "x": x[:ROWS],
        "y": y[:ROWS],
        "x_test": x[ROWS:],
        "y_test": y[ROWS:],
    }
    for stale in ("weights", "biases", "optimizer_state", "history", "epochs_completed"):
        document.pop(stale, None)
    path = folder / "inline.json"
    path.write_text(json.dumps(document))
    return path


@pytest.fixture
def conversions(monkeypatch):
    """The thread of every conversion of inline rows into a data set (`build._from_inline`)."""
    threads: list[threading.Thread] = []
    real = build._from_inline

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "_from_inline", spy)
    return threads


def open_through_the_menu(window, qtbot, monkeypatch, path, signal):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(signal, timeout=60000):
        window.actions["open"].trigger()
    qtbot.waitUntil(lambda: window.controller.job is None, timeout=60000)
    qtbot.wait(50)  # the panel's checks and the views' updates that follow the swap


def test_open_converts_the_inline_rows_once_off_the_gui_thread(
    window, qtbot, tmp_path, monkeypatch, conversions
):
    path = write_inline_project(tmp_path)
    c = window.controller
    open_through_the_menu(window, qtbot, monkeypatch, path, c.file_opened)
    assert c.path == str(path) and c.project.data.kind == "inline"
    assert len(conversions) == 1  # the settings panel's check reused the worker's data set
    assert conversions[0] is not threading.main_thread()
    # the panel checks the opened specs as valid: they are in force in it
    assert window.panel.specs()[2] is c.project.data


def test_the_opened_project_shows_its_data(window, qtbot, tmp_path, monkeypatch):
    path = write_inline_project(tmp_path)
    open_through_the_menu(window, qtbot, monkeypatch, path, window.controller.file_opened)
    source = window.panel.data_form.source_label.text()
    assert f"{ROWS:,} training samples and {TEST_ROWS:,} test samples" in source
    plot = window.data_view.sample_plot  # two inputs off the plane: each point is (target, prediction)
    x, _ = plot.train_points.getData()
    assert len(x) == min(ROWS, MAX_DRAWN_POINTS) and set(np.unique(x)) == {0.0, 1.0}
    test_x, _ = plot.test_points.getData()
    np.testing.assert_array_equal(np.sort(test_x), np.sort(np.arange(ROWS, ROWS + TEST_ROWS) % 2))


def test_a_bad_row_in_a_big_file_gives_one_line_naming_its_json_path(window, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    path = write_inline_project(tmp_path, bad_row=12_345)
    c = window.controller
    session = c.session_for_tests
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: c.job is None and bool(shown), timeout=60000)
    assert len(shown) == 1 and "\n" not in shown[0]
    assert "at data.x[12344][1]: expected a finite number" in shown[0] and '"abc"' in shown[0]
    assert c.session_for_tests is session and c.project.data.kind == "circle"
