"""The "Training" section: loss, optimizer and its rates, batch size, shuffling, regularization.

It shows a TrainingSpec and reads one back (the seed is edited in the Network section and handed in).
"""

from __future__ import annotations

from dataclasses import replace

from backprop_studio.core.spec import (
    LOSSES,
    OPTIMIZERS,
    REGULARIZATIONS,
    OptimizerSpec,
    RegularizationSpec,
    TrainingSpec,
)
from backprop_studio.gui.panels.settings.builders import (
    combo,
    form,
    read_numbers,
    select,
    set_value,
    show_numbers,
)
from backprop_studio.gui.panels.settings.choices import (
    BETA2S,
    EPSILONS,
    LEARNING_RATES,
    LOSS_LABELS,
    MOMENTA,
    OPTIMIZER_LABELS,
    RANGES,
    REGULARIZATION_LABELS,
    REGULARIZATION_RATES,
)
from backprop_studio.gui.panels.settings.number_field import NumberField
from backprop_studio.gui.panels.settings.widgets import Section, WheelGuard
from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtWidgets import QCheckBox


class TrainingForm(QObject):
    """Build, fill and collect the Training section. `edited`: a pick, a step or a typed value was applied;
    `loss_changed`: a loss was picked (the output layer may have to follow)."""

    edited = Signal()
    problem_changed = Signal()  # a typed value was refused, or a refused one withdrawn
    loss_changed = Signal()

    def __init__(self, guard: WheelGuard, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.section = Section("Training")
        self.loss_combo = combo(LOSSES, LOSS_LABELS)
        self.loss_combo.setToolTip(
            "Mean squared error for values; binary cross-entropy with sigmoid outputs; "
            "cross-entropy with a softmax output"
        )
        self.loss_combo.currentIndexChanged.connect(lambda _index: self.loss_changed.emit())
        self.optimizer_combo = combo(OPTIMIZERS, OPTIMIZER_LABELS)
        self.optimizer_combo.currentIndexChanged.connect(lambda _index: self.edited.emit())
        self._build_rates()
        self.batch_spin = NumberField(RANGES["batch_size"])
        self.batch_spin.setToolTip(
            "Samples per weight update; 1 is pure stochastic gradient descent, at most the training samples"
        )
        self.shuffle_box = QCheckBox("Shuffle every epoch")
        self.shuffle_box.toggled.connect(lambda _checked: self.edited.emit())
        self.update_biases_box = QCheckBox("Update biases")
        self.update_biases_box.setObjectName("update-biases")
        self.update_biases_box.setToolTip(
            "Unchecked: every bias keeps its value (dL/db is still computed and shown), as in worked "
            "examples that hold the biases fixed"
        )
        self.update_biases_box.toggled.connect(lambda _checked: self.edited.emit())
        self.regularization_combo = combo(REGULARIZATIONS, REGULARIZATION_LABELS)
        self.regularization_combo.setToolTip("Penalty on large weights: L1 pushes them to 0, L2 shrinks them")
        self.regularization_combo.currentIndexChanged.connect(lambda _index: self.edited.emit())
        self.regularization_rate = NumberField(RANGES["regularization_rate"], ladder=REGULARIZATION_RATES)
        self.regularization_rate.setToolTip("λ: strength of the weight penalty")
        for field in self.number_fields():
            field.committed.connect(self.edited)
            field.problem_changed.connect(self.problem_changed)
        self._lay_out()
        guard.guard(
            self.loss_combo,
            self.optimizer_combo,
            *self._optimizer_boxes.values(),
            self.batch_spin,
            self.regularization_combo,
            self.regularization_rate,
        )

    def number_fields(self) -> tuple[NumberField, ...]:
        """The typed fields, each applied on Enter or focus-out."""
        return (*self._optimizer_boxes.values(), self.batch_spin, self.regularization_rate)

    def _build_rates(self) -> None:
        self.learning_rate = NumberField(RANGES["learning_rate"], ladder=LEARNING_RATES)
        self.learning_rate.setToolTip(
            "Step size. The arrows jump 0.001 → 0.003 → 0.01 → …; type any value and press Enter"
        )
        self.momentum = NumberField(RANGES["momentum"], ladder=MOMENTA)
        self.momentum.setToolTip("μ: how much of the previous step is kept (0.9 is usual)")
        self.beta1 = NumberField(RANGES["beta1"], ladder=MOMENTA)
        self.beta1.setToolTip("β₁: decay of Adam's running mean of the gradient (0.9 is usual)")
        self.beta2 = NumberField(RANGES["beta2"], ladder=BETA2S)
        self.beta2.setToolTip("β₂: decay of Adam's running mean of the squared gradient (0.999 is usual)")
        self.epsilon = NumberField(RANGES["epsilon"], ladder=EPSILONS)
        self.epsilon.setToolTip("ε: keeps Adam from dividing by zero (1e-8 is usual)")
        # OptimizerSpec's number fields by name: one table to fill from and collect into.
        self._optimizer_boxes = {
            "learning_rate": self.learning_rate,
            "momentum": self.momentum,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "epsilon": self.epsilon,
        }

    def _lay_out(self) -> None:
        self.form = form(self.section.body)
        for label, field in (
            ("Loss", self.loss_combo),
            ("Optimizer", self.optimizer_combo),
            ("Learning rate", self.learning_rate),
            ("Momentum", self.momentum),
            ("β₁", self.beta1),
            ("β₂", self.beta2),
            ("ε", self.epsilon),
            ("Batch size", self.batch_spin),
            ("", self.shuffle_box),
            ("", self.update_biases_box),
            ("Regularization", self.regularization_combo),
            ("Reg. rate", self.regularization_rate),
        ):
            self.form.addRow(label, field)

    def fill(self, training: TrainingSpec) -> None:
        """Show `training` without emitting."""
        select(self.loss_combo, training.loss)
        select(self.optimizer_combo, training.optimizer.name)
        show_numbers(self._optimizer_boxes, training.optimizer)
        set_value(self.batch_spin, training.batch_size)
        set_value(self.regularization_rate, training.regularization.rate)
        with QSignalBlocker(self.shuffle_box):
            self.shuffle_box.setChecked(training.shuffle)
        with QSignalBlocker(self.update_biases_box):
            self.update_biases_box.setChecked(training.update_biases)
        select(self.regularization_combo, training.regularization.kind)

    def collect(self, base: TrainingSpec, seed: int) -> TrainingSpec:
        """`base` (which keeps what this form does not show, e.g. epochs) with this form's values."""
        return replace(
            base,
            loss=self.loss_combo.currentData(),
            optimizer=OptimizerSpec(
                name=self.optimizer_combo.currentData(), **read_numbers(self._optimizer_boxes)
            ),
            batch_size=int(self.batch_spin.value()),
            shuffle=self.shuffle_box.isChecked(),
            update_biases=self.update_biases_box.isChecked(),
            seed=seed,
            regularization=RegularizationSpec(
                self.regularization_combo.currentData(), self.regularization_rate.value()
            ),
        )

    def set_loss(self, loss: str) -> None:
        """Show an automatic fix of the loss, without emitting."""
        select(self.loss_combo, loss)

    def refresh(self) -> None:
        """Show the rates the chosen optimizer and regularization use, hide the rest."""
        optimizer = self.optimizer_combo.currentData()
        self.form.setRowVisible(self.momentum, optimizer == "momentum")
        for box in (self.beta1, self.beta2, self.epsilon):
            self.form.setRowVisible(box, optimizer == "adam")
        self.form.setRowVisible(self.regularization_rate, self.regularization_combo.currentData() != "none")
