"""DataView: samples over the output map in the plane, prediction vs target elsewhere, clicks to focus."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from backprop_studio.core.analysis.evaluation import OutputMap, output_map, plane_extent
from backprop_studio.core.analysis.frame_data import frame_inputs
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.gui.panels.data import DataView
from backprop_studio.gui.style.colors import class_color, diverging_color, palette
from PySide6.QtCore import QPointF, Qt

from tests.snapshot_factory import make_snapshot

TRAIN_POINTS = np.array([[-2.0, -2.0], [2.0, 2.0], [-2.0, 2.0], [2.0, -2.0], [0.5, 0.0]])
TRAIN_LABELS = np.array([0, 1, 0, 1, 1])
TEST_POINTS = np.array([[-1.0, 1.0], [1.0, -1.0]])
TEST_LABELS = np.array([0, 1])


def planar() -> Dataset:
    return Dataset(
        x_train=TRAIN_POINTS.copy(),
        y_train=TRAIN_LABELS[:, None].astype(float),
        x_test=TEST_POINTS.copy(),
        y_test=TEST_LABELS[:, None].astype(float),
        task="classification",
        feature_names=("x1", "x2"),
        target_names=("class 1",),
        points_train=TRAIN_POINTS.copy(),
        points_test=TEST_POINTS.copy(),
        labels_train=TRAIN_LABELS.copy(),
        labels_test=TEST_LABELS.copy(),
        classes=2,
    )


def one_input() -> Dataset:
    x = np.array([[0.0], [1.0], [2.0], [3.0]])
    return Dataset(
        x, 2 * x + 1, np.array([[1.5]]), np.array([[4.0]]), "regression", ("speed",), ("distance",)
    )


def three_inputs_two_outputs() -> Dataset:
    x = np.arange(12.0).reshape(4, 3)
    y = np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 3.0], [3.0, 4.0]])
    return Dataset(x, y, np.zeros((0, 3)), np.zeros((0, 2)), "regression", ("a", "b", "c"), ("p", "q"))


@pytest.fixture
def view(qtbot):
    widget = DataView()
    widget.resize(500, 400)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click_at(qtbot, view: DataView, x: float, y: float) -> None:
    """A real left click on the data point at (x, y), through the view's own coordinate mapping."""
    widget = view.plot_widget()
    scene = view.view_box().mapViewToScene(QPointF(x, y))
    pos = widget.mapFromScene(scene)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=pos)


# A 2-1 tanh network: output tanh(x1 + x2), positive above the diagonal x2 = −x1.
WEIGHTS, BIASES = [np.array([[1.0], [1.0]])], [np.array([0.0])]


def test_planar_training_points_are_drawn_at_their_plane_coordinates(view):
    view.set_dataset(planar())
    assert view.is_planar_mode
    np.testing.assert_array_equal(view.train_point_positions(), TRAIN_POINTS)
    assert view.axis_labels() == ("x1", "x2")


def test_training_points_are_filled_and_test_points_hollow_in_their_class_color(view):
    view.set_dataset(planar())
    train_fill = view.train_point_colors()[1]
    assert train_fill == class_color(1, False)
    test = view.sample_plot.test_points.data[0]
    assert test["pen"].color().getRgb()[:3] == class_color(0, False)
    assert view.sample_plot.test_points.opts["brush"].color().getRgb()[:3] == palette(False).background


def test_clicking_a_training_point_emits_its_training_index(view, qtbot):
    view.set_dataset(planar())
    with qtbot.waitSignal(view.sample_clicked, timeout=1000) as signal:
        click_at(qtbot, view, 2.0, -2.0)
    assert signal.args == [3]


def test_clicking_a_test_point_or_empty_space_emits_nothing(view, qtbot):
    view.set_dataset(planar())
    received = []
    view.sample_clicked.connect(received.append)
    click_at(qtbot, view, -1.0, 1.0)  # a test sample
    click_at(qtbot, view, -0.8, -1.2)  # nothing there
    assert received == []


def test_batch_mean_button_requests_the_mean(view, qtbot):
    view.set_dataset(planar())
    with qtbot.waitSignal(view.focus_mean_requested, timeout=1000):
        qtbot.mouseClick(view._mean_button, Qt.MouseButton.LeftButton)


def test_output_map_is_drawn_over_its_extent_with_the_diverging_colors(view):
    ds = planar()
    view.set_dataset(ds)
    extent = plane_extent(ds)
    view.set_output_map(output_map(WEIGHTS, BIASES, ("tanh",), ds.feature_names, extent, resolution=8))
    image = view.map_image()
    assert image.shape == (8, 8, 3)
    rect = view.sample_plot.plane_map.image.mapRectToParent(view.sample_plot.plane_map.image.boundingRect())
    assert (rect.left(), rect.right(), rect.top(), rect.bottom()) == pytest.approx(
        (extent[0], extent[1], extent[2], extent[3])
    )
    # Row 0 is the bottom (x2 small): the bottom-left corner is negative (orange, red > blue),
    # the top-right positive (blue > red).
    bottom_left, top_right = image[0, 0].astype(int), image[-1, -1].astype(int)
    assert bottom_left[0] > bottom_left[2]
    assert top_right[2] > top_right[0]
    # The decision boundary of a 1-unit classifier is drawn at its threshold.
    assert view.boundaries_shown() == [0.0]


