"""The window's Record toggle: stepping while it is on makes frames; Stop saves where the user says."""

from __future__ import annotations

import imageio.v3 as iio
import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.recording.record_dialog import RecordDialog, RecordOptions
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def window(qtbot):
    win = mw.MainWindow(StudioController(load_preset("two-node-sigmoid")), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    yield win
    win.recording.shutdown()


def options(path, **kw) -> RecordOptions:
    return RecordOptions(path=str(path), width=320, height=180, fps=10, hold=0.2, transition=0.0, **kw)


def test_steps_taken_while_recording_become_a_gif_saved_where_the_user_chooses(
    window, qtbot, tmp_path, monkeypatch
):
    target = tmp_path / "lesson.gif"
    monkeypatch.setattr(RecordDialog, "get_options", staticmethod(lambda *a, **k: options(target)))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.actions["record"].trigger()
    assert window.recording.recording and window.actions["record"].isChecked()
    assert "REC" in window._rec_label.text()
    for _ in range(4):
        window.controller.step("phase")
        qtbot.waitUntil(lambda: window.recording._waiting is None, timeout=3000)
    with qtbot.waitSignal(window.recording.state_changed, timeout=10000):
        window.actions["record"].trigger()
    frames = iio.imread(target, index=None)
    assert frames.shape[0] == 5 * 2  # the starting picture and four steps, each held 0.2 s at 10 fps
    assert frames.shape[1:3] == (180, 320)
    assert (frames[0] != frames[-1]).any()  # the network changed between the first and the last picture
    assert not window.actions["record"].isChecked()


def test_declining_to_save_discards_the_recording_and_writes_nothing(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "never.mp4"
    monkeypatch.setattr(RecordDialog, "get_options", staticmethod(lambda *a, **k: options(target)))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    window.actions["record"].trigger()
    window.controller.step("phase")
    with qtbot.waitSignal(window.recording.state_changed, timeout=10000):
        window.actions["record"].trigger()
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "settings"] or not any(
        p.suffix == ".mp4" for p in tmp_path.iterdir()
    )


def test_cancelling_the_record_dialog_does_not_start_recording(window, monkeypatch):
    monkeypatch.setattr(RecordDialog, "get_options", staticmethod(lambda *a, **k: None))
    window.actions["record"].trigger()
    assert not window.recording.recording
    assert not window.actions["record"].isChecked()
