"""The progress dialog of a running job: its label as plain text (it may name a file), a bar, Cancel.

Window-modal, so nothing in the window changes the session while the worker reads it; the window itself
keeps repainting. The dialog appears only when the job takes longer than SHOW_AFTER_MS.
"""

from __future__ import annotations

from backprop_studio.gui.jobs.runner import Job
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

SHOW_AFTER_MS = 300
STEPS = 1000


def show_progress(parent: QWidget, job: Job) -> QProgressDialog:
    """A progress dialog following `job`: its bar moves with `progressed`, Cancel cancels the job, and it
    closes itself when the work is over (whichever way), before the job's outcome is handled."""
    dialog = QProgressDialog(parent)
    dialog.setObjectName("job-progress")
    dialog.setWindowTitle("Backprop Studio")
    label = QLabel(job.label)
    label.setTextFormat(Qt.TextFormat.PlainText)  # a file name is shown as typed, never as markup
    dialog.setLabel(label)
    dialog.setCancelButtonText("Cancel")
    dialog.setRange(0, STEPS if job.determinate else 0)  # (0, 0): a busy bar, for work of one piece
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)  # starts the timer that shows the dialog after SHOW_AFTER_MS

    def cancel() -> None:
        if job.running:
            job.cancel()
            label.setText("Cancelling…")

    def done() -> None:
        dialog.canceled.disconnect(cancel)  # closing a progress dialog emits canceled: not a Cancel
        dialog.close()
        dialog.deleteLater()

    if job.determinate:
        job.progressed.connect(lambda share: dialog.setValue(round(share * STEPS)))
    dialog.canceled.connect(cancel)
    job.settled.connect(done)
    return dialog
