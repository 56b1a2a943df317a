"""The window, driven the way a person would: every control changes the session and what is shown."""

from __future__ import annotations

import json

import numpy as np
import pytest
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.training.session import initial_parameters
from backprop_studio.core.training.snapshot import Phase
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.window.dialogs import PresetGallery
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox, QToolBar

from tests.gui.panels.data.test_view import click_at


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    """One window for the module (building one takes seconds); `window` resets it before each test."""
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("settings"))
    )
    win = mw.MainWindow(StudioController(load_preset("circle")), theme_name="light")
    win.resize(1440, 900)
    win.show()
    yield win
    win.controller.pause()
    win.confirm_discard = lambda doing: True  # closing must not wait on the unsaved-changes prompt
    win.close()
    win.deleteLater()


@pytest.fixture
def window(shared_window, qtbot):
    win = shared_window
    win.confirm_discard = lambda doing: True
    c = win.controller
    c.pause()
    for name in ("gradients", "heatmaps", "batch_mean"):
        win.actions[name].setChecked(False)
    win.granularity.setCurrentIndex(0)
    win.speed.setValue(3)
    win.apply_theme("light")
    c.set_watches(())
    assert c.open_preset("circle")  # a fresh project: step 0, nothing to save
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: not win.staged_repaint.held)  # every dock painted again after the reload
    yield win
    c.pause()


def click_toolbar(win, text: str, qtbot) -> None:
    for bar in win.findChildren(QToolBar):
        for action in bar.actions():
            if action.text() == text:
                qtbot.mouseClick(bar.widgetForAction(action), Qt.MouseButton.LeftButton)
                return
    raise AssertionError(f"no toolbar button {text!r}")


def test_the_window_opens_on_the_default_preset_ready_to_step(window):
    assert "Backprop Studio" in window.windowTitle()
    assert window.controller.session_for_tests.step_count == 0
    assert "ready" in window._status.text()


def test_the_step_button_advances_exactly_one_phase_and_the_status_bar_follows(window, qtbot):
    click_toolbar(window, "Step", qtbot)
    assert window.controller.session_for_tests.step_count == 1
    assert "forward through layer 1" in window._status.text()
    assert window.canvas.snapshot.phase == Phase("forward", 1)


@pytest.mark.parametrize(
    ("button", "phase"),
    [
        ("Forward pass", Phase("loss")),
        ("Backward pass", Phase("backward", 1)),
        ("Update", Phase("update")),
        ("Step batch", Phase("update")),
    ],
)
def test_pass_buttons_stop_at_the_end_of_their_pass(window, qtbot, button, phase):
    click_toolbar(window, button, qtbot)
    assert window.controller.snapshot.phase == phase


def test_step_epoch_fills_the_loss_plot_and_step_back_undoes_a_phase(window, qtbot):
    click_toolbar(window, "Step epoch", qtbot)
    per_epoch = window.controller.session_for_tests.boundary_steps("epoch")
    assert window.controller.session_for_tests.step_count == per_epoch
    assert len(window.loss_plot.curve_data("train")[1]) == 1
    click_toolbar(window, "Step back", qtbot)
    assert window.controller.session_for_tests.step_count == per_epoch - 1


def test_keyboard_shortcuts_step_and_step_back(window, qtbot):
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.controller.session_for_tests.step_count == 2
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.controller.session_for_tests.step_count == 1


def test_play_runs_until_pause_without_freezing(window, qtbot):
    window.speed.setValue(len(mw.SPEEDS) - 1)  # as fast as possible
    click_toolbar(window, "Play", qtbot)
    assert window.controller.playing and window.actions["play"].text() == "Pause"
    qtbot.waitUntil(lambda: window.controller.session_for_tests.step_count > 50, timeout=3000)
    click_toolbar(window, "Pause", qtbot)
    assert not window.controller.playing
    assert window.actions["play"].text() == "Play"


def press_until(qtbot, widget, key, done) -> None:
    """Press `key` on `widget` (a combo box or slider, as a person does with the arrows) until `done()`."""
    for _ in range(20):
        if done():
            return
        qtbot.keyClick(widget, key)
    assert done()


