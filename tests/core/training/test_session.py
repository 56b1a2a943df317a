"""Phase order, step back bit for bit, determinism from seeds and divergence handling."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.errors import ArchitectureError, DivergenceError, PhaseOrderError
from backprop_studio.core.training.divergence import Divergence
from backprop_studio.core.training.snapshot import Phase

from tests.engine_helpers import dataset, network, params_equal, session, training

RNG = np.random.default_rng(7)
X = RNG.normal(size=(23, 2))
Y = np.tanh(X[:, :1] - X[:, 1:])
DS = dataset(X, Y, X[:5], Y[:5])
NET = network(2, (3, "tanh"), (2, "sigmoid"), (1, "tanh"))


def make(**kw):
    return session(
        NET, training(**{"batch_size": 5, "shuffle": True, "optimizer": "adam", "lr": 0.05, **kw}), DS
    )


def test_one_batch_runs_forward_loss_backward_update_in_order():
    s = make()
    phases = [s.step() for _ in range(8)]
    assert phases == [
        Phase("forward", 1),
        Phase("forward", 2),
        Phase("forward", 3),
        Phase("loss"),
        Phase("backward", 3),
        Phase("backward", 2),
        Phase("backward", 1),
        Phase("update"),
    ]
    assert s.next_phase == Phase("forward", 1)


def test_quantities_appear_only_once_their_phase_has_run():
    s = make()
    s.step()
    snap = s.snapshot()
    assert snap.layers[0].z is not None and snap.layers[1].z is None
    assert snap.loss is None and snap.layers[2].dz is None
    s.step_forward_pass()
    assert s.snapshot().loss is not None and s.snapshot().layers[2].dz is None
    s.step()
    snap = s.snapshot()
    assert snap.layers[2].dz is not None and snap.layers[1].dz is None
    assert snap.layers[2].delta_W is None


def test_epochs_cover_the_training_set_in_slices_with_a_smaller_last_batch():
    s = make()
    seen = []
    for _ in range(s.batches_per_epoch):
        s.step_update()
        seen.append(s.snapshot().batch_indices)
    assert [len(b) for b in seen] == [5, 5, 5, 5, 3]
    assert sorted(np.concatenate(seen).tolist()) == list(range(23))
    assert len(s.history().train_loss) == 1


def test_without_shuffle_batches_follow_the_stored_order():
    s = make(shuffle=False)
    s.step_update()
    assert s.snapshot().batch_indices.tolist() == [0, 1, 2, 3, 4]


def test_shuffle_draws_a_fresh_permutation_each_epoch():
    s = make()
    s.step_update()
    first = s.snapshot().batch_indices.tolist()
    s.step_epoch()
    s.step_update()
    assert s.snapshot().batch_indices.tolist() != first


def test_every_path_computes_the_same_bits():
    by_phase, by_batch, fast = make(), make(), make()
    for _ in range(3 * 5 * 8):
        by_phase.step()
    for _ in range(15):
        by_batch.step_update()
    fast.run_epochs(3)
    assert params_equal(by_phase.weights, fast.weights)
    assert params_equal(by_batch.weights, fast.weights)
    assert by_phase.history().train_loss == fast.history().train_loss


def test_same_seed_gives_identical_runs_and_another_seed_does_not():
    a, b, c = make(seed=4), make(seed=4), make(seed=5)
    for s in (a, b, c):
        s.run_epochs(2)
    assert params_equal(a.weights, b.weights)
    assert not params_equal(a.weights, c.weights)


@pytest.mark.parametrize("unit", ["phase", "pass", "batch", "epoch"])
def test_step_back_restores_weights_optimizer_and_position_bit_for_bit(unit):
    s = make()
    s.run_epochs(1)
    s.step_update()
    s.step()
    s.step()
    reference = make()
    target = {"phase": s.step_count - 1, "pass": 8 * 6, "batch": 8 * 6, "epoch": 8 * 5}[unit]
    reference.run_phases(target)
    s.step_back(unit)
    assert s.step_count == target
    assert params_equal(s.weights, reference.weights)
    assert s.optimizer_state.step == reference.optimizer_state.step
    for name, (ws, bs) in s.optimizer_state.buffers.items():
        ref_ws, ref_bs = reference.optimizer_state.buffers[name]
        assert params_equal(ws, ref_ws) and params_equal(bs, ref_bs)
    assert s.snapshot().phase == reference.snapshot().phase
    assert s.history().batch_loss == reference.history().batch_loss
    # Going forward again replays exactly the same future.
    s.run_phases(100)
    reference.run_phases(100)
    assert params_equal(s.weights, reference.weights)


def test_step_back_after_many_fast_epochs_reaches_any_phase():
    s = make()
    s.run_epochs(4)
    s.step_back("phase")
    snap = s.snapshot()
    assert snap.phase == Phase("backward", 1)
    assert snap.layers[0].dW is not None and snap.layers[0].delta_W is None
    s.seek(37)
    assert s.snapshot().phase == s.locate(37)[2]


def test_stepping_back_at_the_start_is_refused():
    with pytest.raises(PhaseOrderError, match="nothing to step back"):
        make().step_back()


def test_history_is_bounded_by_its_memory_budget_dropping_the_oldest_first():
    s = session(NET, training(batch_size=1), DS, memory_budget=8_000)
    for _ in range(23 * 8):
        s.step()
    assert s.history_bytes <= 8_000
    assert s.earliest_step > 0
    with pytest.raises(PhaseOrderError, match="outside the recorded history"):
        s.seek(0)
    s.seek(s.earliest_step)


def test_editing_a_weight_mid_batch_recomputes_the_batch_and_drops_the_future():
    s = make()
    s.step_update()
    s.step_update()
    s.step_back("batch")
    s.step_forward_pass()
    assert s.has_future
    before = s.snapshot().loss
    s.set_weight(3, 0, 0, 5.0)
    snap = s.snapshot()
    assert snap.weights[2][0, 0] == 5.0
    assert snap.loss != before
    assert s.latest_step == s.step_count  # the recorded future is gone


def test_an_edit_survives_stepping_back_past_it_and_forward_again():
    s = make()
    s.step_update()
    s.step_forward_pass()
    s.set_weight(3, 0, 0, 5.0)
    edited = s.snapshot()
    s.step_back("batch")  # the start of this batch: the edit belongs here
    assert s.weights[2][0, 0] == 5.0
    s.step_back("batch")  # one batch earlier: before the edit
    assert s.weights[2][0, 0] != 5.0
    s.step_update()
    s.step_forward_pass()
    assert s.weights[2][0, 0] == 5.0
    assert s.snapshot().loss == edited.loss
    s.seek(3)
    s.run_phases(edited.step - 3)
    assert s.snapshot().loss == edited.loss


def test_a_learning_rate_change_survives_replay():
    s = make()
    s.step_update()
    s.set_training(s.training.with_optimizer(learning_rate=0.5))
    s.step_update()
    after_two = [w.copy() for w in s.weights]
    s.step_back("batch")
    s.step_back("batch")
    s.run_phases(16)
    assert s.training.optimizer.learning_rate == 0.5
    assert params_equal(s.weights, after_two)


def test_divergence_stops_at_the_phase_and_names_layer_and_quantity():
    net = network(2, (3, "linear"), (1, "linear"))
    s = session(net, training(lr=1e6, batch_size=23, optimizer="sgd"), DS)
    s.run_epochs(50)
    found = s.divergence
    assert found is not None
    message = str(found)
    assert f"layer {found.layer}" in message and any(q in message for q in ("NaN", "inf"))
    assert found.phase.label in message and found.quantity
    with pytest.raises(DivergenceError, match="step back") as raised:
        s.step()
    assert raised.value.divergence == found
    s.step_back()
    snap = s.snapshot()
    assert snap.divergence is None
    assert all(np.isfinite(w).all() for w in snap.weights)
    s.step()
    assert s.divergence == found


def test_fast_and_phase_paths_report_the_same_divergence_phase():
    net = network(2, (3, "linear"), (1, "linear"))
    train = training(lr=1e6, batch_size=23, optimizer="sgd")
    fast, slow = session(net, train, DS), session(net, train, DS)
    fast.run_epochs(50)
    while slow.divergence is None:
        slow.step()
    assert (fast.step_count, fast.divergence) == (slow.step_count, slow.divergence)


def test_data_that_does_not_fit_the_network_is_refused():
    with pytest.raises(ArchitectureError, match="3 units but the data has 1 target"):
        session(network(2, (3, "tanh")), training(), DS)


def test_after_a_fast_epoch_the_snapshot_knows_the_weights_the_last_batch_used():
    s = make()
    s.run_epochs(1)
    snap = s.snapshot()
    assert snap.weights_before_update is not None
    # The last batch's z was computed with the weights before its update, not the updated ones.
    z = snap.x @ snap.weights_before_update[0] + snap.biases_before_update[0]
    assert np.array_equal(z, snap.layers[0].z)


def test_the_fast_path_catches_an_infinite_z_that_tanh_would_hide():
    huge = [np.full((2, 3), 1e308), np.ones((3, 2)), np.ones((2, 1))]
    biases = [np.full(3, 1.7e308), np.zeros(2), np.zeros(1)]  # z = 1e308·(x1 + x2) + 1.7e308 overflows
    fast = session(NET, training(batch_size=5), DS, weights=huge, biases=biases)
    fast.run_epochs(2)
    slow = session(NET, training(batch_size=5), DS, weights=huge, biases=biases)
    slow.step()
    assert slow.divergence == Divergence(
        Phase("forward", 1), 1, "z", "forward through layer 1: z (weighted sum) contains inf"
    )
    assert str(slow.divergence) == "forward through layer 1: z (weighted sum) contains inf"
    assert (fast.step_count, fast.divergence) == (slow.step_count, slow.divergence)
    assert fast.latest_step == fast.step_count  # nothing past the divergence can be stepped to


# ------------------------------------------------------------------------------------ advance(unit)

# NET has 3 layers (8 phases a batch) and DS 23 rows in batches of 5 (5 batches, 40 phases an epoch).
# Ends worked out by hand: loss at step 4 of each batch, backward through layer 1 at 7, update at 8.
HAND_ENDS = {
    "phase": lambda s: s + 1,
    "forward": lambda s: next(8 * b + 4 for b in range(50) if 8 * b + 4 > s),
    "backward": lambda s: next(8 * b + 7 for b in range(50) if 8 * b + 7 > s),
    "update": lambda s: next(8 * b + 8 for b in range(50) if 8 * b + 8 > s),
    "batch": lambda s: next(8 * b + 8 for b in range(50) if 8 * b + 8 > s),
    "pass": lambda s: next(8 * b + o for b in range(50) for o in (4, 7, 8) if 8 * b + o > s),
    "epoch": lambda s: next(40 * e for e in range(1, 10) if 40 * e > s),
}


def interrupt_every(k: int):
    """A should_stop that says stop on every k-th question (a time slice that runs out)."""
    asked = [0]

    def should_stop() -> bool:
        asked[0] += 1
        return asked[0] % k == 0

    return should_stop


@pytest.mark.parametrize("unit", list(HAND_ENDS))
@pytest.mark.parametrize("start", [0, 3, 5, 8, 21, 40])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_an_interrupted_advance_called_again_ends_exactly_at_the_units_end(unit, start, k):
    s = make()
    s.run_phases(start)
    end = HAND_ENDS[unit](start)
    stop = interrupt_every(k)
    calls, total = 0, 0
    while True:
        result = s.advance(unit, should_stop=stop)
        calls += 1
        total += result.steps
        assert result.steps >= 1 and result.divergence is None
        assert s.step_count <= end
        if result.reached:
            break
        assert calls < 100
    assert s.step_count == end and total == end - start
    # Same bits as an uninterrupted run to the same step.
    straight = make()
    straight.run_phases(end)
    assert params_equal(s.weights, straight.weights)
    assert s.history().batch_loss == straight.history().batch_loss


def test_an_epoch_in_time_slices_makes_a_whole_epoch_not_one_slice():
    # Play at a finite speed hands each tick's time slice to advance("epoch"): the ticks must add up
    # to the epoch, each continuing where the last stopped.
    s = make()
    s.run_phases(3)
    ticks = 0
    while not s.advance("epoch", should_stop=lambda: True).reached:
        ticks += 1
    assert s.step_count == 40 and ticks >= 3  # a slice is one batch here, so it took several ticks


def test_advance_reports_the_divergence_that_stopped_it():
    net = network(2, (3, "linear"), (1, "linear"))
    s = session(net, training(lr=1e6, batch_size=23, optimizer="sgd"), DS)
    results = [s.advance("epoch") for _ in range(60) if s.divergence is None]
    last = results[-1]
    assert last.divergence is not None and last.divergence == s.divergence
    # Here the last finite state is the epoch's end: the divergence shows in the end-of-epoch check.
    assert last.reached == (s.step_count % 6 == 0)


def test_advance_refuses_an_unknown_unit():
    with pytest.raises(ValueError, match="unknown unit"):
        make().advance("fortnight")
