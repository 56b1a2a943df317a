"""The window's data panel follows training: the confusion cells equal counts taken here from the session."""

import numpy as np
import pytest
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings, Qt

from tests.gui.panels.data import iris_like
from tests.gui.test_main_window import click_toolbar


@pytest.fixture
def window(qapp, qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(iris_like.project()), theme_name="light")
    win.confirm_discard = lambda doing: True
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.controller.pause()
    win.close()
    win.deleteLater()


def counts_by_hand(snapshot, x, labels):
    """tanh hidden layer, softmax output (argmax of z: softmax keeps the order), tallied sample by sample."""
    (w1, w2), (b1, b2) = snapshot.weights, snapshot.biases
    counts = np.zeros((3, 3), dtype=np.int64)
    for row, true in zip(x, labels, strict=True):
        z = np.tanh(row @ w1 + b1) @ w2 + b2
        counts[true, int(np.argmax(z))] += 1
    return counts


def shown_matches_session(win) -> bool:
    ds = win.controller.session_for_tests.dataset
    snap = win.controller.snapshot
    view = win.data_view.confusion_view
    view.grab()  # paint what is there now
    return all(
        np.array_equal(view.displayed_counts(split), counts_by_hand(snap, x, labels))
        for split, x, labels in (("train", ds.x_train, ds.labels_train), ("test", ds.x_test, ds.labels_test))
    )


def test_confusion_cells_follow_step_and_play(window, qtbot):
    dv = window.data_view
    assert dv.current_page() == "projection"  # 4 inputs: the projection comes first
    bar = dv.tab_bar
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    assert dv.current_page() == "confusion"
    qtbot.waitUntil(lambda: shown_matches_session(window), timeout=3000)  # the untrained network
    for _ in range(3):
        click_toolbar(window, "Step epoch", qtbot)
    qtbot.waitUntil(lambda: shown_matches_session(window), timeout=3000)
    epochs_before = window.controller.snapshot.epochs_completed
    window.granularity.setCurrentIndex(mw.GRANULARITIES.index("epoch"))
    click_toolbar(window, "Play", qtbot)
    qtbot.waitUntil(lambda: window.controller.snapshot.epochs_completed >= epochs_before + 5, timeout=10000)
    click_toolbar(window, "Pause", qtbot)
    assert not window.controller.playing
    qtbot.waitUntil(lambda: shown_matches_session(window), timeout=3000)
    # And the projection's crosses are the wrongly classified training samples of the same state.
    ds = window.controller.session_for_tests.dataset
    (w1, w2), (b1, b2) = window.controller.snapshot.weights, window.controller.snapshot.biases
    pred = np.argmax(np.tanh(ds.x_train @ w1 + b1) @ w2 + b2, axis=1)
    _, _, rows, _ = dv.projection_view.wrong("train")
    assert rows.tolist() == np.flatnonzero(pred != ds.labels_train).tolist()
