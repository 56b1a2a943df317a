"""Play and Step run whole units: `advance_unit` finds the end of the unit, and at a finite speed each tick
of Play advances one whole unit, however many time slices it takes."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import Project, open_session
from backprop_studio.core.spec import InitSpec, LayerSpec, NetworkSpec
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.controller.playback import SLICE_S, advance_unit

# The circle preset: 3 layers, so a batch is 8 phases: forward 1, 2, 3 (steps 1-3), the loss (4),
# backward 3, 2, 1 (5-7), the update (8). A pass ends at the loss, at backward 1 and at the update.
PER_BATCH = 8
PASS_ENDS = (4, 7, 8)


def big_circle(samples: int = 600, batch_size: int = 1) -> Project:
    """Circle with every sample in training and batch size 1: an epoch is `samples` batches."""
    project = load_preset("circle")
    return replace(
        project,
        data=replace(project.data, samples=samples, train_fraction=1.0),
        training=replace(project.training, batch_size=batch_size),
    )


def deep() -> Project:
    net = NetworkSpec(2, (*(LayerSpec(4, "sigmoid") for _ in range(8)), LayerSpec(1, "sigmoid")), InitSpec())
    return replace(load_preset("circle"), network=net)


def test_advance_unit_runs_to_the_end_of_each_unit():
    # Nine layers: a batch is 20 phases, forward 1…9 (steps 1-9), loss (10), backward 9…1 (11-19), update (20).
    expected_from_start = {"phase": 1, "forward": 10, "backward": 19, "update": 20, "batch": 20, "pass": 10}
    for unit, count in expected_from_start.items():
        session = open_session(deep())
        assert advance_unit(session, unit).done
        assert session.step_count == count, unit
    expected_after_forward = {"forward": 20, "backward": 9, "batch": 10, "pass": 9}
    for unit, count in expected_after_forward.items():
        session = open_session(deep())
        advance_unit(session, "forward")
        advance_unit(session, unit)
        assert session.step_count == 10 + count, unit


@pytest.mark.parametrize("unit", ["pass", "batch", "epoch"])
def test_an_interrupted_unit_continues_to_the_same_end(unit):
    session = open_session(big_circle(samples=40))
    end = {"pass": 4, "batch": PER_BATCH, "epoch": 40 * PER_BATCH}[unit]
    calls = 0
    while not advance_unit(session, unit, should_stop=lambda: True).done:
        calls += 1
        assert session.step_count < end
    assert session.step_count == end
    assert unit == "pass" or calls > 0  # it really was interrupted on the way


def units_done(unit: str, step: int) -> float:
    """How many `unit`s the run completed by `step`, counted from the phase layout of a batch."""
    batches, within = divmod(step, PER_BATCH)
    if unit == "phase":
        return step
    if unit == "pass":
        return 3 * batches + sum(1 for end in PASS_ENDS if end <= within)
    if unit == "batch":
        return batches
    return batches / 300  # epoch: 300 batches of one sample


@pytest.mark.parametrize("unit", ["phase", "pass", "batch", "epoch"])
def test_each_tick_of_play_at_a_finite_speed_advances_one_whole_unit(qtbot, unit):
    # 300 one-sample batches: an epoch needs several 8 ms slices, yet fits a 1 s tick with room to spare
    # on a busy machine (the property is "ticks x unit = progress", so a tick must be able to finish).
    c = StudioController(big_circle(samples=300))
    session = open_session(big_circle(samples=300))
    started = time.perf_counter()
    advance_unit(session, "epoch")
    assert time.perf_counter() - started > 3 * SLICE_S  # an epoch needs several slices
    published = []
    c.snapshot_changed.connect(published.append)
    c.set_granularity(unit)
    c.set_speed(1)  # a tick every 1000 ms
    ticks_before = c.playback.ticks
    c.play()
    qtbot.wait(3300)  # three ticks
    c.pause()
    ticks = c.playback.ticks - ticks_before
    assert ticks >= 3
    last = published[-1]
    assert abs(units_done(unit, last.step) - ticks) <= 1, (unit, last.step, ticks)
    if unit == "epoch":
        assert last.epochs_completed >= ticks - 1


def test_ticks_that_come_while_a_unit_runs_continue_it_instead_of_dropping_it(qtbot):
    c = StudioController(big_circle())
    c.set_granularity("epoch")
    c.set_speed(30)  # a tick every 33 ms, shorter than one epoch
    ticks_before = c.playback.ticks
    c.play()
    qtbot.waitUntil(lambda: c.snapshot.epochs_completed >= 2, timeout=10000)
    c.pause()
    assert c.playback.ticks - ticks_before > c.snapshot.epochs_completed  # ticks came mid-epoch
