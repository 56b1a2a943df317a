"""The plan: a watch is evaluated only after the phases it watches; hits come in list order."""

from __future__ import annotations

from backprop_studio.core.debugger.plan import WatchList
from backprop_studio.core.debugger.watch import Watch

from tests.core.debugger.failing_networks import (
    linear,
)


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
