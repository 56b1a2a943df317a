"""Fusion with visible control outlines on a dark palette.

Fusion outlines check boxes, radio buttons, line edits, spin boxes and combo boxes in the Window color
darkened by 40 %: on a light palette a clear gray line, on a dark one nearly black on nearly black, so
an unticked box or an empty field vanishes (ui-review defect 16). On a dark palette this style draws
Fusion's control and then traces its outline again in the palette's Mid color (≥ 3:1 against Base and
Window, the WCAG contrast for a control's boundary), and marks the selected tab with a Highlight bar on
the edge that faces its page. On a light palette it draws exactly what Fusion draws.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QStyleOptionTab, QTabBar, QWidget

PE, CC, CE = QStyle.PrimitiveElement, QStyle.ComplexControl, QStyle.ControlElement
_FRAMED_CONTROLS = (CC.CC_SpinBox, CC.CC_ComboBox)
_SELECTED_BAR_PX = 3


def is_dark_palette(palette: QPalette) -> bool:
    """True when the palette's window is darker than its text (the dark theme, or a dark system one)."""
    return (
        palette.color(QPalette.ColorRole.Window).lightness()
        < palette.color(QPalette.ColorRole.WindowText).lightness()
    )


def selected_tab_mark(palette: QPalette) -> QColor:
    """The bar on the selected tab: the selection hue, lightened to stand out (≥ 3:1) from a dark tab."""
    return palette.color(QPalette.ColorRole.Highlight).lighter(160)


def _outline_pen(option: QStyleOption) -> QPen:
    return QPen(option.palette.color(QPalette.ColorRole.Mid), 1.0)


class ControlStyle(QProxyStyle):
    """Fusion, plus visible outlines and a marked selected tab when the palette is dark."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(self, element, option, painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if not is_dark_palette(option.palette):
            return
        if element == PE.PE_IndicatorCheckBox:
            self._trace(painter, option, QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), 2.0)
        elif element == PE.PE_IndicatorRadioButton:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(_outline_pen(option))
            painter.setBrush(QPalette().brush(QPalette.ColorRole.NoRole))
            painter.drawEllipse(QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5))
            painter.restore()
        elif element == PE.PE_FrameLineEdit and not _inside_framed_control(widget):
            self._trace(painter, option, QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), 2.0)

    def drawComplexControl(self, control, option, painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in _FRAMED_CONTROLS and is_dark_palette(option.palette) and getattr(option, "frame", True):
            self._trace(painter, option, QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), 2.0)

    def drawControl(self, element, option, painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawControl(element, option, painter, widget)
        if (
            element == CE.CE_TabBarTabShape
            and isinstance(option, QStyleOptionTab)
            and option.state & QStyle.StateFlag.State_Selected
            and is_dark_palette(option.palette)
        ):
            painter.fillRect(_page_edge(option), selected_tab_mark(option.palette))

    @staticmethod
    def _trace(painter: QPainter, option: QStyleOption, rect: QRectF, radius: float) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(_outline_pen(option))
        painter.setBrush(QPalette().brush(QPalette.ColorRole.NoRole))
        painter.drawRoundedRect(rect, radius, radius)
        painter.restore()


def _inside_framed_control(widget: QWidget | None) -> bool:
    """A spin box's or combo box's own line edit: the control's outline already goes round it."""
    parent = widget.parentWidget() if widget is not None else None
    return parent is not None and (parent.inherits("QAbstractSpinBox") or parent.inherits("QComboBox"))


def _page_edge(option: QStyleOptionTab):
    """The strip of a tab that touches its page: bottom for tabs above the page, top for tabs below…"""
    r = option.rect
    shape = option.shape
    south = (QTabBar.Shape.RoundedSouth, QTabBar.Shape.TriangularSouth)
    west = (QTabBar.Shape.RoundedWest, QTabBar.Shape.TriangularWest)
    east = (QTabBar.Shape.RoundedEast, QTabBar.Shape.TriangularEast)
    bar = _SELECTED_BAR_PX
    if shape in south:
        return r.adjusted(0, 0, 0, -(r.height() - bar))
    if shape in west:
        return r.adjusted(r.width() - bar, 0, 0, 0)
    if shape in east:
        return r.adjusted(0, 0, -(r.width() - bar), 0)
    return r.adjusted(0, r.height() - bar, 0, 0)
