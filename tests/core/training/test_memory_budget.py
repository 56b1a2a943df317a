"""The memory budget is a bound (issue 9, 2): it counts every byte checkpoints keep alive (sample orders
once) and the history's series, agrees with what tracemalloc measures, and holds over long runs."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
from backprop_studio.core.training.checkpoints import CheckpointStore

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(5)
X = RNG.normal(size=(40, 2))
Y = np.tanh(X[:, :1] * X[:, 1:])
SMALL = dataset(X, Y, X[:8], Y[:8])
NET = network(2, (4, "tanh"), (1, "linear"))


def test_a_tiny_budget_bounds_checkpoints_and_history_over_a_long_run():
    budget = 40_000
    s = session(NET, training(batch_size=2, shuffle=True), SMALL, memory_budget=budget)
    seen = []
    s.run_epochs(600, progress=lambda done, total: seen.append(s.history_bytes))  # 12,000 batches
    for _ in range(200):
        s.step()
        seen.append(s.history_bytes)
    assert max(seen) <= budget
    h = s.history()
    assert h.batch_loss.compacted and h.batch_loss.entries == 12_000 + 200 // 6
    # The recent batches, which stepping back can still reach, are exact: those of an unbounded run.
    fresh = session(NET, training(batch_size=2, shuffle=True), SMALL)
    fresh.run_phases(s.step_count)
    g = fresh.history()
    first = s.earliest_step // 6  # the batches after the oldest checkpoint
    recent = h.batch_loss.at >= first
    assert recent.sum() == h.batch_loss.entries - first > 5
    np.testing.assert_array_equal(h.batch_loss.values[recent], np.asarray(g.batch_loss)[first:])
    assert h.train_loss[-1] == g.train_loss[-1]
    # The envelope is kept: the smallest and largest batch loss of the whole run are still there.
    assert h.batch_loss.values.min() == min(g.batch_loss) and h.batch_loss.values.max() == max(g.batch_loss)
    s.seek(s.earliest_step)  # stepping back within what is kept still works


def test_checkpoints_sharing_a_sample_order_count_it_once():
    s = session(NET, training(batch_size=4, shuffle=True), SMALL)
    s.step_until(lambda _: s.step_count == 6 * 5)  # five batch boundaries inside the first epoch
    store: CheckpointStore = s._run.checkpoints  # the store's own accounting is what is under test
    cps = [store.get(step) for step in range(0, 31, 6)]
    assert all(cp is not None for cp in cps)
    orders = {id(cp.order): cp.order for cp in cps if cp.order is not None}
    assert len(orders) == 1
    (order,) = orders.values()
    assert store.nbytes > sum(cp.nbytes for cp in cps) + order.nbytes  # the order counted…
    assert store.nbytes < sum(cp.nbytes for cp in cps) + 2 * order.nbytes + 1000  # …once


def test_full_batch_training_keeps_no_sample_order_per_epoch():
    x = RNG.normal(size=(20_000, 2))
    big = dataset(x, np.tanh(x[:, :1]))
    s = session(NET, training(batch_size=20_000, shuffle=True), big)
    s.run_epochs(2)
    before = s.history_bytes
    s.run_epochs(40)
    order_bytes = 20_000 * 8
    assert s.history_bytes - before < order_bytes  # 40 checkpoints, no 160 KB order array each


def test_counted_bytes_agree_with_measured_memory():
    """The counted growth is within a factor 1.25 of what tracemalloc sees (small nets: Python objects
    per checkpoint, not the numbers, are most of it)."""
    s = session(NET, training(batch_size=2, shuffle=True), SMALL)
    s.step()
    gc.collect()
    tracemalloc.start()
    try:
        counted0 = s.history_bytes
        traced0 = tracemalloc.get_traced_memory()[0]
        for _ in range(40):
            s.run_epochs(5)
            s.step_until(lambda p: p.kind == "update")  # interactive stepping stores every boundary
        gc.collect()
        traced = tracemalloc.get_traced_memory()[0] - traced0
    finally:
        tracemalloc.stop()
    counted = s.history_bytes - counted0
    assert counted > 100_000
    assert counted / 1.25 <= traced <= counted * 1.25, (counted, traced)