def test_softmax_map_tints_each_region_in_its_class_color(view):
    ds = planar()
    view.set_dataset(ds)
    weights, biases = [np.array([[-3.0, 3.0], [0.0, 0.0]])], [np.zeros(2)]  # class 1 where x1 > 0
    om = output_map(weights, biases, ("softmax",), ds.feature_names, plane_extent(ds), resolution=8)
    view.set_output_map(om)
    image = view.map_image().astype(int)
    left, right = image[4, 0], image[4, -1]
    orange, blue = class_color(0, False), class_color(1, False)
    assert np.argmax(left) == np.argmax(orange) and np.argmax(right) == np.argmax(blue)
    assert len(view.boundaries_shown()) == 2


def test_no_output_map_hides_the_image(view):
    ds = planar()
    view.set_dataset(ds)
    view.set_output_map(output_map(WEIGHTS, BIASES, ("tanh",), ds.feature_names, plane_extent(ds), 4))
    view.set_output_map(None)
    assert view.map_image() is None


def test_batch_samples_are_ringed_and_the_focus_marked(view):
    view.set_dataset(planar())
    view.set_batch(np.array([0, 4]))
    assert sorted(map(tuple, view.batch_ring_positions().tolist())) == [(-2.0, -2.0), (0.5, 0.0)]
    view.set_focus(1)
    assert view.focus_positions().tolist() == [[2.0, 2.0]]
    assert "sample #2" in view.focus_text()  # index 1 is the second sample
    view.set_focus(None)
    assert len(view.focus_positions()) == 0
    assert "sample" not in view.focus_text()  # nothing followed: the header names no sample


def test_a_new_dataset_forgets_the_previous_batch_and_focus(view):
    view.set_dataset(planar())
    view.set_batch(np.array([0, 1]))
    view.set_focus(2)
    view.set_dataset(planar())
    assert len(view.batch_ring_positions()) == 0
    assert len(view.focus_positions()) == 0


def test_one_input_data_shows_targets_over_the_input_and_the_prediction_curve(view):
    ds = one_input()
    view.set_dataset(ds)
    assert not view.is_planar_mode
    np.testing.assert_array_equal(
        view.train_point_positions(), np.column_stack([ds.x_train[:, 0], ds.y_train[:, 0]])
    )
    assert view.axis_labels() == ("speed", "distance")
    # Without a dense curve, the predictions at the samples are joined in input order (test 1.5 included).
    view.set_predictions(np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([[1.5]]))
    ((x, y),) = view.prediction_curves()
    assert x.tolist() == [0.0, 1.0, 1.5, 2.0, 3.0]
    assert y.tolist() == [0.0, 1.0, 1.5, 2.0, 3.0]


def tanh_sigmoid(snapshot, x: np.ndarray) -> np.ndarray:
    """make_snapshot's 2-layer network (tanh, then sigmoid) written out by hand: (n, n_in) → (n, n_out)."""
    (w1, w2), (b1, b2) = snapshot.weights, snapshot.biases
    return 1.0 / (1.0 + np.exp(-(np.tanh(x @ w1 + b1) @ w2 + b2)))


def test_one_input_data_shows_the_networks_dense_prediction_curve_from_frame_data(view):
    ds = one_input()  # inputs 0 … 3 (train) and 1.5 (test)
    snapshot = make_snapshot((1, 5, 1), 3)
    view.set_dataset(ds)
    view.set_frame_data(frame_inputs(snapshot, ds))
    ((x, y),) = view.prediction_curves()
    # The curve spans the inputs with a 10 % margin (0.3) each side, densely, and is the network itself.
    np.testing.assert_allclose(x, np.linspace(-0.3, 3.3, len(x)))
    assert len(x) >= 100
    np.testing.assert_allclose(y, tanh_sigmoid(snapshot, x[:, None])[:, 0])
    # The samples stay at their targets.
    np.testing.assert_array_equal(
        view.train_point_positions(), np.column_stack([ds.x_train[:, 0], ds.y_train[:, 0]])
    )


