"""Watch conditions (breakpoints): each fires at the phase it should, on a network built to trigger it."""

from __future__ import annotations

import dataclasses
import itertools
import json

import numpy as np
import pytest
from backprop_studio.core.debugger.plan import WatchList
from backprop_studio.core.debugger.runner import DIVERGENCE, run_until_hit
from backprop_studio.core.debugger.watch import (
    KINDS,
    Watch,
    fit_problem,
    watches_from_dicts,
    watches_to_dicts,
)
from backprop_studio.core.errors import FormatError
from backprop_studio.core.project.fileformat import dumps_project, loads_project
from backprop_studio.core.project.project import Project
from backprop_studio.core.spec import InitSpec, LayerSpec, NetworkSpec
from backprop_studio.core.training.snapshot import Phase

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(11)
X = RNG.normal(size=(16, 2))


def frobenius(arr) -> float:
    return float(np.sqrt(np.sum(np.asarray(arr) ** 2)))


# ------------------------------------------------------------------------------------ networks that fail

DEEP = 8
DEEP_NET = NetworkSpec(
    2,
    (*(LayerSpec(4, "sigmoid") for _ in range(DEEP)), LayerSpec(1, "sigmoid")),
    InitSpec("normal", std=0.1, bias=0.0),
)
DEEP_DS = dataset(X, (X[:, :1] > 0).astype(float))


def deep_sigmoid():
    """Nine sigmoid layers with small weights: each layer scales the gradient by ≤ 0.25·‖W‖."""
    return session(DEEP_NET, training(lr=0.1, batch_size=8), DEEP_DS)


LINEAR_DS = dataset(X, X @ np.array([[1.0], [-2.0]]))
LINEAR_NET = network(2, (3, "linear"), (1, "linear"))


def linear(lr: float):
    """A linear regression that gradient descent overshoots geometrically once lr is too large."""
    return session(LINEAR_NET, training(lr=lr, batch_size=8), LINEAR_DS)


def first_step(make, predicate, limit: int = 2000) -> int | None:
    """The oracle: step a fresh session phase by phase and test every snapshot by hand."""
    s = make()
    for _ in range(limit):
        s.step()
        snap = s.snapshot()
        if snap.divergence is None and predicate(snap):
            return snap.step
    return None


def sigmoid_backprop(weights, biases, x, y) -> list[np.ndarray]:
    """dL/dW of an all-sigmoid MSE network, written out independently of the session."""
    acts = [x]
    for w, b in zip(weights, biases, strict=True):
        acts.append(1.0 / (1.0 + np.exp(-(acts[-1] @ w + b))))
    delta = (acts[-1] - y) / x.shape[0] * acts[-1] * (1.0 - acts[-1])
    grads: list[np.ndarray] = [np.zeros(0)] * len(weights)
    for k in reversed(range(len(weights))):
        grads[k] = acts[k].T @ delta
        if k:
            delta = (delta @ weights[k].T) * acts[k] * (1.0 - acts[k])
    return grads


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


def one_update(make):
    s = make()
    before = s.snapshot().weights
    s.step_update()
    return before, s.snapshot().weights


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
    assert "W[1, 2] of layer 1 went from" in hit.message


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


# ------------------------------------------------------------------------------------ divergence


def test_a_divergence_stops_play_even_without_a_nonfinite_watch():
    s = linear(50.0)
    hit = run_until_hit(s, [], max_phases=10_000)
    assert hit is not None and hit.watch is DIVERGENCE and hit.watch.kind == "nonfinite"
    assert s.divergence is not None and hit.step == s.step_count
    assert hit.message == f"non-finite value: {s.divergence}"


def test_a_divergence_is_reported_through_an_enabled_nonfinite_watch():
    watch = Watch("nonfinite", id="nan")
    s = linear(50.0)
    hit = run_until_hit(s, [Watch("vanishing", threshold=1e-300), watch], max_phases=10_000)
    assert hit is not None and hit.watch == watch and hit.values["divergence"] == str(s.divergence)
    assert hit.layer == s.divergence.layer


# ------------------------------------------------------------------------------------ running


def test_disabled_watches_never_fire():
    s = deep_sigmoid()
    watches = [Watch("vanishing", layer=1, threshold=1e-6, enabled=False), Watch("nonfinite", enabled=False)]
    assert run_until_hit(s, watches, max_phases=100) is None
    assert s.step_count == 100


def test_run_until_hit_runs_exactly_max_phases_when_nothing_fires_and_can_resume():
    s = deep_sigmoid()
    watch = Watch("vanishing", layer=1, threshold=1e-6)
    assert run_until_hit(s, [watch], max_phases=7) is None
    assert s.step_count == 7
    hit = run_until_hit(s, [watch], max_phases=100)
    assert hit is not None and hit.step == 19


