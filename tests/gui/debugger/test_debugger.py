"""The debugger in the app: breakpoints stop play at the exact phase, the timeline restores what the window
shows, gradient health is published, and the gradient check catches a wrong gradient."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from backprop_studio.core.analysis.health import layer_health
from backprop_studio.core.debugger.watch import Watch
from backprop_studio.core.project.project import Project, open_session
from backprop_studio.core.spec import DataSpec, InitSpec, LayerSpec, NetworkSpec, OptimizerSpec, TrainingSpec
from backprop_studio.core.training.snapshot import Phase
from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.canvas.overlays import canvas_notes, edge_overlay, hit_highlights, overlay_colors
from backprop_studio.gui.canvas.renderer import CanvasRenderer
from backprop_studio.gui.controller.controller import MAX_SPEED, StudioController
from backprop_studio.gui.debugger.gradcheck_view import GradcheckView
from backprop_studio.gui.debugger.health_view import HealthView
from backprop_studio.gui.panels.inspector.widget import Inspector
from backprop_studio.gui.panels.timeline import Timeline, readout_text
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from tests.gui.debugger.ui import click_row

RNG = np.random.default_rng(11)
X = RNG.normal(size=(16, 2))


def inline(y: np.ndarray) -> DataSpec:
    return DataSpec(kind="inline", x=tuple(map(tuple, X)), y=tuple(map(tuple, y)))


def project(net: NetworkSpec, lr: float, y: np.ndarray | None = None) -> Project:
    y = X @ np.array([[1.0], [-2.0]]) if y is None else y
    training = TrainingSpec("mse", OptimizerSpec("sgd", lr), batch_size=8, shuffle=False, seed=0)
    return Project(net, training, inline(y))


DEEP_SIGMOID = NetworkSpec(
    2,
    (*(LayerSpec(4, "sigmoid") for _ in range(8)), LayerSpec(1, "sigmoid")),
    InitSpec("normal", std=0.1, bias=0.0),
)
LINEAR = NetworkSpec(2, (LayerSpec(3, "linear"), LayerSpec(1, "linear")))
DEAD_RELU = NetworkSpec(
    2, (LayerSpec(3, "tanh"), LayerSpec(4, "relu"), LayerSpec(1, "linear")), InitSpec(bias=-10.0)
)


def deep_sigmoid() -> Project:
    """Nine sigmoid layers with small weights: the gradient shrinks by ≥ 4× per layer towards the inputs."""
    return project(DEEP_SIGMOID, 0.1, (X[:, :1] > 0).astype(float))


def controller(qtbot, proj: Project, watches=()) -> StudioController:
    c = StudioController(proj)
    c.set_watches(list(watches))
    c.set_speed(MAX_SPEED)
    return c


def play_until_hit(qtbot, c: StudioController, granularity: str = "epoch"):
    """Play as fast as possible until a breakpoint fires; return the hit."""
    c.set_granularity(granularity)
    with qtbot.waitSignal(c.breakpoint_hit, timeout=5000) as blocker:
        c.play()
    assert not c.playing
    return blocker.args[0]


def oracle(proj: Project, fires, limit: int = 3000) -> int:
    """The first step at which `fires(snapshot)` holds, found by stepping a fresh session by hand."""
    s = open_session(proj)
    for _ in range(limit):
        s.step()
        snap = s.snapshot()
        if snap.divergence is None and fires(snap):
            return snap.step
    raise AssertionError("the condition never held")


def frobenius(a) -> float:
    return float(np.sqrt(np.sum(np.asarray(a, dtype=float) ** 2)))


# ------------------------------------------------------------------------------------ each kind fires


@pytest.mark.parametrize("granularity", ["epoch", "batch", "phase"])
def test_vanishing_stops_play_after_backward_through_layer_1_of_a_deep_sigmoid_net(qtbot, granularity):
    c = controller(qtbot, deep_sigmoid(), [Watch("vanishing", layer=1, threshold=1e-6)])
    hit = play_until_hit(qtbot, c, granularity)
    snap = c.snapshot
    assert hit.phase == snap.phase == Phase("backward", 1)
    assert snap.step == hit.step == 2 * 9 + 1  # the first batch's backward pass reaching layer 1
    norm = frobenius(snap.layers[0].dW)
    assert norm < 1e-6 and hit.values["grad_norm"] == pytest.approx(norm)
    assert f"{norm:.3g} < 1e-06" in hit.message
    # What the canvas marks, while the session stands there.
    assert c.current_hit is hit
    assert hit_highlights(c.current_hit)["highlight_layers"] == frozenset({1})
    c.step("phase")
    assert c.current_hit is None


def test_exploding_stops_at_the_first_backward_phase_over_m_with_a_huge_learning_rate(qtbot):
    proj = project(LINEAR, 1.5)

    def too_big(snap):
        return snap.phase.kind == "backward" and frobenius(snap.layers[snap.phase.layer - 1].dW) > 1e3

    c = controller(qtbot, proj, [Watch("exploding", threshold=1e3)])
    hit = play_until_hit(qtbot, c)
    assert c.session_for_tests.step_count == hit.step == oracle(proj, too_big)
    assert c.snapshot.phase.kind == "backward" and c.snapshot.divergence is None
    assert hit.values["grad_norm"] > 1e3


def test_dead_relu_stops_after_forward_through_the_relu_layer_with_large_negative_biases(qtbot):
    c = controller(qtbot, project(DEAD_RELU, 0.1), [Watch("dead_relu", layer=2, threshold=0.5)])
    health = []
    c.health_changed.connect(lambda recorder, layers, hists: health.append(layers))
    hit = play_until_hit(qtbot, c)
    snap = c.snapshot
    assert hit.phase == snap.phase == Phase("forward", 2) and snap.step == 2
    assert np.all(snap.layers[1].a == 0.0)
    marks = hit_highlights(hit)
    assert marks["highlight_layers"] == frozenset({2})
    assert marks["highlight_neurons"] == {(2, j) for j in range(4)}
    # The counts reach the health panel and the canvas.
    assert health[-1][1].dead_units == 4
    assert canvas_notes(health[-1]) == ("", "3 saturated", "4 dead", "")  # tanh at −10 is flat too


def test_loss_rising_per_epoch_stops_at_the_update_ending_the_worse_epoch(qtbot):
    c = controller(qtbot, project(LINEAR, 1.5), [Watch("loss_rising", per="epoch")])
    play_until_hit(qtbot, c)
    snap = c.snapshot
    assert snap.phase == Phase("update") and snap.step % c.session_for_tests.boundary_steps("epoch") == 0
    losses = snap.history.train_loss
    assert losses[-1] > losses[-2]
    assert all(b <= a for a, b in itertools.pairwise(losses[:-1]))


def test_loss_rising_per_batch_compares_consecutive_batches(qtbot):
    proj = project(LINEAR, 1.5)

    def rose(snap):
        losses = snap.history.batch_loss
        return snap.phase.kind == "update" and len(losses) >= 2 and losses[-1] > losses[-2]

    c = controller(qtbot, proj, [Watch("loss_rising", per="batch")])
    hit = play_until_hit(qtbot, c, "batch")
    assert c.snapshot.step == hit.step == oracle(proj, rose)


def test_weight_crossing_stops_at_the_update_that_carries_the_weight_across(qtbot):
    proj = project(LINEAR, 0.1)
    s = open_session(proj)
    w0 = float(s.weights[0][1, 2])
    s.step_update()
    w1 = float(s.weights[0][1, 2])
    watch = Watch("weight_crossing", layer=1, index=(1, 2), threshold=(w0 + w1) / 2)
    c = controller(qtbot, proj, [watch])
    hit = play_until_hit(qtbot, c)
    assert c.snapshot.phase == Phase("update") and c.snapshot.step == c.session_for_tests.phases_per_batch
    assert hit.values["before"] == w0 and hit.values["after"] == w1
    assert hit_highlights(hit)["highlight_edges"] == frozenset({(1, 1, 2)})


def test_update_ratio_stops_after_the_update_that_moves_a_layer_too_far(qtbot):
    c = controller(qtbot, project(LINEAR, 1.5), [Watch("update_ratio", threshold=0.5)])
    hit = play_until_hit(qtbot, c)
    snap = c.snapshot
    assert snap.phase == Phase("update")
    k = hit.layer - 1
    ratio = frobenius(snap.layers[k].delta_W) / frobenius(snap.weights_before_update[k])
    assert ratio > 0.5 and hit.values["update_ratio"] == pytest.approx(ratio)


def test_a_nan_breakpoint_reports_the_divergence_at_its_phase_instead_of_the_diverged_dialog(qtbot):
    c = controller(qtbot, project(LINEAR, 50.0), [Watch("nonfinite")])
    diverged = []
    c.diverged.connect(diverged.append)
    hit = play_until_hit(qtbot, c)
    assert c.session_for_tests.divergence is not None and hit.step == c.session_for_tests.step_count
    assert hit.message == f"non-finite value: {c.session_for_tests.divergence}"
    assert diverged == []


def test_without_a_nan_breakpoint_a_divergence_still_pauses_play_through_diverged(qtbot):
    c = controller(qtbot, project(LINEAR, 50.0), [Watch("vanishing", threshold=1e-300)])
    hits = []
    c.breakpoint_hit.connect(hits.append)
    c.set_granularity("epoch")
    with qtbot.waitSignal(c.diverged, timeout=5000):
        c.play()
    assert not c.playing and hits == []


def test_a_step_that_spans_many_phases_stops_at_the_hit(qtbot):
    c = controller(qtbot, deep_sigmoid(), [Watch("vanishing", layer=1, threshold=1e-6)])
    with qtbot.waitSignal(c.breakpoint_hit):
        c.step("epoch")
    assert c.snapshot.phase == Phase("backward", 1) and c.snapshot.step == 19
    c.step("phase")  # the next phase is the update: nothing to watch there
    assert c.snapshot.phase == Phase("update")


def test_disabled_breakpoints_do_not_stop_play_and_nothing_watched_uses_the_fast_path(qtbot):
    watch = Watch("vanishing", layer=1, threshold=1e-6, enabled=False)
    c = controller(qtbot, deep_sigmoid(), [watch])
    hits = []
    c.breakpoint_hit.connect(hits.append)
    c.step("epoch")
    assert hits == [] and c.snapshot.step == c.session_for_tests.boundary_steps("epoch")


def test_breakpoints_are_saved_with_the_file_and_come_back_on_open(qtbot, tmp_path):
    watches = [
        Watch("vanishing", layer=1, threshold=1e-6),
        Watch("dead_relu", layer=2, threshold=0.5, enabled=False),
        Watch("weight_crossing", layer=1, index=(0, 1), threshold=0.0),
        Watch("loss_rising", per="batch"),
    ]
    c = controller(qtbot, project(DEAD_RELU, 0.1), watches)
    assert c.dirty and c.project.breakpoints == tuple(w.to_dict() for w in watches)
    path = tmp_path / "debug.json"
    assert c.save(str(path))
    other = StudioController(project(LINEAR, 0.1))
    with qtbot.waitSignal(other.watches_changed) as blocker:
        assert other.open_file(str(path))
    assert other.watches == tuple(watches) == blocker.args[0]


# ------------------------------------------------------------------------------------ timeline


def render(view: NetworkView) -> QImage:
    image = QImage(view.size(), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    view.renderer.paint(painter, QRectF(view.rect()), view.snapshot, view.options)
    painter.end()
    return image


def test_seeking_on_the_timeline_restores_what_the_window_shows(qtbot):
    c = controller(qtbot, project(NetworkSpec(2, (LayerSpec(3, "tanh"), LayerSpec(1, "linear"))), 0.1))
    view, inspector, timeline, health = NetworkView(), Inspector(), Timeline(), HealthView()
    for widget in (view, inspector, timeline, health):
        qtbot.addWidget(widget)
    view.resize(800, 480)

    def show(snap):  # what the window does with every published snapshot
        view.set_snapshot(snap)
        inspector.refresh(snap)
        s = c.session_for_tests
        timeline.set_range(s.earliest_step, s.latest_step, snap.step, s.boundary_steps("epoch"))
        timeline.set_readout(readout_text(snap))

    c.snapshot_changed.connect(show)
    c.health_changed.connect(health.set_health)
    timeline.seek_requested.connect(c.seek)
    inspector.show_edge(c.snapshot, 1, 1, 2)

    target = c.session_for_tests.boundary_steps("epoch") + 3  # epoch 2, batch 1, mid forward pass
    while c.snapshot.step < target:
        c.step("phase")
    seen = (inspector.plain_text(), render(view), timeline.readout.text())
    for _ in range(3):
        c.step("epoch")
    assert c.session_for_tests.latest_step > target and inspector.plain_text() != seen[0]

    timeline.slider.setValue(target)  # a click on the bar (not a drag) seeks at once
    assert c.snapshot.step == view.snapshot.step == timeline.current == target
    assert inspector.plain_text() == seen[0]
    assert render(view) == seen[1]
    assert timeline.readout.text() == seen[2] == readout_text(c.snapshot)
    assert seen[2] == f"step {target} · epoch 2 · batch 1/2 · loss"
    assert (
        c.session_for_tests.has_future and c.health_recorder.last_step == target
    )  # health after this moment is dropped


def test_dragging_the_timeline_seeks_at_most_ten_times_a_second_and_where_it_is_released(qtbot):
    c = controller(qtbot, deep_sigmoid())
    for _ in range(5):
        c.step("epoch")
    timeline = Timeline()
    qtbot.addWidget(timeline)
    s = c.session_for_tests
    timeline.set_range(s.earliest_step, s.latest_step, s.step_count, s.boundary_steps("epoch"))
    seeks = []
    timeline.seek_requested.connect(seeks.append)
    timeline.slider.setSliderDown(True)
    for value in range(0, 200, 2):
        timeline.slider.setValue(value)
    assert len(seeks) <= 2
    timeline.slider.setSliderDown(False)  # release
    assert seeks[-1] == 198


def test_previous_and_next_epoch_buttons_jump_to_epoch_boundaries(qtbot):
    timeline = Timeline()
    qtbot.addWidget(timeline)
    seeks = []
    timeline.seek_requested.connect(seeks.append)
    timeline.set_range(0, 100, 45, 20)
    timeline.prev_epoch.click()
    timeline.set_range(0, 100, seeks[-1], 20)
    timeline.next_epoch.click()
    timeline.set_range(0, 100, seeks[-1], 20)
    timeline.next_epoch.click()
    timeline.to_latest.click()
    assert seeks == [40, 60, 80, 100]


# ------------------------------------------------------------------------------------ health


def test_health_is_published_while_playing_and_shows_vanishing_gradients_layer_by_layer(qtbot):
    c = controller(qtbot, deep_sigmoid())
    view = HealthView()
    qtbot.addWidget(view)
    c.health_changed.connect(view.set_health)
    for _ in range(4):
        c.step("epoch")
    assert view.layer_count == 9 and len(c.health_recorder) >= 4
    last = [view.curve_data("grad_norm", k)[1][-1] for k in range(1, 10)]
    assert all(a < b for a, b in itertools.pairwise(last))  # each layer nearer the input gets less
    assert last[0] < 1e-9 < last[-1]
    assert view.table_text()[0][0] == "layer 1 · sigmoid · 4 units"
    c.step_back("epoch")
    assert c.health_recorder.last_step == c.snapshot.step


# ------------------------------------------------------------------------------------ gradient check


def small() -> StudioController:
    """A 2-4-3-1 tanh net small enough to check every parameter."""
    return StudioController(
        project(NetworkSpec(2, (LayerSpec(4, "tanh"), LayerSpec(3, "tanh"), LayerSpec(1, "linear"))), 0.1)
    )


def test_the_gradient_check_passes_on_correct_gradients(qtbot):
    c = small()
    c.step("backward")
    with qtbot.waitSignal(c.gradcheck_done) as blocker:
        report = c.run_gradient_check()
    assert report is not None and report.passed
    assert blocker.args[0].report is report and c.current_gradcheck is blocker.args[0]
    assert blocker.args[0].checked == blocker.args[0].parameters == 4 * 2 + 4 + 3 * 4 + 3 + 3 + 1


def test_an_injected_wrong_gradient_fails_the_check_tops_the_list_and_reddens_its_edge(qtbot):
    c = small()
    c.step("backward")

    def fault(dWs):
        dWs[1][2, 1] += 0.05  # layer 2, from unit 2 of layer 1 to unit 1 of layer 2
        return dWs

    c.gradient_fault = fault
    report = c.run_gradient_check()
    assert report is not None and not report.passed
    error, layer, name, index = report.worst_entries(1)[0]
    assert (layer, name, index) == (2, "W", (2, 1)) and error > 1e-2
    assert report.layers[0].worst <= report.tolerance  # the other layers still agree

    view = GradcheckView()
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_run(c.current_gradcheck)
    assert (
        "disagree" in view.verdict_text()
        and "the weight from neuron 3 of layer 1 to neuron 2 of layer 2" in view.verdict_text()
    )
    assert view.entry_rows()[0][:2] == ("2", "weight from neuron 3 of layer 1 to neuron 2 of layer 2")
    with qtbot.waitSignal(view.entry_selected) as blocker:
        click_row(qtbot, view.entries, 0)
    assert blocker.args == [2, 2, 1]

    overlay = edge_overlay(report)
    assert overlay is not None and overlay[1][2, 1] == error
    options = CanvasOptions(edge_overlay=overlay, show_values=False)
    image = QImage(800, 480, QImage.Format.Format_RGB32)
    renderer = CanvasRenderer()
    painter = QPainter(image)
    renderer.paint(painter, QRectF(0, 0, 800, 480), c.snapshot, options)
    painter.end()
    assert renderer.last_stats.overlay_shown
    middle = renderer.last_layout.edge_midpoint(2, 2, 1).toPoint()
    pixel = image.pixelColor(middle)
    assert (pixel.red(), pixel.green(), pixel.blue()) == overlay_colors(palette(False))[3]


def test_the_gradient_check_refuses_a_batch_without_its_gradients_yet(qtbot):
    c = small()
    c.step("forward")
    with qtbot.waitSignal(c.message) as blocker:
        assert c.run_gradient_check() is None
    assert blocker.args[0] == "warning" and "backward" in blocker.args[1]
    assert c.current_gradcheck is None


# ------------------------------------------------------------------------------------ discarding the future


def test_editing_while_there_is_a_recorded_future_asks_first_and_no_keeps_everything(qtbot):
    c = small()
    c.step("epoch")
    c.step_back("batch")
    assert c.session_for_tests.has_future
    latest, weights = c.session_for_tests.latest_step, [w.copy() for w in c.session_for_tests.weights]
    asked = []

    def refuse() -> bool:
        asked.append(True)
        return False

    c.confirm_discard_future = refuse
    with qtbot.waitSignal(c.edit_cancelled):
        c.set_weight(1, 0, 0, 5.0)
    c.set_bias(1, 0, 5.0)
    training = c.project.training.with_optimizer(learning_rate=0.5)
    assert not c.apply_specs(c.project.network, training, c.project.data)
    assert len(asked) == 3
    assert (
        c.session_for_tests.latest_step == latest
        and c.session_for_tests.training.optimizer.learning_rate == 0.1
    )
    assert all(np.array_equal(a, b) for a, b in zip(weights, c.session_for_tests.weights, strict=True))

    c.confirm_discard_future = lambda: True
    c.set_weight(1, 0, 0, 5.0)
    assert c.session_for_tests.weights[0][0, 0] == 5.0 and not c.session_for_tests.has_future


def test_editing_at_the_latest_step_does_not_ask(qtbot):
    c = small()
    c.step("batch")
    c.confirm_discard_future = lambda: pytest.fail("nothing would be discarded")
    c.set_weight(1, 0, 0, 2.0)
    assert c.session_for_tests.weights[0][0, 0] == 2.0


# ------------------------------------------------------------------------------------ canvas options


def test_column_notes_and_the_overlay_leave_the_canvas_equal_to_itself_otherwise(qtbot):
    c = small()
    c.step("backward")
    snap = c.snapshot
    plain = CanvasOptions(show_values=False)
    noted = replace(plain, column_notes=canvas_notes(layer_health(snap)))
    assert noted.column_notes == ("", "", "", "")
    images = []
    for options in (plain, noted, replace(plain, column_notes=("", "2 dead", "", ""))):
        image = QImage(640, 400, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        CanvasRenderer().paint(painter, QRectF(0, 0, 640, 400), snap, options)
        painter.end()
        images.append(image)
    assert images[0] == images[1] and images[0] != images[2]


def test_clicking_the_bar_jumps_there_in_one_seek(qtbot):
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(600, 80)
    timeline.show()
    qtbot.waitExposed(timeline)
    timeline.set_range(0, 1000, 0, 100)
    seeks = []
    timeline.seek_requested.connect(seeks.append)
    slider = timeline.slider
    x = round(slider.x_of(750))
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(x, slider.height() // 2))
    assert len(seeks) == 1 and abs(seeks[0] - 750) <= 1000 / slider.width() * 2
