"""Dark theme controls are outlined and the selected tab is marked (ui-review defect 16).

Each test paints a real widget with the dark palette and reads the pixels a person would look at:
the edge of an unticked check box or radio button, the frame of an empty line edit, the selected tab.
"""

from __future__ import annotations

import pytest
from backprop_studio.gui.style import theme
from backprop_studio.gui.style.control_style import ControlStyle
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QStyle,
    QStyleFactory,
    QStyleOptionButton,
    QTabBar,
)

from tests.gui.style.wcag import AA_GRAPHIC, ratio


@pytest.fixture
def style():
    return ControlStyle()


def _show(qtbot, widget, style, dark: bool):
    widget.setStyle(style)
    widget.setPalette(theme.palette_for(dark))
    widget.setAutoFillBackground(True)
    qtbot.addWidget(widget)
    widget.resize(max(widget.sizeHint().width(), 120), widget.sizeHint().height())
    widget.show()
    qtbot.waitExposed(widget)
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _rgb(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    c = image.pixelColor(x, y)
    return c.red(), c.green(), c.blue()


def _best_edge_contrast(image: QImage, xs, y: int, around: tuple[int, int, int]) -> float:
    return max(ratio(_rgb(image, x, y), around) for x in xs)


def _window_rgb(dark: bool) -> tuple[int, int, int]:
    c = theme.palette_for(dark).window().color()
    return c.red(), c.green(), c.blue()


@pytest.mark.parametrize("kind", [QCheckBox, QRadioButton])
def test_unticked_indicator_has_a_visible_edge_on_dark(qtbot, style, kind):
    box = kind("sin(x₁)")
    image = _show(qtbot, box, style, dark=True)
    element = (
        QStyle.SubElement.SE_CheckBoxIndicator
        if kind is QCheckBox
        else QStyle.SubElement.SE_RadioButtonIndicator
    )
    option = QStyleOptionButton()
    option.initFrom(box)
    rect = style.subElementRect(element, option, box)
    y = rect.center().y()
    edge = _best_edge_contrast(image, range(rect.left(), rect.left() + 3), y, _window_rgb(True))
    assert edge >= AA_GRAPHIC


@pytest.mark.parametrize("kind", [QLineEdit, QSpinBox])
def test_empty_field_has_a_visible_frame_on_dark(qtbot, style, kind):
    field = kind()
    image = _show(qtbot, field, style, dark=True)
    y = image.height() // 2
    assert _best_edge_contrast(image, range(0, 3), y, _window_rgb(True)) >= AA_GRAPHIC


def test_light_fields_look_as_fusion_draws_them(qtbot, style):
    """On the light palette the style adds nothing: the frame is Fusion's own."""
    ours = _show(qtbot, QLineEdit(), style, dark=False)
    fusion = _show(qtbot, QLineEdit(), QStyleFactory.create("Fusion"), dark=False)
    assert ours == fusion


def test_selected_tab_stands_out_from_the_others_on_dark(qtbot, style):
    bar = QTabBar()
    for title in ("Inspector", "Neuron zoom", "Breakpoints"):
        bar.addTab(title)
    bar.setCurrentIndex(1)
    image = _show(qtbot, bar, style, dark=True)

    def strongest_mark(index: int) -> float:
        r = bar.tabRect(index)
        x = r.center().x()
        # The edge strip that faces the page (the bottom for tabs above their page).
        return max(ratio(_rgb(image, x, y), _window_rgb(True)) for y in range(r.bottom() - 3, r.bottom() + 1))

    assert strongest_mark(1) >= AA_GRAPHIC
    assert strongest_mark(0) < AA_GRAPHIC and strongest_mark(2) < AA_GRAPHIC
