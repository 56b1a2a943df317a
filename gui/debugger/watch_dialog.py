"""The breakpoint form behind "Add…" and "Edit…": one Watch (backprop_studio.core.debugger.watch) built
from a kind, a layer, a weight and a threshold, refused with the reason while it is invalid or can never
fire on this network. Its words (the kinds, their help, threshold names and defaults) are in
watch_text.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.debugger.watch import KINDS, Watch, fit_problem
from backprop_studio.core.display.names import layer_label
from backprop_studio.core.display.numbers import format_number, parse_number
from backprop_studio.core.errors import FormatError
from backprop_studio.gui.debugger.watch_text import (
    DEFAULT_THRESHOLDS,
    KIND_HELP,
    KIND_LABELS,
    LAYER_KINDS,
    THRESHOLD_LABELS,
    THRESHOLD_NAMES,
    layer_choice,
    weight_ends,
)
from backprop_studio.gui.style.colors import palette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


class WatchDialog(QDialog):
    """The form behind "Add…" and "Edit…": builds one Watch and refuses it, saying why, when it is
    invalid or can never fire on this network."""

    def __init__(
        self,
        sizes: Sequence[int],
        activations: Sequence[str],
        watch: Watch | None = None,
        parent: QWidget | None = None,
        dark: bool = False,
        features: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit breakpoint" if watch is not None else "Add breakpoint")
        self._dark = dark
        self._sizes = tuple(sizes)
        self._activations = tuple(activations)
        self._features = tuple(features)
        self._original = watch
        self._result: Watch | None = None

        self._build_fields()
        self._build_layout()
        self._apply_colors()
        if watch is not None:
            self.kind.setCurrentIndex(KINDS.index(watch.kind))
        self._on_kind(initial=watch)
        self._connect()
        self._validate()
        self.setMinimumWidth(440)

    # ----------------------------------------------------------------- building

    def _build_fields(self) -> None:
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.layer = QComboBox()
        self.per = QComboBox()
        self.per.addItem("from one epoch to the next (training-set loss)", "epoch")
        self.per.addItem("from one batch to the next (batch loss)", "batch")
        self.row = QSpinBox()
        self.column = QSpinBox()
        self.threshold = QLineEdit()
        self.threshold.setClearButtonEnabled(False)
        self.weight_note = QLabel()
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )

    def _build_weight_row(self) -> QWidget:
        """W[i, j] as two spin boxes (the matrix indices the Inspector shows) and what they connect."""
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("W["))
        row.addWidget(self.row)
        row.addWidget(QLabel(","))
        row.addWidget(self.column)
        row.addWidget(QLabel("]"))
        row.addWidget(self.weight_note)
        row.addStretch(1)
        weight = QWidget()
        weight.setLayout(row)
        return weight

    def _build_layout(self) -> None:
        self._weight = self._build_weight_row()
        self.form = QFormLayout()
        self.form.addRow("Stop when", self.kind)
        self.form.addRow("Layer", self.layer)
        self.form.addRow("Weight", self._weight)
        self.form.addRow("Compare", self.per)
        self.form.addRow("Threshold", self.threshold)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.help)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.kind.currentIndexChanged.connect(lambda _: self._on_kind())
        self.layer.currentIndexChanged.connect(lambda _: self._on_layer())
        for signal in (self.row.valueChanged, self.column.valueChanged):
            signal.connect(lambda *_: self._on_weight())
        for signal in (self.per.currentIndexChanged, self.threshold.textChanged):
            signal.connect(lambda *_: self._validate())

    # ----------------------------------------------------------------- the form

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _fill_layers(self, kind: str, initial: Watch | None) -> None:
        self.layer.blockSignals(True)
        self.layer.clear()
        if kind != "weight_crossing":
            self.layer.addItem("any layer", None)
        for k in range(1, len(self._activations) + 1):
            self.layer.addItem(layer_choice(self._sizes, self._activations, k), k)
        if initial is not None and initial.layer is not None:
            index = self.layer.findData(initial.layer)
            if index >= 0:
                self.layer.setCurrentIndex(index)
        elif kind == "dead_relu" and "relu" in self._activations:
            self.layer.setCurrentIndex(self.layer.findData(self._activations.index("relu") + 1))
        self.layer.blockSignals(False)

    def _on_kind(self, initial: Watch | None = None) -> None:
        kind = self.current_kind()
        self._fill_layers(kind, initial)
        self.form.setRowVisible(self.layer, kind in LAYER_KINDS)
        self.form.setRowVisible(self._weight, kind == "weight_crossing")
        self.form.setRowVisible(self.per, kind == "loss_rising")
        self.form.setRowVisible(self.threshold, kind in THRESHOLD_NAMES)
        label = self.form.labelForField(self.threshold)
        if isinstance(label, QLabel) and kind in THRESHOLD_LABELS:
            label.setText(THRESHOLD_LABELS[kind])
        if initial is not None and initial.threshold is not None:
            self.threshold.setText(format_number(initial.threshold, exact=True))
        elif kind in DEFAULT_THRESHOLDS:
            self.threshold.setText(format_number(DEFAULT_THRESHOLDS[kind], exact=True))
        if initial is not None and kind == "loss_rising":
            self.per.setCurrentIndex(self.per.findData(initial.per))
        self.help.setText(KIND_HELP[kind])
        self._on_layer()
        if initial is not None and initial.index is not None:
            self.row.setValue(initial.index[0])
            self.column.setValue(initial.index[1])
        self._validate()
        self._fit_to_rows()

    def _fit_to_rows(self) -> None:
        """Grow (never shrink below what the user made it) to the rows this kind shows, so no combo box
        is squashed and no note is cut."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        hint = self.sizeHint()
        if self.width() < hint.width() or self.height() < hint.height():
            self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    def _on_layer(self) -> None:
        layer = self.layer.currentData()
        if layer is not None and 1 <= layer <= len(self._activations):
            rows, columns = self._sizes[layer - 1], self._sizes[layer]
            self.row.setRange(0, rows - 1)
            self.column.setRange(0, columns - 1)
            source = "input" if layer == 1 else f"neuron of {layer_label(layer - 2)}"
            self.row.setToolTip(f"i: the row of W, the {source} the weight leaves (0 to {rows - 1})")
            self.column.setToolTip(f"j: the column of W, the neuron of {layer_label(layer - 1)} it feeds")
        self._on_weight()

    def _on_weight(self) -> None:
        """Name the weight's two ends, 1-based and by feature, so the 0-based indices need no counting."""
        layer = self.layer.currentData()
        if layer is not None and 1 <= layer <= len(self._activations):
            ends = weight_ends(layer, self.row.value(), self.column.value(), self._features)
            self.weight_note.setText(f"  {ends}")
        self._validate()

    def _build(self) -> tuple[Watch | None, str]:
        kind = self.current_kind()
        threshold = None
        if kind in THRESHOLD_NAMES:
            threshold = parse_number(self.threshold.text())
            if threshold is None:
                return None, f"{THRESHOLD_NAMES[kind]} must be a number, such as 1e-6"
        fields: dict[str, object] = {"kind": kind, "threshold": threshold}
        if kind in LAYER_KINDS:
            fields["layer"] = self.layer.currentData()
        if kind == "weight_crossing":
            fields["index"] = (self.row.value(), self.column.value())
        if kind == "loss_rising":
            fields["per"] = self.per.currentData()
        if self._original is not None:
            fields["id"] = self._original.id
            fields["enabled"] = self._original.enabled
        try:
            watch = Watch(**fields)  # type: ignore[arg-type]
        except FormatError as exc:
            name = THRESHOLD_NAMES.get(kind, "threshold") if exc.path == "threshold" else exc.path
            return None, f"{name}: {str(exc).removeprefix(f'at {exc.path}: ')}"
        problem = fit_problem(watch, self._sizes, self._activations)
        if problem is not None:
            return None, f"This breakpoint could never fire on this network: {problem}."
        return watch, ""

    def _validate(self) -> None:
        watch, problem = self._build()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.ok_button.setEnabled(watch is not None)

    def _apply_colors(self) -> None:
        p = palette(self._dark)
        self.help.setStyleSheet("color: rgb({},{},{});".format(*p.muted))
        self.weight_note.setStyleSheet("color: rgb({},{},{});".format(*p.muted))
        self.problem.setStyleSheet("color: rgb({},{},{});".format(*p.warning))

    # ----------------------------------------------------------------- result

    @property
    def ok_button(self) -> QPushButton:
        """The OK button, enabled only while the form describes a breakpoint that can fire."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def accept(self) -> None:
        watch, _ = self._build()
        if watch is None:
            return
        self._result = watch
        super().accept()

    def watch(self) -> Watch | None:
        """The breakpoint the form describes now (after OK: the one accepted), or None when invalid."""
        return self._result if self._result is not None else self._build()[0]
