"""First contact: the toolbar's labeled groups with Step and Play prominent, Play training visibly at once
while Step stays one phase, and the small window items (selection ring, shortcuts table, file errors)."""

from __future__ import annotations

import json

import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QTableWidget, QToolBar, QToolButton


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(load_preset("circle")), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def button(window, name: str) -> QToolButton:
    for bar in window.findChildren(QToolBar):
        widget = bar.widgetForAction(window.actions[name])
        if widget is not None:
            return widget
    raise AssertionError(name)


def test_toolbar_has_step_run_view_groups_with_step_and_play_prominent(window):
    titles = [label.text() for label in window.findChildren(QLabel) if label.objectName().endswith("-title")]
    assert titles == ["STEP", "RUN", "VIEW"]
    for name in ("step", "play"):
        b = button(window, name)
        assert b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        assert not b.icon().isNull() and b.font().bold()
        assert b.iconSize().width() > button(window, "forward").iconSize().width()
    # Everything else is still one click away: on the toolbar or in the Train menu.
    for name in ("back", "forward", "backward", "update", "batch", "epoch", "record", "reset", "randomize"):
        assert button(window, name).isVisible(), name


def test_nothing_is_cut_from_the_toolbars_at_1280_by_800(window):
    for bar in window.findChildren(QToolBar):
        extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        assert extension is None or not extension.isVisible(), bar.objectName()
        assert bar.geometry().right() < 1280


def test_play_trains_a_batch_per_tick_by_default_and_the_loss_curve_moves_within_a_second(window, qtbot):
    assert window.granularity.currentText() == "batch per tick"  # the granularity: one click away
    assert window.speed_label.text() == "15/s"
    c = window.controller
    per_batch = c.session_for_tests.boundary_steps("batch")
    qtbot.mouseClick(button(window, "play"), Qt.MouseButton.LeftButton)
    # At 15 batches a second a whole epoch (100 samples in batches of 10) fits in one second: the train
    # curve gets its first point within the second (the wait has slack for a busy test machine).
    batches_per_epoch = c.view_state.steps_per_epoch // per_batch
    assert batches_per_epoch == 10 and batches_per_epoch <= 15 * 1.0
    qtbot.waitUntil(lambda: len(c.snapshot.history.train_loss) >= 1, timeout=15000)
    qtbot.mouseClick(button(window, "play"), Qt.MouseButton.LeftButton)  # Pause
    assert not c.playing
    assert c.snapshot.step % per_batch == 0  # it advanced whole batches
    before = c.snapshot.step
    qtbot.mouseClick(button(window, "step"), Qt.MouseButton.LeftButton)
    assert c.snapshot.step == before + 1  # Step stays one phase


def test_at_the_start_the_toolbar_and_the_canvas_both_show_the_first_sample(window):
    assert "first sample" in window.focus_label.text()
    assert window.canvas.options.focus == 0  # a sample row, not the batch mean


def test_the_selection_ring_goes_with_the_inspector_when_the_network_changes(window, qtbot):
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.node_position(1, 1))
    assert window.canvas.options.selected_neuron == (1, 1)
    qtbot.mouseClick(window.panel.network_form.hidden_rows[0].plus, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.view_state.network.layers[0].units == 5, timeout=3000)
    assert window.canvas.options.selected_neuron is None
    assert window.canvas.options.selected_edge is None


def test_the_keyboard_shortcuts_table_is_read_only(window, qtbot):
    seen = []

    def edit_a_cell() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, edit_a_cell)
            return
        table = dialog.findChild(QTableWidget, "shortcuts-table")
        before = table.item(0, 1).text()
        rect = table.visualItemRect(table.item(0, 1))
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.keyClicks(QApplication.focusWidget(), "hello")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        seen.append((before, table.item(0, 1).text()))
        dialog.reject()

    QTimer.singleShot(0, edit_a_cell)
    window.actions["shortcuts"].trigger()
    assert seen and seen[0][0] == seen[0][1]


def open_and_read_error(window, qtbot, path: str) -> str:
    texts = []

    def read_box() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, read_box)
            return
        texts.append((box.text(), box.textFormat()))
        box.accept()

    QTimer.singleShot(0, read_box)
    # File → Open through its action, with the file dialog answered by the path.
    from PySide6.QtWidgets import QFileDialog

    original = QFileDialog.getOpenFileName
    QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (path, ""))
    try:
        window.actions["open"].trigger()
    finally:
        QFileDialog.getOpenFileName = original
    qtbot.waitUntil(lambda: bool(texts), timeout=3000)
    return texts[0]


def test_open_errors_name_the_path_once_in_plain_words(window, qtbot, tmp_path):
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"a": 1, b}')
    text, _ = open_and_read_error(window, qtbot, str(garbage))
    assert text.count(str(garbage)) == 1 and "\n" not in text
    assert text.startswith(f"Could not open {garbage}") and "not valid JSON (line 1, column 10)" in text
    assert "Expecting" not in text  # no parser jargon
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": 1}))
    text, _ = open_and_read_error(window, qtbot, str(other))
    assert text == f"Could not open {other}: this file is not a Backprop Studio project."


def test_an_error_quoting_markup_from_a_file_is_shown_as_plain_text(window, qtbot, tmp_path):
    odd = tmp_path / "<b>bold.json"
    odd.write_text("not json")
    text, text_format = open_and_read_error(window, qtbot, str(odd))
    assert "<b>bold.json" in text and text_format == Qt.TextFormat.PlainText


def test_an_exception_while_opening_never_escapes_file_open(window, qtbot, tmp_path, monkeypatch):
    from backprop_studio.gui.controller import projects

    def broken(path, *progress_and_should_stop):
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(projects, "open_file", broken)
    path = tmp_path / "fine.json"
    path.write_text("{}")
    text, _ = open_and_read_error(window, qtbot, str(path))
    assert text == f"Could not open {path}: something unexpected."
