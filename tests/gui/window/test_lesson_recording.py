"""Record lesson… in the window: the dialog filled in as a person does, the lesson recorded on a worker
while the window keeps working, Cancel leaving nothing behind, a failure said in one line; the same dialog
opened from the Lesson panel's button and from the lesson gallery's Record… button."""

from __future__ import annotations

import os
import re

from backprop_studio.core.lessons.catalog import load_builtin
from backprop_studio.gui.window import lesson_recording
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QToolBar

from tests.gui.window import test_lessons as lessons
from tests.gui.window.test_lessons import _start_from_gallery

window = lessons.window  # circle preset at 1440×900, light


def _type(qtbot, widget, text: str) -> None:
    """Select what a field holds and type over it."""
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def _fill_in(qtbot, out, lesson: str | None = "chain-rule-one-node", seen: list | None = None, quick=True):
    """The Record lesson dialog, as a person fills it: lesson, file, 720p, 2 frames/s, 0.5 s a step
    (`quick`; else 10 frames/s and each step as long as its narration takes to read)."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "record-lesson":
            QTimer.singleShot(20, fill)  # e.g. the gallery is still closing
            return
        if seen is not None:
            seen.append(
                (
                    dialog.objectName(),
                    dialog.lesson_combo.currentData(),
                    dialog.lesson_combo.currentText(),
                    os.path.basename(dialog.output.path()),  # the clip is named after the lesson
                )
            )
        if lesson is not None:
            dialog.lesson_combo.setCurrentIndex(dialog.lesson_combo.findData(lesson))
        _type(qtbot, dialog.output.edit, str(out))
        dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("1280x720"))
        _type(qtbot, dialog.fps_spin, "2" if quick else "10")
        if quick:
            qtbot.mouseClick(dialog.fixed_hold, Qt.MouseButton.LeftButton)
            _type(qtbot, dialog.hold_spin, "0.5")
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)


def _menu(window, title: str):
    return next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title)


def _step_button(window):
    return window.findChild(QToolBar, "toolbar-training").widgetForAction(window.actions["step"])


def test_record_lesson_from_the_file_menu_writes_a_gif_while_the_window_keeps_working(
    window, qtbot, tmp_path
):
    action = window.actions["record_lesson"]
    assert action in _menu(window, "File").actions() and action in _menu(window, "Lesson").actions()
    out = tmp_path / "chain.gif"
    _fill_in(qtbot, out)
    action.trigger()
    job = window.lesson_recording.job
    assert job is not None and job.running and not action.isEnabled()
    strip = window.lesson_recording.strip
    title = load_builtin("chain-rule-one-node").title
    assert strip.isVisible() and strip.label.text() == "● Recording the lesson: starting…"
    assert strip.toolTip() == f"Recording “{title}” to {out}"
    # The window is not blocked: its own network steps while the lesson records on its own session.
    before = window.controller.snapshot.step
    qtbot.mouseClick(_step_button(window), Qt.MouseButton.LeftButton)
    assert window.controller.snapshot.step == before + 1 and job.running
    shown: list[str] = []
    qtbot.waitUntil(lambda: shown.append(strip.label.text()) or not strip.isVisible(), timeout=60_000)
    assert job.outcome == "finished"
    lesson = load_builtin("chain-rule-one-node")
    steps = len(lesson.steps)
    assert any(re.fullmatch(rf"● Recording the lesson: step \d+ of {steps} · \d+ frames", t) for t in shown)
    with Image.open(out) as gif:
        assert gif.size == (1280, 720)
        # One scene per step held 0.5 s at 2 frames/s (1 frame each) plus the eased transitions between
        # steps whose pictures differ (0.5 s: 1 frame each): between `steps` and 2·steps − 1 frames.
        assert steps <= gif.n_frames <= 2 * steps - 1
    assert f"Wrote {out}" in window.statusBar().currentMessage()
    assert action.isEnabled() and window.lesson_recording.job is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.gif", "settings"]


def test_cancel_stops_the_recording_and_leaves_nothing_behind(window, qtbot, tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    out = folder / "frames" / ""
    _fill_in(qtbot, f"{folder / 'frames'}/", lesson="mazur", quick=False)
    window.actions["record_lesson"].trigger()
    strip = window.lesson_recording.strip
    job = window.lesson_recording.job
    qtbot.waitUntil(lambda: " of 13" in strip.label.text() or not job.running, timeout=60_000)
    assert job.running
    qtbot.mouseClick(strip.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not strip.isVisible(), timeout=60_000)
    assert job.outcome == "cancelled"
    assert list(folder.iterdir()) == [] and not out.exists()
    assert window.statusBar().currentMessage() == "Lesson recording cancelled: nothing was written."
    assert window.actions["record_lesson"].isEnabled()


def test_a_failure_is_one_line_in_a_dialog_and_nothing_is_written(window, qtbot, tmp_path, monkeypatch):
    def full_disk(lesson, clip, on_scene, should_stop):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lesson_recording, "stream_lesson", full_disk)
    said: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            said.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, read_and_close)

    _fill_in(qtbot, tmp_path / "a.mp4")
    window.actions["record_lesson"].trigger()
    QTimer.singleShot(20, read_and_close)
    qtbot.waitUntil(lambda: bool(said), timeout=30_000)
    title = load_builtin("chain-rule-one-node").title
    assert said == [f"Cannot record the lesson “{title}”: [Errno 28] No space left on device"]
    assert not (tmp_path / "a.mp4").exists()


def test_the_lesson_panels_button_records_the_open_lesson(window, qtbot, tmp_path):
    _start_from_gallery(window, qtbot, 3)  # 4. Mazur
    button = window.lesson_panel.record_button
    assert button.isVisible() and button.isEnabled()
    seen: list = []
    _fill_in(qtbot, tmp_path / "mazur.gif", lesson=None, seen=seen)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    title = load_builtin("mazur").title
    assert seen == [("record-lesson", "(open)", f"The open lesson: {title}", "lesson.mp4")]
    qtbot.waitUntil(lambda: window.lesson_recording.job is None, timeout=60_000)
    with Image.open(tmp_path / "mazur.gif") as gif:
        assert gif.n_frames >= 13
    assert window.lesson_panel.counter.text() == "step 1 of 13"  # the lesson in the window did not move


def test_the_gallerys_record_button_opens_the_dialog_on_the_chosen_lesson(window, qtbot, tmp_path):
    seen: list = []

    def pick() -> None:
        gallery = QApplication.activeModalWidget()
        gallery.list.setCurrentRow(1)  # 2. the 1-2-2 ReLU network
        _fill_in(qtbot, tmp_path / "relu.gif", lesson=None, seen=seen)
        qtbot.mouseClick(gallery.record_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, pick)
    window.actions["lessons"].trigger()
    assert seen and (seen[0][:2], seen[0][3]) == (("record-lesson", "relu-1-2-2"), "relu-1-2-2.mp4")
    qtbot.waitUntil(lambda: window.lesson_recording.job is None, timeout=60_000)
    assert (tmp_path / "relu.gif").exists()
    assert window.lessons.lesson is None  # recorded, not started


def test_the_dialog_refuses_a_name_it_cannot_write_in_one_line(window, qtbot, tmp_path):
    said: list = []

    def try_names() -> None:
        dialog = QApplication.activeModalWidget()
        _type(qtbot, dialog.output.edit, str(tmp_path / "lesson.avi"))
        said.append((dialog.record_button.isEnabled(), dialog.output.format_label.text()))
        _type(qtbot, dialog.output.edit, str(tmp_path / "missing" / "lesson.gif"))
        said.append((dialog.record_button.isEnabled(), dialog.output.format_label.text()))
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
        said.append((dialog.isVisible(), dialog.error_label.text()))
        qtbot.mouseClick(
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel),
            Qt.MouseButton.LeftButton,
        )

    QTimer.singleShot(0, try_names)
    window.actions["record_lesson"].trigger()
    assert said[0][0] is False and "'.avi'" in said[0][1]
    assert said[1] == (True, "GIF animation (loops) — for slides and web pages")
    assert said[2][0] is True and "does not exist" in said[2][1] and "\n" not in said[2][1]
    assert window.lesson_recording.job is None and list(tmp_path.iterdir()) == [tmp_path / "settings"]


def test_closing_the_window_while_recording_stops_the_worker_and_writes_nothing(window, qtbot, tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    _fill_in(qtbot, folder / "mazur.mp4", lesson="mazur", quick=False)
    window.actions["record_lesson"].trigger()
    job = window.lesson_recording.job
    # Any step under way (the strip may already have moved past step 1 when a loaded machine polls it).
    qtbot.waitUntil(lambda: " of 13" in window.lesson_recording.strip.label.text(), timeout=60_000)
    window.close()
    assert not job.running or job.wait(5_000)
    qtbot.wait(50)  # the queued outcome arrives; the encoder has removed its temporary file
    assert list(folder.iterdir()) == []
