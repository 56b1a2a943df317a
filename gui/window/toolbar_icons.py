"""The toolbar's icons (Qt's standard pixmaps and a drawn record dot; no image files) and how each
button shows its action: icon beside text for the main commands, icon only for the rest."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QStyle, QToolBar, QToolButton

SP = QStyle.StandardPixmap
STANDARD = {
    "back": SP.SP_ArrowLeft,
    "step": SP.SP_ArrowRight,
    "forward": SP.SP_MediaSeekForward,
    "backward": SP.SP_MediaSeekBackward,
    "update": SP.SP_BrowserReload,
    "batch": SP.SP_MediaSkipForward,
    "epoch": SP.SP_ArrowUp,
    "play": SP.SP_MediaPlay,
    "reset": SP.SP_MediaSkipBackward,
    "randomize": SP.SP_DialogResetButton,
}
# Shown with text beside the icon; the rest show their icon alone (text in the tooltip and the menus).
WITH_TEXT = ("step", "play", "forward", "backward", "update", "batch", "epoch", "reset", "randomize")
TEXT_ONLY = ("gradients", "heatmaps", "batch_mean")  # View toggles read best as words
# Shorter button texts under the group's name (the menus and tooltips keep the full ones), so that the
# Step and Run groups fit one row at 1280 px.
SHORT = {"forward": "Forward", "backward": "Backward", "batch": "Batch", "epoch": "Epoch"}


def record_icon(size: int = 32) -> QIcon:
    """A red dot, the universal record sign."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#d7342c"))
    margin = size * 0.18
    painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin))
    painter.end()
    return QIcon(pixmap)


_TINT: list[QColor | None] = [None]  # the current theme's icon color (None: Qt's own, for light themes)
DARK_TINT = "#dcdcdc"  # Qt's standard arrows are near-black: invisible on a dark toolbar


def tinted(icon: QIcon, color: QColor | None, size: int = 32) -> QIcon:
    """`icon` recolored in `color` (its shape kept through its alpha), or unchanged for None."""
    if color is None:
        return icon
    pixmap = icon.pixmap(size, size)
    painter = QPainter(pixmap)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(pixmap.rect(), color)
    painter.end()
    return QIcon(pixmap)


def decorate(actions: dict[str, QAction], style: QStyle, dark: bool = False) -> None:
    """Give the actions their icons, in a color that shows on the theme's toolbar."""
    _TINT[0] = QColor(DARK_TINT) if dark else None
    for name, pixmap in STANDARD.items():
        if name == "play" and actions[name].isChecked():
            pixmap = SP.SP_MediaPause
        actions[name].setIcon(tinted(style.standardIcon(pixmap), _TINT[0]))
    actions["record"].setIcon(record_icon())
    for name, text in SHORT.items():
        actions[name].setIconText(text)


def play_icon(style: QStyle, playing: bool) -> QIcon:
    return tinted(style.standardIcon(SP.SP_MediaPause if playing else SP.SP_MediaPlay), _TINT[0])


def style_buttons(bar: QToolBar, prominent: tuple[str, ...]) -> None:
    """Per button: icon and text, icon only, or text only; the `prominent` ones larger and bold."""
    for action in bar.actions():
        button = bar.widgetForAction(action)
        if not isinstance(button, QToolButton):
            continue
        name = action.objectName()
        if name in TEXT_ONLY or action.icon().isNull():
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        elif name in WITH_TEXT:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        else:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        if name in prominent:
            button.setObjectName(f"prominent-{name}")
            font = button.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.15)
            button.setFont(font)
            button.setIconSize(QSize(24, 24))
