"""run_until_hit by unit: hits land where a phase-by-phase check finds them, and an interrupted unit
resumes to the same end."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.debugger.runner import run_until_hit
from backprop_studio.core.debugger.watch import Watch

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(3)
X = RNG.normal(size=(12, 2))
DS = dataset(X, np.sin(X[:, :1]) * X[:, 1:])
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
