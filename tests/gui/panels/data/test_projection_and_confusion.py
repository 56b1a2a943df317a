"""The data panel's projection and confusion tabs, on an iris-like 4-input, 3-class data set."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from backprop_studio.core.analysis.confusion import ConfusionFrame
from backprop_studio.core.data.build import build_dataset
from backprop_studio.gui.panels.data import DataView
from backprop_studio.gui.style.colors import class_color
from PySide6.QtCore import QPointF, Qt

from tests.gui.panels.data import iris_like


@pytest.fixture
def iris():
    p = iris_like.project()
    return build_dataset(p.data, p.network, p.training.loss)


@pytest.fixture
def view(qtbot):
    widget = DataView()
    widget.resize(520, 560)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def pca_by_eigh(x_train, x):
    """Independent: the covariance matrix's top two eigenvectors, largest loading made positive."""
    values, vectors = np.linalg.eigh(np.cov(x_train, rowvar=False))
    order = np.argsort(values)[::-1][:2]
    top = vectors[:, order].T
    top *= np.sign(top[np.arange(2), np.argmax(np.abs(top), axis=1)])[:, None]
    return (x - x_train.mean(axis=0)) @ top.T, values[order] / values.sum()


def frame_with(ds, pred_train, pred_test) -> ConfusionFrame:
    """A frame whose counts are tallied here by hand, one sample at a time."""
    counts = []
    for labels, pred in ((ds.labels_train, pred_train), (ds.labels_test, pred_test)):
        c = np.zeros((3, 3), dtype=np.int64)
        for t, q in zip(labels, pred, strict=True):
            c[t, q] += 1
        counts.append(c)
    return ConfusionFrame(
        iris_like.CLASS_NAMES, counts[0], counts[1], pred_train, pred_test, len(pred_train), len(pred_test)
    )


def click_tab(qtbot, view, page: str) -> None:
    bar = view.tab_bar
    index = ["plot", "projection", "confusion"].index(page)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def test_more_than_two_inputs_open_on_the_projection_at_its_principal_components(view, iris):
    view.set_dataset(iris)
    assert view.pages_shown() == ["plot", "projection", "confusion"]
    assert view.current_page() == "projection"
    coords, shares = pca_by_eigh(iris.x_train, iris.x_train)
    x, y = view.projection_view.train_points.getData()
    np.testing.assert_allclose(np.column_stack([x, y]), coords, atol=1e-10)
    tx, ty = view.projection_view.test_points.getData()
    np.testing.assert_allclose(
        np.column_stack([tx, ty]), pca_by_eigh(iris.x_train, iris.x_test)[0], atol=1e-10
    )
    bottom = view.projection_view.plot.getAxis("bottom").labelText
    assert bottom == f"PC1 ({round(100 * shares[0])}% of variance)"
    assert view.projection_view.plot.getAxis("left").labelText.startswith("PC2 (")
    # Points carry their true class's color; the legend names the classes.
    fills = [b.color().getRgb()[:3] for b in view.projection_view.train_points.data["brush"]]
    assert fills == [class_color(int(k), False) for k in iris.labels_train]
    assert "wrong" in view.legend_text() and "train" in view.legend_text()


def test_wrong_predictions_are_crossed_in_the_predicted_class_color_and_points_do_not_move(view, iris):
    view.set_dataset(iris)
    before = view.projection_view.train_points.getData()[0].copy()
    pred_train = iris.labels_train.copy()
    pred_train[[0, 5]] = [2, 1]  # two wrong training samples
    pred_test = iris.labels_test.copy()
    pred_test[3] = (pred_test[3] + 1) % 3
    view.set_classes(frame_with(iris, pred_train, pred_test))
    coords, _ = pca_by_eigh(iris.x_train, iris.x_train)
    test_coords, _ = pca_by_eigh(iris.x_train, iris.x_test)
    crosses = view.projection_view.cross_positions()
    expected = {0: [], 1: [coords[5]], 2: [coords[0]]}
    expected[int(pred_test[3])].append(test_coords[3])
    for k in range(3):
        np.testing.assert_allclose(crosses[k], np.reshape(expected[k], (-1, 2)), atol=1e-10)
        pen = view.projection_view.crosses[k].opts["pen"]
        assert pen.color().getRgb()[:3] == class_color(k, False)
    np.testing.assert_array_equal(view.projection_view.train_points.getData()[0], before)
    view.set_classes(frame_with(iris, iris.labels_train, iris.labels_test))
    assert all(len(c) == 0 for c in view.projection_view.cross_positions().values())


