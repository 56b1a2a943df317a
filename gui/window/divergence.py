"""What the window does when training diverges: a dialog with the two ways out that work (Reset with the
same seed, or back to the start of this epoch), and Step and Play disabled with a tooltip that says why,
instead of a modal box per press."""

from __future__ import annotations

from collections.abc import Callable

from backprop_studio.gui.window.actions import usual_tip
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

# The commands that run training on: none can go on from a NaN or inf.
FORWARD_ACTIONS = ("step", "forward", "backward", "update", "batch", "epoch", "play")

EXPLANATION = (
    "Training stopped at the phase where a value became NaN or infinite. The weights were probably "
    "already huge a few steps earlier, so stepping back one phase and lowering the learning rate "
    "usually diverges again at once.\n\n"
    "Reset starts again from the same seed's weights; then lower the learning rate and press Play. "
    "Back to the start of this epoch keeps what was learned before it."
)


class DivergenceDialog(QMessageBox):
    """Offers Reset (same seed), Back to the start of this epoch, and Close. Which was clicked is in
    `choice()`: "reset", "epoch_start" or None."""

    def __init__(self, parent: QWidget | None, text: str) -> None:
        super().__init__(parent)
        self.setObjectName("divergence-dialog")
        self.setWindowTitle("Training diverged")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(f"Training diverged: {text}.")
        self.setInformativeText(EXPLANATION)
        self.reset_button = self.addButton("Reset (same seed)", QMessageBox.ButtonRole.AcceptRole)
        self.epoch_button = self.addButton(
            "Back to the start of this epoch", QMessageBox.ButtonRole.ActionRole
        )
        self.close_button = self.addButton("Close", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.reset_button)
        self.setEscapeButton(self.close_button)

    def choice(self) -> str | None:
        clicked = self.clickedButton()
        if clicked is self.reset_button:
            return "reset"
        if clicked is self.epoch_button:
            return "epoch_start"
        return None


def ask(parent: QWidget, text: str, reset: Callable[[], None], epoch_start: Callable[[], None]) -> None:
    """Show the dialog and do what the user chose."""
    dialog = DivergenceDialog(parent, text)
    dialog.exec()
    choice = dialog.choice()
    dialog.deleteLater()
    if choice == "reset":
        reset()
    elif choice == "epoch_start":
        epoch_start()


def show_state(actions: dict[str, QAction], divergence: str | None) -> None:
    """Disable the commands that train on while diverged, with a tooltip saying why; restore them (and
    their usual tooltip, `window.actions.usual_tip`) after."""
    for name in FORWARD_ACTIONS:
        action = actions[name]
        usual = usual_tip(action)
        if divergence and not action.isChecked():  # a Pause button stays usable while playing
            action.setEnabled(False)
            action.setToolTip(
                f"Training diverged here ({divergence}). Step back (←), go back to the start of this "
                "epoch (Ctrl+Shift+←), or Reset (Ctrl+R) first."
            )
        elif not action.isEnabled() or action.toolTip() != usual:
            action.setEnabled(True)
            action.setToolTip(usual)
