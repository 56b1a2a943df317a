"""After a project replaces the old one (a CSV import through the dialog) every view shows the new one;
its docks are repainted one per turn of the event loop (gui/window/staged_repaint.py), and the data plot
draws its points once per published state, not once per signal that reached it."""

from __future__ import annotations

import pytest
from backprop_studio.core.project.fileformat import project_from_document
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings, Qt

from tests.gui.window.test_background_jobs import import_through_the_dialog

FEATURES = ("size", "weight", "age")


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(three_inputs()), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.controller.pause()


def three_inputs():
    """A 3-4-1 regression network on a few inline rows (named x1…x3), so a 3-input CSV fits it."""
    x = [[k / 10, (k * 3 % 10) / 10, (k * 7 % 10) / 10] for k in range(10)]
    document = {
        "format": "backprop-studio",
        "version": 1,
        "name": "Three inputs",
        "network": {
            "inputs": 3,
            "layers": [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "linear"}],
        },
        "training": {"loss": "mse", "batch_size": 5, "seed": 1, "epochs": 10},
        "data": {"kind": "inline", "x": x, "y": [[row[0] - row[1]] for row in x]},
    }
    return project_from_document(document, "three-inputs")


def write_csv(tmp_path, rows: int = 60):
    """Three named inputs and a target y: regression off the plane (prediction against target)."""
    path = tmp_path / "houses.csv"
    lines = [",".join((*FEATURES, "y"))]
    lines += [f"{k / rows},{(k * 7 % rows) / rows},{(k * 3 % rows) / rows},{k % 5 / 5}" for k in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def count_calls(monkeypatch, owner, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_after_an_import_every_dock_shows_the_new_data_and_all_repaint(window, qtbot, tmp_path):
    c = window.controller
    held_at_reload: list[int] = []
    c.project_replaced.connect(lambda: held_at_reload.append(len(window.staged_repaint.held)))
    with qtbot.waitSignal(c.project_replaced, timeout=20000):
        import_through_the_dialog(window, qtbot, write_csv(tmp_path))
    assert held_at_reload and held_at_reload[0] > 1  # the docks wait for their turn to paint …
    qtbot.waitUntil(lambda: not window.staged_repaint.held, timeout=5000)
    # … and then every one paints again
    assert window.canvas.updatesEnabled()
    assert all(dock.widget().updatesEnabled() for dock in window.docks.values())
    assert window.panel.specs()[2].kind == "csv"
    assert window.data_view.axis_labels() == ("target", "prediction")
    assert len(window.data_view.train_point_positions()) == len(c.view_state.dataset.x_train)
    assert window.canvas.options.input_names == FEATURES
    window.actions["forward"].trigger()
    for k, name in enumerate(FEATURES):  # each input node, clicked, is named by its column
        qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.node_position(0, k))
        assert name in window.inspector.plain_text()


def test_the_data_plot_draws_its_points_once_per_published_state(window, qtbot, tmp_path, monkeypatch):
    c = window.controller
    drawn = count_calls(monkeypatch, window.data_view.sample_plot, "draw_points")
    with qtbot.waitSignal(c.project_replaced, timeout=20000):
        import_through_the_dialog(window, qtbot, write_csv(tmp_path))
    qtbot.waitUntil(lambda: len(drawn) >= 1, timeout=5000)
    qtbot.wait(100)
    # the reload, the focus, the maps and the published change all came in one turn: one drawing
    assert len(drawn) == 1
    drawn.clear()
    with qtbot.waitSignal(c.maps_changed, timeout=5000):
        window.actions["epoch"].trigger()
    qtbot.wait(100)
    assert len(drawn) == 1  # new predictions after the epoch: drawn once
