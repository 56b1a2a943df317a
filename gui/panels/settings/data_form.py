"""The "Data" section: which data set, its classes, samples, noise, training share and seed, whether to
standardize, and CSV import.

It shows a DataSpec and reads one back. The shipped real data sets (iris, wine, breast cancer, digits)
are always on offer. Inline data (from a project file) and an imported CSV cannot be edited here; while
they are the project's, they stay on offer in the "Data set" list so a person can try a generator and
come back. Standardization statistics a project holds are kept while nothing else about its data changes.
"""

from __future__ import annotations

import os
from dataclasses import replace

from backprop_studio.core.data.datasets.catalog import INFO as REAL_INFO
from backprop_studio.core.display.numbers import count
from backprop_studio.core.spec import GENERATORS, REAL_DATASETS, DataSpec
from backprop_studio.gui.panels.settings.builders import (
    fill_row,
    form,
    select,
    set_value,
)
from backprop_studio.gui.panels.settings.choices import GENERATOR_LABELS, NEW_CSV, NOISE_PERCENT, RANGES
from backprop_studio.gui.panels.settings.number_field import NumberField
from backprop_studio.gui.panels.settings.widgets import (
    Section,
    SeedField,
    WheelGuard,
)
from PySide6.QtCore import QObject, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton, QSlider, QWidget


