"""The settings panel's own widgets: a number box with a ladder, a seed field, a folding section, a layer row,
and the wheel guard that keeps a scrolling teacher from retuning a field by accident."""

from __future__ import annotations

import math
import re

from backprop_studio.core.errors import StudioError
from backprop_studio.core.spec import MAX_SEED, LayerSpec, new_seed
from backprop_studio.gui.panels.settings.builders import (
    BUTTON_WIDTH,
    NUMBER_WIDTH,
    ROW_SPACING,
    UNITS_WIDTH,
    combo,
    fill_row,
    select,
    tool_button,
)
from backprop_studio.gui.panels.settings.choices import ACTIVATION_LABELS, MAX_UNITS
from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class FieldProblem(StudioError):
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


class WheelGuard(QObject):
    """Lets the mouse wheel scroll the panel instead of changing whichever field is under the pointer.

    A teacher scrolling the panel must not retune a learning rate by accident; a field takes the wheel
    only once it has been clicked into.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()  # ignored, the wheel event travels on to the scroll area
            return True
        return False

    def guard(self, *widgets: QWidget) -> None:
        """Let these fields take the wheel only with focus (and take focus by click or Tab)."""
        for widget in widgets:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(self)


class DigitsValidator(QValidator):
    """Whole numbers from 0 to MAX_SEED, typed as plain ASCII digits."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if not text:
            return QValidator.State.Intermediate, text, pos
        if text.isdigit() and text.isascii() and int(text) <= MAX_SEED:
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Invalid, text, pos


class SeedField(QWidget):
    """A seed entry with its Randomize button; `edited` on typing, `randomized` after a new seed is drawn.

    A line edit, not a QSpinBox: seeds go up to 2⁶⁴ − 1 and a spin box stops at 2³¹ − 1.
    """

    edited = Signal()
    randomized = Signal()

    def __init__(self, name: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self.edit = QLineEdit()
        self.edit.setValidator(DigitsValidator(self.edit))
        self.edit.setToolTip(tooltip)
        self.edit.textEdited.connect(lambda _text: self.edited.emit())
        self.button = QPushButton("Randomize")
        self.button.setToolTip("Pick a new random seed")
        self.button.clicked.connect(self._randomize)
        fill_row(self, self.edit, self.button)

    def set_seed(self, seed: int) -> None:
        self.edit.setText(str(seed))

    def seed(self) -> int:
        """The seed typed; FieldProblem while the field holds no whole number."""
        text = self.edit.text().strip()
        if not text.isdigit():
            raise FieldProblem(f"{self._name} must be a whole number from 0 to {MAX_SEED}.")
        return int(text)

    def _randomize(self) -> None:
        self.edit.setText(str(new_seed()))
        self.randomized.emit()


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


class LayerRow(QWidget):
    """One layer as a row: its number, −/+ and the unit count, the activation, and (hidden layers) ✕."""

    units_typed = Signal()  # typing or wheel in the count: the panel waits for a pause
    units_stepped = Signal()  # the −/+ buttons: applied at once
    activation_changed = Signal(str)
    remove_requested = Signal(object)  # self

    def __init__(self, activations: tuple[str, ...], removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = QLabel()
        self.number.setFixedWidth(NUMBER_WIDTH)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.minus = tool_button("−", "One unit fewer")
        self.units = QSpinBox()
        self.units.setRange(1, MAX_UNITS)
        self.units.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.units.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.units.setFixedWidth(UNITS_WIDTH)
        self.units.setToolTip(f"Number of units (neurons) in this layer, 1 to {MAX_UNITS}")
        self.plus = tool_button("+", "One unit more")
        self.activation = combo(activations, ACTIVATION_LABELS)
        self.activation.setToolTip("Activation function applied to every unit of this layer")
        self.activation.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.activation.setMinimumContentsLength(8)
        self.remove = tool_button("✕", "Remove this hidden layer") if removable else None
        self._lay_out()

        self.minus.clicked.connect(lambda: self._step(-1))
        self.plus.clicked.connect(lambda: self._step(+1))
        self.units.valueChanged.connect(self._on_units_changed)
        self.activation.currentIndexChanged.connect(
            lambda _index: self.activation_changed.emit(self.activation.currentData())
        )
        if self.remove is not None:
            self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self._refresh_buttons()

    def _lay_out(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(ROW_SPACING)
        for widget in (self.number, self.minus, self.units, self.plus, self.activation):
            layout.addWidget(widget)
        if self.remove is not None:
            layout.addWidget(self.remove)
        else:
            layout.addSpacing(BUTTON_WIDTH)  # keeps the output row's columns under the hidden rows'

    def set_number(self, number: int) -> None:
        self.number.setText(str(number))
        self.number.setToolTip(f"Layer {number}: the number used in messages about this layer")

    def set_layer(self, layer: LayerSpec) -> None:
        """Show `layer` without emitting anything (also how the panel applies an automatic fix)."""
        with QSignalBlocker(self.units), QSignalBlocker(self.activation):
            self.units.setValue(layer.units)
            select(self.activation, layer.activation)
        self._refresh_buttons()

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
