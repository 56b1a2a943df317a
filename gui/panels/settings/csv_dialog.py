"""The small dialog that collects how to import a CSV file: which file, which columns are targets, the split.

It only collects choices; `backprop_studio.core.data.build.build_dataset` reads the file, so every problem with its contents
is reported by the core, with file, line and column, in the same words as on the command line.
"""

from __future__ import annotations

import os

from backprop_studio.core.data.csv_import import csv_header
from backprop_studio.gui.panels.settings.builders import error_colors
from backprop_studio.gui.panels.settings.choices import RANGES
from backprop_studio.gui.panels.settings.number_field import NumberField
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

_SHOWN_COLUMNS = 30


class CsvImportDialog(QDialog):
    """Choose a CSV file, its target columns (or one class column to one-hot encode) and the train split."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        path: str = "",
        targets: tuple[str, ...] = (),
        one_hot: str | None = None,
        train_fraction: float = 0.5,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import CSV data")
        self.setMinimumWidth(420)

        intro = QLabel(
            "The file needs a header row. Name the column(s) the network should predict; "
            "every other column becomes an input."
        )
        intro.setWordWrap(True)

        file_row = self._build_file_row(path)
        self._build_mode(targets, one_hot)
        self._build_columns()
        self._build_share(train_fraction)
        self.train_spin.setToolTip("Share of the rows used for training; the rest is the test set")
        form = self._build_form(file_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        for edit in (self.path_edit, self.targets_edit, self.one_hot_edit):
            edit.textChanged.connect(self._refresh)
        self.targets_radio.toggled.connect(self._refresh)
        self._refresh()

    def _build_file_row(self, path: str) -> QHBoxLayout:
        """The path field and its Browse… button."""
        self.path_edit = QLineEdit(path)
        self.path_edit.setPlaceholderText("path/to/data.csv")
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.setContentsMargins(0, 0, 0, 0)
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        return file_row

    def _build_mode(self, targets: tuple[str, ...], one_hot: str | None) -> None:
        """How the targets are read: numeric target columns, or one class column one-hot encoded."""
        self.targets_radio = QRadioButton("Target columns (numbers)")
        self.targets_radio.setToolTip("For regression, or targets already encoded as 0/1 columns")
        self.targets_edit = QLineEdit(", ".join(targets))
        self.targets_edit.setPlaceholderText("e.g. y   or   y1, y2")
        self.one_hot_radio = QRadioButton("One class column (any labels)")
        self.one_hot_radio.setToolTip(
            "For classification: each distinct value becomes a class, one output per class"
        )
        self.one_hot_edit = QLineEdit(one_hot or "")
        self.one_hot_edit.setPlaceholderText("e.g. species")
        # One group so exactly one way of reading the targets is chosen, as read_csv requires.
        self._mode = QButtonGroup(self)
        self._mode.addButton(self.targets_radio)
        self._mode.addButton(self.one_hot_radio)
        (self.one_hot_radio if one_hot is not None else self.targets_radio).setChecked(True)

    def _build_form(self, file_row: QHBoxLayout) -> QFormLayout:
        """File, the header's columns, how the targets are read, the training share and the problem line."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("File", file_row)
        form.addRow("Columns", self.columns_label)
        form.addRow(self.targets_radio)
        form.addRow("", self.targets_edit)
        form.addRow(self.one_hot_radio)
        form.addRow("", self.one_hot_edit)
        form.addRow("Training share", self.train_spin)
        form.addRow(self.problem_label)
        return form

    def _build_columns(self) -> None:
        """The header's names, to copy the target from; plain text, as the file wrote them."""
        self.columns_label = QLabel()
        self.columns_label.setObjectName("csv-columns")
        self.columns_label.setTextFormat(Qt.TextFormat.PlainText)
        self.columns_label.setWordWrap(True)
        self.columns_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_edit.textChanged.connect(self._show_columns)
        self._show_columns()

    def _show_columns(self) -> None:
        path = self.path_edit.text().strip()
        names = csv_header(path) if path else ()
        shown = ", ".join(names[:_SHOWN_COLUMNS])
        if len(names) > _SHOWN_COLUMNS:
            shown += f" and {len(names) - _SHOWN_COLUMNS} more"
        self.columns_label.setText(shown or ("—" if not path else "no header of comma-separated names"))

    def _build_share(self, train_fraction: float) -> None:
        """The training-share field and the red line that says why a typed share was refused (Import waits
        until it is fixed or Escape restores it)."""
        self.train_spin = NumberField(RANGES["train_share"], suffix=" %")
        self.train_spin.setValue(round(train_fraction * 100))
        self.train_spin.problem_changed.connect(self._refresh)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        text, background, border = error_colors(self.palette())
        self.problem_label.setStyleSheet(
            f"QLabel {{ color: {text}; background: {background}; border-left: 3px solid {border}; padding: 4px; }}"
        )
        self.problem_label.hide()

    def options(self) -> dict:
        """{"path": str, "targets": tuple[str, ...], "one_hot": str | None, "train_fraction": float}.

        Exactly one of `targets` (non-empty) and `one_hot` is given, as `backprop_studio.core.data.csv_import.read_csv` needs.
        """
        by_class = self.one_hot_radio.isChecked()
        return {
            "path": self.path_edit.text().strip(),
            "targets": () if by_class else _column_names(self.targets_edit.text()),
            "one_hot": self.one_hot_edit.text().strip() if by_class else None,
            "train_fraction": int(self.train_spin.value()) / 100,
        }

    def _refresh(self) -> None:
        by_class = self.one_hot_radio.isChecked()
        self.targets_edit.setEnabled(not by_class)
        self.one_hot_edit.setEnabled(by_class)
        chosen = self.options()
        complete = bool(chosen["path"]) and bool(chosen["one_hot"] if by_class else chosen["targets"])
        refused = self.train_spin.problem()
        self.problem_label.setText(refused or "")
        self.problem_label.setVisible(refused is not None)
        complete = complete and refused is None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(complete)

    def _browse(self) -> None:
        start = os.path.dirname(self.path_edit.text().strip()) or os.getcwd()
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a CSV file", start, "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.path_edit.setText(path)
            # Straight to the column name: that is the next thing to type.
            (self.one_hot_edit if self.one_hot_radio.isChecked() else self.targets_edit).setFocus(
                Qt.FocusReason.OtherFocusReason
            )


def _column_names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())
