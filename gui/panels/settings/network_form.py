"""The "Network" section: input features, hidden layers, the output layer, initial weights and the seed.

It shows a NetworkSpec (plus the generated data's features and the training seed, which sit here because
they shape the network and its first weights) and reads them back. It says what changed through
signals; the panel decides when that is committed and which automatic fixes follow.
"""

from __future__ import annotations

from backprop_studio.core.display.names import feature_label
from backprop_studio.core.display.numbers import count
from backprop_studio.core.spec import ACTIVATIONS, FEATURES, WEIGHT_INITS, InitSpec, LayerSpec, NetworkSpec
from backprop_studio.gui.panels.settings.builders import (
    BODY_MARGINS,
    BUTTON_WIDTH,
    NUMBER_WIDTH,
    ROW_SPACING,
    UNITS_WIDTH,
    combo,
    form,
    heading,
    read_numbers,
    select,
    show_numbers,
)
from backprop_studio.gui.panels.settings.choices import (
    FEATURE_GRID,
    HIDDEN_ACTIVATIONS,
    INIT_LABELS,
    MAX_HIDDEN_LAYERS,
    RANGES,
)
from backprop_studio.gui.panels.settings.number_field import NumberField
from backprop_studio.gui.panels.settings.widgets import (
    LayerRow,
    Section,
    SeedField,
    WheelGuard,
)
from PySide6.QtCore import QObject, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

ADD_LAYER_TIP = "Insert a hidden layer just before the output layer"


