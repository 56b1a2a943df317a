"""Small builders the settings forms share: combo boxes, form layouts, headings, rows, and quiet setters.

"Quiet" setters show a value without emitting, so filling a form from specs never looks like an edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QWidget,
)

NUMBER_WIDTH = 22
BUTTON_WIDTH = 26
UNITS_WIDTH = 44
ROW_SPACING = 4
BODY_MARGINS = (4, 2, 0, 6)


def tool_button(text: str, tooltip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tooltip)
    button.setFixedWidth(BUTTON_WIDTH)
    button.setAutoRepeat(text in "−+")  # holding − or + keeps stepping, as a spin box arrow does
    return button


def combo(names: tuple[str, ...], labels: Mapping[str, str]) -> QComboBox:
    """A combo box showing `labels[name]` for each name, with the name as the item's data."""
    box = QComboBox()
    for name in names:
        box.addItem(labels[name], name)
    return box


def select(box: QComboBox, value: object) -> None:
    """Show the item whose data is `value`, without emitting."""
    with QSignalBlocker(box):
        box.setCurrentIndex(max(box.findData(value), 0))


def set_value(widget: QAbstractSpinBox | QSlider | ValueField, value: float) -> None:
    """Show `value` without emitting."""
    with QSignalBlocker(widget):
        widget.setValue(value)  # type: ignore[union-attr]


class ValueField(Protocol):
    """A number field: a NumberField, or anything that shows and gives back a value the same way."""

    def value(self) -> float: ...

    def setValue(self, value: float) -> None: ...


def show_numbers(boxes: Mapping[str, ValueField], spec: object) -> None:
    """Show each of `spec`'s fields in the box named for it (InitSpec, OptimizerSpec), without emitting."""
    for name, box in boxes.items():
        set_value(box, getattr(spec, name))


def read_numbers(boxes: Mapping[str, ValueField]) -> dict[str, float]:
    """The boxes' values by field name, ready for `InitSpec(**…)` or `OptimizerSpec(**…)`."""
    return {name: box.value() for name, box in boxes.items()}


def form(parent: QWidget | None = None) -> QFormLayout:
    layout = QFormLayout(parent) if parent is not None else QFormLayout()
    if parent is not None:  # a section body: the same margins as the network's
        layout.setContentsMargins(*BODY_MARGINS)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    layout.setHorizontalSpacing(10)
    layout.setVerticalSpacing(6)
    return layout


def fill_row(row: QWidget, *widgets: QWidget) -> QWidget:
    """Lay `widgets` out side by side in `row`, the first taking the spare width."""
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    layout.addWidget(widgets[0], 1)
    for widget in widgets[1:]:
        layout.addWidget(widget)
    return row


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def align_form_labels(*forms: QFormLayout) -> None:
    """One label column for the whole panel, so every field starts at the same x."""
    labels = [
        item.widget()
        for form in forms
        for row in range(form.rowCount())
        if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
    ]
    width = max(label.sizeHint().width() for label in labels)
    for label in labels:
        label.setMinimumWidth(width)


def blend(a: QColor, b: QColor, share: float = 0.7) -> str:
    """`share` of `a` and the rest of `b`, as "#rrggbb" for a style sheet."""
    mix = [round(share * x + (1 - share) * y) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3])]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def error_colors(palette: QPalette) -> tuple[str, str, str]:
    """(text, background, border) for a refusal: fixed hues tuned per palette, since a red that passes
    contrast on white is unreadable on near-black."""
    if palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5:
        return "#ffb4ab", "#3d2323", "#e5534b"
    return "#a1221a", "#fdecea", "#d93025"