def test_granularity_chooses_what_one_tick_advances(window, qtbot):
    press_until(
        qtbot,
        window.granularity,
        Qt.Key.Key_Down,
        lambda: window.granularity.currentText() == "batch per tick",
    )
    press_until(qtbot, window.speed, Qt.Key.Key_Down, lambda: window.speed.value() == 0)
    press_until(qtbot, window.speed, Qt.Key.Key_Up, lambda: window.speed_label.text() == "2/s")
    published = []
    window.controller.snapshot_changed.connect(published.append)
    ticks_before = window.controller.playback.ticks
    click_toolbar(window, "Play", qtbot)
    qtbot.wait(1300)  # two ticks, 500 ms apart
    click_toolbar(window, "Pause", qtbot)
    window.controller.snapshot_changed.disconnect(published.append)
    ticks = window.controller.playback.ticks - ticks_before
    assert ticks >= 2
    # The circle preset has 3 layers: a batch is 8 phases; every tick finished one.
    step = published[-1].step
    assert abs(step / 8 - ticks) <= 1, (step, ticks)


def test_gradient_view_heatmaps_and_batch_mean_change_the_canvas(window, qtbot):
    window.controller.step("backward")
    window.actions["gradients"].trigger()
    assert window.canvas.options.mode == "gradients"
    window.actions["heatmaps"].trigger()
    assert window.canvas.options.heatmaps
    qtbot.waitUntil(lambda: window.canvas._maps is not None, timeout=2000)
    window.actions["batch_mean"].trigger()
    assert window.canvas.options.focus is None
    assert "mean" in window.focus_label.text()


def test_clicking_a_neuron_shows_its_chain_rule_in_the_inspector(window, qtbot):
    window.controller.step("backward")
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.node_position(1, 0))
    assert "Neuron 1 of layer 1" in window.inspector.plain_text()
    assert "dL/dz" in window.inspector.plain_text()


def test_batch_mean_reaches_the_inspector_and_the_neuron_zoom(window, qtbot):
    window.controller.step("backward")
    window.actions["batch_mean"].trigger()
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.node_position(1, 0))
    snap = window.controller.snapshot
    n = len(snap.batch_indices)
    assert n > 1
    text = window.inspector.plain_text()
    assert f"mean over the batch's {n} samples" in text
    assert f"= {format_number(snap.layers[0].z[:, 0].mean(), 4)}".replace("−", "-") in text
    assert f"mean of {n} samples" in window.zoom.model().title
    window.actions["batch_mean"].trigger()  # back to one sample: the first of the batch
    assert f"sample #{int(snap.batch_indices[0]) + 1} " in window.inspector.plain_text()
    assert "sample #" in window.zoom.model().title


def test_clicking_a_data_point_focuses_that_sample(window, qtbot):
    window.controller.step("forward")
    first = int(window.controller.snapshot.batch_indices[3])
    x1, x2 = window.controller.view_state.dataset.x_train[first, :2]
    window.data_view.show()
    click_at(qtbot, window.data_view, float(x1), float(x2))  # a real click on that point of the plot
    assert window.canvas.options.focus == 3
    assert f"sample #{first + 1} (row 4 of" in window.focus_label.text()  # named from 1, as everywhere


def test_editing_the_architecture_in_the_panel_changes_the_network(window, qtbot):
    before = len(window.controller.session_for_tests.network.layers)
    qtbot.mouseClick(window.panel.add_layer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: len(window.controller.session_for_tests.network.layers) == before + 1, timeout=2000
    )
    assert len(window.canvas.snapshot.sizes) == before + 2


def test_editing_a_weight_in_the_inspector_takes_effect(window, qtbot):
    window.controller.step("forward")
    # As a person does: click the edge on the canvas, type the value into the Inspector, press Enter.
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.edge_position(1, 0, 0))
    field = window.inspector.value_field()
    field.selectAll()
    qtbot.keyClicks(field, "1.5")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.controller.session_for_tests.weights[0][0, 0] == 1.5


