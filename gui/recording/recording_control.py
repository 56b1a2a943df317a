"""The window's Record toggle: every state the window shows while it is on becomes frames.

Frames go to a temporary file in the chosen format while recording (rendered and encoded on a worker
thread, so the window never waits); Stop asks where to save and moves the finished clip there. A
cancelled or failed recording leaves nothing behind, and never a half-written file under the chosen name.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace

from backprop_studio.core.errors import StudioError
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.recording.record_dialog import RecordDialog, RecordOptions
from backprop_studio.gui.recording.recorder_thread import RecorderThread
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

RETRY_MS = 40
# How long closing the window waits for the worker to stop after a cancel. Rendering stops at the next
# frame; only an encoder that stopped taking frames takes longer, and that must not keep the window open.
SHUTDOWN_WAIT_MS = 5_000
_LEFT_RUNNING: list[RecorderThread] = []  # recorders whose worker outlived the window's wait


class RecordingControl(QObject):
    state_changed = Signal(bool)  # recording or not
    status = Signal(str)  # a short text for the status bar ("● REC · 120 frames"), "" when idle

    def __init__(self, controller: StudioController, parent: QWidget) -> None:
        super().__init__(parent)
        self._controller = controller
        self._window = parent
        self._recorder: RecorderThread | None = None
        self._options: RecordOptions | None = None
        self._temp_dir: str | None = None
        self._target: str | None = None
        self._waiting: Snapshot | None = None
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._flush)
        controller.snapshot_changed.connect(self._on_snapshot)

    @property
    def recording(self) -> bool:
        return self._recorder is not None and self._target is None

    def toggle(self) -> None:
        if self._recorder is None:
            self.start()
        elif self._target is None:
            self.stop()

    def start(self, options: RecordOptions | None = None) -> bool:
        """Ask what to record (unless `options` are given) and start; False if the user cancelled."""
        if options is None:
            size = self._window.size()
            options = RecordDialog.get_options(self._window, self._options, (size.width(), size.height()))
            if options is None:
                self.state_changed.emit(False)
                return False
        self._options = options
        self._temp_dir = tempfile.mkdtemp(prefix="backprop-recording-")
        suffix = {"mp4": "clip.mp4", "gif": "clip.gif", "png": "frames" + os.sep}[options.format]
        try:
            state = self._controller.view_state
            # Image inputs (data.image_shape) are drawn as their pixel grid, as the window draws them.
            spec = replace(options.frame_spec(), image_shape=state.data.image_shape)
            self._recorder = RecorderThread(
                os.path.join(self._temp_dir, suffix), spec, options.timing(), state.dataset
            )
        except StudioError as exc:
            self._cleanup()
            _plain_error(self._window, "Cannot record", str(exc))
            self.state_changed.emit(False)
            return False
        # Bound methods of this QObject, which lives in the GUI thread: the worker's signals are queued
        # to it, whichever thread the recorder object ends up in.
        self._recorder.progress.connect(self._on_progress)
        self._recorder.finished.connect(self._on_finished)
        self._recorder.failed.connect(self._on_failed)
        self._recorder.cancelled.connect(self._on_cancelled)
        self._recorder.start()
        self.state_changed.emit(True)
        self.status.emit("● REC · 0 frames")
        self._on_snapshot(self._controller.snapshot)  # the moment recording starts is the first picture
        return True

    def stop(self, target: str | None = None) -> None:
        """Stop recording: ask where to save (unless `target` is given), then finish encoding there."""
        if self._recorder is None:
            return
        self._flush()
        if target is None:
            target = self._ask_target()
        if not target:
            self.cancel()
            return
        self._target = target
        self.status.emit("● finishing the recording…")
        self._recorder.finish()

    def cancel(self) -> None:
        if self._recorder is not None:
            self._recorder.cancel()

    def shutdown(self) -> bool:
        """Before the window closes: a running worker thread must not be destroyed. Waits at most
        SHUTDOWN_WAIT_MS; False if the worker was still running then (it is left to end on its own)."""
        stopped = True
        if self._recorder is not None:
            self._recorder.cancel()
            stopped = self._recorder.wait(SHUTDOWN_WAIT_MS)
            if stopped:
                self._cleanup()
            else:  # Qt aborts if a running thread is destroyed: keep it until it ends by itself
                _LEFT_RUNNING.append(self._recorder)
        return stopped

    def wait(self, msecs: int = -1) -> bool:
        return self._recorder.wait(msecs) if self._recorder is not None else True

    # ------------------------------------------------------------------ feeding states

    def _on_progress(self, frames: int) -> None:
        self.status.emit(f"● REC · {frames} frames")

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        if not self.recording:
            return
        self._waiting = snapshot
        self._flush()

    def _flush(self) -> None:
        """Queue the latest state; when the encoder is behind, keep only the newest and retry shortly."""
        if self._waiting is None or self._recorder is None:
            self._retry.stop()
            return
        snap = self._waiting
        if self._recorder.try_add_state(snap, snap.history):
            self._waiting = None
            self._retry.stop()
        elif not self._retry.isActive():
            self._retry.start()

    # ------------------------------------------------------------------ the end

    def _ask_target(self) -> str:
        assert self._options is not None
        fmt = self._options.format
        filters = {
            "mp4": "MP4 video (*.mp4)",
            "gif": "GIF animation (*.gif)",
            "png": "Folder for PNG frames (*)",
        }
        if fmt == "png":
            return QFileDialog.getExistingDirectory(
                self._window, "Save the PNG frames in…", self._options.path
            )
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Save the recording", self._options.path, filters[fmt]
        )
        if path and not path.lower().endswith("." + fmt):
            path += "." + fmt
        return path

    def _on_finished(self, temp_path: str) -> None:
        target = self._target
        try:
            _move_into_place(temp_path, target)
        except OSError as exc:
            _plain_error(self._window, "Recording not saved", f"Could not save {target}: {exc}")
        else:
            self._options = replace(self._options, path=target) if self._options else None
            frames = self._recorder.frames_written if self._recorder else 0
            self.status.emit("")
            self._window.statusBar().showMessage(f"Saved the recording: {target} ({frames} frames)", 8000)
        self._end()

    def _on_failed(self, message: str) -> None:
        _plain_error(self._window, "Recording failed", f"{message}\n\nNothing was saved.")
        self._end()

    def _on_cancelled(self) -> None:
        self._window.statusBar().showMessage("Recording discarded", 5000)
        self._end()

    def _end(self) -> None:
        if self._recorder is not None:  # it sent its last signal, so it is about to stop
            self._recorder.wait(SHUTDOWN_WAIT_MS)
        self._recorder = None
        self._target = None
        self._waiting = None
        self._retry.stop()
        self._cleanup()
        self.status.emit("")
        self.state_changed.emit(False)

    def _cleanup(self) -> None:
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None


def _move_into_place(source: str, target: str) -> None:
    """Move a finished file (or folder of frames) to `target` without ever leaving a partial copy there."""
    source = source.rstrip(os.sep)
    target = os.path.abspath(target)
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
        for name in sorted(os.listdir(source)):
            _move_into_place(os.path.join(source, name), os.path.join(target, name))
        return
    folder = os.path.dirname(target)
    # Copy next to the target under a temporary name first (the temp folder may be another file system),
    # then rename: the target is either the old file or the complete new one.
    handle, staging = tempfile.mkstemp(prefix=".recording-", dir=folder)
    os.close(handle)
    try:
        shutil.copyfile(source, staging)
        os.replace(staging, target)
    except BaseException:
        if os.path.exists(staging):
            os.unlink(staging)
        raise


def _plain_error(parent: QWidget, title: str, text: str) -> None:
    """An error box showing `text` as typed: it may quote a path the user chose (`<b>` stays `<b>`)."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
