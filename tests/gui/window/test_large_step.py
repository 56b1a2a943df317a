"""A large Step (a 2-30,000-1 network) runs on a worker with a progress dialog: the event loop keeps
running, other training intents are refused meanwhile, the result is the bits of the same step run
synchronously, and Cancel leaves the session exactly as it was (issue 9). Small steps stay synchronous."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import open_session
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.background import BUSY
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.controller.playback import LARGE_STEP_WORK, step_work
from PySide6.QtCore import QSettings, QTimer

from tests.gui.window.test_background_jobs import click_cancel_in_the_progress_dialog


def wide_project(units: int = 30_000):
    p = load_preset("circle")
    layers = (replace(p.network.layers[0], units=units), p.network.layers[-1])
    return replace(p, network=replace(p.network, layers=layers))


def make_window(qtbot, tmp_path, project):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(project), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def wide(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path, wide_project())
    yield win
    job = win.controller.job
    if job is not None:
        job.cancel()
        job.wait()


def state(session) -> tuple:
    """Everything a position restores, as private copies."""
    h = session.history()
    opt = session.optimizer_state
    buffers = [a.copy() for ws, bs in opt.buffers.values() for a in (*ws, *bs)]
    snap = session.snapshot()
    shown = [a.copy() for layer in snap.layers for a in (layer.z, layer.a) if a is not None]
    return (
        (session.step_count, session.latest_step, session.earliest_step, session.history_bytes),
        [a.copy() for a in (*session.weights, *session.biases)],
        buffers,
        [np.array(getattr(h, k).values) for k in ("train_loss", "test_loss", "batch_loss")],
        shown,
    )


def assert_same(a, b) -> None:
    assert a[0] == b[0]
    for xs, ys in zip(a[1:], b[1:], strict=True):
        assert len(xs) == len(ys)
        for x, y in zip(xs, ys, strict=True):
            np.testing.assert_array_equal(x, y)


def test_the_threshold_puts_the_wide_network_on_a_worker_and_the_preset_not():
    wide_session = open_session(wide_project(100_000))
    assert step_work(wide_session, "phase") == 400_001 * 10 >= LARGE_STEP_WORK
    assert step_work(open_session(wide_project()), "phase") == 120_001 * 10 >= LARGE_STEP_WORK
    circle = open_session(load_preset("circle"))
    assert step_work(circle, "epoch") < LARGE_STEP_WORK  # parameters × (10 + 100 + 100) rows


def test_a_small_step_stays_synchronous(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path, load_preset("circle"))
    win.actions["step"].trigger()
    assert win.controller.job is None and win.controller.session_for_tests.step_count == 1


def test_a_large_step_runs_on_a_worker_with_the_bits_of_a_synchronous_step(wide, qtbot):
    c = wide.controller
    messages: list[str] = []
    c.message.connect(lambda kind, text: messages.append(text))
    wide.actions["step"].trigger()
    job = c.job
    assert job is not None and job.kind == "step" and c.session_for_tests.step_count == 0
    # The event loop runs while the worker works: a timer fires before the step is complete.
    seen: list[bool] = []
    QTimer.singleShot(0, lambda: seen.append(job.running and c.session_for_tests.step_count == 0))
    wide.actions["play"].trigger()  # refused: the step would overwrite what they do
    wide.actions["epoch"].trigger()
    assert messages == [BUSY, BUSY] and not c.playing
    with qtbot.waitSignal(job.ended, timeout=60000):
        pass
    assert job.outcome == "finished" and seen == [True]
    reference = open_session(wide_project())
    reference.step()
    assert_same(state(c.session_for_tests), state(reference))
    assert c.snapshot.step == 1  # the views show the new step


def test_cancel_leaves_the_session_exactly_as_before_the_step(wide, qtbot):
    c = wide.controller
    wide.actions["step"].trigger()  # one phase, synchronously here: a position mid-batch with a cache
    with qtbot.waitSignal(c.job.ended, timeout=60000):
        pass
    session = c.session_for_tests
    before = state(session)
    wide.actions["epoch"].trigger()  # ten batches of 120,001 parameters and two whole sets
    job = c.job
    click_cancel_in_the_progress_dialog(wide, qtbot)
    with qtbot.waitSignal(job.ended, timeout=60000):
        pass
    assert job.outcome == "cancelled"
    assert c.session_for_tests is session
    assert_same(state(session), before)
    # And it goes on as if the cancelled step had never been tried: the same bits as a fresh run.
    wide.actions["step"].trigger()
    with qtbot.waitSignal(c.job.ended, timeout=60000):
        pass
    reference = open_session(wide_project())
    reference.run_phases(2)
    assert_same(state(c.session_for_tests), state(reference))
