"""A fork of a session (core/training/fork.py) is the same run, and advancing, stepping back or editing
either never changes what the other holds: the worker of a large Step relies on it (issue 9)."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.training.fork import fork

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(8)
X = RNG.normal(size=(40, 2))
Y = np.tanh(X[:, :1] * X[:, 1:])
NET = network(2, (4, "tanh"), (1, "linear"))


def _session(**kwargs):
    return session(
        NET, training(batch_size=4, shuffle=True, optimizer="adam"), dataset(X, Y, X[:8], Y[:8]), **kwargs
    )


def _state(s):
    """Everything a position restores, as private copies."""
    h = s.history()
    return (
        s.step_count,
        s.latest_step,
        [w.copy() for w in s.weights],
        [b.copy() for b in s.biases],
        s.optimizer_state.copy(),
        {k: np.array(getattr(h, k).values) for k in ("train_loss", "test_loss", "batch_loss")},
        np.array(h.batch_loss.at),
        s.history_bytes,
        s.earliest_step,
    )


def _same(a, b, storage: bool = True) -> None:
    """`storage`: also the bytes kept and the earliest reachable step (equal only for the same path:
    stepping by phase stores more checkpoints than the fast path of an uninterrupted run)."""
    assert a[0:2] == b[0:2] and (not storage or a[7:] == b[7:])
    for x, y in zip(a[2] + a[3], b[2] + b[3], strict=True):
        np.testing.assert_array_equal(x, y)
    for (_, xs), (_, ys) in zip(sorted(a[4].buffers.items()), sorted(b[4].buffers.items()), strict=True):
        for x, y in zip(xs[0] + xs[1], ys[0] + ys[1], strict=True):
            np.testing.assert_array_equal(x, y)
    for key in a[5]:
        np.testing.assert_array_equal(a[5][key], b[5][key])
    np.testing.assert_array_equal(a[6], b[6])


def test_a_fork_advances_like_the_original_and_leaves_it_untouched():
    s = _session()
    s.run_epochs(3)
    for _ in range(5):
        s.step()
    before, shown = _state(s), s.history()
    f = fork(s)
    f.run_phases(123)
    f.step_back("batch")
    f.set_weight(1, 0, 1, 0.5)  # a new branch in the fork: its history after here is dropped
    f.run_phases(40)
    _same(_state(s), before)  # the original, and the history it handed out, are as they were
    np.testing.assert_array_equal(shown.batch_loss.values, before[5]["batch_loss"])
    # The original carries on exactly like an uninterrupted run.
    fresh = _session()
    fresh.run_phases(s.step_count + 200)
    s.run_phases(200)
    _same(_state(s), _state(fresh), storage=False)


def test_a_fork_reaches_the_bits_of_an_uninterrupted_run():
    s = _session()
    s.run_epochs(2)
    f = fork(s)
    f.run_phases(77)
    fresh = _session()
    fresh.run_phases(s.step_count + 77)
    _same(_state(f), _state(fresh), storage=False)
    f.seek(f.earliest_step)  # its checkpoints (shared with the original) still replay
    fresh.seek(f.earliest_step)
    _same(_state(f), _state(fresh), storage=False)


def test_a_fork_keeps_the_memory_budget_and_compacts_on_its_own():
    s = _session(memory_budget=40_000)
    s.run_epochs(100)
    shown = s.history()
    kept = np.array(shown.batch_loss.values)
    f = fork(s)
    assert f.memory_budget == 40_000
    f.run_epochs(400)  # compaction in the fork moves to new arrays
    assert f.history_bytes <= 40_000 and f.history().batch_loss.compacted
    np.testing.assert_array_equal(shown.batch_loss.values, kept)
    np.testing.assert_array_equal(s.history().batch_loss.values, kept)