def test_after_a_hit_the_next_run_stops_at_the_next_occurrence_not_the_same_one():
    s = deep_sigmoid()
    watch = Watch("vanishing", layer=1, threshold=1e-6)
    first = run_until_hit(s, [watch], max_phases=100)
    second = run_until_hit(s, [watch], max_phases=100)
    assert first is not None and second is not None
    assert second.step == first.step + s.phases_per_batch


def test_should_stop_ends_the_run_between_phases():
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) >= 5

    s = deep_sigmoid()
    assert run_until_hit(s, [Watch("exploding", threshold=1e9)], max_phases=1000, should_stop=stop) is None
    assert s.step_count == 5


def test_run_until_hit_stops_at_the_same_phases_as_checking_every_snapshot():
    # Every kind at once on a shuffled mini-batch run, so hits of each kind land at scattered phases.
    net = network(2, (4, "relu"), (3, "tanh"), (1, "linear"))
    ds = dataset(X, np.sin(X[:, :1]) * X[:, 1:])

    def make():
        return session(net, training(lr=0.2, batch_size=4, shuffle=True), ds)

    wl = WatchList(
        [
            Watch("exploding", threshold=0.5),
            Watch("vanishing", layer=2, threshold=0.02),
            Watch("update_ratio", layer=3, threshold=0.08),
            Watch("loss_rising", per="batch"),
            Watch("loss_rising"),
            Watch("dead_relu", threshold=0.5),
            Watch("weight_crossing", layer=1, index=(0, 0), threshold=0.845),
            Watch("vanishing", threshold=1e9, enabled=False),
        ]
    )
    budget = 600
    s = make()
    expected, fired = [], set()
    for _ in range(budget):
        s.step()
        hits = wl.hits(None, s.snapshot())
        if hits:
            expected.append((hits[0].step, hits[0].watch.id, hits[0].message))
            fired.update(h.watch.id for h in hits)
    s = make()
    got = []
    while s.step_count < budget:
        hit = run_until_hit(s, wl, max_phases=budget - s.step_count)
        if hit is not None:
            assert s.step_count == hit.step
            got.append((hit.step, hit.watch.id, hit.message))
    assert got == expected
    assert fired == {w.id for w in wl.enabled}  # every enabled watch fired somewhere, the disabled one never


def test_check_evaluates_a_watch_only_after_the_phases_it_watches():
    # A threshold every computed gradient is below: the watch is true whenever evaluated.
    wl = WatchList([Watch("vanishing", layer=1, threshold=1e9)])
    s = linear(0.1)
    fired = []
    for _ in range(2 * s.phases_per_batch):
        s.step()
        if wl.check(None, s.snapshot()) is not None:
            fired.append(s.step_count)
    # Backward through layer 1 is the 2L + 1 = 5th phase of each 6-phase batch.
    assert fired == [5, 11]


def test_hits_lists_every_watch_that_fires_in_list_order():
    wl = WatchList(
        [
            Watch("update_ratio", threshold=1e-9),
            Watch("loss_rising", per="batch"),
            Watch("update_ratio", threshold=1e-12),
        ]
    )
    s = linear(0.1)
    s.step_update()
    hits = wl.hits(None, s.snapshot())
    assert [h.watch for h in hits] == [wl.watches[0], wl.watches[2]]  # one batch: nothing to compare yet


# ------------------------------------------------------------------------------------ serialisation


ALL_KINDS = [
    Watch("nonfinite"),
    Watch("vanishing", layer=1, threshold=1e-6),
    Watch("exploding", threshold=1e3, enabled=False),
    Watch("loss_rising"),
    Watch("loss_rising", per="batch"),
    Watch("weight_crossing", layer=2, index=(0, 1), threshold=-0.5),
    Watch("update_ratio", layer=None, threshold=0.01),
    Watch("dead_relu", layer=3, threshold=1.0),
]


def test_every_kind_has_a_round_trip_example():
    assert {w.kind for w in ALL_KINDS} == set(KINDS)


@pytest.mark.parametrize("watch", ALL_KINDS, ids=lambda w: f"{w.kind}-{w.per}")
def test_a_watch_survives_a_json_round_trip(watch):
    data = json.loads(json.dumps(watch.to_dict()))
    assert Watch.from_dict(data) == watch


def test_to_dict_writes_only_the_fields_a_kind_uses():
    assert set(Watch("nonfinite").to_dict()) == {"kind", "id", "enabled"}
    assert Watch("weight_crossing", layer=2, index=(0, 1), threshold=0.0).to_dict()["index"] == [0, 1]
    assert "layer" not in Watch("vanishing", threshold=1.0).to_dict()  # any layer


