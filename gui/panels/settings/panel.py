"""The side panel that edits the network, its training and its data, and emits only specs that can run.

The widgets are the editing state; `_collect` turns them into specs. Every change is checked with
`check_architecture` and the cheap data checks (generated and inline data are built in memory with
`build_dataset`; CSV files are never read here) before `specs_changed` is emitted, so the controller
never receives an impossible combination. When a check fails, the message stays visible above the
sections and the last valid specs stand. Where one choice implies another (cross-entropy needs a
softmax output, bce a sigmoid one), the panel makes the matching change and says so in a note.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import replace

from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.data.generators import MAX_CLASSES, MAX_SAMPLES
from backprop_studio.core.errors import StudioError
from backprop_studio.core.spec import (
    ACTIVATIONS,
    CLASSIFICATION_GENERATORS,
    FEATURES,
    GENERATORS,
    LOSSES,
    MAX_SEED,
    OPTIMIZERS,
    REGULARIZATIONS,
    WEIGHT_INITS,
    DataSpec,
    InitSpec,
    LayerSpec,
    NetworkSpec,
    OptimizerSpec,
    RegularizationSpec,
    TrainingSpec,
    check_architecture,
    new_seed,
)
from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

DEBOUNCE_MS = 250
MAX_UNITS = 512
MAX_HIDDEN_LAYERS = 10  # more than the canvas can draw legibly at lecture size

HIDDEN_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "softmax")
REGRESSION_GENERATORS = tuple(kind for kind in GENERATORS if kind not in CLASSIFICATION_GENERATORS)
# Enough samples to exercise every shape check; the generators' geometry does not change the shapes.
_CHECK_SAMPLES = 1000
_NEW_CSV = "csv…"  # the data-kind entry that opens the import dialog rather than selecting a kind

ACTIVATION_LABELS = {
    "linear": "linear",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "softmax": "softmax",
}
LOSS_LABELS = {"mse": "Mean squared error", "bce": "Binary cross-entropy", "cross_entropy": "Cross-entropy"}
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "SGD with momentum", "adam": "Adam"}
REGULARIZATION_LABELS = {"none": "None", "l1": "L1", "l2": "L2"}
INIT_LABELS = {
    "xavier_uniform": "Xavier uniform",
    "he_normal": "He normal",
    "normal": "Normal",
    "uniform": "Uniform",
    "zeros": "Zeros",
    "constant": "Constant",
}
GENERATOR_LABELS = {
    "circle": "Circle",
    "xor": "XOR",
    "gaussian": "Two Gaussians",
    "spiral": "Spiral",
    "plane": "Plane (regression)",
    "multi_gaussian": "Multi-Gaussian (regression)",
}
FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁·x₂",
    "sin(x1)": "sin(x₁)",
    "sin(x2)": "sin(x₂)",
}
# Grouped as Playground shows them: the raw coordinates, their products, their sines.
_FEATURE_GRID = (("x1", "x2"), ("x1^2", "x2^2", "x1*x2"), ("sin(x1)", "sin(x2)"))
LEARNING_RATES = (0.00001, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MOMENTA = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999)
EPSILONS = (1e-10, 1e-8, 1e-7, 1e-6, 1e-4)

_NUMBER_WIDTH = 22
_BUTTON_WIDTH = 26
_UNITS_WIDTH = 44
_ROW_SPACING = 4
_BODY_MARGINS = (4, 2, 0, 6)


class _InputProblem(Exception):
    """A field whose text is not a value yet (a half-typed seed); reported like an architecture error."""


class NumberBox(QDoubleSpinBox):
    """A number entry that keeps what it is given exactly, accepts `1e-5`, and steps along a ladder.

    QDoubleSpinBox rounds to a fixed number of decimals and reads no exponents; learning rates and
    epsilons span many decades, so this shows six significant digits, and the arrows (and arrow
    keys) jump between the values people actually use (…, 0.003, 0.01, 0.03, …) instead of adding 0.1.
    """

    def __init__(
        self,
        minimum: float,
        maximum: float,
        ladder: tuple[float, ...] = (),
        step: float = 0.1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setDecimals(20)  # high enough that setValue keeps every value a file can hold
        self.setRange(minimum, maximum)
        self.setSingleStep(step)
        self._ladder = tuple(sorted(ladder))

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.strip().replace(",", "."))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        cleaned = text.strip().replace(",", ".")
        try:
            value = float(cleaned)
        except ValueError:
            partial = re.fullmatch(r"[-+]?(\d*\.?\d*)([eE][-+]?\d*)?", cleaned) is not None
            return (QValidator.State.Intermediate if partial else QValidator.State.Invalid), text, pos
        if not math.isfinite(value) or "_" in cleaned:
            return QValidator.State.Invalid, text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def stepBy(self, steps: int) -> None:
        if not self._ladder:
            super().stepBy(steps)
            return
        value = self.value()
        tolerance = 1e-9 * max(abs(value), 1e-12)
        if steps > 0:
            above = [rung for rung in self._ladder if rung > value + tolerance]
            target = above[min(steps, len(above)) - 1] if above else value
        else:
            below = [rung for rung in self._ladder if rung < value - tolerance]
            target = below[-min(-steps, len(below))] if below else value
        self.setValue(target)
        self.selectAll()

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        if not self._ladder:
            return super().stepEnabled()
        value, flags = self.value(), QAbstractSpinBox.StepEnabledFlag.StepNone
        if any(rung > value for rung in self._ladder) and value < self.maximum():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if any(rung < value for rung in self._ladder) and value > self.minimum():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags


class _WheelGuard(QObject):
    """Lets the mouse wheel scroll the panel instead of changing whichever field is under the pointer.

    A teacher scrolling the panel must not retune a learning rate by accident; a field takes the wheel
    only once it has been clicked into.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()  # ignored, the wheel event travels on to the scroll area
            return True
        return False


