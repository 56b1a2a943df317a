"""Recording training as a clip: states in, frames rendered and streamed to an encoder, nothing kept.

`RecordingJob` is the pipeline the command line and the app share. Each state (a snapshot, with its
loss history) becomes a few transition frames easing in from the previous state,
then the state held still for a while. A held picture is rendered once and handed to the writer once
with a repeat count, so a clip costs rendering time only where something moves. Only the previous
state and one frame buffer are kept, so memory stays flat however long the clip. The data panel's
network outputs (`frame_inputs`: decision map, predictions, curve) are computed here once per picture,
so the renderer only paints.

`RecorderThread` runs a job on a worker QThread for the app: the window hands states over through a
small bounded queue (so a fast training loop cannot pile up snapshots), and hears back through
signals. Frames are painted on QImages in the worker, which Qt allows; no widget is touched there.
"""

from __future__ import annotations

import os
import queue
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from backprop_studio.core.analysis.frame_data import FrameData, frame_inputs
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.errors import StudioError
from backprop_studio.core.training import tween
from backprop_studio.core.training.snapshot import History, Snapshot
from backprop_studio.gui.recording.data_panel import MAX_POINTS
from backprop_studio.gui.recording.encoders import FrameWriter, open_writer
from backprop_studio.gui.recording.frame import FrameRenderer, FrameSpec, caption_for
from backprop_studio.gui.style.qimage import bgra_view
from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QImage


class RecordingCancelled(StudioError):
    """The recording was cancelled; whatever it had written has been removed."""


@dataclass(frozen=True)
class Timing:
    """How long things take on screen: `hold` seconds per state, then `transition` seconds easing into
    the next one (0 cuts straight to it)."""

    fps: float = 30.0
    hold: float = 0.75
    transition: float = 0.25

    def __post_init__(self) -> None:
        if not (self.hold == self.hold and self.hold > 0):
            raise StudioError(f"each state must be held for a positive time, not {self.hold} s")
        if not (self.transition == self.transition and self.transition >= 0):
            raise StudioError(f"a transition cannot last {self.transition} s")

    @property
    def hold_frames(self) -> int:
        return max(1, round(self.hold * self.fps))

    @property
    def transition_frames(self) -> int:
        return max(0, round(self.transition * self.fps))

    def frames_for(self, states: int) -> int:
        """Frames in a clip of `states` states: each held, and every one after the first eased into."""
        if states <= 0:
            return 0
        return states * self.hold_frames + (states - 1) * self.transition_frames


def _ease(t: float) -> float:
    """Smoothstep: transitions start and end gently, which the eye follows better than a constant speed."""
    return t * t * (3.0 - 2.0 * t)


class RecordingJob:
    """Renders states into frames and streams them to `path` (.mp4, .gif or a folder/ of PNGs).

    Opening validates everything (StudioError, nothing written). Then `add_state` for each state, and
    `finish()` to move the finished file to its name, or `abort()` to delete it. Thread-safe only in that
    `cancel()` may be called from another thread: the job stops at the next frame and raises
    RecordingCancelled from `add_state`/`finish`, having removed its output.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        spec: FrameSpec,
        timing: Timing | None = None,
        dataset: Dataset | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.spec = spec
        self.timing = timing or Timing()
        self.dataset = dataset
        self._progress = progress
        self._renderer = FrameRenderer(spec)
        self._writer: FrameWriter = open_writer(
            path, self.timing.fps, (spec.width, spec.height), self._renderer.key_colors()
        )
        self._image = QImage(spec.width, spec.height, QImage.Format.Format_ARGB32_Premultiplied)
        self._previous: Snapshot | None = None
        self._cancel = threading.Event()
        self._closed = False
        self.states = 0
        # Only the full layout has a data panel to feed.
        self._with_data = dataset is not None and spec.layout == "full"

    @property
    def path(self) -> str:
        return str(self._writer.path)

    @property
    def frames_written(self) -> int:
        return self._writer.frames_written

    def cancel(self) -> None:
        """Ask the job to stop (from any thread); it removes its output at the next frame."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def add_state(self, snapshot: Snapshot, history: History | None = None) -> None:
        """Append one state: transition frames from the previous state (where numbers changed), then the
        state held. `history` defaults to the snapshot's."""
        if self._closed:
            raise StudioError(f"{self.path}: the recording is already finished")
        try:
            self._add(snapshot, history)
        except BaseException:
            self.abort()
            raise

    def _add(self, snapshot: Snapshot, history: History | None) -> None:
        timing = self.timing
        data = self._data_for(snapshot)
        previous = self._previous
        hold = timing.hold_frames
        steps = timing.transition_frames if previous is not None else 0
        if steps and tween.differs(previous, snapshot):
            # In-between pictures are drawn the way the new state is (values or gradients): after an
            # update, for instance, the view turns from gradients to weights, which then ease from
            # their old values to their new ones.
            caption = caption_for(snapshot, self.spec.mode)
            for k in range(1, steps + 1):
                between = tween.interpolate(previous, snapshot, _ease(k / (steps + 1)))
                self._emit(between, self._data_for(between), history, caption, 1)
        else:
            hold += steps  # nothing would move: the new picture shows up sooner and stays longer
        self._emit(snapshot, data, history, None, hold)
        self._previous = snapshot
        self.states += 1

    def _data_for(self, snapshot: Snapshot) -> FrameData | None:
        """The data panel's network outputs for `snapshot`, or None when the frame has no data panel."""
        if not self._with_data:
            return None
        return frame_inputs(snapshot, self.dataset, max_points=MAX_POINTS)

    def _emit(
        self,
        snapshot: Snapshot,
        data: FrameData | None,
        history: History | None,
        caption: str | None,
        repeat: int,
    ) -> None:
        if self._cancel.is_set():
            raise RecordingCancelled(f"recording to {self.path} cancelled; nothing was written")
        image = self._renderer.render(snapshot, data, history, self.dataset, caption, target=self._image)
        self._writer.write(bgra_view(image), repeat)
        if self._progress is not None:
            self._progress(self._writer.frames_written)

    def finish(self) -> str:
        """Close the file and give it its name; returns the path. A job with no states writes nothing."""
        if self._cancel.is_set():
            self.abort()
            raise RecordingCancelled(f"recording to {self.path} cancelled; nothing was written")
        self._closed = True
        return self._writer.close()

    def abort(self) -> None:
        """Delete everything written; the target name is left untouched."""
        self._closed = True
        self._writer.abort()

    def __enter__(self) -> RecordingJob:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None or not self._closed:
            self.abort()


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