def test_watches_survive_the_project_file():
    project = Project(
        NetworkSpec(2, (LayerSpec(3, "relu"), LayerSpec(2, "tanh"), LayerSpec(1, "linear"))),
        breakpoints=watches_to_dicts(ALL_KINDS),
    )
    loaded = loads_project(dumps_project(project))
    assert watches_from_dicts(loaded.breakpoints) == tuple(ALL_KINDS)


def test_from_dict_without_an_id_makes_a_fresh_one():
    a = Watch.from_dict({"kind": "nonfinite"})
    b = Watch.from_dict({"kind": "nonfinite"})
    assert a.id and a.id != b.id


@pytest.mark.parametrize(
    ("item", "path", "words"),
    [
        ({"kind": "gradient_party"}, "breakpoints[2].kind", "unknown watch kind"),
        ({"threshold": 1.0}, "breakpoints[2].kind", "required key is missing"),
        ({"kind": "vanishing"}, "breakpoints[2].threshold", "required key is missing"),
        ({"kind": "vanishing", "threshold": -1e-6}, "breakpoints[2].threshold", "expected a number > 0"),
        ({"kind": "exploding", "threshold": 0}, "breakpoints[2].threshold", "expected a number > 0"),
        ({"kind": "exploding", "threshold": "big"}, "breakpoints[2].threshold", 'got "big"'),
        ({"kind": "dead_relu", "threshold": 1.5}, "breakpoints[2].threshold", "<= 1"),
        ({"kind": "vanishing", "threshold": 1.0, "layer": 0}, "breakpoints[2].layer", "layer number >= 1"),
        ({"kind": "vanishing", "threshold": 1.0, "layer": True}, "breakpoints[2].layer", "got true"),
        ({"kind": "loss_rising", "threshold": 1.0}, "breakpoints[2].threshold", "unknown key"),
        ({"kind": "loss_rising", "per": "hour"}, "breakpoints[2].per", "expected one of epoch, batch"),
        ({"kind": "weight_crossing", "layer": 1, "threshold": 0.0}, "breakpoints[2].index", "required key"),
        (
            {"kind": "weight_crossing", "index": [0, 0], "threshold": 0.0},
            "breakpoints[2].layer",
            "required key",
        ),
        (
            {"kind": "weight_crossing", "layer": 1, "index": [0, -1], "threshold": 0.0},
            "breakpoints[2].index",
            "two integers >= 0",
        ),
        ({"kind": "nonfinite", "enabled": "yes"}, "breakpoints[2].enabled", "true or false"),
        ({"kind": "nonfinite", "id": ""}, "breakpoints[2].id", "non-empty string"),
        ({"kind": "nonfinite", "colour": "red"}, "breakpoints[2].colour", "unknown key"),
    ],
)
def test_from_dict_refuses_invalid_watches_naming_the_json_path(item, path, words):
    with pytest.raises(FormatError, match=words) as err:
        Watch.from_dict(item, "breakpoints[2]")
    assert err.value.path == path


def test_watches_from_dicts_numbers_each_item_and_refuses_repeated_ids():
    good = {"kind": "nonfinite", "id": "a"}
    with pytest.raises(FormatError) as err:
        watches_from_dicts([good, good, {"kind": "x"}])
    assert err.value.path == "breakpoints[1].id"
    with pytest.raises(FormatError) as err:
        watches_from_dicts([good, "not an object"])
    assert err.value.path == "breakpoints[1]"


def test_the_constructor_holds_watches_to_the_same_rules():
    with pytest.raises(FormatError) as err:
        Watch("vanishing", threshold=-1.0)
    assert err.value.path == "threshold"
    with pytest.raises(FormatError):
        Watch("nonfinite", layer=2)
    assert Watch("exploding", threshold=np.float32(2.0)).threshold == 2.0


def test_fit_problem_says_why_a_watch_can_never_fire_on_a_network():
    sizes, acts = (2, 3, 1), ("tanh", "linear")
    assert "no layer 3" in fit_problem(Watch("vanishing", layer=3, threshold=1.0), sizes, acts)
    assert "not relu" in fit_problem(Watch("dead_relu", layer=1, threshold=0.5), sizes, acts)
    assert "no relu layer" in fit_problem(Watch("dead_relu", threshold=0.5), sizes, acts)
    assert "outside" in fit_problem(
        Watch("weight_crossing", layer=1, index=(2, 0), threshold=0.0), sizes, acts
    )
    assert fit_problem(Watch("exploding", layer=2, threshold=1.0), sizes, acts) is None


def test_describe_labels_a_watch_in_one_line():
    assert (
        Watch("vanishing", layer=1, threshold=1e-6).describe()
        == "vanishing gradient in layer 1: ‖dL/dW‖ < 1e-06"
    )
    assert Watch("weight_crossing", layer=2, index=(0, 1), threshold=0.5).describe() == (
        "W[0, 1] of layer 2 crosses 0.5"
    )