class Section(QWidget):
    """A titled part of the panel that folds away, so a short screen can show the part being edited."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setText(title)
        # Not checkable: a checked tool button draws pressed, which would make "open" look like a state.
        self._expanded = True
        self.toggle.setAutoRaise(True)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.toggle.setToolTip(f"Show or hide the {title.lower()} settings")
        font = QFont(self.toggle.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.toggle.setFont(font)
        self.toggle.clicked.connect(lambda: self.set_expanded(not self._expanded))
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.body = QWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toggle)
        layout.addWidget(line)
        layout.addWidget(self.body)

    def set_expanded(self, expanded: bool) -> None:
        self._expanded = expanded
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    def is_expanded(self) -> bool:
        return self._expanded


class LayerRow(QWidget):
    """One layer as a row: its number, −/+ and the unit count, the activation, and (hidden layers) ✕."""

    units_typed = Signal()  # typing or wheel in the count: the panel waits for a pause
    units_stepped = Signal()  # the −/+ buttons: applied at once
    activation_changed = Signal(str)
    remove_requested = Signal(object)  # self

    def __init__(self, activations: tuple[str, ...], removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(_ROW_SPACING)

        self.number = QLabel()
        self.number.setFixedWidth(_NUMBER_WIDTH)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.minus = _tool_button("−", "One unit fewer")
        self.units = QSpinBox()
        self.units.setRange(1, MAX_UNITS)
        self.units.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.units.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.units.setFixedWidth(_UNITS_WIDTH)
        self.units.setToolTip(f"Number of units (neurons) in this layer, 1 to {MAX_UNITS}")
        self.plus = _tool_button("+", "One unit more")
        self.activation = QComboBox()
        for name in activations:
            self.activation.addItem(ACTIVATION_LABELS[name], name)
        self.activation.setToolTip("Activation function applied to every unit of this layer")
        self.activation.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.activation.setMinimumContentsLength(8)

        for widget in (self.number, self.minus, self.units, self.plus, self.activation):
            layout.addWidget(widget)
        if removable:
            self.remove: QToolButton | None = _tool_button("✕", "Remove this hidden layer")
            self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
            layout.addWidget(self.remove)
        else:
            self.remove = None
            layout.addSpacing(_BUTTON_WIDTH)  # keeps the output row's columns under the hidden rows'

        self.minus.clicked.connect(lambda: self._step(-1))
        self.plus.clicked.connect(lambda: self._step(+1))
        self.units.valueChanged.connect(self._on_units_changed)
        self.activation.currentIndexChanged.connect(
            lambda _index: self.activation_changed.emit(self.activation.currentData())
        )
        self._refresh_buttons()

    def set_number(self, number: int) -> None:
        self.number.setText(str(number))
        self.number.setToolTip(f"Layer {number}: the number used in messages about this layer")

    def set_layer(self, layer: LayerSpec) -> None:
        """Show `layer` without emitting anything."""
        with QSignalBlocker(self.units), QSignalBlocker(self.activation):
            self.units.setValue(layer.units)
            index = self.activation.findData(layer.activation)
            self.activation.setCurrentIndex(max(index, 0))
        self._refresh_buttons()

    def set_units(self, units: int) -> None:
        """Change the count as an automatic fix: no signal, the panel commits the whole change itself."""
        with QSignalBlocker(self.units):
            self.units.setValue(units)
        self._refresh_buttons()

    def set_activation(self, activation: str) -> None:
        with QSignalBlocker(self.activation):
            self.activation.setCurrentIndex(max(self.activation.findData(activation), 0))

    def layer(self) -> LayerSpec:
        return LayerSpec(self.units.value(), self.activation.currentData())

    def _step(self, delta: int) -> None:
        with QSignalBlocker(self.units):
            self.units.setValue(self.units.value() + delta)
        self._refresh_buttons()
        self.units_stepped.emit()

    def _on_units_changed(self, _value: int) -> None:
        self._refresh_buttons()
        self.units_typed.emit()

    def _refresh_buttons(self) -> None:
        self.minus.setEnabled(self.units.value() > self.units.minimum())
        self.plus.setEnabled(self.units.value() < self.units.maximum())


class ArchitecturePanel(QWidget):
    """Edit a NetworkSpec, TrainingSpec and DataSpec; emit them only when together they can train."""

    specs_changed = Signal(object, object, object)  # NetworkSpec, TrainingSpec, DataSpec
    csv_import_requested = Signal(dict)  # path, targets, one_hot, train_fraction (see CsvImportDialog)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._playing = False
        self._notes: list[str] = []
        self._base_training = TrainingSpec()
        self._inline_source: DataSpec | None = None
        self._csv_source: DataSpec | None = None
        self._csv_inputs = 1
        self._current_kind = "circle"
        self._feature_order: list[str] = []
        self._train_exact = 0.5
        self._noise_exact = 0.0
        self._last_emitted_data: DataSpec | None = None
        self._last_valid: tuple[NetworkSpec, TrainingSpec, DataSpec] | None = None
        self.hidden_rows: list[LayerRow] = []
        self._muted_labels: list[QLabel] = []
        self.csv_dialog = None

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._commit)
        self._wheel_guard = _WheelGuard(self)

        self._build()
        self.set_specs(
            NetworkSpec(2, (LayerSpec(4, "tanh"), LayerSpec(2, "tanh"), LayerSpec(1, "tanh"))),
            TrainingSpec(),
            DataSpec(),
        )

    # ---- public API --------------------------------------------------------------------------------

    def set_specs(self, network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> None:
        """Show these specs without emitting `specs_changed`; they become the last valid specs.

        The inline or CSV data set behind the "Data set" choices is remembered while the controller
        echoes back what the panel emitted, and forgotten when different data arrives (a new project).
        """
        self._timer.stop()
        if data != self._last_emitted_data:
            self._inline_source = self._csv_source = None
        if data.kind == "inline":
            self._inline_source = data
        elif data.kind == "csv":
            self._csv_source = data
            self._csv_inputs = network.inputs
        self._base_training = training
        self._loading = True
        try:
            self._fill_network(network)
            self._fill_training(training)
            self._fill_data(data)
        finally:
            self._loading = False
        self._last_valid = (network, training, data)
        self._notes.clear()
        self._show_messages(self._problem(network, training, data), [])
        self._refresh()

    def specs(self) -> tuple[NetworkSpec, TrainingSpec, DataSpec]:
        """The last valid specs: those given to `set_specs` or last emitted."""
        assert self._last_valid is not None
        return self._last_valid

    def set_enabled_while_playing(self, playing: bool) -> None:
        """Lock what shapes the whole run while training plays (`playing=True`): the network, the data,
        the loss, batch size and shuffling. The optimiser, its rates and regularisation stay editable,
        since a running session can take them from the next batch on (`Session.set_training`).
        """
        if self._timer.isActive():
            self._commit()
        self._playing = playing
        # The bodies, not the sections: folding a section stays possible while training plays.
        locked = (
            self.network_section.body,
            self.data_section.body,
            self.loss_combo,
            self.batch_spin,
            self.shuffle_box,
        )
        for widget in locked:
            widget.setEnabled(not playing)
        self.lock_label.setVisible(playing)

    def open_csv_dialog(self) -> None:
        """Ask for a CSV file and its columns; `csv_import_requested` carries the answer if accepted."""
        from backprop_studio.gui.panels.settings.csv_dialog import CsvImportDialog

        source = self._csv_source or DataSpec(kind="csv")
        if self.csv_dialog is not None:
            self.csv_dialog.deleteLater()
        self.csv_dialog = CsvImportDialog(
            self,
            path=source.path or "",
            targets=source.targets,
            one_hot=source.one_hot,
            train_fraction=self._train_fraction(),
        )
        self.csv_dialog.accepted.connect(lambda: self.csv_import_requested.emit(self.csv_dialog.options()))
        self.csv_dialog.open()

    def sizeHint(self) -> QSize:
        return QSize(340, 760)

    # ---- building ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.setMinimumWidth(300)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setObjectName("architectureError")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setObjectName("architectureNote")
        self.lock_label = QLabel("Training is playing. Pause it to change the network, data, loss or batch.")
        self.lock_label.setWordWrap(True)
        self.lock_label.setObjectName("architectureLock")
        for label in (self.error_label, self.note_label, self.lock_label):
            label.hide()

        content = QWidget()
        sections = QVBoxLayout(content)
        sections.setContentsMargins(8, 8, 8, 8)
        sections.setSpacing(10)
        self.network_section = self._build_network()
        self.training_section = self._build_training()
        self.data_section = self._build_data()
        for section in (self.network_section, self.training_section, self.data_section):
            sections.addWidget(section)
        sections.addStretch(1)
        self._align_form_labels(self.init_form, self.training_form, self.data_form)

        self.scroll = QScrollArea()
        self.scroll.setWidget(content)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # Messages sit above the scroll area so they are seen wherever the panel is scrolled to.
        messages = QVBoxLayout()
        messages.setContentsMargins(8, 6, 8, 0)
        messages.setSpacing(4)
        for label in (self.error_label, self.note_label, self.lock_label):
            messages.addWidget(label)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(messages)
        outer.addWidget(self.scroll, 1)
        self._style_messages()

    def _build_network(self) -> Section:
        section = Section("Network")
        layout = QVBoxLayout(section.body)
        layout.setContentsMargins(*_BODY_MARGINS)
        layout.setSpacing(6)

        self.inputs_heading = _heading("Inputs")
        layout.addWidget(self.inputs_heading)
        self.features_widget = QWidget()
        grid = QGridLayout(self.features_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.feature_boxes: dict[str, QCheckBox] = {}
        for row, names in enumerate(_FEATURE_GRID):
            for column, name in enumerate(names):
                box = QCheckBox(FEATURE_LABELS[name])
                box.setToolTip(f"Feed {FEATURE_LABELS[name]} to the network as one input")
                box.toggled.connect(lambda checked, feature=name: self._on_feature_toggled(feature, checked))
                self.feature_boxes[name] = box
                grid.addWidget(box, row, column)
        assert set(self.feature_boxes) == set(FEATURES)
        layout.addWidget(self.features_widget)
        self.fixed_inputs_label = self._muted(QLabel())
        self.fixed_inputs_label.setWordWrap(True)
        layout.addWidget(self.fixed_inputs_label)

        layout.addWidget(_heading("Hidden layers"))
        self.columns_header = self._columns_header()
        layout.addWidget(self.columns_header)
        self.hidden_widget = QWidget()
        self.hidden_layout = QVBoxLayout(self.hidden_widget)
        self.hidden_layout.setContentsMargins(0, 0, 0, 0)
        self.hidden_layout.setSpacing(_ROW_SPACING)
        layout.addWidget(self.hidden_widget)
        self.no_hidden_label = self._muted(QLabel("None: the inputs connect straight to the output layer."))
        self.no_hidden_label.setWordWrap(True)
        layout.addWidget(self.no_hidden_label)
        self.add_layer_button = QPushButton("+  Add hidden layer")
        self.add_layer_button.setToolTip("Insert a hidden layer just before the output layer")
        self.add_layer_button.clicked.connect(self._add_hidden_layer)
        layout.addWidget(self.add_layer_button)

        layout.addWidget(_heading("Output layer"))
        self.output_row = LayerRow(ACTIVATIONS, removable=False)
        self.output_row.units_typed.connect(self._schedule)
        self.output_row.units_stepped.connect(self._commit)
        self.output_row.activation_changed.connect(self._on_output_activation_changed)
        self._guard(self.output_row.units, self.output_row.activation)
        layout.addWidget(self.output_row)

        layout.addWidget(_heading("Initial weights and biases"))
        form = _form()
        self.init_combo = _combo(WEIGHT_INITS, INIT_LABELS)
        self.init_combo.setToolTip("How the weights are drawn before training starts")
        self.init_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.std_box = NumberBox(0.0, 100.0, step=0.05)
        self.low_box = NumberBox(-100.0, 100.0, step=0.1)
        self.high_box = NumberBox(-100.0, 100.0, step=0.1)
        self.value_box = NumberBox(-100.0, 100.0, step=0.1)
        self.bias_box = NumberBox(-100.0, 100.0, step=0.1)
        self.bias_box.setToolTip("Every bias starts at this value")
        for box in (self.std_box, self.low_box, self.high_box, self.value_box, self.bias_box):
            box.valueChanged.connect(self._schedule)
        self.seed_edit, seed_row = self._seed_field(
            "Seed for the initial weights and the order of the batches", self._randomise_seed
        )
        self.seed_button = seed_row.findChild(QPushButton)
        form.addRow("Weights", self.init_combo)
        form.addRow("Std. dev.", self.std_box)
        form.addRow("Low", self.low_box)
        form.addRow("High", self.high_box)
        form.addRow("Value", self.value_box)
        form.addRow("Biases", self.bias_box)
        form.addRow("Seed", seed_row)
        self.init_form = form
        layout.addLayout(form)
        self._guard(self.init_combo, self.std_box, self.low_box, self.high_box, self.value_box, self.bias_box)
        return section

    def _build_training(self) -> Section:
        section = Section("Training")
        form = _form(section.body)
        self.loss_combo = _combo(LOSSES, LOSS_LABELS)
        self.loss_combo.setToolTip(
            "Mean squared error for values; binary cross-entropy with sigmoid outputs; "
            "cross-entropy with a softmax output"
        )
        self.loss_combo.currentIndexChanged.connect(self._on_loss_changed)
        self.optimizer_combo = _combo(OPTIMIZERS, OPTIMIZER_LABELS)
        self.optimizer_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.learning_rate = NumberBox(1e-7, 10.0, ladder=LEARNING_RATES)
        self.learning_rate.setToolTip("Step size. The arrows jump 0.001 → 0.003 → 0.01 → …; type any value")
        self.momentum = NumberBox(0.0, 0.999999, ladder=MOMENTA)
        self.momentum.setToolTip("μ: how much of the previous step is kept (0.9 is usual)")
        self.beta1 = NumberBox(0.0, 0.999999, ladder=MOMENTA)
        self.beta1.setToolTip("β₁: decay of Adam's running mean of the gradient (0.9 is usual)")
        self.beta2 = NumberBox(0.0, 0.999999, ladder=(0.9, 0.99, 0.999, 0.9999))
        self.beta2.setToolTip("β₂: decay of Adam's running mean of the squared gradient (0.999 is usual)")
        self.epsilon = NumberBox(1e-15, 1.0, ladder=EPSILONS)
        self.epsilon.setToolTip("ε: keeps Adam from dividing by zero (1e-8 is usual)")
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, MAX_SAMPLES)
        self.batch_spin.setToolTip("Samples per weight update; 1 is pure stochastic gradient descent")
        self.shuffle_box = QCheckBox("Shuffle every epoch")
        self.shuffle_box.toggled.connect(self._commit)
        self.regularization_combo = _combo(REGULARIZATIONS, REGULARIZATION_LABELS)
        self.regularization_combo.setToolTip("Penalty on large weights: L1 pushes them to 0, L2 shrinks them")
        self.regularization_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.regularization_rate = NumberBox(0.0, 10.0, ladder=REGULARIZATION_RATES)
        self.regularization_rate.setToolTip("λ: strength of the weight penalty")
        for box in (
            self.learning_rate,
            self.momentum,
            self.beta1,
            self.beta2,
            self.epsilon,
            self.batch_spin,
            self.regularization_rate,
        ):
            box.valueChanged.connect(self._schedule)
        form.addRow("Loss", self.loss_combo)
        form.addRow("Optimizer", self.optimizer_combo)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Momentum", self.momentum)
        form.addRow("β₁", self.beta1)
        form.addRow("β₂", self.beta2)
        form.addRow("ε", self.epsilon)
        form.addRow("Batch size", self.batch_spin)
        form.addRow("", self.shuffle_box)
        form.addRow("Regularization", self.regularization_combo)
        form.addRow("Reg. rate", self.regularization_rate)
        self.training_form = form
        self._guard(
            self.loss_combo,
            self.optimizer_combo,
            self.learning_rate,
            self.momentum,
            self.beta1,
            self.beta2,
            self.epsilon,
            self.batch_spin,
            self.regularization_combo,
            self.regularization_rate,
        )
        return section

    def _build_data(self) -> Section:
        section = Section("Data")
        form = _form(section.body)
        self.data_kind_combo = QComboBox()
        self.data_kind_combo.setToolTip("Which samples the network learns from")
        self.data_kind_combo.currentIndexChanged.connect(self._on_data_kind_changed)
        self.source_label = self._muted(QLabel())
        self.source_label.setWordWrap(True)
        self.classes_spin = QSpinBox()
        self.classes_spin.setRange(2, MAX_CLASSES)
        self.classes_spin.setToolTip("Number of spiral arms, one class each")
        self.classes_spin.valueChanged.connect(self._on_classes_changed)
        self.samples_spin = QSpinBox()
        self.samples_spin.setRange(2, MAX_SAMPLES)
        self.samples_spin.setSingleStep(50)
        self.samples_spin.setToolTip("Training and test samples together")
        self.samples_spin.valueChanged.connect(self._schedule)
        self.noise_slider = QSlider(Qt.Orientation.Horizontal)
        self.noise_slider.setRange(0, 50)
        self.noise_slider.setToolTip("How far samples are jittered, as in TensorFlow Playground (0–50 %)")
        self.noise_value = QLabel()
        self.noise_value.setMinimumWidth(self.noise_value.fontMetrics().horizontalAdvance("50 %") + 4)
        self.noise_value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.noise_slider.valueChanged.connect(self._on_noise_changed)
        noise_row = _row(self.noise_slider, self.noise_value)
        self.train_spin = QSpinBox()
        self.train_spin.setRange(1, 100)
        self.train_spin.setSuffix(" %")
        self.train_spin.setToolTip("Share of the samples used for training; the rest is the test set")
        self.train_spin.valueChanged.connect(self._schedule)
        self.data_seed_edit, data_seed_row = self._seed_field(
            "Seed for drawing the samples and splitting train from test", self._randomise_data_seed
        )
        self.csv_button = QPushButton("Import CSV…")
        self.csv_button.setToolTip("Train on your own table of numbers")
        self.csv_button.clicked.connect(self.open_csv_dialog)
        form.addRow("Data set", self.data_kind_combo)
        form.addRow("", self.source_label)
        form.addRow("Classes", self.classes_spin)
        form.addRow("Samples", self.samples_spin)
        form.addRow("Noise", noise_row)
        form.addRow("Training share", self.train_spin)
        form.addRow("Data seed", data_seed_row)
        form.addRow("", self.csv_button)
        self.data_form = form
        self._guard(
            self.data_kind_combo, self.classes_spin, self.samples_spin, self.noise_slider, self.train_spin
        )
        return section

    def _columns_header(self) -> QWidget:
        header = QWidget()
        layout = QHBoxLayout(header)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(_ROW_SPACING)
        number = self._muted(QLabel("#"))
        number.setFixedWidth(_NUMBER_WIDTH)
        number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        units = self._muted(QLabel("Units"))
        units.setFixedWidth(2 * _BUTTON_WIDTH + _UNITS_WIDTH + 2 * _ROW_SPACING)
        units.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(number)
        layout.addWidget(units)
        layout.addWidget(self._muted(QLabel("Activation")), 1)
        layout.addSpacing(_BUTTON_WIDTH)
        return header

    def _seed_field(self, tooltip: str, randomise: Callable[[], None]) -> tuple[QLineEdit, QWidget]:
        # A line edit, not a QSpinBox: seeds go up to 2⁶⁴ − 1 and a spin box stops at 2³¹ − 1.
        edit = QLineEdit()
        edit.setValidator(_DigitsValidator(edit))
        edit.setToolTip(tooltip)
        edit.textEdited.connect(self._schedule)
        button = QPushButton("Randomize")
        button.setToolTip("Pick a new random seed")
        button.clicked.connect(randomise)
        return edit, _row(edit, button)

    @staticmethod
    def _align_form_labels(*forms: QFormLayout) -> None:
        # One label column for the whole panel, so every field starts at the same x.
        labels = [
            item.widget()
            for form in forms
            for row in range(form.rowCount())
            if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        ]
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)

    def _muted(self, label: QLabel) -> QLabel:
        """Secondary text; coloured in `_style_messages` so it follows a later palette switch."""
        self._muted_labels.append(label)
        return label

    def _guard(self, *widgets: QWidget) -> None:
        for widget in widgets:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(self._wheel_guard)

    # ---- filling from specs --------------------------------------------------------------------------

    def _fill_network(self, network: NetworkSpec) -> None:
        hidden = network.layers[:-1]
        while len(self.hidden_rows) > len(hidden):
            self._drop_row(self.hidden_rows[-1])
        while len(self.hidden_rows) < len(hidden):
            self._append_row()
        for row, layer in zip(self.hidden_rows, hidden):
            row.set_layer(layer)
        self.output_row.set_layer(network.layers[-1] if network.layers else LayerSpec(1, "tanh"))
        init = network.init
        _select(self.init_combo, init.weights)
        for box, value in (
            (self.std_box, init.std),
            (self.low_box, init.low),
            (self.high_box, init.high),
            (self.value_box, init.value),
            (self.bias_box, init.bias),
        ):
            _set_value(box, value)

    def _fill_training(self, training: TrainingSpec) -> None:
        _select(self.loss_combo, training.loss)
        optimizer = training.optimizer
        _select(self.optimizer_combo, optimizer.name)
        for box, value in (
            (self.learning_rate, optimizer.learning_rate),
            (self.momentum, optimizer.momentum),
            (self.beta1, optimizer.beta1),
            (self.beta2, optimizer.beta2),
            (self.epsilon, optimizer.epsilon),
            (self.batch_spin, training.batch_size),
            (self.regularization_rate, training.regularization.rate),
        ):
            _set_value(box, value)
        with QSignalBlocker(self.shuffle_box):
            self.shuffle_box.setChecked(training.shuffle)
        _select(self.regularization_combo, training.regularization.kind)
        self.seed_edit.setText(str(training.seed))

    def _fill_data(self, data: DataSpec) -> None:
        with QSignalBlocker(self.data_kind_combo):
            self.data_kind_combo.clear()
            for kind in GENERATORS:
                self.data_kind_combo.addItem(GENERATOR_LABELS[kind], kind)
            if self._inline_source is not None:
                self.data_kind_combo.addItem("Inline data (from the project)", "inline")
            if self._csv_source is not None:
                name = os.path.basename(self._csv_source.path or "") or "file"
                self.data_kind_combo.addItem(f"CSV: {name}", "csv")
            self.data_kind_combo.addItem("CSV file…", _NEW_CSV)
            self.data_kind_combo.setItemData(
                self.data_kind_combo.count() - 1, "Import a CSV file", Qt.ItemDataRole.ToolTipRole
            )
            self.data_kind_combo.setCurrentIndex(max(self.data_kind_combo.findData(data.kind), 0))
        self._current_kind = data.kind
        if data.kind in GENERATORS:
            self._feature_order = [name for name in data.features if name in self.feature_boxes]
            for name, box in self.feature_boxes.items():
                with QSignalBlocker(box):
                    box.setChecked(name in data.features)
            _set_value(self.samples_spin, data.samples)
            _set_value(self.classes_spin, data.classes)
            self._noise_exact = data.noise
            _set_value(self.noise_slider, round(data.noise * 100))
        self._train_exact = data.train_fraction
        _set_value(self.train_spin, round(data.train_fraction * 100))
        self.data_seed_edit.setText(str(data.seed))
        self._show_noise()

    # ---- collecting into specs -----------------------------------------------------------------------

    def _collect(self) -> tuple[NetworkSpec, TrainingSpec, DataSpec]:
        data = self._collect_data()
        if data.kind in GENERATORS:
            inputs = len(data.features)
        elif data.kind == "inline":
            inputs = self._inline_inputs()
        else:
            inputs = self._csv_inputs
        layers = (*(row.layer() for row in self.hidden_rows), self.output_row.layer())
        init = InitSpec(
            weights=self.init_combo.currentData(),
            std=self.std_box.value(),
            low=self.low_box.value(),
            high=self.high_box.value(),
            value=self.value_box.value(),
            bias=self.bias_box.value(),
        )
        optimizer = OptimizerSpec(
            name=self.optimizer_combo.currentData(),
            learning_rate=self.learning_rate.value(),
            momentum=self.momentum.value(),
            beta1=self.beta1.value(),
            beta2=self.beta2.value(),
            epsilon=self.epsilon.value(),
        )
        training = replace(
            self._base_training,
            loss=self.loss_combo.currentData(),
            optimizer=optimizer,
            batch_size=self.batch_spin.value(),
            shuffle=self.shuffle_box.isChecked(),
            seed=_seed(self.seed_edit, "Seed"),
            regularization=RegularizationSpec(
                self.regularization_combo.currentData(), self.regularization_rate.value()
            ),
        )
        return NetworkSpec(inputs, layers, init), training, data

    def _collect_data(self) -> DataSpec:
        kind = self._current_kind
        seed = _seed(self.data_seed_edit, "Data seed")
        if kind == "inline" and self._inline_source is not None:
            return self._inline_source
        if kind == "csv" and self._csv_source is not None:
            return replace(self._csv_source, train_fraction=self._train_fraction(), seed=seed)
        noise = self._noise_exact
        if round(noise * 100) != self.noise_slider.value():
            noise = self.noise_slider.value() / 100
        return DataSpec(
            kind=kind,
            samples=self.samples_spin.value(),
            noise=noise,
            train_fraction=self._train_fraction(),
            seed=seed,
            features=tuple(self._feature_order),
            classes=self.classes_spin.value() if kind == "spiral" else 2,
        )

    def _train_fraction(self) -> float:
        # The spin box shows whole percent; an untouched 0.333 from a file stays 0.333.
        if round(self._train_exact * 100) == self.train_spin.value():
            return self._train_exact
        return self.train_spin.value() / 100

    def _inline_inputs(self) -> int:
        source = self._inline_source
        if source is not None and source.x:
            return len(source.x[0])
        return self._last_valid[0].inputs if self._last_valid else 1

    # ---- checking and emitting -------------------------------------------------------------------------

    def _problem(self, network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> str | None:
        """Why these specs cannot train together, in a sentence; None when they can."""
        if data.kind in GENERATORS and not data.features:
            return "Select at least one input feature: the network needs at least 1 input."
        init = network.init
        if init.weights == "uniform" and not init.low < init.high:
            return f"Uniform initial weights need Low below High (now {init.low:g} and {init.high:g})."
        try:
            check_architecture(network, training)
            if data.kind in GENERATORS:
                sample = replace(data, samples=min(data.samples, _CHECK_SAMPLES))
                build_dataset(sample, network, training.loss)
            elif data.kind == "inline":
                build_dataset(data, network, training.loss)
            elif data.kind == "csv" and data.targets and len(data.targets) != network.outputs:
                return (
                    f"The CSV file has {_count(len(data.targets), 'target column')} "
                    f"({', '.join(data.targets)}) but the output layer has "
                    f"{_count(network.outputs, 'unit')}."
                )
        except (StudioError, ValueError) as error:
            return _sentence(str(error))
        return None

    def _schedule(self, *_args: object) -> None:
        if self._loading:
            return
        self._refresh()
        self._timer.start()

    def _commit(self, *_args: object) -> None:
        self._timer.stop()
        if self._loading:
            return
        self._refresh()
        notes, self._notes = self._notes, []
        try:
            specs = self._collect()
        except _InputProblem as problem:
            self._show_messages(str(problem), notes)
            return
        problem = self._problem(*specs)
        self._show_messages(problem, notes)
        if problem is not None or specs == self._last_valid:
            return
        self._last_valid = specs
        self._last_emitted_data = specs[2]
        self.specs_changed.emit(*specs)

    def _show_messages(self, problem: str | None, notes: list[str]) -> None:
        if problem is None:
            self.error_label.hide()
        else:
            self.error_label.setText(f"<b>Not applied:</b> {_escape(problem)}")
            self.error_label.setToolTip("The network keeps its last valid settings until this is fixed")
            self.error_label.show()
        self.note_label.setText(" ".join(notes))
        self.note_label.setVisible(bool(notes))

    # ---- reactions to edits, with their automatic fixes --------------------------------------------------

    def _on_combo_changed(self, *_args: object) -> None:
        self._commit()

    def _on_feature_toggled(self, feature: str, checked: bool) -> None:
        if self._loading:
            return
        # Keep the order the inputs already have; a newly ticked feature becomes the last input.
        if checked and feature not in self._feature_order:
            self._feature_order.append(feature)
        elif not checked and feature in self._feature_order:
            self._feature_order.remove(feature)
        self._commit()

    def _add_hidden_layer(self) -> None:
        if len(self.hidden_rows) >= MAX_HIDDEN_LAYERS:
            return
        template = self.hidden_rows[-1].layer() if self.hidden_rows else LayerSpec(4, "tanh")
        self._append_row().set_layer(template)
        self._commit()

    def _remove_hidden_layer(self, row: LayerRow) -> None:
        self._drop_row(row)
        self._commit()

    def _append_row(self) -> LayerRow:
        row = LayerRow(HIDDEN_ACTIVATIONS, removable=True)
        row.units_typed.connect(self._schedule)
        row.units_stepped.connect(self._commit)
        row.activation_changed.connect(self._commit)
        row.remove_requested.connect(self._remove_hidden_layer)
        self._guard(row.units, row.activation)
        self.hidden_rows.append(row)
        self.hidden_layout.addWidget(row)
        self._number_rows()
        return row

    def _drop_row(self, row: LayerRow) -> None:
        self.hidden_rows.remove(row)
        self.hidden_layout.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._number_rows()

    def _number_rows(self) -> None:
        for number, row in enumerate(self.hidden_rows, start=1):
            row.set_number(number)
        self.output_row.set_number(len(self.hidden_rows) + 1)

    def _on_loss_changed(self, *_args: object) -> None:
        if self._loading:
            return
        loss = self.loss_combo.currentData()
        output = self.output_row.layer()
        if loss == "cross_entropy":
            units = self._softmax_units(output.units)
            if output.activation != "softmax" or units != output.units:
                self.output_row.set_activation("softmax")
                self.output_row.set_units(units)
                self._notes.append(
                    f"Output layer set to softmax with {_count(units, 'unit')}: "
                    "cross-entropy needs one softmax unit per class."
                )
        elif loss == "bce" and output.activation != "sigmoid":
            self.output_row.set_activation("sigmoid")
            self._notes.append(
                "Output layer set to sigmoid: binary cross-entropy needs outputs between 0 and 1."
            )
        elif loss == "mse" and output.activation == "softmax":
            activation = "sigmoid" if self._current_kind in CLASSIFICATION_GENERATORS else "linear"
            self.output_row.set_activation(activation)
            self._notes.append(f"Output layer set to {activation}: softmax is only used with cross-entropy.")
        self._commit()

    def _on_output_activation_changed(self, activation: str) -> None:
        if self._loading:
            return
        loss = self.loss_combo.currentData()
        if activation == "softmax":
            units = self._softmax_units(self.output_row.layer().units)
            if units != self.output_row.layer().units:
                self.output_row.set_units(units)
                self._notes.append(f"Output layer set to {_count(units, 'unit')}, one per class.")
            new_loss = "cross_entropy"
        elif activation == "sigmoid":
            new_loss = "bce" if loss == "cross_entropy" else loss
        else:
            new_loss = "mse" if loss in ("bce", "cross_entropy") else loss
        if new_loss != loss:
            _select(self.loss_combo, new_loss)
            self._notes.append(
                f"Loss set to {LOSS_LABELS[new_loss].lower()}, the loss that fits a {activation} output."
            )
        self._commit()

    def _on_data_kind_changed(self, index: int) -> None:
        if self._loading:
            return
        kind = self.data_kind_combo.itemData(index)
        if kind == _NEW_CSV:
            # Nothing changes until the controller has read the file and calls set_specs.
            _select(self.data_kind_combo, self._current_kind)
            self.open_csv_dialog()
            return
        self._current_kind = kind
        self._fit_output_to_data()
        self._commit()

    def _on_classes_changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._fit_output_to_data()
        self._schedule()

    def _on_noise_changed(self, *_args: object) -> None:
        self._show_noise()
        self._schedule()

    def _fit_output_to_data(self) -> None:
        """Make the output layer (and loss) fit the data just chosen, when the data settles them."""
        kind = self._current_kind
        output = self.output_row.layer()
        if kind in REGRESSION_GENERATORS:
            changes = []
            if output.units != 1:
                self.output_row.set_units(1)
                changes.append("1 output unit")
            if output.activation in ("softmax", "sigmoid"):
                self.output_row.set_activation("linear")
                changes.append("a linear output")
            if self.loss_combo.currentData() != "mse":
                _select(self.loss_combo, "mse")
                changes.append("mean squared error")
            if changes:
                self._notes.append(f"Switched to {_join(changes)}: {kind} data is one value per sample.")
            return
        units = self._required_units()
        if units is None:
            classes = self._known_classes()
            if classes is None:
                return
            fits = output.units == classes or (output.units == 1 and classes == 2)
            if fits and not (output.activation == "softmax" and output.units != classes):
                return
            units = classes if output.activation == "softmax" or classes > 2 else 1
        if units != output.units:
            self.output_row.set_units(units)
            self._notes.append(f"Output layer set to {_count(units, 'unit')} to match the data.")

    def _required_units(self) -> int | None:
        """Output units the data dictates regardless of the loss: inline y width, CSV target columns."""
        if self._current_kind == "inline" and self._inline_source is not None and self._inline_source.y:
            return len(self._inline_source.y[0])
        if self._current_kind == "csv" and self._csv_source is not None and self._csv_source.targets:
            return len(self._csv_source.targets)
        return None

    def _known_classes(self) -> int | None:
        kind = self._current_kind
        if kind in CLASSIFICATION_GENERATORS:
            return self.classes_spin.value() if kind == "spiral" else 2
        required = self._required_units()
        return required if required is not None and required >= 2 else None

    def _softmax_units(self, units: int) -> int:
        classes = self._known_classes()
        return classes if classes is not None else max(units, 2)

    def _randomise_seed(self) -> None:
        self.seed_edit.setText(str(new_seed()))
        self._commit()

    def _randomise_data_seed(self) -> None:
        self.data_seed_edit.setText(str(new_seed()))
        self._commit()

    # ---- what is shown -------------------------------------------------------------------------------

    def _refresh(self) -> None:
        """Show the fields that matter for the current choices, hide the rest."""
        weights = self.init_combo.currentData()
        self.init_form.setRowVisible(self.std_box, weights == "normal")
        self.init_form.setRowVisible(self.low_box, weights == "uniform")
        self.init_form.setRowVisible(self.high_box, weights == "uniform")
        self.init_form.setRowVisible(self.value_box, weights == "constant")

        optimizer = self.optimizer_combo.currentData()
        self.training_form.setRowVisible(self.momentum, optimizer == "momentum")
        for box in (self.beta1, self.beta2, self.epsilon):
            self.training_form.setRowVisible(box, optimizer == "adam")
        self.training_form.setRowVisible(
            self.regularization_rate, self.regularization_combo.currentData() != "none"
        )

        kind = self._current_kind
        generated = kind in GENERATORS
        self.data_form.setRowVisible(self.classes_spin, kind == "spiral")
        self.data_form.setRowVisible(self.samples_spin, generated)
        self.data_form.setRowVisible(self.noise_slider.parentWidget(), generated)
        self.data_form.setRowVisible(self.train_spin, kind != "inline")
        self.data_form.setRowVisible(self.data_seed_edit.parentWidget(), kind != "inline")
        self.data_form.setRowVisible(self.source_label, not generated)
        self.features_widget.setVisible(generated)
        self.fixed_inputs_label.setVisible(not generated)
        if generated:
            count = len(self._feature_order)
            self.inputs_heading.setText(f"Inputs ({count})")
        else:
            inputs = self._inline_inputs() if kind == "inline" else self._csv_inputs
            source = "the project's inline data" if kind == "inline" else "the CSV file's feature columns"
            self.inputs_heading.setText(f"Inputs ({inputs})")
            self.fixed_inputs_label.setText(f"{_count(inputs, 'input')}, fixed by {source}.")
            self.source_label.setText(self._source_text())

        self.no_hidden_label.setVisible(not self.hidden_rows)
        self.columns_header.setVisible(bool(self.hidden_rows))
        full = len(self.hidden_rows) >= MAX_HIDDEN_LAYERS
        self.add_layer_button.setEnabled(not full)
        self.add_layer_button.setToolTip(
            f"At most {MAX_HIDDEN_LAYERS} hidden layers"
            if full
            else "Insert a hidden layer just before the output layer"
        )

    def _source_text(self) -> str:
        if self._current_kind == "inline" and self._inline_source is not None:
            source = self._inline_source
            train = len(source.x or ())
            test = len(source.x_test or ())
            return f"{_count(train, 'training sample')} and {_count(test, 'test sample')}, as written in the project."
        if self._current_kind == "csv" and self._csv_source is not None:
            source = self._csv_source
            predicted = (
                f"class column {source.one_hot}"
                if source.one_hot
                else f"{'columns' if len(source.targets) > 1 else 'column'} {', '.join(source.targets)}"
            )
            return f"{source.path}; predicting {predicted}."
        return ""

    def _show_noise(self) -> None:
        self.noise_value.setText(f"{self.noise_slider.value()} %")

    def changeEvent(self, event: QEvent) -> None:
        built = hasattr(self, "error_label")  # palette events can arrive while __init__ still runs
        if built and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._style_messages()
        super().changeEvent(event)

    def _style_messages(self) -> None:
        # Fixed hues tuned per palette: a red that passes contrast on white is unreadable on near-black.
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        dark = window.lightnessF() < 0.5
        red_text, red_background, red_border = (
            ("#ffb4ab", "#3d2323", "#e5534b") if dark else ("#a1221a", "#fdecea", "#d93025")
        )
        self.error_label.setStyleSheet(
            f"QLabel {{ color: {red_text}; background: {red_background};"
            f" border-left: 3px solid {red_border}; padding: 5px 6px; }}"
        )
        info_background = _blend(text, window, 0.07)
        info_border = palette.color(QPalette.ColorRole.Highlight).name()
        for label in (self.note_label, self.lock_label):
            label.setStyleSheet(
                f"QLabel {{ color: {text.name()}; background: {info_background};"
                f" border-left: 3px solid {info_border}; padding: 5px 6px; }}"
            )
        muted = _blend(text, window, 0.7)
        disabled = _blend(text, window, 0.4)
        for label in self._muted_labels:
            label.setStyleSheet(f"QLabel {{ color: {muted}; }} QLabel:disabled {{ color: {disabled}; }}")


# ---- small helpers -----------------------------------------------------------------------------------


class _DigitsValidator(QValidator):
    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if not text:
            return QValidator.State.Intermediate, text, pos
        if text.isdigit() and text.isascii() and int(text) <= MAX_SEED:
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Invalid, text, pos


def _seed(edit: QLineEdit, name: str) -> int:
    text = edit.text().strip()
    if not text.isdigit():
        raise _InputProblem(f"{name} must be a whole number from 0 to {MAX_SEED}.")
    return int(text)


def _tool_button(text: str, tooltip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tooltip)
    button.setFixedWidth(_BUTTON_WIDTH)
    button.setAutoRepeat(text in "−+")  # holding − or + keeps stepping, as a spin box arrow does
    return button


def _combo(names: tuple[str, ...], labels: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for name in names:
        combo.addItem(labels[name], name)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    with QSignalBlocker(combo):
        combo.setCurrentIndex(max(combo.findData(value), 0))


def _set_value(widget: QAbstractSpinBox | QSlider, value: float) -> None:
    with QSignalBlocker(widget):
        widget.setValue(value)


def _form(parent: QWidget | None = None) -> QFormLayout:
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    if parent is not None:  # a section body: the same margins as the network's
        form.setContentsMargins(*_BODY_MARGINS)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(6)
    return form


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    layout.addWidget(widgets[0], 1)
    for widget in widgets[1:]:
        layout.addWidget(widget)
    return row


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def _blend(a: QColor, b: QColor, share: float = 0.7) -> str:
    mix = [round(share * x + (1 - share) * y) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3])]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _sentence(message: str) -> str:
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
