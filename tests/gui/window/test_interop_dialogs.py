"""File → Export… and File → Import weights…, driven as a person: trigger the menu's action, click the
format in the dialog, type into the activations box; only the file dialogs' returned paths are stubbed.
What is written is read back with NumPy; an imported network replaces the current one only on success."""

from __future__ import annotations

import json

import numpy as np
import pytest
from backprop_studio.core.interop import npz_format
from backprop_studio.core.interop.state_dict import METADATA_KEY
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.window.interop_dialogs import ExportDialog
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QRadioButton,
)


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(load_preset("circle")), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def when_modal(act, seen=None):
    """Run `act(dialog)` on the next modal dialog once it is shown (the action's handler is blocked in it)."""

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        if seen is not None:
            seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, poll)


def choose_format(qtbot, kind, chosen):
    def act(dialog):
        if not isinstance(dialog, ExportDialog):
            dialog.close()  # not the dialog expected: the test fails below instead of hanging here
            return
        qtbot.waitExposed(dialog)
        button = dialog.findChild(QRadioButton, f"export-{kind}")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().bottomLeft() + QPoint(8, -6))
        if button.isChecked():
            chosen.append(kind)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    return act


def close_message(texts):
    def act(box):
        if isinstance(box, QMessageBox):
            texts.append(box.text())
        box.close()

    return act


def test_export_writes_the_current_weights_as_npz(window, qtbot, tmp_path, monkeypatch):
    c = window.controller
    c.step("epoch")  # trained weights, not the initial ones
    weights = [w.copy() for w in c.session_for_tests.weights]
    target = tmp_path / "circle"  # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    chosen = []
    when_modal(choose_format(qtbot, "npz", chosen))
    window.actions["export"].trigger()
    assert chosen == ["npz"]
    with np.load(tmp_path / "circle.npz") as archive:
        for k, w in enumerate(weights):
            assert np.array_equal(archive[f"{2 * k}.weight"], w.T)
        assert json.loads(str(archive[METADATA_KEY]))["inputs"] == 2
    assert "Wrote" in window.statusBar().currentMessage()


def test_export_pytorch_writes_the_script_and_its_data(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "run.py"), ""))
    chosen = []
    when_modal(choose_format(qtbot, "pytorch", chosen))
    window.actions["export"].trigger()
    assert chosen == ["pytorch"]
    assert "nn.Sequential(" in (tmp_path / "run.py").read_text()
    with np.load(tmp_path / "run.npz") as archive:
        dataset = window.controller.session_for_tests.dataset
        assert np.array_equal(archive["x_train"], dataset.x_train)


def test_import_replaces_the_network(window, qtbot, tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    w1, w2 = rng.normal(size=(2, 5)), rng.normal(size=(5, 3))
    path = tmp_path / "mine.npz"
    state = {"0.weight": w1.T, "0.bias": np.zeros(5), "2.weight": w2.T, "2.bias": np.ones(3)}
    meta = {"layers": [{"units": 5, "activation": "relu"}, {"units": 3, "activation": "softmax"}]}
    path.write_bytes(npz_format.encode(state, meta))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.actions["import_weights"].trigger()
    c = window.controller
    session = c.session_for_tests
    assert session.network.sizes == (2, 5, 3)
    assert session.network.activations == ("relu", "softmax")
    assert np.array_equal(session.weights[0], w1) and np.array_equal(session.weights[1], w2)
    assert session.training.loss == "cross_entropy"
    assert c.dirty and c.path is None


def test_import_asks_for_activations_the_file_does_not_name(window, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "bare.npz"
    path.write_bytes(
        npz_format.encode(
            {
                "0.weight": np.ones((4, 2)),
                "0.bias": np.zeros(4),
                "2.weight": np.ones((1, 4)),
                "2.bias": np.zeros(1),
            }
        )
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    def type_activations(dialog):
        if not isinstance(dialog, QInputDialog):
            dialog.close()
            return
        field = dialog.findChild(QLineEdit)
        field.clear()
        qtbot.keyClicks(field, "leaky_relu,sigmoid")
        qtbot.keyClick(field, Qt.Key.Key_Return)

    when_modal(type_activations)
    window.actions["import_weights"].trigger()
    assert window.controller.session_for_tests.network.activations == ("leaky_relu", "sigmoid")


def test_a_broken_file_shows_an_error_and_keeps_the_network(window, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "cut.safetensors"
    path.write_bytes(b'\x40\x00\x00\x00\x00\x00\x00\x00{"0.weight":')
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    c = window.controller
    session, project = c.session_for_tests, c.project
    texts: list[str] = []
    when_modal(close_message(texts))
    window.actions["import_weights"].trigger()
    assert len(texts) == 1 and "truncated?" in texts[0] and "current network is kept" in texts[0]
    assert c.session_for_tests is session and c.project is project and not c.dirty


def test_the_export_dialog_reads_well(qtbot, tmp_path):
    for theme_name in ("light", "dark"):
        win = mw.MainWindow(StudioController(load_preset("circle")), theme_name=theme_name)
        qtbot.addWidget(win)
        dialog = ExportDialog(win)
        dialog.show()
        qtbot.waitExposed(dialog)
        labels = [b.text() for b in dialog.findChildren(QRadioButton)]
        assert labels[0] == "PyTorch script (.py and its .npz)" and len(labels) == 4
        dialog.grab().save(str(tmp_path / f"export-{theme_name}.png"))
        dialog.close()
