"""File → Export… and File → Import weights…: the window's side of core/interop.

Export asks which format (PyTorch script, npz, safetensors, ONNX), then where; core writes the files
atomically from the project as Save would write it now. Import asks for a weights file, reads it with
core, asks for the activations when the file does not say them, and only then replaces the current
network; any problem is shown in a dialog and the current network stays.
"""

from __future__ import annotations

import importlib.util
import os

from backprop_studio.core.errors import StudioError
from backprop_studio.core.interop.exports import FORMATS, LABELS, SUFFIXES, export_project
from backprop_studio.core.interop.weights_import import build_project, parse_activations, read_weights
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.style import colors
from backprop_studio.gui.window.dialogs import plain_box
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

WEIGHTS_FILTER = "Weights (*.npz *.safetensors *.onnx);;All files (*)"
DETAILS = {
    "pytorch": "A runnable script that rebuilds the network as torch.nn.Sequential and trains it exactly as "
    "here (same data, batch order, loss and optimizer state). Its data and weights go to an .npz beside it.",
    "npz": "The weights under the names of that nn.Sequential's state_dict (0.weight, 0.bias, …), "
    "with the architecture as JSON.",
    "safetensors": "The same state_dict as safetensors: safetensors.torch.load_file gives what "
    "model.load_state_dict takes.",
    "onnx": "A float64 inference graph for onnxruntime and other ONNX tools.",
}


class ExportDialog(QDialog):
    """One radio button per format with a line saying what it writes; OK goes on to choose the file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export-dialog")
        self.setWindowTitle("Export network")
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        has_onnx = importlib.util.find_spec("onnx") is not None
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        muted = colors.palette(dark).muted  # secondary text, readable on either theme
        for kind in FORMATS:
            button = QRadioButton(LABELS[kind])
            button.setObjectName(f"export-{kind}")
            detail = QLabel(DETAILS[kind])
            detail.setWordWrap(True)
            detail.setTextFormat(Qt.TextFormat.PlainText)
            detail.setContentsMargins(24, 0, 0, 8)
            detail.setStyleSheet(f"color: rgb{muted};")
            if kind == "onnx" and not has_onnx:
                button.setEnabled(False)
                detail.setText(
                    DETAILS[kind] + " Needs the onnx package: pip install 'backprop-studio[onnx]'."
                )
            self.group.addButton(button)
            layout.addWidget(button)
            layout.addWidget(detail)
        self.group.buttons()[0].setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def chosen(self) -> str:
        return self.group.checkedButton().objectName().removeprefix("export-")


class InteropCommands:
    """Connects the File menu's Export… and Import weights… to core/interop for one window."""

    def __init__(self, window: QWidget, controller: StudioController, actions: dict[str, QAction]) -> None:
        self.window, self.controller = window, controller
        actions["export"].triggered.connect(self.export)
        actions["import_weights"].triggered.connect(self.import_weights)

    def export(self) -> None:
        self.controller.pause()
        dialog = ExportDialog(self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        kind = dialog.chosen()
        suffix = SUFFIXES[kind]
        default = os.path.join(self._folder(), ("run" if kind == "pytorch" else self._stem()) + suffix)
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export network", default, f"{LABELS[kind]} (*{suffix})"
        )
        if not path:
            return
        if not path.endswith(suffix):
            path += suffix
        try:
            written = self._busy(lambda: export_project(self.controller.current_project(), kind, path))
        except (StudioError, OSError) as exc:
            self._error("Export failed", str(exc))
            return
        self._status("Wrote " + " and ".join(written))

    def import_weights(self) -> None:
        self.controller.pause()
        path, _ = QFileDialog.getOpenFileName(self.window, "Import weights", self._folder(), WEIGHTS_FILTER)
        if not path:
            return
        try:
            imported = self._busy(lambda: read_weights(path))
            activations = None
            if any(act is None for act in imported.activations):
                activations = self._ask_activations(len(imported.weights))
                if activations is None:
                    return
            project = self._busy(lambda: self._project_for(imported, path, activations))
        except (StudioError, OSError) as exc:
            self._error("Import failed", f"{exc}\n\nThe current network is kept.")
            return
        if self.controller.adopt_project(project):
            sizes = "-".join(str(n) for n in project.network.sizes)
            self._status(f"Imported {sizes} from {path}")

    def _project_for(self, imported, path: str, activations: str | None):
        """With the current data and settings when they fit the network, else data that fits it."""
        try:
            return build_project(imported, path, activations, base=self.controller.project)
        except StudioError:
            if imported.sizes[0] != 2:
                raise
            return build_project(imported, path, activations)

    def _ask_activations(self, n_layers: int) -> str | None:
        """The file does not name its activations: ask, one per layer, checked before going on."""
        text = ",".join(["tanh"] * (n_layers - 1) + ["linear"])
        while True:
            text, ok = QInputDialog.getText(
                self.window,
                "Activations",
                f"The file does not say its activations. Name one per layer ({n_layers}), separated by commas:",
                text=text,
            )
            if not ok:
                return None
            try:
                parse_activations(text, n_layers)
                return text
            except StudioError as exc:
                self._error("Activations", str(exc))

    def _busy(self, work):
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        finally:
            QGuiApplication.restoreOverrideCursor()

    def _error(self, title: str, text: str) -> None:
        plain_box(self.window, "error", title, text).exec()

    def _status(self, text: str) -> None:
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(text, 8000)

    def _folder(self) -> str:
        path = self.controller.path
        return os.path.dirname(path) if path else os.getcwd()

    def _stem(self) -> str:
        path = self.controller.path
        return os.path.splitext(os.path.basename(path))[0] if path else "network"
