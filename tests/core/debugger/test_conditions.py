"""Each kind of watch fires at the phase it should, on a network built to trigger it."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from backprop_studio.core.debugger.plan import WatchList
from backprop_studio.core.debugger.runner import run_until_hit
from backprop_studio.core.debugger.watch import Watch
from backprop_studio.core.spec import InitSpec, LayerSpec, NetworkSpec
from backprop_studio.core.training.snapshot import Phase

from tests.core.debugger.failing_networks import (
    DEEP,
    LINEAR_DS,
    deep_sigmoid,
    first_step,
    frobenius,
    linear,
    one_update,
    sigmoid_backprop,
)
from tests.engine_helpers import dataset, network, session, training

# ------------------------------------------------------------------------------------ vanishing / exploding


def test_vanishing_on_layer_1_fires_after_backward_through_layer_1_of_the_first_batch():
    s = deep_sigmoid()
    hit = run_until_hit(s, [Watch("vanishing", layer=1, threshold=1e-6)], max_phases=500)
    assert hit is not None
    assert hit.phase == Phase("backward", 1) and hit.layer == 1
    assert s.step_count == hit.step == 2 * (DEEP + 1) + 1
    assert s.locate(s.step_count) == (0, 0, Phase("backward", 1))
    snap = s.snapshot()
    expected = frobenius(sigmoid_backprop(snap.weights, snap.biases, snap.x, snap.y)[0])
    assert hit.values["grad_norm"] == pytest.approx(expected, rel=1e-9)
    assert expected < 1e-6
    assert hit.message.startswith(f"vanishing gradient: ‖dL/dW‖ of layer 1 is {expected:.3g} < 1e-06")
    assert hit.message.endswith("(after backward through layer 1)")


def test_vanishing_on_any_layer_fires_at_the_first_layer_backward_reaches_below_epsilon():
    s = deep_sigmoid()
    s.step_backward_pass()
    snap = s.snapshot()
    norms = [frobenius(g) for g in sigmoid_backprop(snap.weights, snap.biases, snap.x, snap.y)]
    # Backward runs from the last layer down, so the deepest layer under ε is met first.
    first = max(k + 1 for k, n in enumerate(norms) if n < 1e-6)
    hit = run_until_hit(deep_sigmoid(), [Watch("vanishing", threshold=1e-6)], max_phases=500)
    assert hit is not None and hit.phase == Phase("backward", first) and hit.layer == first
    assert first > 1


def test_exploding_fires_at_the_first_backward_phase_whose_gradient_norm_exceeds_m():
    limit = 1e3

    def too_big(snap):
        return snap.phase.kind == "backward" and frobenius(snap.layers[snap.phase.layer - 1].dW) > limit

    expected = first_step(lambda: linear(1.5), too_big)
    s = linear(1.5)
    hit = run_until_hit(s, [Watch("exploding", threshold=limit)], max_phases=2000)
    assert hit is not None and expected is not None
    assert hit.step == s.step_count == expected
    assert hit.phase.kind == "backward" and s.divergence is None
    assert hit.values["grad_norm"] == pytest.approx(frobenius(s.snapshot().layers[hit.layer - 1].dW))
    assert hit.values["grad_norm"] > limit
    assert "exploding gradient" in hit.message and "> 1e+03" in hit.message


# ------------------------------------------------------------------------------------ dead ReLUs


def test_dead_relu_fires_after_the_forward_phase_of_a_relu_layer_with_large_negative_biases():
    net = NetworkSpec(
        2, (LayerSpec(3, "tanh"), LayerSpec(4, "relu"), LayerSpec(1, "linear")), InitSpec(bias=-10.0)
    )
    s = session(net, training(batch_size=8), LINEAR_DS)
    hit = run_until_hit(s, [Watch("dead_relu", threshold=1.0)], max_phases=100)
    assert hit is not None
    # Layer 1 is tanh (it cannot die), so the first phase that can fire is forward through layer 2.
    assert hit.phase == Phase("forward", 2) and s.step_count == 2
    a = s.snapshot().layers[1].a
    assert np.all(a == 0.0)
    assert hit.values["share"] == 1.0 and hit.values["dead_units"] == 4
    assert hit.layer == 2 and hit.neuron == 0
    assert "4 of 4 units of layer 2" in hit.message and "(after forward through layer 2)" in hit.message


def test_dead_relu_below_its_share_does_not_fire():
    x = np.array([[-1.0], [1.0], [2.0], [-2.0]])
    net = network(1, (4, "relu"), (1, "linear"))
    weights = [np.ones((1, 4)), np.ones((4, 1))]
    biases = [np.array([-100.0, 0.0, 0.0, 0.0]), np.zeros(1)]  # one dead unit in four: a share of 0.25

    def make():
        return session(net, training(batch_size=4), dataset(x, x), weights=weights, biases=biases)

    assert run_until_hit(make(), [Watch("dead_relu", layer=1, threshold=0.5)], max_phases=4) is None
    hit = run_until_hit(make(), [Watch("dead_relu", layer=1, threshold=0.25)], max_phases=4)
    assert hit is not None and hit.values["share"] == 0.25 and hit.neuron == 0


# ------------------------------------------------------------------------------------ loss rising


def test_loss_rising_per_epoch_fires_at_the_update_ending_the_first_epoch_that_got_worse():
    s = linear(1.5)
    per_epoch = s.phases_per_batch * s.batches_per_epoch
    hit = run_until_hit(s, [Watch("loss_rising")], max_phases=50 * per_epoch)
    assert hit is not None and hit.phase == Phase("update")
    assert s.step_count % per_epoch == 0
    losses = s.history().train_loss
    assert losses[-1] > losses[-2]
    assert all(b <= a for a, b in itertools.pairwise(losses[:-1]))  # no earlier rise was missed
    assert f"from {losses[-2]:.6g} after epoch {len(losses) - 1} to {losses[-1]:.6g}" in hit.message


def test_loss_rising_per_epoch_stays_quiet_while_the_loss_falls():
    s = linear(0.05)
    per_epoch = s.phases_per_batch * s.batches_per_epoch
    assert run_until_hit(s, [Watch("loss_rising")], max_phases=20 * per_epoch) is None
    losses = s.history().train_loss
    assert len(losses) == 20 and all(b < a for a, b in itertools.pairwise(losses))


def test_loss_rising_per_batch_compares_consecutive_batch_losses():
    def rose(snap):
        bl = snap.history.batch_loss
        return snap.phase.kind == "update" and len(bl) >= 2 and bl[-1] > bl[-2]

    expected = first_step(lambda: linear(1.5), rose)
    s = linear(1.5)
    hit = run_until_hit(s, [Watch("loss_rising", per="batch")], max_phases=2000)
    assert hit is not None and hit.step == expected
    assert hit.values["after"] > hit.values["before"]


# ------------------------------------------------------------------------------------ weight crossing


def test_weight_crossing_fires_at_the_update_that_carries_the_weight_across_the_value():
    before, after = one_update(lambda: linear(0.1))
    w0, w1 = before[0][1, 2], after[0][1, 2]
    assert w0 != w1
    s = linear(0.1)
    hit = run_until_hit(
        s, [Watch("weight_crossing", layer=1, index=(1, 2), threshold=(w0 + w1) / 2)], max_phases=100
    )
    assert hit is not None and hit.phase == Phase("update") and s.step_count == s.phases_per_batch
    assert hit.edge == (1, 1, 2) and hit.layer == 1
    assert hit.values["before"] == w0 and hit.values["after"] == w1
    assert "the weight from x₂ to neuron 3 of layer 1 went from" in hit.message


def test_weight_crossing_ignores_a_value_the_weight_never_reaches():
    s = linear(0.01)
    watch = Watch("weight_crossing", layer=1, index=(0, 0), threshold=50.0)
    assert run_until_hit(s, [watch], max_phases=200) is None


def test_a_weight_leaving_the_value_it_sits_on_is_no_crossing():
    start, after = one_update(lambda: linear(0.1))
    w0 = float(start[0][0, 1])
    assert after[0][0, 1] != w0
    watch = Watch("weight_crossing", layer=1, index=(0, 1), threshold=w0)
    s = linear(0.1)
    assert run_until_hit(s, [watch], max_phases=s.phases_per_batch) is None


def test_weight_crossing_from_a_hand_made_snapshot_uses_the_previous_snapshot():
    s = linear(0.1)
    s.step_until(lambda p: p.kind == "backward" and p.layer == 1)
    previous = s.snapshot()
    s.step()
    current = dataclasses.replace(s.snapshot(), weights_before_update=None)
    current = dataclasses.replace(
        current, layers=tuple(dataclasses.replace(layer, delta_W=None) for layer in current.layers)
    )
    w0, w1 = previous.weights[0][1, 2], current.weights[0][1, 2]
    watch = Watch("weight_crossing", layer=1, index=(1, 2), threshold=(w0 + w1) / 2)
    assert WatchList([watch]).check(None, current) is None
    hit = WatchList([watch]).check(previous, current)
    assert hit is not None and hit.values["before"] == w0


# ------------------------------------------------------------------------------------ update ratio


def test_update_ratio_fires_after_the_update_with_the_worst_layers_ratio():
    s = linear(1.5)
    hit = run_until_hit(s, [Watch("update_ratio", threshold=0.5)], max_phases=200)
    assert hit is not None and hit.phase == Phase("update")
    step = s.step_count
    after = s.snapshot().weights
    s.seek(step - 1)
    before = s.snapshot().weights
    ratios = [frobenius(a - b) / frobenius(b) for a, b in zip(after, before, strict=True)]
    assert hit.layer == int(np.argmax(ratios)) + 1
    assert hit.values["update_ratio"] == pytest.approx(max(ratios), rel=1e-9)
    assert max(ratios) > 0.5
    assert f"‖ΔW‖/‖W‖ of layer {hit.layer} is" in hit.message


def test_update_ratio_below_r_does_not_fire():
    assert run_until_hit(linear(1e-4), [Watch("update_ratio", threshold=0.5)], max_phases=60) is None
