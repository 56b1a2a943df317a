"""The "Update biases" checkbox of the Training section: unchecked, a batch changes weights but no bias."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QPoint, QSettings, Qt


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(load_preset("seed-relu-1-2-2")), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.resize(1440, 900)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_unchecking_update_biases_holds_them_while_the_weights_learn(window, qtbot):
    box = window.panel.training_form.update_biases_box
    assert box.isChecked()  # the default: biases learn
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not box.isChecked()
    assert window.controller.view_state.training.update_biases is False
    before = window.controller.snapshot
    window.actions["batch"].trigger()
    after = window.controller.snapshot
    for b0, b1 in zip(before.biases, after.biases, strict=True):
        assert np.array_equal(b0, b1)
    assert not np.array_equal(before.weights[1], after.weights[1])
    # dL/db is still computed: the backward pass ran and its bias gradients are there, nonzero.
    assert after.layers[1].db is not None and np.any(after.layers[1].db != 0)
    # Checked again, the next batch moves the biases by −lr·dL/db (hand rule for plain SGD).
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    window.actions["batch"].trigger()
    last = window.controller.snapshot
    lr = window.controller.view_state.training.optimizer.learning_rate
    expected = after.biases[1] - lr * last.layers[1].db
    assert np.allclose(last.biases[1], expected, rtol=0, atol=1e-15)
