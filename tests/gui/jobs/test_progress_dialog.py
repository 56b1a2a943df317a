"""The progress dialog of a job, used as a person would: it appears when the work takes a while, its bar
follows the share reported in whole percents, a mouse click on Cancel stops the work, and it goes away
when the work is over. A job that ends quickly never shows it."""

from __future__ import annotations

import threading

from backprop_studio.core.errors import Cancelled
from backprop_studio.gui.jobs.progress_dialog import show_progress
from backprop_studio.gui.jobs.runner import Job
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow


def parent(qtbot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def held_work(reports: list[float], go_on: threading.Event):
    """Reports `reports`, then waits for `go_on` or Cancel (Cancelled)."""

    def work(control) -> str:
        for share in reports:
            control.report(share)
        while not go_on.wait(0.01):
            control.check()
        return "done"

    return work


def test_cancel_clicked_in_the_dialog_cancels_the_job_and_the_dialog_goes(qtbot):
    window = parent(qtbot)
    go_on = threading.Event()
    job = Job(held_work([0.25], go_on), "Reading <b>data.csv</b>…")
    dialog = show_progress(window, job)
    outcomes: list[str] = []
    job.cancelled.connect(lambda: outcomes.append("cancelled"))
    job.finished.connect(lambda value: outcomes.append(value))
    job.start()
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.label.text() == "Reading <b>data.csv</b>…"  # plain text: the file name as typed
    assert dialog.label.textFormat() == Qt.TextFormat.PlainText
    qtbot.waitUntil(lambda: dialog.bar.value() == 25, timeout=5000)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal  # the window is blocked, not frozen
    with qtbot.waitSignal(job.ended, timeout=5000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert outcomes == ["cancelled"]
    qtbot.waitUntil(lambda: not window.findChildren(type(dialog)), timeout=2000)  # closed and deleted


def test_the_bar_moves_on_whole_percents_only(qtbot):
    window = parent(qtbot)
    go_on = threading.Event()
    # Ten reports inside the same percent: one move of the bar, to 50.
    job = Job(held_work([0.501 + k / 10_000 for k in range(10)], go_on), "Working…")
    dialog = show_progress(window, job)
    moves: list[int] = []
    dialog.bar.valueChanged.connect(moves.append)
    job.start()
    qtbot.waitUntil(lambda: dialog.bar.value() == 50, timeout=5000)
    qtbot.wait(50)
    assert moves == [50]
    with qtbot.waitSignal(job.finished, timeout=5000):
        go_on.set()
    assert not dialog.isVisible()


def test_a_quick_job_never_shows_the_dialog(qtbot):
    window = parent(qtbot)
    job = Job(lambda control: 42, "Quick…")
    dialog = show_progress(window, job)
    shown: list[bool] = []
    job.settled.connect(lambda: shown.append(dialog.isVisible()))
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert shown == [False]
    qtbot.wait(400)  # past the delay after which a slow job's dialog appears
    assert not window.findChildren(type(dialog))


def test_a_busy_bar_for_work_that_cannot_say_how_far_it_is(qtbot):
    window = parent(qtbot)
    go_on = threading.Event()

    def work(control) -> None:
        while not go_on.wait(0.01):
            if control.should_stop():
                raise Cancelled()

    job = Job(work, "Running the step…", determinate=False)
    dialog = show_progress(window, job)
    job.start()
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert (dialog.bar.minimum(), dialog.bar.maximum()) == (0, 0)
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
