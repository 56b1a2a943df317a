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


def test_recording_the_digits_from_the_window_draws_the_inputs_as_their_pixel_grid(
    qtbot, tmp_path, monkeypatch
):
    """As `record --preset digits` does: 64 inputs with data.image_shape [8, 8] are an 8×8 grid of gray
    cells at the canvas's left, not a column of 64 colored dots."""
    from backprop_studio.gui.style.colors import palette

    win = mw.MainWindow(StudioController(load_preset("digits")), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    target = tmp_path / "digits.gif"
    chosen = RecordOptions(path=str(target), width=640, height=360, fps=10, hold=0.1, transition=0.0)
    monkeypatch.setattr(RecordDialog, "get_options", staticmethod(lambda *a, **k: chosen))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    try:
        win.actions["record"].trigger()
        win.actions["forward"].trigger()
        qtbot.waitUntil(lambda: win.recording._waiting is None, timeout=10000)
        with qtbot.waitSignal(win.recording.state_changed, timeout=20000):
            win.actions["record"].trigger()
    finally:
        win.recording.shutdown()
    last = iio.imread(target, index=None)[-1]
    paper = palette(False).background
    points = [(x, y) for x in range(15, 100, 3) for y in range(120, 200, 3)]
    grays = 0
    for x, y in points:
        rgb = [int(v) for v in last[y, x, :3]]
        # GIF's palette bends colors a little: gray within a few levels, and not the paper.
        grays += max(rgb) - min(rgb) <= 6 and abs(rgb[0] - paper[0]) > 12
    assert grays > 0.5 * len(points)
