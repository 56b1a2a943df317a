"""The settings panel's own widgets: a seed field, a folding section, a layer row, and the wheel guard that
keeps a scrolling teacher from retuning a field by accident. (Number fields: number_field.py.)"""

from __future__ import annotations

from backprop_studio.core.spec import LayerSpec, new_seed
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
from backprop_studio.gui.panels.settings.choices import ACTIVATION_LABELS, MAX_UNITS, RANGES, FieldRange
from backprop_studio.gui.panels.settings.number_field import NumberField
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


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


class SeedField(QWidget):
    """A seed entry with its Randomize button; `edited` when a typed seed is applied, `randomized` after a
    new seed is drawn. A NumberField, not a QSpinBox: seeds go up to 2⁶⁴ − 1 and a spin box stops at 2³¹ − 1.
    """

    edited = Signal()
    randomized = Signal()

    def __init__(self, bounds: FieldRange, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = NumberField(bounds)
        self.edit.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.edit.setToolTip(tooltip)
        self.edit.committed.connect(self.edited)
        self.button = QPushButton("Randomize")
        self.button.setToolTip("Pick a new random seed")
        self.button.clicked.connect(self._randomize)
        fill_row(self, self.edit, self.button)

    def set_seed(self, seed: int) -> None:
        self.edit.setValue(seed)

    def seed(self) -> int:
        """The applied seed (a refused text leaves it as it was)."""
        return int(self.edit.value())

    def _randomize(self) -> None:
        self.edit.setValue(new_seed())
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

    units_changed = Signal()  # a typed count applied (Enter or focus-out), or a step of −/+ or the arrow keys
    activation_changed = Signal(str)
    remove_requested = Signal(object)  # self

    def __init__(self, activations: tuple[str, ...], removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = QLabel()
        self.number.setFixedWidth(NUMBER_WIDTH)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.minus = tool_button("−", "One unit fewer")
        self.units = NumberField(RANGES["units"])
        self.units.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.units.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.units.setFixedWidth(UNITS_WIDTH)
        self.units.setToolTip(f"Number of units (neurons) in this layer, 1 to {MAX_UNITS}; Enter applies")
        self.plus = tool_button("+", "One unit more")
        self.activation = combo(activations, ACTIVATION_LABELS)
        self.activation.setToolTip("Activation function applied to every unit of this layer")
        self.activation.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.activation.setMinimumContentsLength(8)
        self.remove = tool_button("✕", "Remove this hidden layer") if removable else None
        self._lay_out()

        self.minus.clicked.connect(lambda: self.units.stepBy(-1))
        self.plus.clicked.connect(lambda: self.units.stepBy(+1))
        self.units.committed.connect(self._on_units_changed)
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
        self.units.setValue(layer.units)  # a NumberField's setValue emits nothing
        select(self.activation, layer.activation)
        self._refresh_buttons()

    def layer(self) -> LayerSpec:
        return LayerSpec(int(self.units.value()), self.activation.currentData())

    def _on_units_changed(self) -> None:
        self._refresh_buttons()
        self.units_changed.emit()

    def _refresh_buttons(self) -> None:
        self.minus.setEnabled(self.units.value() > self.units.bounds.low)
        self.plus.setEnabled(self.units.value() < self.units.bounds.high)
