"""Recording training as a clip: states in, frames rendered and streamed to an encoder, nothing kept.

`RecordingJob` is the pipeline the command line and the app share. Each state (a snapshot, with its
loss history) becomes a few transition frames easing in from the previous state,
then the state held still for a while. A held picture is rendered once and handed to the writer once
with a repeat count, so a clip costs rendering time only where something moves. Only the previous
state and one frame buffer are kept, so memory stays flat however long the clip. The data panel's
network outputs (`frame_inputs`: decision map, predictions, curve) are computed here once per picture,
so the renderer only paints.

`recorder_thread.RecorderThread` runs a job on a worker QThread for the app.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from backprop_studio.core.analysis.frame_data import FrameData, frame_inputs
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.errors import StudioError
from backprop_studio.core.training import tween
from backprop_studio.core.training.snapshot import History, Snapshot
from backprop_studio.gui.recording.data_plane import MAX_POINTS
from backprop_studio.gui.recording.encoders import FrameWriter, open_writer
from backprop_studio.gui.recording.frame import FrameRenderer, FrameSpec, narrated_caption
from backprop_studio.gui.style.qimage import bgra_view
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
            caption = narrated_caption(snapshot, self.spec.mode)
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
