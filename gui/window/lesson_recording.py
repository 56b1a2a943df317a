"""Record lesson… in the window: the dialog, then the lesson recorded on a worker while the window works on.

The clip is made by `lesson_record.stream_lesson` — the code behind `python main.py record --lesson` —
on its own headless session, through a `gui.jobs` Job: the window's network and lesson are never touched,
so it stays usable. A strip in the status bar follows the job ("step 3 of 14 · 240 frames") with Cancel;
a cancelled or failed recording leaves nothing behind (the encoder writes under a temporary name), a
failure is said in one line, and the file written is named in the status bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_studio.core.lessons.model import Lesson
from backprop_studio.gui.jobs.runner import Job, JobControl
from backprop_studio.gui.recording.lesson_record import LessonClip, stream_lesson
from backprop_studio.gui.window import dialogs
from backprop_studio.gui.window.lesson_record_dialog import OPEN, LessonRecordDialog
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

if TYPE_CHECKING:
    from backprop_studio.gui.main_window import MainWindow

SHUTDOWN_WAIT_MS = 5_000  # closing the window: how long to wait for the worker to stop after Cancel
_LEFT_RUNNING: list[Job] = []  # jobs whose worker outlived that wait: kept until their thread ends
STEPS = 1000


class ProgressStrip(QWidget):
    """The status bar's view of a lesson being recorded: what, how far, and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lesson-recording")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # a lesson's title comes from its file
        self.bar = QProgressBar()
        self.bar.setRange(0, STEPS)
        self.bar.setFixedWidth(140)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop recording the lesson; nothing is written")
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.hide()


class LessonRecording(QObject):
    """Owns the Record lesson action, the dialog and the one recording job at a time."""

    scene_recorded = Signal(str, int)  # emitted on the worker: ("step 3 of 14", frames so far)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.job: Job | None = None
        self._last: LessonClip | None = None  # last time's choices, to start from
        self._title = ""
        self.strip = ProgressStrip(window)  # in the status bar only while recording: hidden, it adds height
        self.strip.cancel_button.clicked.connect(self.cancel)
        self.scene_recorded.connect(self._on_scene)  # queued: emitted on the worker thread
        window.actions["record_lesson"].triggered.connect(lambda: self.ask())
        window.lesson_panel.record_requested.connect(lambda: self.ask(OPEN))

    def ask(self, chosen: str | None = None) -> Job | None:
        """The dialog (with `chosen` selected: a built-in lesson's name, or OPEN), then the recording."""
        if self.job is not None:
            self.window.statusBar().showMessage("A lesson is being recorded: wait for it or cancel it.", 5000)
            return None
        open_lesson = self.window.lessons.lesson
        dialog = LessonRecordDialog(self.window, open_lesson, chosen, self._last, self.window._dark)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        choice = dialog.result_choice
        dialog.deleteLater()
        if not accepted or choice is None:
            return None
        self._last = choice.clip
        return self.start(choice.lesson, choice.clip)

    def start(self, lesson: Lesson, clip: LessonClip) -> Job:
        """Record `lesson` to `clip.out` on a worker; the returned job ends finished, failed or cancelled."""
        total = max(1, len(lesson.steps))
        done = [0]

        def work(control: JobControl) -> tuple[str, int]:
            def on_scene(counter: str, frames: int) -> None:
                done[0] += 1
                self.scene_recorded.emit(counter, frames)
                control.report(done[0] / total)

            return stream_lesson(lesson, clip, on_scene, control.should_stop)

        self._title = lesson.title
        job = Job(work, f"Recording the lesson “{lesson.title}”…", self, kind="lesson-record")
        job.progressed.connect(lambda share: self.strip.bar.setValue(round(share * STEPS)))
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        job.cancelled.connect(self._on_cancelled)
        job.ended.connect(self._on_ended)
        self.job = job
        self.window.actions["record_lesson"].setEnabled(False)
        # Where it is comes first: on a narrow window the status bar cuts the end of the line.
        self.strip.label.setText("● Recording the lesson: starting…")
        self.strip.setToolTip(f"Recording “{lesson.title}” to {clip.out}")
        self.strip.bar.setValue(0)
        self.strip.cancel_button.setEnabled(True)
        self.window.statusBar().addPermanentWidget(self.strip)
        self.strip.show()
        job.start()
        return job

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.strip.label.setText("Cancelling the recording…")
            self.strip.cancel_button.setEnabled(False)

    def shutdown(self) -> None:
        """Before the window closes: a running worker must stop before its thread object goes."""
        job = self.job
        if job is not None and job.running:
            job.cancel()
            if not job.wait(SHUTDOWN_WAIT_MS):  # Qt aborts if a running thread is destroyed with us
                job.setParent(None)
                _LEFT_RUNNING.append(job)
                job.ended.connect(lambda: _LEFT_RUNNING.remove(job))

    @Slot(str, int)
    def _on_scene(self, counter: str, frames: int) -> None:
        if self.job is not None and self.strip.cancel_button.isEnabled():
            self.strip.label.setText(f"● Recording the lesson: {counter} · {frames:,} frames")

    def _on_finished(self, value: tuple[str, int]) -> None:
        path, frames = value
        self.window.statusBar().showMessage(f"Wrote {path}: the lesson in {frames:,} frames", 15000)

    def _on_failed(self, error: BaseException) -> None:
        text = " ".join(str(error).split()) or type(error).__name__
        dialogs.show_message(self.window, "error", f"Cannot record the lesson “{self._title}”: {text}")

    def _on_cancelled(self) -> None:
        self.window.statusBar().showMessage("Lesson recording cancelled: nothing was written.", 8000)

    def _on_ended(self) -> None:
        if self.job is not None:
            self.job.deleteLater()  # its thread has ended (Job waits for it before `ended`)
        self.job = None
        self.window.statusBar().removeWidget(self.strip)
        self.strip.hide()
        self.window.actions["record_lesson"].setEnabled(True)