def test_save_as_and_open_round_trip(window, qtbot, tmp_path, monkeypatch):
    window.controller.step("epoch")
    path = tmp_path / "lesson.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    assert window.save_as()
    assert not window.controller.dirty and "lesson.json" in window.windowTitle()
    weights = [w.copy() for w in window.controller.session_for_tests.weights]
    window.controller.step("epoch")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(window.controller.file_opened, timeout=10000):  # read on a worker thread
        window.open_dialog()
    assert all(
        np.array_equal(a, b)
        for a, b in zip(weights, window.controller.session_for_tests.weights, strict=True)
    )
    assert str(path) in [a.text() for a in window.recent_menu.actions()]


def test_a_bad_file_shows_a_dialog_and_keeps_the_current_network(window, tmp_path, monkeypatch, qtbot):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "backprop-studio", "version": 99}))
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    session = window.controller.session_for_tests
    job = window.open_path(str(bad))
    with qtbot.waitSignal(job.failed, timeout=10000):
        pass
    assert len(shown) == 1 and "version" in shown[0]
    assert window.controller.session_for_tests is session


def test_closing_with_unsaved_changes_asks_first(window, monkeypatch):
    window.controller.step("phase")
    del window.confirm_discard  # the real prompt, answered "Cancel"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible()
    window.confirm_discard = lambda doing: True


def test_new_from_preset_replaces_the_project(window, monkeypatch):
    monkeypatch.setattr(mw.PresetGallery, "choose", classmethod(lambda cls, parent: "seed-relu-1-2-2"))
    window.new_from_preset()
    assert window.controller.session_for_tests.network.sizes == (1, 2, 2)
    assert window.canvas.snapshot.sizes == (1, 2, 2)


def test_reset_and_randomize(window, qtbot):
    window.controller.step("epoch")
    click_toolbar(window, "Reset", qtbot)
    assert window.controller.view_state.step == 0
    seed = window.controller.project.training.seed
    old = [np.array(w) for w in window.canvas.snapshot.weights]
    click_toolbar(window, "Randomize", qtbot)
    new_seed = window.controller.project.training.seed
    assert new_seed != seed
    drawn, _ = initial_parameters(window.controller.project.network, new_seed)
    shown = window.canvas.snapshot.weights
    assert all(np.array_equal(a, b) for a, b in zip(shown, drawn, strict=True))
    assert not any(np.array_equal(a, b) for a, b in zip(shown, old, strict=True))


