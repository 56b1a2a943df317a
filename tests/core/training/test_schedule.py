"""The phase layout and position arithmetic, against positions worked out by hand.

The network here has L = 3 layers, so a batch is 8 phases, completed at these steps within it:
forward 1, 2, 3 → steps 1, 2, 3; loss → 4; backward 3, 2, 1 → 5, 6, 7; update → 8.
With 5 batches an epoch is 40 phases.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from backprop_studio.core.training.schedule import (
    Phase,
    Schedule,
    epoch_position,
    is_pass_end,
    phase_index,
    phases_of_batch,
)

from tests.snapshot_factory import make_snapshot

S = Schedule(n_layers=3, batches_per_epoch=5)
# Where each unit ends within a batch (1-based step within the batch), worked out from the layout above.
ENDS_IN_BATCH = {"forward": [4], "backward": [7], "update": [8], "batch": [8], "pass": [4, 7, 8]}


def hand_ends(unit: str) -> list[int]:
    if unit == "phase":
        return list(range(1, 200))
    if unit == "epoch":
        return [40, 80, 120, 160]
    return sorted(8 * b + o for b in range(20) for o in ENDS_IN_BATCH[unit])


def test_a_batch_runs_forward_loss_backward_update_in_order():
    assert phases_of_batch(2) == (
        Phase("forward", 1),
        Phase("forward", 2),
        Phase("loss"),
        Phase("backward", 2),
        Phase("backward", 1),
        Phase("update"),
    )
    assert [phase_index(p, 3) for p in phases_of_batch(3)] == list(range(8))
    assert (S.per_batch, S.per_epoch) == (8, 40)


def test_pass_ends_are_the_loss_backward_through_layer_1_and_the_update():
    ends = [p for p in phases_of_batch(3) if is_pass_end(p)]
    assert ends == [Phase("loss"), Phase("backward", 1), Phase("update")]


@pytest.mark.parametrize("unit", ["phase", "forward", "backward", "update", "batch", "pass", "epoch"])
@pytest.mark.parametrize("start", [0, 1, 3, 4, 5, 7, 8, 13, 39, 40, 41, 47])
def test_a_unit_ends_at_the_first_end_after_the_position(unit, start):
    expected = min(e for e in hand_ends(unit) if e > start)
    assert S.unit_end(start, unit) == expected
    assert S.phases_in(unit, start) == expected - start
    assert S.is_end(expected, unit)
    # From any step before that end, the unit's end is the same: an interrupted unit resumes to it.
    assert all(S.unit_end(s, unit) == expected for s in range(start, expected))


@pytest.mark.parametrize("unit", ["phase", "pass", "batch", "epoch"])
@pytest.mark.parametrize("start", [1, 4, 5, 8, 9, 40, 45])
def test_stepping_back_goes_to_the_last_end_before_the_position(unit, start):
    before = [e for e in hand_ends(unit) if e < start]
    assert S.previous_end(start, unit) == (before[-1] if before else 0)


def test_locate_names_epoch_batch_and_phase():
    assert S.locate(0) == (0, 0, None)
    assert S.locate(4) == (0, 0, Phase("loss"))
    assert S.locate(12) == (0, 1, Phase("loss"))
    assert S.locate(40) == (0, 4, Phase("update"))
    assert S.locate(41) == (1, 0, Phase("forward", 1))
    assert Schedule(3, 5, first_epoch=7).locate(41) == (8, 0, Phase("forward", 1))
    assert (S.batch_start(13), S.epoch_start(47), S.epochs_done(80)) == (8, 40, 2)


def test_units_per_epoch():
    got = {u: S.units_per_epoch(u) for u in ("phase", "pass", "forward", "batch", "epoch")}
    assert got == {"phase": 40, "pass": 15, "forward": 5, "batch": 5, "epoch": 1}


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unknown unit"):
        S.unit_end(0, "fortnight")


def test_epoch_position_counts_batches_and_phases_as_fractions_of_the_epoch():
    # Epoch 2, batch 3 of 5, after the loss (index 3 of 8): 2 + (3 + 4/8) / 5 = 2.7.
    snap = replace(make_snapshot((2, 3, 2, 1), phase=Phase("loss")), epoch=2, batch=3, batches_per_epoch=5)
    assert epoch_position(snap) == pytest.approx(2.7)
    assert epoch_position(replace(snap, epoch=0, batch=0, phase=None)) == 0.0
    assert epoch_position(replace(snap, batch=4, phase=Phase("update"))) == pytest.approx(3.0)
