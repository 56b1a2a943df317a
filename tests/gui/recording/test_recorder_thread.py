"""The recorder's worker thread at its edges: whatever ends the worker, the window hears it exactly
once, and an ended worker takes no more states."""

from __future__ import annotations

import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import open_session
from backprop_studio.gui.recording.frame import FrameSpec
from backprop_studio.gui.recording.recorder import Timing
from backprop_studio.gui.recording.recorder_thread import RecorderThread

W, H = 160, 96
TIMING = Timing(10, hold=0.2, transition=0.1)


def two_states():
    session = open_session(load_preset("two-node-sigmoid"))
    first = session.snapshot()
    session.step()
    return [first, session.snapshot()], session.dataset


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_a_base_exception_in_the_worker_still_ends_with_failed(qtbot, tmp_path, stop):
    states, dataset = two_states()
    recorder = RecorderThread(tmp_path / "clip.gif", FrameSpec(W, H, "canvas"), TIMING, dataset)

    def interrupted(*_args):
        raise stop()

    recorder._job.add_state = interrupted  # the worker's next state raises past `except Exception`
    ends = []
    for signal in (recorder.finished, recorder.failed, recorder.cancelled):
        signal.connect(lambda *args, s=signal: ends.append(s))
    recorder.start()
    with qtbot.waitSignal(recorder.failed, timeout=10_000) as failed:
        assert recorder.add_state(states[0])
    assert recorder.wait(5_000)
    assert "stopped unexpectedly" in failed.args[0]
    qtbot.wait(50)  # let any other queued signal arrive
    assert len(ends) == 1  # exactly one terminal signal
    assert not recorder.try_add_state(states[1])  # the ended worker takes no more states
    assert list(tmp_path.iterdir()) == []


def test_a_state_offered_after_the_worker_failed_is_refused_and_never_queued(qtbot, tmp_path):
    states, dataset = two_states()
    recorder = RecorderThread(tmp_path / "clip.gif", FrameSpec(W, H, "canvas"), TIMING, dataset, queue_size=1)

    def broken(*_args):
        raise ValueError("painting failed")

    recorder._job.add_state = broken
    recorder.start()
    with qtbot.waitSignal(recorder.failed, timeout=10_000):
        recorder.add_state(states[0])
    assert recorder.wait(5_000)
    # A queue of one with room: a plain check-then-put would accept this state for a dead worker.
    assert not recorder.add_state(states[1], timeout=0.5)
    assert not recorder.try_add_state(states[1])