class DataForm(QObject):
    """Build, fill and collect the Data section. `edited`: a pick, a step or a typed value was applied;
    `problem_changed`: a typed value was refused, or a refused one withdrawn;
    `kind_changed` / `classes_changed`: the output layer may have to follow the data;
    `csv_requested`: open the CSV import dialog."""

    edited = Signal()
    problem_changed = Signal()
    kind_changed = Signal()
    classes_changed = Signal()
    csv_requested = Signal()

    def __init__(self, guard: WheelGuard, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.muted_labels: list[QLabel] = []
        self.inline_source: DataSpec | None = None
        self.csv_source: DataSpec | None = None
        self._csv_inputs = 1
        self._kind = "circle"
        self._shown = DataSpec()  # the data last filled in, whose standardization statistics are kept
        self._train_exact = 0.5
        self._noise_exact = 0.0
        self.section = Section("Data")
        self._build()
        guard.guard(self.kind_combo, self.classes_spin, self.samples_spin, self.noise_slider, self.train_spin)

    def _build(self) -> None:
        self.kind_combo = QComboBox()
        self.kind_combo.setToolTip("Which samples the network learns from")
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.source_label = QLabel()
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)  # a CSV file's name and columns, as written
        self.source_label.setWordWrap(True)
        self.muted_labels.append(self.source_label)
        self.classes_spin = NumberField(RANGES["classes"])
        self.classes_spin.setToolTip("Number of spiral arms, one class each")
        self.classes_spin.committed.connect(self.classes_changed)
        self.samples_spin = NumberField(RANGES["samples"], step=50)
        self.samples_spin.setToolTip("Training and test samples together")
        self.samples_spin.committed.connect(self.edited)
        self.noise_slider = QSlider(Qt.Orientation.Horizontal)
        self.noise_slider.setRange(*NOISE_PERCENT)
        # Applied where the slider is let go (or at once for a key or a click on the groove), not at
        # every position it passes through while dragged; the label follows the drag.
        self.noise_slider.setTracking(False)
        self.noise_slider.sliderMoved.connect(self._show_noise)
        self.noise_slider.setToolTip("How far samples are jittered, as in TensorFlow Playground (0–50 %)")
        self.noise_value = QLabel()
        self.noise_value.setMinimumWidth(self.noise_value.fontMetrics().horizontalAdvance("50 %") + 4)
        self.noise_value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.noise_slider.valueChanged.connect(self._on_noise_changed)
        self.noise_row = fill_row(QWidget(), self.noise_slider, self.noise_value)
        self.train_spin = NumberField(RANGES["train_share"], suffix=" %")
        self.train_spin.setToolTip(
            "Share of the samples used for training (percent); the rest is the test set"
        )
        self.train_spin.committed.connect(self.edited)
        self.seed = SeedField(
            RANGES["data_seed"], "Seed for drawing the samples and splitting train from test"
        )
        self.seed.edited.connect(self.edited)
        self.seed.randomized.connect(self.edited)
        self.standardize_box = QCheckBox("Standardize inputs")
        self.standardize_box.setToolTip(
            "Shift and scale each input feature to mean 0 and standard deviation 1, with the mean and "
            "standard deviation of the training samples (the test samples use the same two numbers)"
        )
        self.standardize_box.toggled.connect(lambda _checked: self.edited.emit())
        for field in self.number_fields():
            field.problem_changed.connect(self.problem_changed)
        self.csv_button = QPushButton("Import CSV…")
        self.csv_button.setToolTip("Train on your own table of numbers")
        self.csv_button.clicked.connect(lambda: self.csv_requested.emit())
        self.form = form(self.section.body)
        for label, field in (
            ("Data set", self.kind_combo),
            ("", self.source_label),
            ("Classes", self.classes_spin),
            ("Samples", self.samples_spin),
            ("Noise", self.noise_row),
            ("Training share", self.train_spin),
            ("Data seed", self.seed),
            ("", self.standardize_box),
            ("", self.csv_button),
        ):
            self.form.addRow(label, field)

    def number_fields(self) -> tuple[NumberField, ...]:
        """The typed fields, each applied on Enter or focus-out."""
        return (self.classes_spin, self.samples_spin, self.train_spin, self.seed.edit)

    # ---- filling and collecting ----------------------------------------------------------------------

    def remember(self, data: DataSpec, inputs: int, keep_sources: bool) -> None:
        """Keep inline or CSV `data` on offer (with the `inputs` it fixes); forget the previous ones
        unless `keep_sources` (the controller echoing back what the panel emitted)."""
        if not keep_sources:
            self.inline_source = self.csv_source = None
        if data.kind == "inline":
            self.inline_source = data
        elif data.kind == "csv":
            self.csv_source = data
            self._csv_inputs = inputs

    def fill(self, data: DataSpec) -> None:
        """Show `data` without emitting; the list offers the generators and the remembered sources."""
        self._fill_kinds(data.kind)
        self._kind = data.kind
        self._shown = data
        with QSignalBlocker(self.standardize_box):
            self.standardize_box.setChecked(data.standardize)
        if data.kind in GENERATORS:
            set_value(self.samples_spin, data.samples)
            set_value(self.classes_spin, data.classes)
            self._noise_exact = data.noise
            set_value(self.noise_slider, round(data.noise * 100))
        self._train_exact = data.train_fraction
        set_value(self.train_spin, round(data.train_fraction * 100))
        self.seed.set_seed(data.seed)
        self._show_noise()

    def _fill_kinds(self, kind: str) -> None:
        with QSignalBlocker(self.kind_combo):
            self.kind_combo.clear()
            for name in GENERATORS:
                self.kind_combo.addItem(GENERATOR_LABELS[name], name)
            for name in REAL_DATASETS:
                entry = REAL_INFO[name]
                self.kind_combo.addItem(f"{entry.title} ({entry.rows:,} × {entry.inputs})", name)
                tip = f"{entry.summary()}. Source: {entry.source}; license {entry.license}."
                self.kind_combo.setItemData(self.kind_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            if self.inline_source is not None:
                self.kind_combo.addItem("Inline data (from the project)", "inline")
            if self.csv_source is not None:
                name = os.path.basename(self.csv_source.path or "") or "file"
                self.kind_combo.addItem(f"CSV: {name}", "csv")
            self.kind_combo.addItem("CSV file…", NEW_CSV)
            self.kind_combo.setItemData(
                self.kind_combo.count() - 1, "Import a CSV file", Qt.ItemDataRole.ToolTipRole
            )
            self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))

    def kind(self) -> str:
        """The data kind chosen: a generator, "inline" or "csv"."""
        return self._kind

    def collect(self, features: tuple[str, ...], seed: int) -> DataSpec:
        """The chosen data (a generator with `features`, a shipped set, or the remembered inline or CSV
        data), standardized if ticked; with the statistics last shown while the rest is the same."""
        data = replace(self._chosen(features, seed), standardize=self.standardize_box.isChecked())
        if data == self._shown:  # equal whatever their statistics: those are not compared
            return replace(data, feature_mean=self._shown.feature_mean, feature_std=self._shown.feature_std)
        return replace(data, feature_mean=None, feature_std=None)

    def _chosen(self, features: tuple[str, ...], seed: int) -> DataSpec:
        kind = self._kind
        if kind == "inline" and self.inline_source is not None:
            return self.inline_source
        if kind == "csv" and self.csv_source is not None:
            return replace(self.csv_source, train_fraction=self.train_fraction(), seed=seed)
        if kind in REAL_DATASETS:
            return DataSpec(kind=kind, train_fraction=self.train_fraction(), seed=seed)
        noise = self._noise_exact
        if round(noise * 100) != self.noise_slider.value():
            noise = self.noise_slider.value() / 100
        return DataSpec(
            kind=kind,
            samples=int(self.samples_spin.value()),
            noise=noise,
            train_fraction=self.train_fraction(),
            seed=seed,
            features=features,
            classes=int(self.classes_spin.value()) if kind == "spiral" else 2,
        )

    def train_fraction(self) -> float:
        # The spin box shows whole percent; an untouched 0.333 from a file stays 0.333.
        if round(self._train_exact * 100) == self.train_spin.value():
            return self._train_exact
        return self.train_spin.value() / 100

    def fixed_inputs(self, fallback: int) -> int | None:
        """The inputs inline, CSV or shipped data fixes (`fallback` when inline data has no rows); None for
        generators."""
        if self._kind in REAL_DATASETS:
            return REAL_INFO[self._kind].inputs
        if self._kind == "inline":
            source = self.inline_source
            return len(source.x[0]) if source is not None and source.x else fallback
        return self._csv_inputs if self._kind == "csv" else None

    def source_name(self) -> str:
        """What fixes the inputs, for "2 inputs, fixed by …"."""
        if self._kind in REAL_DATASETS:
            return f"the {self._kind.replace('_', ' ')} data set's features"
        return "the project's inline data" if self._kind == "inline" else "the CSV file's feature columns"

    # ---- what is shown ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the fields the chosen data uses, hide the rest."""
        kind = self._kind
        generated = kind in GENERATORS
        self.form.setRowVisible(self.classes_spin, kind == "spiral")
        self.form.setRowVisible(self.samples_spin, generated)
        self.form.setRowVisible(self.noise_row, generated)
        self.form.setRowVisible(self.train_spin, kind != "inline")
        self.form.setRowVisible(self.seed, kind != "inline")
        self.form.setRowVisible(self.source_label, not generated)
        if not generated:
            self.source_label.setText(self._source_text())

    def _source_text(self) -> str:
        if self._kind == "inline" and self.inline_source is not None:
            train, test = len(self.inline_source.x or ()), len(self.inline_source.x_test or ())
            return f"{count(train, 'training sample')} and {count(test, 'test sample')}, as written in the project."
        if self._kind == "csv" and self.csv_source is not None:
            source = self.csv_source
            predicted = (
                f"class column {source.one_hot}"
                if source.one_hot
                else f"{'columns' if len(source.targets) > 1 else 'column'} {', '.join(source.targets)}"
            )
            return f"{source.path}; predicting {predicted}."
        if self._kind in REAL_DATASETS:
            entry = REAL_INFO[self._kind]
            return f"{entry.summary()}. UCI Machine Learning Repository, {entry.license}."
        return ""

    def _show_noise(self, position: int | None = None) -> None:
        self.noise_value.setText(f"{self.noise_slider.value() if position is None else position} %")

    # ---- reactions -------------------------------------------------------------------------------------

    def _on_kind_changed(self, index: int) -> None:
        kind = self.kind_combo.itemData(index)
        if kind == NEW_CSV:
            # Nothing changes until the controller has read the file and the panel is given its specs.
            select(self.kind_combo, self._kind)
            self.csv_requested.emit()
            return
        self._kind = kind
        self.kind_changed.emit()

    def _on_noise_changed(self, _value: int) -> None:
        self._show_noise()
        self.edited.emit()
