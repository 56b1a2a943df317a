"""`RecorderThread` runs a `RecordingJob` on a worker QThread for the app: the window hands states over
through a small bounded queue (so a fast training loop cannot pile up snapshots), and hears back through
signals. Frames are painted on QImages in the worker, which Qt allows; no widget is touched there.
"""

from __future__ import annotations

import os
import queue
import threading
import traceback
from collections.abc import Callable

from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.errors import StudioError
from backprop_studio.core.training.snapshot import History, Snapshot
from backprop_studio.gui.recording.frame import FrameSpec
from backprop_studio.gui.recording.recorder import RecordingCancelled, RecordingJob, Timing
from PySide6.QtCore import QObject, QThread, Signal

_FINISH = object()


class RecorderThread(QObject):
    """A RecordingJob on a worker thread, fed through a bounded queue.

    Create it (the output is validated here: StudioError, nothing written), connect the signals, call
    `start()`, then `add_state(...)` for every state and `finish()` at the end — or `cancel()`. Exactly
    one of `finished(path)`, `failed(message)` or `cancelled()` is emitted at the end, whatever ends the
    worker; `progress(frames)` as frames are written. `add_state` blocks while the queue is full (the
    recording sets the pace); `try_add_state` does not, so the window can pause playback and retry
    instead. Before dropping a running recorder (closing the window), call `cancel()` and `wait()`: Qt
    aborts on a running thread being destroyed.

    States are accepted under a lock that the worker also takes to stop accepting them, so a state is
    never queued (and reported queued) after the worker has given up and emptied the queue.
    """

    progress = Signal(int)
    finished = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        path: str | os.PathLike[str],
        spec: FrameSpec,
        timing: Timing | None = None,
        dataset: Dataset | None = None,
        queue_size: int = 4,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._job = RecordingJob(path, spec, timing, dataset, progress=self.progress.emit)
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, queue_size))
        # Guards `_ending` and every put; notified whenever the worker takes an item or stops.
        self._gate = threading.Condition()
        self._thread = _Worker(self)
        self._ending = False  # no more states are taken (finish, cancel, or the worker stopped)
        self._stopped = False  # the worker has stopped and emptied the queue for good
        self._started = False

    @property
    def path(self) -> str:
        return self._job.path

    @property
    def frames_written(self) -> int:
        return self._job.frames_written

    def start(self) -> None:
        self._started = True
        self._thread.start()

    def add_state(
        self, snapshot: Snapshot, history: History | None = None, timeout: float | None = None
    ) -> bool:
        """Queue a state, waiting up to `timeout` seconds (None: as long as it takes) for room; False if it
        was not queued (no room in time, or the recording is ending)."""
        return self._offer((snapshot, history), timeout, lambda: self._ending)

    def try_add_state(self, snapshot: Snapshot, history: History | None = None) -> bool:
        """Queue a state only if there is room right now."""
        return self._offer((snapshot, history), 0.0, lambda: self._ending)

    def finish(self) -> None:
        """No more states: render what is queued, close the file, then emit `finished(path)`."""
        with self._gate:
            if self._ending:
                return
            self._ending = True
        self._offer(_FINISH, None, lambda: self._stopped)

    def cancel(self) -> None:
        """Stop soon and delete the output, then emit `cancelled()`."""
        self._job.cancel()
        with self._gate:
            self._ending = True
            orphan = not self._started  # no worker will ever clean up: do it here
            if orphan:
                self._started = self._stopped = True
            else:
                self._drain()  # drop what is queued so the worker sees the cancel at once
                self._queue.put_nowait(_FINISH)
        if orphan:
            self._job.abort()
            self.cancelled.emit()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker has stopped (for shutdown and tests); False on timeout."""
        if msecs < 0:
            return self._thread.wait()
        return self._thread.wait(msecs)

    def _offer(self, item: object, timeout: float | None, refused: Callable[[], bool]) -> bool:
        """Put `item` once there is room (waiting up to `timeout`), unless `refused()` holds first."""
        with self._gate:
            if not self._gate.wait_for(lambda: refused() or not self._queue.full(), timeout):
                return False
            if refused():
                return False
            self._queue.put_nowait(item)  # only the worker takes items, so the room is still there
            return True

    def _drain(self) -> None:
        """Empty the queue (with the gate held)."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._gate.notify_all()

    def _take(self) -> object:
        item = self._queue.get()
        with self._gate:
            self._gate.notify_all()  # room for a waiting producer
        return item

    def _run(self) -> None:
        job = self._job
        ended = False  # a terminal signal went out
        try:
            while True:
                item = self._take()
                if item is _FINISH:
                    path = job.finish()
                    ended = True
                    self.finished.emit(path)
                    return
                job.add_state(*item)
        except RecordingCancelled:
            job.abort()
            ended = True
            self.cancelled.emit()
        except Exception as exc:
            job.abort()
            ended = True
            self.failed.emit(str(exc) if isinstance(exc, StudioError) else f"recording failed: {exc}")
        finally:
            with self._gate:
                self._ending = self._stopped = True
                self._drain()  # unblock anyone still waiting to put
            if not ended:  # KeyboardInterrupt, SystemExit…: the window must still hear that it is over
                job.abort()
                self.failed.emit("recording stopped unexpectedly; nothing was saved")


class _Worker(QThread):
    def __init__(self, owner: RecorderThread) -> None:
        super().__init__(owner)
        self._owner = owner

    def run(self) -> None:
        try:
            self._owner._run()
        except BaseException:  # already reported by `failed`; it must not reach Qt
            # Qt would hand it to PyErr_Print, which for SystemExit ends the whole application.
            traceback.print_exc()
