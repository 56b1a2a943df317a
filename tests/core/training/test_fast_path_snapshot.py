"""The state the fast path reaches shows everything the phase-by-phase path shows at the same position
(issue 9, 6: ∂L/∂x on the input nodes was missing after Step epoch or batch/epoch Play)."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(3)
X = RNG.normal(size=(13, 3))
Y = np.tanh(X[:, :1] - X[:, 1:2])
DS = dataset(X, Y, X[:4], Y[:4])
NET = network(3, (4, "tanh"), (1, "linear"))  # 6 phases a batch; 13 rows in batches of 4: 4 batches


def make():
    return session(NET, training(batch_size=4, shuffle=True, optimizer="adam", lr=0.05), DS)


def assert_same_snapshot(a, b) -> None:
    """Every field of two snapshots, arrays bit for bit (None only where the other is None too)."""
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "layers":
            for k, (la, lb) in enumerate(zip(x, y, strict=True)):
                for g in fields(la):
                    assert_same(getattr(la, g.name), getattr(lb, g.name), f"layers[{k}].{g.name}")
        elif f.name == "history":
            for g in fields(x):
                assert getattr(x, g.name) == getattr(y, g.name), g.name
        else:
            assert_same(x, y, f.name)


def assert_same(x, y, name: str) -> None:
    if isinstance(x, tuple) and x and isinstance(x[0], np.ndarray):
        assert len(x) == len(y), name
        for i, (p, q) in enumerate(zip(x, y, strict=True)):
            np.testing.assert_array_equal(p, q, err_msg=f"{name}[{i}]")
    elif isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        assert x is not None and y is not None, f"{name}: one path left it out"
        np.testing.assert_array_equal(x, y, err_msg=name)
    else:
        assert x == y, name


@pytest.mark.parametrize(
    "fast",
    [
        lambda s: s.run_epochs(2),  # the train command, Run epochs
        lambda s: s.step_epoch(),  # Step epoch
        lambda s: s.advance("epoch", should_stop=lambda: False),  # epoch Play, in time slices
        lambda s: s.run_phases(3 * 6, should_stop=lambda: False),  # batch Play
    ],
    ids=["run_epochs", "step_epoch", "epoch_play", "batch_play"],
)
def test_the_fast_path_shows_what_stepping_phase_by_phase_shows(fast):
    s, by_phase = make(), make()
    fast(s)
    by_phase.step_until(lambda _: by_phase.step_count >= s.step_count)
    assert by_phase.step_count == s.step_count
    assert_same_snapshot(s.snapshot(), by_phase.snapshot())
    snap = s.snapshot()
    assert snap.dx is not None
    # ∂L/∂x by the chain rule, from the layer-1 dL/dz and the weights the batch used.
    np.testing.assert_allclose(snap.dx, snap.layers[0].dz @ snap.batch_weights[0].T, rtol=1e-12)
