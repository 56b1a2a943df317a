"""The progress dialog of a running job: its label as plain text (it may name a file), a bar, Cancel.

Window-modal, so nothing in the window changes the session while the worker reads it; the window itself
keeps repainting. A light dialog of three widgets, not a QProgressDialog: that one runs a nested event
loop in every `setValue` of a modal dialog (the window's longest stalls during a CSV import were spent
there). It appears only when the job takes longer than SHOW_AFTER_MS, the work held meanwhile; its bar
moves at most UPDATES_PER_S times a second, and only when the whole percent changes: each move repaints.
"""

from __future__ import annotations

import time

from backprop_studio.gui.jobs.runner import Job
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

SHOW_AFTER_MS = 300
# The work waits while the dialog appears: showing a modal dialog moves the activation, and every widget
# of the window handles that; with a worker competing for the interpreter that took up to half a second.
HOLD_BEFORE_SHOW_MS = 30  # the work reaches its next report (every 4,096 CSV rows) meanwhile
HOLD_AFTER_SHOW_MS = 150  # the window repaints after losing the activation meanwhile
STEPS = 100  # the bar counts whole percents
UPDATES_PER_S = 10


class JobProgressDialog(QDialog):
    """Follows `job`: the bar moves with `progressed`, Cancel (or Escape, or closing the dialog) cancels
    the job, and the dialog closes itself when the work is over (whichever way), before the job's outcome
    is handled."""

    def __init__(self, parent: QWidget, job: Job) -> None:
        super().__init__(parent)
        self.job = job
        self.setObjectName("job-progress")
        self.setWindowTitle("Backprop Studio")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = QLabel(job.label)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # a file name is shown as typed, never as markup
        self.label.setMinimumWidth(320)
        self.bar = QProgressBar()
        self.bar.setRange(0, STEPS if job.determinate else 0)  # (0, 0): a busy bar, for work of one piece
        self.bar.setValue(0)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self._shown_value = 0
        self._last_update = 0.0
        self._over = False
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._hold)
        self._show_timer.start(SHOW_AFTER_MS)
        if job.determinate:
            job.progressed.connect(self.set_share)
        job.settled.connect(self._done)

    def set_share(self, share: float) -> None:
        """The share done, 0…1: the bar moves when the whole percent changed, at most UPDATES_PER_S a second
        (the last step to 100 % is not waited for: the dialog closes then)."""
        value = min(STEPS, max(0, int(share * STEPS)))
        now = time.perf_counter()
        if value == self._shown_value or now - self._last_update < 1 / UPDATES_PER_S:
            return
        self._shown_value, self._last_update = value, now
        self.bar.setValue(value)

    def cancel(self) -> None:
        if self.job.running and not self._over:
            self.job.cancel()
            self.label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def reject(self) -> None:
        """Escape or the dialog's close button: a Cancel; the dialog stays until the work stopped."""
        self.cancel()

    def _hold(self) -> None:
        if not self._over:
            self.job.hold()
            QTimer.singleShot(HOLD_BEFORE_SHOW_MS, self._appear)

    def _appear(self) -> None:
        if not self._over:
            self.show()
        QTimer.singleShot(HOLD_AFTER_SHOW_MS, self.job.resume)

    def _done(self) -> None:
        self._over = True
        self._show_timer.stop()
        self.hide()
        self.deleteLater()


def show_progress(parent: QWidget, job: Job) -> JobProgressDialog:
    """A progress dialog following `job` (see JobProgressDialog); it shows after SHOW_AFTER_MS."""
    return JobProgressDialog(parent, job)
