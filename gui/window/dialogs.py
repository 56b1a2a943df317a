"""The window's small dialogs: the keyboard shortcuts table, About, and the preset gallery."""

from __future__ import annotations

from backprop_studio.core.project.presets_catalog import list_presets
from backprop_studio.gui.window import actions as action_specs
from backprop_studio.gui.window.gallery import Entry, Gallery
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

mightBeRichText = QtGuiNamespace.mightBeRichText  # Qt's own guess, which the standard boxes apply

ABOUT = (
    "<b>Backprop Studio</b><br>See neural-network training happen: step the forward and backward "
    "passes one layer at a time, read the chain rule with real numbers, and step back exactly."
)


def show_shortcuts(parent: QWidget) -> None:
    rows = action_specs.shortcut_table()
    dialog = QDialog(parent)
    dialog.setWindowTitle("Keyboard shortcuts")
    table = QTableWidget(len(rows), 2, dialog)
    table.setObjectName("shortcuts-table")
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # shortcuts cannot be rebound
    table.setHorizontalHeaderLabels(["Command", "Keys"])
    for r, (text, keys) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(text))
        table.setItem(r, 1, QTableWidgetItem(keys))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(460, 560)
    dialog.exec()


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, "About Backprop Studio", ABOUT)


def confirm_new_branch(parent: QWidget) -> bool:
    """Asked before an edit at an earlier moment drops the recorded steps after it."""
    answer = QMessageBox.question(
        parent,
        "Start a new branch?",
        "You are looking at an earlier moment of the run. Changing something here discards the "
        "recorded steps after it, and training continues from this moment with the change.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_message(parent: QWidget, severity: str, text: str) -> None:
    """A controller message: info in the status bar, warnings and errors in a box. The text may quote a
    file (names, paths, JSON keys, CSV headers), so it is shown as plain text, never as rich text."""
    if severity == "info" and hasattr(parent, "statusBar"):
        parent.statusBar().showMessage(text, 5000)
    elif severity == "info":
        return
    elif mightBeRichText(text):  # e.g. a file named "<b>x</b>.json": the box must show it as typed
        plain_box(parent, severity, "Backprop Studio", text).exec()
    elif severity == "warning":  # text Qt shows as typed anyway: the standard box
        QMessageBox.warning(parent, "Backprop Studio", text)
    else:
        QMessageBox.critical(parent, "Backprop Studio", text)


def plain_box(parent: QWidget, severity: str, title: str, text: str) -> QMessageBox:
    """A message box whose text is shown as typed: `<b>` in a file name stays `<b>`, no links."""
    icon = QMessageBox.Icon.Warning if severity == "warning" else QMessageBox.Icon.Critical
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(f"message-{severity}")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box


class PresetGallery(Gallery):
    """A list of the presets with their one-line descriptions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        entries = [Entry(name, name, description) for name, description in list_presets()]
        intro = "Start from a ready-made network and data set:"
        super().__init__(parent, "New from preset", intro, entries, size=(860, 560))

    @classmethod
    def choose(cls, parent: QWidget | None) -> str | None:
        picked = cls(parent).ask()
        return None if picked is None else picked[1]
