"""Light and dark palettes. "system" follows the desktop's color scheme and switches when it does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")


def system_prefers_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def is_dark(theme: str) -> bool:
    return theme == "dark" or (theme == "system" and system_prefers_dark())


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(37, 39, 43), QColor(28, 30, 33), QColor(226, 228, 232)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, QColor(44, 47, 52))
        p.setColor(group, QPalette.ColorRole.ToolTipBase, QColor(52, 55, 61))
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(140, 145, 152))
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, QColor(50, 53, 58))
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.BrightText, QColor(255, 120, 110))
        p.setColor(group, QPalette.ColorRole.Link, QColor(110, 170, 255))
        p.setColor(group, QPalette.ColorRole.Highlight, QColor(64, 120, 200))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
        p.setColor(group, QPalette.ColorRole.Light, QColor(70, 74, 80))
        p.setColor(group, QPalette.ColorRole.Midlight, QColor(60, 63, 69))
        p.setColor(group, QPalette.ColorRole.Mid, QColor(45, 48, 52))
        p.setColor(group, QPalette.ColorRole.Dark, QColor(20, 21, 24))
        p.setColor(group, QPalette.ColorRole.Shadow, QColor(0, 0, 0))
    disabled = QColor(125, 129, 136)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, QColor(33, 35, 38))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, QColor(44, 46, 50))
    return p


def apply_theme(app: QApplication, theme: str) -> bool:
    """Set the application's palette for `theme`; return True when it is dark."""
    app.setStyle("Fusion")  # the one style that honours a custom palette everywhere
    dark = is_dark(theme)
    app.setPalette(_dark_palette() if dark else app.style().standardPalette())
    return dark
