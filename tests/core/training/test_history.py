"""The history is part of the state: wherever stepping, stepping back and seeking leave a session, its
loss and accuracy series equal those of a fresh, uninterrupted run to the same position (issue 9, 1)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine_helpers import dataset, network, params_equal, session, training

RNG = np.random.default_rng(17)
X = RNG.normal(size=(14, 2))
DS = dataset(
    X, (X[:, :1] * X[:, 1:] > 0).astype(float), X[:4], (X[:4, :1] > 0).astype(float), "classification"
)
NET = network(2, (3, "tanh"), (1, "sigmoid"))  # 6 phases a batch; 14 rows in batches of 4: 4 batches


def make():
    return session(NET, training(loss="bce", optimizer="adam", lr=0.05, batch_size=4, shuffle=True), DS)


def assert_same_state(s, fresh) -> None:
    assert s.step_count == fresh.step_count
    assert params_equal(s.weights, fresh.weights) and params_equal(s.biases, fresh.biases)
    a, b = s.optimizer_state, fresh.optimizer_state
    assert a.step == b.step and a.buffers.keys() == b.buffers.keys()
    for name, (ws, bs) in a.buffers.items():
        assert params_equal(ws, b.buffers[name][0]) and params_equal(bs, b.buffers[name][1])
    h, g = s.history(), fresh.history()
    for series in ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "batch_loss"):
        np.testing.assert_array_equal(getattr(h, series), getattr(g, series), err_msg=series)
    assert s.snapshot().epochs_completed == fresh.snapshot().epochs_completed
    assert_same_view(s.snapshot(), fresh.snapshot())


def assert_same_view(a, b) -> None:
    """Every number a view shows: the batch, each layer's z, a, dL/da, dL/dz, dL/dW, dL/db, dL/dx, the loss."""
    for name in ("x", "y", "dx", "batch_indices"):
        left, right = getattr(a, name), getattr(b, name)
        assert (left is None) == (right is None), name
        if left is not None:
            np.testing.assert_array_equal(left, right, err_msg=name)
    assert a.loss == b.loss or (
        a.loss is not None and b.loss is not None and np.isnan(a.loss) and np.isnan(b.loss)
    )
    for k, (la, lb) in enumerate(zip(a.layers, b.layers, strict=True)):
        for name in ("z", "a", "da", "dz", "dW", "db"):
            left, right = getattr(la, name), getattr(lb, name)
            assert (left is None) == (right is None), f"layer {k + 1} {name}"
            if left is not None:
                np.testing.assert_array_equal(left, right, err_msg=f"layer {k + 1} {name}")


def test_seeking_back_to_the_start_and_forward_again_keeps_the_whole_history():
    s, fresh = make(), make()
    s.run_epochs(3)
    latest = s.latest_step
    s.seek(0)
    assert s.history().train_loss == ()
    s.seek(latest)
    fresh.run_epochs(3)
    assert len(s.history().train_loss) == 3 and len(s.history().batch_loss) == 12
    assert_same_state(s, fresh)
    s.run_epochs(1)
    fresh.run_epochs(1)
    assert_same_state(s, fresh)


MOVES = st.one_of(
    st.tuples(st.just("advance"), st.sampled_from(["phase", "pass", "batch", "epoch"])),
    st.tuples(st.just("back"), st.sampled_from(["phase", "pass", "batch", "epoch"])),
    st.tuples(st.just("seek"), st.sampled_from([0.0, 1.0]) | st.floats(0, 1)),  # the ends too: jumps
    st.tuples(st.just("epochs"), st.integers(1, 2)),
    # An edit of a weight (layer 1 or 2, from 1) to a value: it belongs to the start of its batch and
    # drops the recorded future; stepping back past it and forward again applies it again.
    st.tuples(st.just("edit"), st.tuples(st.integers(1, 2), st.floats(-2, 2, allow_nan=False))),
)
PER_BATCH = 6


def fresh_run_to(step: int, edits: list[tuple[int, int, float]]):
    """A new session run to `step`, making each edit (batch start, layer, value) on the way, in order."""
    fresh = make()
    for start, layer, value in edits:
        if start > step:
            break
        fresh.run_phases(start - fresh.step_count)
        fresh.set_weight(layer, 0, 0, value)
    fresh.run_phases(step - fresh.step_count)
    return fresh


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MOVES, min_size=1, max_size=10))
def test_any_walk_ends_in_the_state_of_a_fresh_run_to_the_same_position(moves):
    s = make()
    edits: list[tuple[int, int, float]] = []
    for move, arg in moves:
        if move == "advance":
            s.advance(arg)
        elif move == "back" and s.step_count > 0:
            s.step_back(arg)
        elif move == "seek":
            s.seek(s.earliest_step + round(arg * (s.latest_step - s.earliest_step)))
        elif move == "epochs":
            s.run_epochs(arg)
        elif move == "edit":
            layer, value = arg
            start = s.step_count - s.step_count % PER_BATCH
            edits = [e for e in edits if e[0] <= start]  # an edit drops the future, and its edits
            edits.append((start, layer, value))
            s.set_weight(layer, 0, 0, value)
        assert_same_state(s, fresh_run_to(s.step_count, edits))
    # The shuffle generator and the epoch's sample order were restored too, and edits ahead of the
    # position are made again on the way: the future is the same.
    target = s.step_count + 30
    s.run_phases(30)
    assert_same_state(s, fresh_run_to(target, edits))
