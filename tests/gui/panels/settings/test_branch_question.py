"""The window asks "Start a new branch?" only for a committed change, never for a half-typed number.

Steps are recorded, one is undone (so a future exists), and a number is typed slowly into the panel:
the question comes once, on Enter, and not after the first digit as it did when each keystroke was
applied.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings, Qt


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(load_preset("circle")), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.resize(1440, 900)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_typing_slowly_asks_the_branch_question_once_on_enter(window, qtbot):
    questions = []
    window.controller.confirm_discard_future = lambda: questions.append(1) or True
    for _ in range(3):
        window.actions["step"].trigger()
    window.actions["back"].trigger()  # a recorded step now lies after the current moment
    box = window.panel.training_form.learning_rate

    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    for key in "0.05":
        qtbot.keyClicks(box, key)
        qtbot.wait(350)  # a slow typist: longer than the old 250 ms debounce
    assert questions == []

    qtbot.keyClick(box, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: len(questions) == 1)
    qtbot.wait(300)
    assert len(questions) == 1
    assert window.panel.specs()[1].optimizer.learning_rate == 0.05
