"""Before the first phase the snapshot names the batch about to be drawn (its rows and inputs), so a view
can show the data going in before Step: it is the batch the first Step draws, shuffled or not, also
after seeking back to the start; looking never changes what the run draws."""

from __future__ import annotations

import numpy as np
import pytest

from tests.engine_helpers import dataset, network, params_equal, session, training

RNG = np.random.default_rng(3)
X = RNG.normal(size=(23, 2))
Y = np.tanh(X[:, :1] - X[:, 1:])
DS = dataset(X, Y, X[:5], Y[:5])
NET = network(2, (3, "tanh"), (1, "tanh"))
EPOCHS = 3


def make(shuffle: bool, seed: int):
    return session(NET, training(batch_size=5, shuffle=shuffle, optimizer="sgd", lr=0.1, seed=seed), DS)


def first_batch_rows(shuffle: bool, seed: int) -> np.ndarray:
    """The rows the first batch drew, read from a run that never looked ahead."""
    s = make(shuffle, seed)
    s.run_phases(1)
    return np.array(s.snapshot().batch_indices)


@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_before_the_first_phase_the_snapshot_names_the_batch_the_first_step_draws(shuffle, seed):
    expected = first_batch_rows(shuffle, seed)
    s = make(shuffle, seed)
    for _ in range(2):  # at the start, and back there after some epochs
        before = s.snapshot()
        assert before.x is None and before.phase is None
        assert np.array_equal(before.next_batch_indices, expected)
        assert np.array_equal(before.next_batch_x, X[expected])
        s.step()
        assert np.array_equal(s.snapshot().batch_indices, expected)
        assert s.snapshot().next_batch_x is None  # the batch has begun: its own x is there
        s.run_epochs(EPOCHS)
        s.seek(0)


def test_after_an_update_the_snapshot_keeps_the_batch_it_showed():
    s = make(True, 0)
    s.step_update()
    snap = s.snapshot()
    assert snap.x is not None and snap.next_batch_x is None


def test_looking_ahead_does_not_change_the_run():
    looked, plain = make(True, 0), make(True, 0)
    for _ in range(3):
        assert looked.snapshot().next_batch_indices is not None
    looked.run_epochs(EPOCHS)
    plain.run_epochs(EPOCHS)
    assert params_equal(looked.weights, plain.weights)
    assert np.array_equal(looked.snapshot().batch_indices, plain.snapshot().batch_indices)
