"""Long work in the window, driven as a person: import a CSV through the settings panel's dialog, open a
file through File → Open (the file dialog answered by a monkeypatch), press Cancel in the progress
dialog. The file is read on a worker thread; the result replaces the network only when it is complete."""

from __future__ import annotations

import json

import numpy as np
import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox, QPushButton

BIG_ROWS = 1_000_000  # long enough to read that Cancel comes in time (it is checked every 4096 rows)


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(load_preset("circle")), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    job = win.controller.job
    if job is not None:
        job.cancel()
        job.wait()


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.csv"
    k = np.arange(BIG_ROWS)
    table = np.column_stack([k % 97 / 97, k % 89 / 89, k % 2])
    np.savetxt(path, table, delimiter=",", fmt=("%.6f", "%.6f", "%d"), header="a,b,y", comments="")
    return path


def write_small_csv(tmp_path, rows: int = 40, bad_line: int | None = None):
    path = tmp_path / "small.csv"
    lines = ["a,b,y"] + [f"{k / rows},{1 - k / rows},{k % 2}" for k in range(rows)]
    if bad_line is not None:
        lines[bad_line - 1] = "0.5,abc,1"
    path.write_text("\n".join(lines) + "\n")
    return path


def import_through_the_dialog(window, qtbot, path) -> None:
    """Import CSV… in the Data section, the file and target typed in, Import clicked."""
    panel = window.panel
    qtbot.mouseClick(panel.data_form.csv_button, Qt.MouseButton.LeftButton)
    dialog = panel.csv_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.path_edit, str(path))
    qtbot.keyClicks(dialog.targets_edit, "y")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def click_cancel_in_the_progress_dialog(window, qtbot) -> None:
    def shown() -> QDialog | None:
        dialog = window.findChild(QDialog, "job-progress")
        return dialog if dialog is not None and dialog.isVisible() else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=10000)
    dialog = shown()
    assert dialog is not None
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)


def test_importing_a_csv_through_the_dialog_replaces_the_data_with_its_rows(window, qtbot, tmp_path):
    c = window.controller
    with qtbot.waitSignal(c.project_replaced, timeout=20000):
        import_through_the_dialog(window, qtbot, write_small_csv(tmp_path))
    data = c.view_state.dataset
    assert c.project.data.kind == "csv"
    assert len(data.x_train) + len(data.x_test) == 40
    assert data.feature_names == ("a", "b")
    assert window.panel.specs()[2].kind == "csv"
    progress = window.findChild(QDialog, "job-progress")
    assert progress is None or not progress.isVisible()


def test_cancel_during_a_csv_import_keeps_the_previous_network(window, qtbot, big_csv):
    c = window.controller
    session, weights = c.session_for_tests, [w.copy() for w in c.session_for_tests.weights]
    with qtbot.waitSignal(c.edit_cancelled, timeout=30000):
        import_through_the_dialog(window, qtbot, big_csv)
        click_cancel_in_the_progress_dialog(window, qtbot)
    assert c.job is None
    assert c.session_for_tests is session and c.project.data.kind == "circle"
    assert all(np.array_equal(a, b) for a, b in zip(weights, session.weights, strict=True))
    assert window.panel.specs()[2].kind == "circle"  # the panel shows the data in force again


def test_an_error_in_the_worker_shows_one_dialog_of_one_line(window, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    c = window.controller
    session = c.session_for_tests
    with qtbot.waitSignal(c.edit_cancelled, timeout=20000):
        import_through_the_dialog(window, qtbot, write_small_csv(tmp_path, bad_line=7))
    qtbot.wait(50)
    assert len(shown) == 1 and "\n" not in shown[0]
    assert "line 7" in shown[0] and "'abc'" in shown[0]
    assert c.session_for_tests is session


def save_and_step_on(window, tmp_path):
    c = window.controller
    c.step("epoch")
    path = tmp_path / "saved.json"
    assert c.save(str(path))
    weights = [w.copy() for w in c.session_for_tests.weights]
    c.step("epoch")
    return path, weights


def test_file_open_reads_in_the_background_and_replaces_the_network(window, qtbot, tmp_path, monkeypatch):
    path, weights = save_and_step_on(window, tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    c = window.controller
    with qtbot.waitSignal(c.file_opened, timeout=20000):
        window.actions["open"].trigger()
    assert all(np.array_equal(a, b) for a, b in zip(weights, c.session_for_tests.weights, strict=True))
    assert c.path == str(path)


def test_cancel_while_opening_a_large_file_keeps_the_current_project(window, qtbot, tmp_path, big_csv):
    c = window.controller
    saved, _ = save_and_step_on(window, tmp_path)
    document = json.loads(saved.read_text())
    document["data"] = {"kind": "csv", "path": str(big_csv), "targets": ["y"], "train_fraction": 0.5}
    document.pop("weights", None)
    big_project = tmp_path / "big.json"
    big_project.write_text(json.dumps(document))
    session, path = c.session_for_tests, c.path
    cancelled = []
    c.job_started.connect(lambda job: job.cancelled.connect(lambda: cancelled.append(1)))
    with qtbot.waitSignal(c.job_started):
        window.open_path(str(big_project))
    click_cancel_in_the_progress_dialog(window, qtbot)
    qtbot.waitUntil(lambda: c.job is None, timeout=30000)
    assert cancelled == [1]
    assert c.session_for_tests is session and c.path == path


def test_closing_the_window_while_a_file_is_read_stops_the_worker(window, qtbot, big_csv):
    c = window.controller
    with qtbot.waitSignal(c.job_started) as started:
        import_through_the_dialog(window, qtbot, big_csv)
    job = started.args[0]
    window.close()
    assert job.wait(0)  # the worker's thread ended before the window closed (no thread left running)
    with qtbot.waitSignal(job.cancelled, timeout=5000):  # and its outcome is a cancel: nothing applied
        pass
