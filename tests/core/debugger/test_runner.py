"""run_until_hit: stops at the phase a watch fires or a divergence, resumes after a hit or a stop, and by
unit continues to the same end."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.debugger.plan import WatchList
from backprop_studio.core.debugger.runner import DIVERGENCE, run_until_hit
from backprop_studio.core.debugger.watch import Watch

from tests.core.debugger.failing_networks import (
    X,
    deep_sigmoid,
    linear,
)
from tests.engine_helpers import dataset, network, session, training

SLICED_X = np.random.default_rng(3).normal(size=(12, 2))
DS = dataset(SLICED_X, np.sin(SLICED_X[:, :1]) * SLICED_X[:, 1:])
NET = network(2, (4, "relu"), (3, "tanh"), (1, "linear"))  # 8 phases a batch, 3 batches: 24 an epoch
WATCHES = [Watch("exploding", threshold=0.3), Watch("update_ratio", layer=3, threshold=0.05)]


def make():
    return session(NET, training(lr=0.2, batch_size=4, shuffle=True), DS)


def expected_hits(until: int) -> list[int]:
    """The oracle: step phase by phase and evaluate every watch on every snapshot."""
    from backprop_studio.core.debugger.plan import WatchList

    s, wl, found = make(), WatchList(WATCHES), []
    while s.step_count < until:
        s.step()
        if wl.check(None, s.snapshot()) is not None:
            found.append(s.step_count)
    return found


@pytest.mark.parametrize("slice_phases", [None, 1, 5])
def test_running_by_epoch_stops_at_each_hit_and_ends_at_the_epochs_end(slice_phases):
    asked = [0]

    def stop() -> bool:
        asked[0] += 1
        return slice_phases is not None and asked[0] % slice_phases == 0

    s = make()
    hits = []
    while s.step_count < 24:
        hit = run_until_hit(s, WATCHES, unit="epoch", should_stop=stop)
        if hit is not None:
            hits.append(hit.step)
    assert s.step_count == 24  # every call, after a hit or a stop, continued to the same epoch end
    expected = expected_hits(24)
    assert hits == expected and len(expected) >= 2


def test_exactly_one_of_unit_and_max_phases():
    with pytest.raises(ValueError, match="exactly one"):
        run_until_hit(make(), WATCHES)
    with pytest.raises(ValueError, match="exactly one"):
        run_until_hit(make(), WATCHES, max_phases=3, unit="batch")


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
