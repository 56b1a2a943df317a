"""File → Export picture: choose a view (canvas, Neuron zoom, Matrix view) and a file; SVG and PDF keep
the text as text, PNG is drawn at a chosen scale. A bad name or an empty view is said in the dialog, in
one line, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable

from backprop_studio.core.errors import StudioError
from backprop_studio.gui.teaching.pictures import MAX_SCALE, picture_format, save_picture
from backprop_studio.gui.window.output_file import ErrorLine, Format, OutputFile
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

VIEW_NAMES = {"canvas": "The canvas", "zoom": "The Neuron zoom", "matrix": "The Matrix view"}
FORMATS = (
    Format("SVG, vector with text (*.svg)", ".svg"),
    Format("PDF, vector with text (*.pdf)", ".pdf"),
    Format("PNG image (*.png)", ".png"),
)
KINDS = {
    "svg": "SVG: a vector picture, its text stays text (sharp on slides, searchable)",
    "pdf": "PDF: a vector picture, its text stays text (sharp on slides, searchable)",
    "png": "PNG: an image at the scale chosen below",
}


def _describe(path: str) -> str:
    """What the file name will write (StudioError for a name that names no picture format)."""
    if not path:
        return "SVG and PDF keep their text as text (sharp on slides, searchable); PNG is an image."
    return KINDS[picture_format(path)]


class PictureDialog(QDialog):
    """`views` maps a view's key to a function giving its widget, or raising StudioError when it is empty."""

    def __init__(self, parent: QWidget, views: dict[str, Callable[[], QWidget]]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export picture")
        self.setObjectName("export-picture")
        self.setMinimumWidth(520)  # room for a path
        self._views = views
        self.written: str | None = None
        self.view = QComboBox()
        for key in views:
            self.view.addItem(VIEW_NAMES[key], key)
        self.output = OutputFile(
            "", "picture.svg, picture.pdf or picture.png", FORMATS, _describe, "Export picture"
        )
        self.path = self.output.edit
        self.scale = QDoubleSpinBox()
        self.scale.setRange(0.5, MAX_SCALE)
        self.scale.setValue(2.0)
        self.scale.setSuffix(" ×")
        self.scale.setToolTip("PNG only: pixels per pixel of the view on screen")
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow("View", self.view)
        form.addRow("File", self.output)
        form.addRow("", self.output.format_label)
        form.addRow("PNG scale", self.scale)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _export(self) -> None:
        path = self.output.path()
        if not path:
            self.error.say("Choose a file: picture.svg, picture.pdf or picture.png.")
            return
        try:
            widget = self._views[self.view.currentData()]()
            self.written = save_picture(widget, path, self.scale.value())
        except (StudioError, OSError) as exc:
            self.error.say(str(exc))
            return
        self.accept()