def lightness(widget) -> float:
    """Mean lightness of what the widget paints, from a grid of its pixels."""
    image = widget.grab().toImage()
    w, h = image.width(), image.height()
    values = [image.pixelColor(x * w // 12, y * h // 12).lightness() for x in range(12) for y in range(12)]
    return sum(values) / len(values)


def test_themes_switch_the_palette_for_every_panel(window, qtbot):
    widgets = {name: dock.widget() for name, dock in window.docks.items()} | {"canvas": window.canvas}
    window.theme_actions["light"].trigger()
    qtbot.wait(50)
    light = {name: lightness(w) for name, w in widgets.items()}
    window.theme_actions["dark"].trigger()
    qtbot.waitUntil(lambda: window.palette().window().color().lightness() < 100, timeout=2000)
    qtbot.wait(50)
    dark = {name: lightness(w) for name, w in widgets.items()}
    assert window.canvas.options.dark
    unchanged = [name for name in widgets if not dark[name] < light[name] - 40]
    assert unchanged == [], (light, dark)
    window.theme_actions["light"].trigger()
    qtbot.waitUntil(lambda: window.palette().window().color().lightness() > 150, timeout=2000)


def test_a_diverging_run_pauses_with_a_message_naming_the_layer(qtbot, monkeypatch):
    from dataclasses import replace

    project = load_preset("regression-plane")
    project = replace(project, training=project.training.with_optimizer(learning_rate=1e6))
    controller = StudioController(project)
    win = mw.MainWindow(controller, theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    shown = []

    def answer() -> None:  # the divergence dialog: read it, then Close
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        shown.append(dialog.text())
        dialog.close_button.click()

    QTimer.singleShot(0, answer)
    win.speed.setValue(len(mw.SPEEDS) - 1)
    win.granularity.setCurrentIndex(mw.GRANULARITIES.index("epoch"))
    win.actions["play"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "layer" in shown[0] and not controller.playing
    assert "⚠" in win._status.text()


def test_structural_settings_lock_while_playing_and_unlock_on_pause(window, qtbot):
    assert window.panel.add_layer_button.isEnabled()
    window.controller.play()
    assert not window.panel.add_layer_button.isEnabled()
    window.controller.pause()
    assert window.panel.add_layer_button.isEnabled()


def test_a_corrupt_stored_granularity_falls_back_instead_of_crashing(qtbot):
    from backprop_studio.gui.window import settings

    settings.put("play/granularity", "fortnight")
    win = mw.MainWindow(StudioController(load_preset("xor")), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    assert win.controller.granularity == "batch"  # the default


def test_settings_the_controller_refuses_are_undone_in_the_panel(window, qtbot, tmp_path, monkeypatch):
    from backprop_studio.core.spec import DataSpec

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    c = window.controller
    missing = DataSpec(kind="csv", path=str(tmp_path / "gone.csv"), targets=("y",))
    with qtbot.waitSignal(c.edit_cancelled):  # a CSV file is read on a worker thread
        c.apply_specs(c.project.network, c.project.training, missing)
    assert window.panel.specs()[2].kind == "circle"
    assert shown and "gone.csv" in shown[0]


def test_for_data_off_the_plane_the_data_panel_shows_the_networks_predictions_and_curve(qtbot):
    """seed-relu-1-2-2 has one input: after an update (triggered from its toolbar action) the data panel
    plots the samples and the network's dense curve, checked against a forward pass written out here."""
    c = StudioController(load_preset("seed-relu-1-2-2"))
    win = mw.MainWindow(c, theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.actions["update"].trigger()
    qtbot.waitUntil(lambda: c.snapshot.phase is not None and c.snapshot.phase.kind == "update")
    snap, ds = c.snapshot, c.view_state.dataset

    def relu_net(x: np.ndarray) -> np.ndarray:
        hidden = np.maximum(x @ snap.weights[0] + snap.biases[0], 0.0)
        return np.maximum(hidden @ snap.weights[1] + snap.biases[1], 0.0)

    # One input: the samples are drawn at (x, target), unit 1's first, and the network as a dense curve.
    shown = win.data_view.train_point_positions()
    np.testing.assert_array_equal(shown[:, 1], ds.y_train.T.ravel())
    curves = win.data_view.prediction_curves()
    assert len(curves) == 2 and all(len(x) > 50 for x, _y in curves)
    for unit, (x, y) in enumerate(curves):
        np.testing.assert_allclose(y, relu_net(x[:, None])[:, unit], rtol=1e-12, atol=1e-15)


def choose_in_gallery(qtbot, name: str) -> None:
    """When the preset gallery opens, pick `name` in its list and press OK, as a person would."""

    def pick() -> None:
        gallery = QApplication.activeModalWidget()
        assert isinstance(gallery, PresetGallery)
        row = next(
            r
            for r in range(gallery.list.count())
            if gallery.list.item(r).data(Qt.ItemDataRole.UserRole) == name
        )
        item = gallery.list.item(row)
        gallery.list.scrollToItem(item)
        qtbot.mouseClick(
            gallery.list.viewport(), Qt.MouseButton.LeftButton, pos=gallery.list.visualItemRect(item).center()
        )
        ok = gallery.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, pick)


def test_new_from_preset_with_another_input_width_and_back_raises_nothing(window, qtbot):
    assert window.canvas.snapshot.sizes[0] == 2
    for name, sizes in (("seed-relu-1-2-2", (1, 2, 2)), ("circle", (2, 4, 2, 1))):
        with qtbot.captureExceptions() as exceptions:
            choose_in_gallery(qtbot, name)
            window.actions["new"].trigger()
        assert exceptions == []
        assert window.canvas.snapshot.sizes == sizes
        assert window.controller.view_state.network.sizes == sizes
        assert window.panel.specs()[0].sizes == sizes
