"""File → Export picture: choose a view (canvas, Neuron zoom, Matrix view) and a file; SVG and PDF keep
the text as text, PNG is drawn at a chosen scale. A bad name or an empty view is said in the dialog, in
one line, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable

from backprop_studio.core.errors import StudioError
from backprop_studio.gui.teaching.pictures import MAX_SCALE, save_picture
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

VIEW_NAMES = {"canvas": "The canvas", "zoom": "The Neuron zoom", "matrix": "The Matrix view"}
FILTERS = "SVG, vector with text (*.svg);;PDF, vector with text (*.pdf);;PNG image (*.png)"


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
        self.path = QLineEdit()
        self.path.setPlaceholderText("picture.svg, picture.pdf or picture.png")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.scale = QDoubleSpinBox()
        self.scale.setRange(0.5, MAX_SCALE)
        self.scale.setValue(2.0)
        self.scale.setSuffix(" ×")
        self.scale.setToolTip("PNG only: pixels per pixel of the view on screen")
        note = QLabel(
            "SVG and PDF are vector pictures whose text stays text (sharp on slides, searchable); PNG is an image at the scale chosen."
        )
        note.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        form = QFormLayout()
        form.addRow("View", self.view)
        form.addRow("File", row)
        form.addRow("PNG scale", self.scale)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export picture", self.path.text() or "picture.svg", FILTERS
        )
        if path:
            self.path.setText(path)

    def _export(self) -> None:
        path = self.path.text().strip()
        if not path:
            self.error.setText("Choose a file: picture.svg, picture.pdf or picture.png.")
            return
        try:
            widget = self._views[self.view.currentData()]()
            self.written = save_picture(widget, path, self.scale.value())
        except (StudioError, OSError) as exc:
            self.error.setText(str(exc))
            return
        self.accept()
