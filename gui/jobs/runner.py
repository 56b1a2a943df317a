"""A job: one function run on a worker thread, with progress, Cancel and exactly one outcome.

The work function gets a `JobControl` (its `should_stop` and `report` go to the core readers) and returns
an immutable value. It never touches a widget: the value comes back to the GUI thread through a queued
signal, where exactly one of `finished(value)`, `failed(error)` or `cancelled()` is emitted, also when the
work raised a BaseException. A Cancel requested before the work ended wins over its result, so a
cancelled job never changes anything.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from backprop_studio.core.errors import Cancelled
from backprop_studio.gui.jobs import gil
from PySide6.QtCore import QObject, QThread, Signal, Slot


class JobControl:
    """What the work function sees: whether Cancel was pressed, and where to report progress (0…1).

    Each call waits while the window holds the job (`Job.hold`): the window's thread then has the
    interpreter to itself, e.g. while its progress dialog appears (see gui/jobs/gil.py for why that
    matters)."""

    def __init__(self, stop: threading.Event, report: Callable[[float], None], gate: threading.Event) -> None:
        self._stop = stop
        self._report = report
        self._gate = gate

    def should_stop(self) -> bool:
        self._gate.wait()
        return self._stop.is_set()

    def report(self, fraction: float) -> None:
        self._gate.wait()
        self._report(fraction)

    def check(self) -> None:
        """Raise Cancelled when Cancel was pressed: between the stages of a job."""
        self._gate.wait()
        if self._stop.is_set():
            raise Cancelled()


class _Worker(QObject):
    """Lives on the worker thread; runs the work once and reports the outcome as (kind, payload)."""

    progressed = Signal(float)
    ended = Signal(str, object)

    def __init__(
        self, work: Callable[[JobControl], Any], stop: threading.Event, gate: threading.Event
    ) -> None:
        super().__init__()
        self._work, self._stop, self._gate = work, stop, gate

    @Slot()
    def run(self) -> None:
        control = JobControl(self._stop, self.progressed.emit, self._gate)
        gil.worker_started()
        gil.heavy_work_started()
        try:
            value = self._work(control)
        except Cancelled:
            self.ended.emit("cancelled", None)
        except BaseException as error:
            self.ended.emit("cancelled" if self._stop.is_set() else "failed", error)
        else:
            self.ended.emit("cancelled" if self._stop.is_set() else "finished", value)
        finally:
            gil.heavy_work_ended()
            gil.worker_ended()
            self._work = None  # type: ignore[assignment]  # drop what the closure holds at once
            # End the thread's event loop from here: the GUI thread may be blocked in `Job.wait()`
            # (closing the window), so it cannot be the one to ask.
            QThread.currentThread().quit()


class Job(QObject):
    """Run `work(control)` on its own QThread once `start()` is called; see the module docstring."""

    progressed = Signal(float)  # share done, 0…1
    finished = Signal(object)  # the work's return value
    failed = Signal(object)  # the exception the work raised
    cancelled = Signal()
    ended = Signal()  # after whichever of the three came
    # The work is over, emitted before the outcome: the progress dialog closes here, so a message box
    # the outcome shows is the only modal window (and a test looking for it finds it).
    settled = Signal()

    def __init__(
        self,
        work: Callable[[JobControl], Any],
        label: str,
        parent: QObject | None = None,
        determinate: bool = True,
        kind: str = "",
    ) -> None:
        super().__init__(parent)
        self.label = label
        self.determinate = determinate  # False: the work cannot say how far it is (a busy bar)
        self.kind = kind  # what the job does, for its owner ("step", "open", …)
        self._stop = threading.Event()
        self._gate = threading.Event()  # set: the work runs; cleared: it waits at its next report
        self._gate.set()
        self._thread = QThread()
        self._worker = _Worker(work, self._stop, self._gate)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self.progressed)
        self._worker.ended.connect(self._on_ended)  # queued: the worker lives on the other thread
        self._running = False
        self._outcome: str | None = None

    def start(self) -> None:
        self._running = True
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next check; `cancelled` follows (the result, if any, is dropped)."""
        self._stop.set()
        self._gate.set()

    def hold(self) -> None:
        """Make the work wait at its next report or check, until `resume` (or `cancel`)."""
        self._gate.clear()

    def resume(self) -> None:
        self._gate.set()

    @property
    def running(self) -> bool:
        return self._running

    @property
    def outcome(self) -> str | None:
        """ "finished", "failed" or "cancelled" once the job ended, else None."""
        return self._outcome

    def wait(self, ms: int = -1) -> bool:
        """Block until the worker thread ended (for closing the window); True when it did. A held job
        is resumed first."""
        self._gate.set()
        return self._thread.wait() if ms < 0 else self._thread.wait(ms)

    @Slot(str, object)
    def _on_ended(self, kind: str, payload: object) -> None:
        self._thread.quit()
        self._thread.wait()
        self._running = False
        self._outcome = kind
        self.settled.emit()
        if kind == "finished":
            self.finished.emit(payload)
        elif kind == "failed":
            self.failed.emit(payload)
        else:
            self.cancelled.emit()
        self.ended.emit()