def test_off_the_plane_the_panel_plots_the_networks_prediction_for_each_sample(view):
    """The window's data panel, given the state's FrameData, shows what the network predicts for each
    training and test sample, against a forward pass written out here."""
    ds = three_inputs_two_outputs()
    ds = Dataset(
        ds.x_train,
        ds.y_train,
        ds.x_train[:2] + 0.5,
        ds.y_train[:2],
        "regression",
        ds.feature_names,
        ds.target_names,
    )
    snapshot = make_snapshot((3, 4, 2), 5)
    view.set_dataset(ds)
    view.set_frame_data(frame_inputs(snapshot, ds))
    for shown, x, y in (
        (view.train_point_positions(), ds.x_train, ds.y_train),
        (view.test_point_positions(), ds.x_test, ds.y_test),
    ):
        expected = tanh_sigmoid(snapshot, x)
        # unit p's samples first, then unit q's: (target, prediction)
        np.testing.assert_allclose(shown, np.column_stack([y.T.ravel(), expected.T.ravel()]))
    assert view.prediction_curves() == []  # several inputs: no curve over an input


def test_clicking_a_sample_in_the_one_input_view_emits_its_index(view, qtbot):
    view.set_dataset(one_input())
    view.view_box().setRange(xRange=(-1, 4), yRange=(0, 8), padding=0)
    with qtbot.waitSignal(view.sample_clicked, timeout=1000) as signal:
        click_at(qtbot, view, 2.0, 5.0)
    assert signal.args == [2]


def test_multi_input_data_plots_prediction_against_target_for_every_output_unit(view):
    ds = three_inputs_two_outputs()
    view.set_dataset(ds)
    assert view.axis_labels() == ("target", "prediction")
    assert view.identity_line_shown()  # the y = x line
    pred = ds.y_train + 0.5
    view.set_predictions(pred, np.zeros((0, 2)))
    # unit p's samples first, then unit q's
    expected = np.column_stack([ds.y_train.T.ravel(), pred.T.ravel()])
    np.testing.assert_array_equal(view.train_point_positions(), expected)
    assert "p" in view.legend_text() and "q" in view.legend_text()
    view.set_focus(2)
    assert sorted(map(tuple, view.focus_positions().tolist())) == [
        (2.0, 2.5),
        (3.0, 3.5),
    ]  # one mark per unit


def test_dark_palette_changes_the_background_and_keeps_the_points(view):
    view.set_dataset(planar())
    light = view.plot_widget().backgroundBrush().color().lightness()
    view.set_dark(True)
    assert view.plot_widget().backgroundBrush().color().lightness() < light
    assert view.train_point_colors()[1] == class_color(1, True)
    np.testing.assert_array_equal(view.train_point_positions(), TRAIN_POINTS)


def test_regression_points_share_the_color_scale_of_the_output_map(view):
    points = np.array([[0.0, 0.0], [1.0, 1.0]])
    ds = Dataset(
        points,
        np.array([[0.5], [1.0]]),
        np.zeros((0, 2)),
        np.zeros((0, 1)),
        "regression",
        ("x1", "x2"),
        ("y",),
        points_train=points,
        points_test=np.zeros((0, 2)),
    )
    view.set_dataset(ds)
    # A sigmoid output is centered on 0.5: a target of 0.5 sits at the neutral middle of the scale.
    values = np.full((4, 4), 0.5)
    view.set_output_map(OutputMap(values, None, None, (-1.0, 2.0, -1.0, 2.0), "sigmoid"))
    middle = view.train_point_colors()[0]
    assert middle == diverging_color(0.0, 1.0).getRgb()[:3]
    assert "0.5" in view.legend_text()


def test_target_names_from_a_csv_header_show_literally_in_the_legend(view):
    from PySide6.QtGui import QTextDocument

    link = '<a href="http://x">click</a>'
    x = np.arange(12.0).reshape(4, 3)
    y = np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 3.0], [3.0, 4.0]])
    ds = Dataset(x, y, np.zeros((0, 3)), np.zeros((0, 2)), "regression", ("a", "b", "c"), (link, "q"))
    view.set_dataset(ds)
    document = QTextDocument()
    document.setHtml(view.legend_text())  # the legend is rich text (colored dots): the name must be escaped
    assert link in document.toPlainText()  # shown as typed
    assert "<a " not in view.legend_text()  # and no link to click


def test_the_followed_sample_is_named_whole_or_not_at_all(view, qtbot):
    """A header too narrow for "◎ sample #2" draws nothing there, never a clipped "◎ sam"."""
    view.set_dataset(planar())
    view.set_focus(1)
    label = view._header.focus_label

    def inked() -> bool:
        picture = label.grab().toImage()
        background = picture.pixel(0, 0)
        return any(
            picture.pixel(x, y) != background for x in range(picture.width()) for y in range(picture.height())
        )

    view.resize(900, 500)
    qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width())
    assert inked()
    for width in range(900, 200, -5):  # find a width that leaves room for a fragment only
        view.resize(width, 500)
        qtbot.wait(5)
        if 10 < label.width() < label.sizeHint().width():
            break
    assert 10 < label.width() < label.sizeHint().width(), label.width()
    assert not inked()
