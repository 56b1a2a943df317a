"""Train → Memory for stepping back…: the memory budget of history and step-back, in MB.

The number is kept between launches (QSettings `history/memory_budget_mb`) and applies to the live
session at once: a smaller budget merges the oldest batch losses and forgets the oldest steps one could
step back to, as the dialog says before it is applied.
"""

from __future__ import annotations

from backprop_studio.gui.controller.memory import MAX_BUDGET_MB, MB, MIN_BUDGET_MB
from backprop_studio.gui.window import settings
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

KEY = "history/memory_budget_mb"
EXPLANATION = (
    "Stepping back and the loss history keep at most this much memory: saved training states to "
    "step back to, and the loss of every epoch and batch. Past half of it the oldest batch losses are "
    "merged into their minimum and maximum (the plotted envelope stays true); past all of it the "
    "oldest steps can no longer be reached. A smaller number applies at once."
)


def stored_budget_mb() -> int:
    """The budget kept between launches, within the allowed range."""
    value = float(settings.get(KEY))
    return int(min(max(value, MIN_BUDGET_MB), MAX_BUDGET_MB))


class MemoryDialog(QDialog):
    """A number field in MB with what is kept now; OK (or Enter in the field) applies it."""

    def __init__(self, budget_mb: int, kept_bytes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memory-dialog")
        self.setWindowTitle("Memory for stepping back")
        text = QLabel(EXPLANATION)
        text.setWordWrap(True)
        text.setMinimumWidth(420)
        self.field = QSpinBox()
        self.field.setObjectName("memory-budget")
        self.field.setRange(MIN_BUDGET_MB, MAX_BUDGET_MB)
        self.field.setSuffix(" MB")
        self.field.setGroupSeparatorShown(True)
        self.field.setValue(budget_mb)
        self.field.setAccessibleName("Memory budget in MB")
        kept = QLabel(f"{kept_bytes / MB:,.1f} MB")
        kept.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        form.addRow("Keep at most:", self.field)
        form.addRow("In use now:", kept)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.field.setFocus()
        self.field.selectAll()

    @property
    def budget_mb(self) -> int:
        return self.field.value()


def ask_memory_budget(window, controller) -> None:
    """Show the dialog (window-modal); on OK apply the number and keep it for the next launch."""
    dialog = MemoryDialog(controller.memory_budget // MB, controller.memory_kept, window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    window.memory_dialog = dialog  # tests find it here

    def accepted() -> None:
        if controller.set_memory_budget(dialog.budget_mb):
            settings.put(KEY, dialog.budget_mb)

    dialog.accepted.connect(accepted)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