class NetworkForm(QObject):
    """Build, fill and collect the Network section. `edited`: a pick, a step or a typed value was applied;
    `output_activation_changed`: the output's activation was picked (the loss may have to follow);
    `problem_changed`: a typed value was refused, or a refused one withdrawn (a layer row's too)."""

    edited = Signal()
    problem_changed = Signal()
    output_activation_changed = Signal()

    def __init__(self, guard: WheelGuard, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._guard = guard
        self.muted_labels: list[QLabel] = []
        self.hidden_rows: list[LayerRow] = []
        self._feature_order: list[str] = []
        self.section = Section("Network")
        layout = QVBoxLayout(self.section.body)
        layout.setContentsMargins(*BODY_MARGINS)
        layout.setSpacing(6)
        self._build_inputs(layout)
        self._build_layers(layout)
        layout.addWidget(heading("Initial weights and biases"))
        layout.addLayout(self._build_init())

    # ---- building ----------------------------------------------------------------------------------

    def _build_inputs(self, layout: QVBoxLayout) -> None:
        self.inputs_heading = heading("Inputs")
        layout.addWidget(self.inputs_heading)
        self.features_widget = QWidget()
        grid = QGridLayout(self.features_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.feature_boxes: dict[str, QCheckBox] = {}
        for row, names in enumerate(FEATURE_GRID):
            for column, name in enumerate(names):
                box = QCheckBox(feature_label(name))
                box.setToolTip(f"Feed {feature_label(name)} to the network as one input")
                box.toggled.connect(lambda checked, feature=name: self._on_feature_toggled(feature, checked))
                self.feature_boxes[name] = box
                grid.addWidget(box, row, column)
        assert set(self.feature_boxes) == set(FEATURES)
        layout.addWidget(self.features_widget)
        self.fixed_inputs_label = self._muted(QLabel())
        self.fixed_inputs_label.setWordWrap(True)
        self.fixed_inputs_label.setTextFormat(Qt.TextFormat.PlainText)  # may name a CSV file
        layout.addWidget(self.fixed_inputs_label)

    def _build_layers(self, layout: QVBoxLayout) -> None:
        layout.addWidget(heading("Hidden layers"))
        self.columns_header = self._columns_header()
        layout.addWidget(self.columns_header)
        hidden_widget = QWidget()
        self._hidden_layout = QVBoxLayout(hidden_widget)
        self._hidden_layout.setContentsMargins(0, 0, 0, 0)
        self._hidden_layout.setSpacing(ROW_SPACING)
        layout.addWidget(hidden_widget)
        self.no_hidden_label = self._muted(QLabel("None: the inputs connect straight to the output layer."))
        self.no_hidden_label.setWordWrap(True)
        layout.addWidget(self.no_hidden_label)
        self.add_layer_button = QPushButton("+  Add hidden layer")
        self.add_layer_button.setToolTip(ADD_LAYER_TIP)
        self.add_layer_button.clicked.connect(self._add_hidden_layer)
        layout.addWidget(self.add_layer_button)

        layout.addWidget(heading("Output layer"))
        self.output_row = LayerRow(ACTIVATIONS, removable=False)
        self.output_row.units_changed.connect(self.edited)
        self.output_row.units.problem_changed.connect(self.problem_changed)
        self.output_row.activation_changed.connect(lambda _name: self.output_activation_changed.emit())
        self._guard.guard(self.output_row.units, self.output_row.activation)
        layout.addWidget(self.output_row)

    def _build_init(self) -> QFormLayout:
        self.init_form = form()
        self.init_combo = combo(WEIGHT_INITS, INIT_LABELS)
        self.init_combo.setToolTip("How the weights are drawn before training starts")
        self.init_combo.currentIndexChanged.connect(lambda _index: self.edited.emit())
        self.std_box = NumberField(RANGES["std"], step=0.05)
        self.low_box = NumberField(RANGES["low"], step=0.1)
        self.high_box = NumberField(RANGES["high"], step=0.1)
        self.value_box = NumberField(RANGES["value"], step=0.1)
        self.bias_box = NumberField(RANGES["bias"], step=0.1)
        self.bias_box.setToolTip("Every bias starts at this value")
        # InitSpec's number fields by name: one table to fill from and collect into.
        self._init_boxes = {
            "std": self.std_box,
            "low": self.low_box,
            "high": self.high_box,
            "value": self.value_box,
            "bias": self.bias_box,
        }
        self.seed = SeedField(RANGES["seed"], "Seed for the initial weights and the order of the batches")
        self.seed.edited.connect(self.edited)
        self.seed.randomized.connect(self.edited)
        for field in self._init_boxes.values():
            field.committed.connect(self.edited)
        for field in (*self._init_boxes.values(), self.seed.edit):
            field.problem_changed.connect(self.problem_changed)
        for label, field in (
            ("Weights", self.init_combo),
            ("Std. dev.", self.std_box),
            ("Low", self.low_box),
            ("High", self.high_box),
            ("Value", self.value_box),
            ("Biases", self.bias_box),
            ("Seed", self.seed),
        ):
            self.init_form.addRow(label, field)
        self._guard.guard(self.init_combo, *self._init_boxes.values())
        return self.init_form

    def _columns_header(self) -> QWidget:
        header = QWidget()
        layout = QHBoxLayout(header)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(ROW_SPACING)
        number = self._muted(QLabel("#"))
        number.setFixedWidth(NUMBER_WIDTH)
        number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        units = self._muted(QLabel("Units"))
        units.setFixedWidth(2 * BUTTON_WIDTH + UNITS_WIDTH + 2 * ROW_SPACING)
        units.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(number)
        layout.addWidget(units)
        layout.addWidget(self._muted(QLabel("Activation")), 1)
        layout.addSpacing(BUTTON_WIDTH)
        return header

    def _muted(self, label: QLabel) -> QLabel:
        self.muted_labels.append(label)
        return label

    # ---- filling and collecting ----------------------------------------------------------------------

    def fill(self, network: NetworkSpec, seed: int) -> None:
        """Show `network` and the training seed without emitting."""
        hidden = network.layers[:-1]
        while len(self.hidden_rows) > len(hidden):
            self._drop_row(self.hidden_rows[-1])
        while len(self.hidden_rows) < len(hidden):
            self._append_row()
        for row, layer in zip(self.hidden_rows, hidden):
            row.set_layer(layer)
        self.output_row.set_layer(network.layers[-1] if network.layers else LayerSpec(1, "tanh"))
        select(self.init_combo, network.init.weights)
        show_numbers(self._init_boxes, network.init)
        self.seed.set_seed(seed)

    def fill_features(self, features: tuple[str, ...]) -> None:
        """Tick the generated data's features, keeping their order as the order of the inputs."""
        self._feature_order = [name for name in features if name in self.feature_boxes]
        for name, box in self.feature_boxes.items():
            with QSignalBlocker(box):
                box.setChecked(name in features)

    def number_fields(self) -> tuple[NumberField, ...]:
        """The typed fields (units of every layer, initialization, seed), each applied on Enter or focus-out."""
        rows = (*self.hidden_rows, self.output_row)
        return (*(row.units for row in rows), *self._init_boxes.values(), self.seed.edit)

    def features(self) -> tuple[str, ...]:
        return tuple(self._feature_order)

    def layers(self) -> tuple[LayerSpec, ...]:
        return (*(row.layer() for row in self.hidden_rows), self.output_row.layer())

    def init(self) -> InitSpec:
        return InitSpec(weights=self.init_combo.currentData(), **read_numbers(self._init_boxes))

    def set_output(self, layer: LayerSpec) -> None:
        """Show an automatic fix of the output layer, without emitting."""
        self.output_row.set_layer(layer)

    # ---- what is shown ---------------------------------------------------------------------------------

    def refresh(self, inputs: int, fixed_by: str | None) -> None:
        """Show the fields that matter now. `fixed_by` names what fixes the inputs (inline or CSV data);
        None when they are the generated data's features, ticked here."""
        weights = self.init_combo.currentData()
        self.init_form.setRowVisible(self.std_box, weights == "normal")
        self.init_form.setRowVisible(self.low_box, weights == "uniform")
        self.init_form.setRowVisible(self.high_box, weights == "uniform")
        self.init_form.setRowVisible(self.value_box, weights == "constant")
        self.features_widget.setVisible(fixed_by is None)
        self.fixed_inputs_label.setVisible(fixed_by is not None)
        self.inputs_heading.setText(f"Inputs ({inputs})")
        if fixed_by is not None:
            self.fixed_inputs_label.setText(f"{count(inputs, 'input')}, fixed by {fixed_by}.")
        self.no_hidden_label.setVisible(not self.hidden_rows)
        self.columns_header.setVisible(bool(self.hidden_rows))
        full = len(self.hidden_rows) >= MAX_HIDDEN_LAYERS
        self.add_layer_button.setEnabled(not full)
        self.add_layer_button.setToolTip(
            f"At most {MAX_HIDDEN_LAYERS} hidden layers" if full else ADD_LAYER_TIP
        )

    # ---- reactions -------------------------------------------------------------------------------------

    def _on_feature_toggled(self, feature: str, checked: bool) -> None:
        # Keep the order the inputs already have; a newly ticked feature becomes the last input.
        if checked and feature not in self._feature_order:
            self._feature_order.append(feature)
        elif not checked and feature in self._feature_order:
            self._feature_order.remove(feature)
        self.edited.emit()

    def _add_hidden_layer(self) -> None:
        if len(self.hidden_rows) >= MAX_HIDDEN_LAYERS:
            return
        template = self.hidden_rows[-1].layer() if self.hidden_rows else LayerSpec(4, "tanh")
        self._append_row().set_layer(template)
        self.edited.emit()

    def _remove_hidden_layer(self, row: LayerRow) -> None:
        self._drop_row(row)
        self.edited.emit()

    def _append_row(self) -> LayerRow:
        row = LayerRow(HIDDEN_ACTIVATIONS, removable=True)
        row.units_changed.connect(self.edited)
        row.units.problem_changed.connect(self.problem_changed)
        row.activation_changed.connect(lambda _name: self.edited.emit())
        row.remove_requested.connect(self._remove_hidden_layer)
        self._guard.guard(row.units, row.activation)
        self.hidden_rows.append(row)
        self._hidden_layout.addWidget(row)
        self._number_rows()
        return row

    def _drop_row(self, row: LayerRow) -> None:
        self.hidden_rows.remove(row)
        self._hidden_layout.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._number_rows()

    def _number_rows(self) -> None:
        for number, row in enumerate(self.hidden_rows, start=1):
            row.set_number(number)
        self.output_row.set_number(len(self.hidden_rows) + 1)
