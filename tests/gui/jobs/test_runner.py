"""The job runner: the work runs on another thread, and exactly one of finished, failed or cancelled
comes back on the GUI thread, also for a BaseException; a Cancel wins over a result."""

from __future__ import annotations

import gc
import threading

import pytest
from backprop_studio.gui.jobs.runner import Job
from PySide6.QtCore import QThread


def outcomes(job: Job) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    job.finished.connect(lambda value: seen.append(("finished", value)))
    job.failed.connect(lambda error: seen.append(("failed", error)))
    job.cancelled.connect(lambda: seen.append(("cancelled", None)))
    return seen


def run(qtbot, job: Job) -> list[tuple[str, object]]:
    seen = outcomes(job)
    with qtbot.waitSignal(job.ended, timeout=5000):
        job.start()
    qtbot.wait(20)  # a second terminal signal, if there were one, would have come by now
    return seen


def test_the_work_runs_off_the_gui_thread_and_its_value_comes_back_once(qtbot):
    gui = threading.get_ident()
    ran_on = []
    job = Job(lambda control: ran_on.append(threading.get_ident()) or (1, 2), "adding")
    seen = run(qtbot, job)
    assert seen == [("finished", (1, 2))]
    assert ran_on and ran_on[0] != gui
    assert job.outcome == "finished" and not job.running


@pytest.mark.parametrize("error", [ValueError("bad cell"), KeyboardInterrupt(), MemoryError()])
def test_an_exception_in_the_work_is_one_failed_signal(qtbot, error):
    def work(control):
        raise error

    seen = run(qtbot, Job(work, "failing"))
    assert seen == [("failed", error)]


def test_cancel_stops_the_work_at_its_next_check_and_drops_its_result(qtbot):
    started, checks = threading.Event(), []

    def work(control):
        started.set()
        while not control.should_stop():
            checks.append(1)
            QThread.msleep(1)
        return "a result nobody should see"

    job = Job(work, "looping")
    seen = outcomes(job)
    with qtbot.waitSignal(job.ended, timeout=5000):
        job.start()
        assert started.wait(5)
        job.cancel()
    qtbot.wait(20)
    assert seen == [("cancelled", None)]


def test_progress_reaches_the_gui_thread(qtbot):
    shares = []

    def work(control):
        for k in range(1, 5):
            control.report(k / 4)
        return None

    job = Job(work, "counting")
    job.progressed.connect(shares.append)
    run(qtbot, job)
    assert shares == [0.25, 0.5, 0.75, 1.0]


def test_full_garbage_collections_wait_while_a_job_runs_and_resume_after(qtbot):
    """A job allocating millions of long-lived objects (10⁶ parsed rows) would otherwise trigger full
    collections that hold the interpreter lock for 0.4 s each; young collections go on."""
    before = gc.get_threshold()
    seen = []
    run(qtbot, Job(lambda control: seen.append(gc.get_threshold()), "parsing"))
    assert seen[0][:2] == before[:2] and seen[0][2] > 10**6  # young passes as usual, full ones deferred
    assert gc.get_threshold() == before
    failing = Job(lambda control: 1 / 0, "failing")
    run(qtbot, failing)
    assert failing.outcome == "failed" and gc.get_threshold() == before