def test_clicking_a_training_point_in_the_projection_focuses_it(view, iris, qtbot):
    view.set_dataset(iris)
    pv = view.projection_view
    pv.vb.autoRange()
    qtbot.wait(50)
    row = 7
    x, y = pv.train_points.getData()
    scene = pv.vb.mapViewToScene(QPointF(x[row], y[row]))
    with qtbot.waitSignal(view.sample_clicked, timeout=1000) as signal:
        qtbot.mouseClick(pv.widget.viewport(), Qt.MouseButton.LeftButton, pos=pv.widget.mapFromScene(scene))
    assert signal.args[0] in {row} | {
        i for i in range(len(x)) if np.hypot(x[i] - x[row], y[i] - y[row]) < 1e-2
    }
    view.set_focus(row)
    np.testing.assert_allclose(pv.markers.focus_positions(), [[x[row], y[row]]])


def test_the_confusion_tab_shows_the_counts_and_accuracy(view, iris, qtbot):
    view.set_dataset(iris)
    click_tab(qtbot, view, "confusion")
    assert view.current_page() == "confusion"
    pred_train = np.zeros(len(iris.labels_train), dtype=np.int64)  # everything called setosa
    pred_test = iris.labels_test.copy()
    view.set_classes(frame_with(iris, pred_train, pred_test))
    view.confusion_view.grab()  # paint
    shown = view.confusion_view.displayed_counts("train")
    # 30 of each class, all predicted as class 0: the first column holds 30, 30, 30.
    assert shown.tolist() == [[30, 0, 0], [30, 0, 0], [30, 0, 0]]
    assert view.confusion_view.displayed_counts("test").tolist() == np.diag([10, 10, 10]).tolist()
    assert "true class" in view.legend_text()


def test_regression_offers_neither_projection_nor_confusion(view):
    from tests.gui.panels.data.test_view import three_inputs_two_outputs

    view.set_dataset(three_inputs_two_outputs())
    assert view.pages_shown() == ["plot"]
    assert not view.tab_bar.isVisible()


def test_a_tab_picked_by_hand_stays_in_front_when_the_data_is_rebuilt(view, iris, qtbot):
    view.set_dataset(iris)
    click_tab(qtbot, view, "confusion")
    view.set_dataset(iris)
    assert view.current_page() == "confusion"


def test_a_large_classification_set_is_thinned_in_both_tabs_with_each_point_in_its_class_color(view, qtbot):
    """6,000 training samples: both tabs draw an even 5,000 of them, each filled in its own class's color
    (the colors are gathered per class, not built per sample)."""
    p = iris_like.project(n_train=2000, n_test=10)
    ds = build_dataset(p.data, p.network, p.training.loss)
    view.set_dataset(ds)
    keep = np.linspace(0, len(ds.x_train) - 1, 5000).astype(np.intp)  # evenly spread, as documented
    fills = [b.color().getRgb()[:3] for b in view.projection_view.train_points.data["brush"]]
    assert fills == [class_color(int(k), False) for k in ds.labels_train[keep]]
    click_tab(qtbot, view, "plot")
    view.set_predictions(np.eye(3)[ds.labels_train], np.eye(3)[ds.labels_test])
    # Three output units: one point per sample and unit, colored by unit.
    colors = view.train_point_colors()
    assert len(colors) == 5000
    per_unit = np.linspace(0, 3 * len(ds.x_train) - 1, 5000).astype(np.intp) // len(ds.x_train)
    assert colors == [class_color(int(u), False) for u in per_unit]
