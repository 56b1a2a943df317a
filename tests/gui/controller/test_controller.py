"""The controller turns user intent into session calls and publishes what changed."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import numpy as np
import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.spec import LayerSpec
from backprop_studio.core.training.session import initial_parameters
from backprop_studio.core.training.snapshot import Phase
from backprop_studio.gui.controller.controller import MAX_SPEED, StudioController


@pytest.fixture
def controller(qtbot):
    c = StudioController(load_preset("circle"))
    yield c
    c.pause()


def test_a_step_advances_exactly_one_phase_and_publishes_a_snapshot(controller, qtbot):
    with qtbot.waitSignal(controller.snapshot_changed) as blocker:
        controller.step("phase")
    assert controller.session_for_tests.step_count == 1
    assert blocker.args[0].phase == Phase("forward", 1)


@pytest.mark.parametrize(
    ("unit", "last"),
    [
        ("forward", Phase("loss")),
        ("backward", Phase("backward", 1)),
        ("update", Phase("update")),
        ("batch", Phase("update")),
    ],
)
def test_pass_and_batch_steps_stop_at_the_end_of_their_unit(controller, unit, last):
    controller.step(unit)
    assert controller.snapshot.phase == last


def test_step_epoch_then_step_back_returns_exactly(controller):
    controller.step("epoch")
    per_epoch = controller.session_for_tests.boundary_steps("epoch")
    assert controller.session_for_tests.step_count == per_epoch
    before = [w.copy() for w in controller.session_for_tests.weights]
    controller.step("phase")
    controller.step_back("phase")
    assert all(
        np.array_equal(a, b) for a, b in zip(before, controller.session_for_tests.weights, strict=True)
    )


def test_play_trains_in_slices_and_pause_stops_at_once(controller, qtbot):
    controller.set_granularity("epoch")
    controller.set_speed(MAX_SPEED)
    controller.play()
    qtbot.waitUntil(lambda: controller.session_for_tests.epochs_completed >= 3, timeout=5000)
    controller.pause()
    stopped_at = controller.session_for_tests.step_count
    qtbot.wait(50)
    assert controller.session_for_tests.step_count == stopped_at
    assert not controller.playing


def test_refreshes_are_bounded_while_playing_fast(controller, qtbot):
    published = []
    controller.snapshot_changed.connect(published.append)
    controller.set_granularity("phase")
    controller.set_speed(MAX_SPEED)
    controller.play()
    qtbot.wait(500)
    controller.pause()
    steps = controller.session_for_tests.step_count
    assert steps > 200  # many phases ran…
    assert len(published) < 40  # …but the views were refreshed at most ~30 times a second (plus the pause)


def test_editing_a_weight_takes_effect_immediately(controller):
    controller.step("forward")
    before = controller.snapshot.loss
    controller.set_weight(3, 0, 0, 3.0)
    assert controller.session_for_tests.weights[2][0, 0] == 3.0
    assert controller.snapshot.loss != before
    assert controller.dirty


def test_changing_the_architecture_keeps_weights_of_layers_whose_shape_did_not_change(controller):
    old = [w.copy() for w in controller.session_for_tests.weights]
    net = controller.project.network
    wider = replace(net, layers=(net.layers[0], LayerSpec(5, "tanh"), net.layers[2]))
    assert controller.apply_specs(wider, controller.project.training, controller.project.data)
    new = controller.session_for_tests.weights
    assert np.array_equal(new[0], old[0])  # 2→4 unchanged
    assert new[1].shape == (4, 5) and new[2].shape == (5, 1)


def test_an_impossible_architecture_is_explained_and_changes_nothing(controller, qtbot):
    before = controller.session_for_tests
    net = controller.project.network
    bad = replace(net, layers=(*net.layers[:-1], LayerSpec(1, "softmax")))
    with qtbot.waitSignal(controller.message) as blocker:
        assert not controller.apply_specs(bad, controller.project.training, controller.project.data)
    assert blocker.args[0] == "error" and "softmax" in blocker.args[1]
    assert controller.session_for_tests is before


def test_learning_rate_changes_apply_from_here_on_without_losing_history(controller):
    controller.step("epoch")
    assert controller.project.training.optimizer.name == "sgd"  # plain SGD: Δw = −lr·g, no velocity
    training = controller.project.training.with_optimizer(learning_rate=0.1)
    assert controller.apply_specs(controller.project.network, training, controller.project.data)
    assert controller.session_for_tests.training.optimizer.learning_rate == 0.1
    assert len(controller.session_for_tests.history().train_loss) == 1
    controller.step("backward")  # this batch's gradients, from the published snapshot
    snap = controller.snapshot
    before = [np.array(w) for w in snap.weights]
    gradients = [np.array(layer.dW) for layer in snap.layers]
    bias_before = [np.array(b) for b in snap.biases]
    bias_gradients = [np.array(layer.db) for layer in snap.layers]
    controller.step("update")
    after = controller.snapshot
    for w0, g, w1 in zip(before, gradients, after.weights, strict=True):
        np.testing.assert_allclose(w1 - w0, -0.1 * g, rtol=1e-12, atol=1e-15)
    for b0, g, b1 in zip(bias_before, bias_gradients, after.biases, strict=True):
        np.testing.assert_allclose(b1 - b0, -0.1 * g, rtol=1e-12, atol=1e-15)


def test_reset_replays_the_same_run_and_randomize_redraws_the_weights(controller):
    controller.step("epoch")
    first = [w.copy() for w in controller.session_for_tests.weights]
    controller.reset()
    assert controller.session_for_tests.step_count == 0
    controller.step("epoch")
    assert all(np.array_equal(a, b) for a, b in zip(first, controller.session_for_tests.weights, strict=True))
    old_seed = controller.project.training.seed
    old_weights = [np.array(w) for w in controller.snapshot.weights]
    controller.randomize()
    seed = controller.project.training.seed
    assert seed != old_seed and controller.snapshot.step == 0
    drawn, _ = initial_parameters(controller.project.network, seed)  # independently, for the new seed
    weights = controller.snapshot.weights
    assert all(np.array_equal(a, b) for a, b in zip(weights, drawn, strict=True))
    assert not any(np.array_equal(a, b) for a, b in zip(weights, old_weights, strict=True))
    fresh, _ = initial_parameters(controller.project.network, old_seed)
    assert not any(np.array_equal(a, b) for a, b in zip(weights, fresh, strict=True))


def test_save_and_open_round_trip(controller, tmp_path):
    controller.step("epoch")
    path = tmp_path / "run.json"
    assert controller.save(str(path))
    assert not controller.dirty
    other = StudioController(load_preset("xor"))
    assert other.open_file(str(path))
    assert all(
        np.array_equal(a, b)
        for a, b in zip(other.session_for_tests.weights, controller.session_for_tests.weights, strict=True)
    )
    assert other.session_for_tests.history().train_loss == controller.session_for_tests.history().train_loss


def test_a_bad_file_gives_a_message_and_leaves_the_current_network(controller, tmp_path, qtbot):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"format": "backprop-studio", "version": 1, "network": {"inputs": 0}}))
    session = controller.session_for_tests
    with qtbot.waitSignal(controller.message) as blocker:
        assert not controller.open_file(str(path))
    assert "network.inputs" in blocker.args[1]
    assert controller.session_for_tests is session


def test_divergence_pauses_play_and_names_the_layer(qtbot):
    project = load_preset("regression-plane")
    project = replace(project, training=project.training.with_optimizer(learning_rate=1e6))
    c = StudioController(project)
    c.set_granularity("epoch")
    c.set_speed(MAX_SPEED)
    with qtbot.waitSignal(c.diverged, timeout=5000) as blocker:
        c.play()
    assert "layer" in blocker.args[0]
    assert not c.playing


def _long_epoch_controller() -> StudioController:
    project = load_preset("circle")
    project = replace(
        project,
        data=replace(project.data, samples=6000, train_fraction=1.0),
        training=replace(project.training, batch_size=1),
    )
    return StudioController(project)


def test_a_long_step_epoch_finishes_in_slices_without_blocking(qtbot):
    c = _long_epoch_controller()
    start = time.perf_counter()
    c.step("epoch")
    returned_after = time.perf_counter() - start
    assert c.playing  # still going: the event loop keeps running meanwhile
    assert returned_after < 1.0
    per_epoch = c.session_for_tests.boundary_steps("epoch")
    qtbot.waitUntil(lambda: not c.playing, timeout=30000)
    assert c.session_for_tests.step_count == per_epoch


def test_pause_cancels_a_long_step_epoch(qtbot):
    c = _long_epoch_controller()
    c.step("epoch")
    c.pause()
    stopped = c.session_for_tests.step_count
    qtbot.wait(100)
    assert c.session_for_tests.step_count == stopped < c.session_for_tests.boundary_steps("epoch")


def test_each_published_snapshot_comes_with_the_view_state(controller, qtbot):
    # The circle preset: 100 training samples in batches of 10, three layers (8 phases a batch).
    states, snaps = [], []
    controller.view_state_changed.connect(states.append)
    controller.snapshot_changed.connect(snaps.append)
    controller.step("epoch")
    controller.step_back("phase")
    assert len(states) == len(snaps) >= 2
    state = states[-1]
    assert state.steps_per_epoch == 10 * 8
    assert state.step == snaps[-1].step == 79 and state.latest_step == 80 and state.can_step_back
    assert state.network == controller.project.network and state.dataset.x_train.shape == (100, 2)
    assert not state.playing and state.dirty and state.focus is None and "•" in state.title
    with pytest.raises(AttributeError):
        state.step = 0  # frozen: a view cannot move the session through it
    assert not hasattr(controller, "session")
