"""What a newcomer sees first on the canvas: inputs named and drawn by their feature (as in TensorFlow
Playground), the hint where to start, and on a laptop-sized canvas labels that give way instead of
overlapping, with the legend clear of the nodes."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.analysis.evaluation import plane_extent
from backprop_studio.core.analysis.feature_maps import feature_maps
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import open_session
from backprop_studio.gui.canvas.hints import EMPTY_HINT
from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import QRectF

from tests.gui.canvas.painting import node_box, render

SPIRAL_LABELS = ["x₁", "x₂", "x₁²", "x₂²", "x₁·x₂", "sin(x₁)", "sin(x₂)"]


@pytest.fixture(scope="module")
def spiral():
    session = open_session(load_preset("spiral"))
    ds = session.dataset
    maps = feature_maps(ds.feature_names, plane_extent(ds))
    return session, CanvasOptions(input_names=ds.feature_names, input_maps=maps)


def test_spiral_inputs_are_labeled_by_feature_left_of_their_nodes(qapp, spiral):
    session, options = spiral
    _, renderer = render(session.snapshot(), options, 900, 560)
    labels = renderer.last_stats.input_labels
    assert [text for text, _ in labels] == SPIRAL_LABELS
    lay = renderer.last_layout
    for i, (_, rect) in enumerate(labels):
        assert rect.right() < lay.xs[0] - lay.radius[0]  # clear of its node
        assert rect.left() >= 0  # inside the canvas
        if i:
            assert not rect.intersects(labels[i - 1][1])  # clear of its neighbor


def test_on_a_laptop_sized_canvas_labels_shrink_or_shorten_but_never_overlap(qapp, spiral):
    session, options = spiral
    _, renderer = render(session.snapshot(), options, 425, 258)
    labels = renderer.last_stats.input_labels
    lay = renderer.last_layout
    assert len(labels) in (0, 7)  # all or none: a partial column would mislead
    for i, (text, rect) in enumerate(labels):
        assert text.replace(" ", "") in {s.replace("(", "").replace(")", "") for s in SPIRAL_LABELS} | set(
            SPIRAL_LABELS
        )
        assert rect.right() < lay.xs[0] - lay.radius[0] and rect.left() >= 0
        if i:
            assert not rect.intersects(labels[i - 1][1])
    assert labels, "at 425 × 258 the seven names still fit, shortened or smaller"


def test_input_nodes_show_their_feature_over_the_plane(qapp, spiral):
    session, options = spiral
    pixels, renderer = render(session.snapshot(), options, 900, 560)
    assert renderer.last_stats.input_maps_shown
    pal = palette(False)
    # x₂ (input 2) rises upwards as in the data plot: the node's top is on the positive side of the
    # scale (blue), its bottom on the negative side (orange); x₁ (input 1) runs left to right.
    box = node_box(pixels, renderer, 0, 1).astype(int)
    h, w = box.shape[:2]
    top, bottom = box[h // 4, w // 2], box[3 * h // 4, w // 2]
    left, right = box[h // 2 - 2, w // 4], box[h // 2 - 2, 3 * w // 4]
    assert top[2] > top[0] and bottom[0] > bottom[2], (top, bottom)  # blue-ish above, orange-ish below
    box1 = node_box(pixels, renderer, 0, 0).astype(int)
    left, right = box1[h // 2 - 2, w // 4], box1[h // 2 - 2, 3 * w // 4]
    assert right[2] > right[0] and left[0] > left[2], (left, right)
    # x₁² is positive everywhere: no orange in its node.
    box3 = node_box(pixels, renderer, 0, 2).astype(int)
    inner = box3[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4].reshape(-1, 3)
    assert not np.any((inner[:, 0] > inner[:, 2] + 40) & (inner[:, 0] > 200)), pal.negative


def test_a_recording_has_no_hint_unless_asked(qapp, spiral):
    session, options = spiral
    _, renderer = render(session.snapshot(), options, 900, 560)
    assert not renderer.last_stats.empty_hint_shown
    _, renderer = render(session.snapshot(), CanvasOptions(empty_hint=True), 900, 560)
    assert renderer.last_stats.empty_hint_shown


def test_the_hint_shows_at_step_0_and_goes_after_one_step(qtbot, spiral):
    session = open_session(load_preset("circle"))
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(900, 560)
    view.set_snapshot(session.snapshot())
    view.show()
    qtbot.waitExposed(view)
    view.grab()
    assert view.renderer.last_stats.empty_hint_shown
    session.step()  # forward through layer 1
    view.set_snapshot(session.snapshot())
    view.grab()
    assert not view.renderer.last_stats.empty_hint_shown


def test_the_hint_text_is_drawn_in_pixels(qapp):
    session = open_session(load_preset("circle"))
    with_hint, _ = render(session.snapshot(), CanvasOptions(empty_hint=True), 900, 560)
    without, _ = render(session.snapshot(), CanvasOptions(), 900, 560)
    changed = np.any(with_hint != without, axis=2)
    rows = np.nonzero(changed.any(axis=1))[0]
    assert rows.size and rows.max() < 110  # a strip under the headers, above the network
    assert "Step (→)" in EMPTY_HINT and "Play" in EMPTY_HINT


@pytest.mark.parametrize("dark", [False, True])
def test_the_legend_stays_clear_of_the_nodes_on_a_small_canvas(qapp, dark):
    session = open_session(load_preset("circle"))
    session.step()
    snap = session.snapshot()
    full, renderer = render(snap, CanvasOptions(dark=dark), 425, 258)
    bare, _ = render(snap, CanvasOptions(dark=dark, show_legend=False), 425, 258)
    legend = np.any(full != bare, axis=2)
    lay = renderer.last_layout
    for c, n in enumerate(lay.sizes):
        for i in range(n):
            r = lay.radius[c] + 1
            node = QRectF(lay.xs[c] - r, lay.ys[c][i] - r, 2 * r, 2 * r)
            y0, y1 = int(node.top()), int(np.ceil(node.bottom()))
            x0, x1 = int(node.left()), int(np.ceil(node.right()))
            assert not legend[y0:y1, x0:x1].any(), (c, i)


IRIS_NAMES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")


@pytest.fixture(scope="module")
def iris():
    session = open_session(load_preset("iris"))
    assert session.dataset.feature_names == IRIS_NAMES
    return session, CanvasOptions(input_names=session.dataset.feature_names)


def assert_clear_column(renderer, labels) -> None:
    lay = renderer.last_layout
    for i, (_, rect) in enumerate(labels):
        assert rect.right() < lay.xs[0] - lay.radius[0] and rect.left() >= 0
        assert abs(rect.center().y() - lay.ys[0][i]) <= 1  # beside its own node
        if i:
            assert not rect.intersects(labels[i - 1][1])


def test_long_feature_names_wrap_beside_their_nodes_on_the_laptop_canvas(qapp, iris):
    # The canvas of a 1280×800 window: "sepal length (cm)" is wider than the room left of its node.
    session, options = iris
    _, renderer = render(session.snapshot(), options, 820, 593)
    labels = renderer.last_stats.input_labels
    assert [" ".join(text.split()) for text, _ in labels] == list(IRIS_NAMES)  # every word, in order
    assert all("\n" in text for text, _ in labels)
    assert_clear_column(renderer, labels)


def test_when_not_even_wrapped_names_fit_the_inputs_are_named_by_symbol(qapp, iris):
    session, options = iris
    _, renderer = render(session.snapshot(), options, 300, 200)
    labels = renderer.last_stats.input_labels
    assert [text for text, _ in labels] == ["x₁", "x₂", "x₃", "x₄"]
    assert_clear_column(renderer, labels)


def test_output_nodes_carry_the_class_names_right_of_them(qapp, iris):
    session, _ = iris
    classes = session.dataset.target_names
    assert classes == ("setosa", "versicolor", "virginica")
    options = CanvasOptions(input_names=IRIS_NAMES, output_names=classes)
    _, renderer = render(session.snapshot(), options, 820, 593)
    labels = renderer.last_stats.output_labels
    assert [text for text, _ in labels] == list(classes)
    lay = renderer.last_layout
    for i, (_, rect) in enumerate(labels):
        assert rect.left() > lay.xs[-1] + lay.radius[-1] and rect.right() <= 820  # clear of node, on canvas
        assert abs(rect.center().y() - lay.ys[-1][i]) <= 1
        if i:
            assert not rect.intersects(labels[i - 1][1])


def test_the_window_names_the_output_classes_on_the_canvas(qtbot, tmp_path):
    from backprop_studio.gui import main_window as mw
    from backprop_studio.gui.controller.controller import StudioController
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    window = mw.MainWindow(StudioController(load_preset("digits")), "light")
    window.confirm_discard = lambda doing: True
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.canvas.grab()
    assert [text for text, _ in window.canvas.renderer.last_stats.output_labels] == [
        str(d) for d in range(10)
    ]


def test_when_a_tall_output_column_leaves_no_room_above_the_color_bar_its_title_goes_beside_it(qapp):
    from tests.snapshot_factory import make_snapshot

    snap = make_snapshot((64, 32, 10), 1)  # digits: the ten output nodes reach down to the legend strip
    _, renderer = render(snap, CanvasOptions(image_shape=(8, 8)), 820, 593)
    assert renderer.last_stats.scale_title_beside
    _, renderer = render(make_snapshot((2, 4, 1), 1), CanvasOptions(), 820, 593)
    assert not renderer.last_stats.scale_title_beside  # room above the bar: the title sits there
