"""Light and dark palettes. "system" follows the desktop's color scheme and switches when it does.

Every text/background pair of both palettes reads at ≥ 4.5:1 (WCAG AA) and disabled text at ≥ 3:1
(tests/gui/style/test_contrast.py). Disabled text is held to 3:1 on purpose: it must still be readable
(WCAG exempts inactive controls altogether) yet look clearly fainter than enabled text, which at 4.5:1
it could not on the light palette. Control outlines (the palette's Mid) read at ≥ 3:1 against the
fields and the window, the WCAG contrast for a control's boundary.
"""

from __future__ import annotations

from backprop_studio.gui.style.control_style import ControlStyle
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")

Role, Group = QPalette.ColorRole, QPalette.ColorGroup
_ENABLED = (Group.Active, Group.Inactive)
_TEXT_ROLES = (Role.WindowText, Role.Text, Role.ButtonText)

_DARK = {
    Role.Window: (37, 39, 43),
    Role.WindowText: (226, 228, 232),
    Role.Base: (28, 30, 33),
    Role.AlternateBase: (44, 47, 52),
    Role.ToolTipBase: (52, 55, 61),
    Role.ToolTipText: (226, 228, 232),
    Role.PlaceholderText: (140, 145, 152),
    Role.Text: (226, 228, 232),
    Role.Button: (50, 53, 58),
    Role.ButtonText: (226, 228, 232),
    Role.BrightText: (255, 120, 110),
    Role.Link: (110, 170, 255),
    Role.LinkVisited: (190, 150, 255),
    Role.Highlight: (42, 96, 170),
    Role.HighlightedText: (255, 255, 255),
    # Light/Midlight/Mid/Dark shade the 3-D edges; Mid is also the outline ControlStyle traces round
    # check boxes, radio buttons and fields, so it is light enough to see on Base and Window.
    Role.Light: (98, 103, 112),
    Role.Midlight: (72, 76, 83),
    Role.Mid: (128, 134, 144),
    Role.Dark: (20, 21, 24),
    Role.Shadow: (0, 0, 0),
}
_DARK_DISABLED = {
    Role.WindowText: (125, 129, 136),
    Role.Text: (125, 129, 136),
    Role.ButtonText: (125, 129, 136),
    Role.Window: (37, 39, 43),
    Role.Base: (33, 35, 38),
    Role.Button: (44, 46, 50),
}
# Fusion's own light palette is kept except where it fails: white on its selection blue (3.7:1),
# disabled text (1.6:1), placeholder text (half-transparent black, 4:1) and visited links (3.1:1).
_LIGHT_FIXES = {
    Role.Highlight: (28, 104, 168),
    Role.PlaceholderText: (108, 108, 108),
    Role.LinkVisited: (128, 0, 128),
}
_LIGHT_DISABLED = {
    Role.WindowText: (128, 128, 128),
    Role.Text: (128, 128, 128),
    Role.ButtonText: (128, 128, 128),
}


def system_prefers_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def is_dark(theme: str) -> bool:
    return theme == "dark" or (theme == "system" and system_prefers_dark())


def _set(p: QPalette, groups: tuple, colors: dict) -> None:
    for group in groups:
        for role, rgb in colors.items():
            p.setColor(group, role, QColor(*rgb))


def dark_palette() -> QPalette:
    p = QPalette()
    _set(p, _ENABLED, _DARK)
    _set(p, (Group.Disabled,), _DARK_DISABLED)
    return p


def light_palette(standard: QPalette) -> QPalette:
    """Fusion's standard light palette with the failing pairs fixed."""
    p = QPalette(standard)
    _set(p, _ENABLED, _LIGHT_FIXES)
    _set(p, (Group.Disabled,), _LIGHT_DISABLED)
    return p


def palette_for(dark: bool) -> QPalette:
    """The QPalette `apply_theme` installs for the dark or the light theme."""
    return dark_palette() if dark else light_palette(ControlStyle().standardPalette())


def apply_theme(app: QApplication, theme: str) -> bool:
    """Set the application's style and palette for `theme`; return True when it is dark."""
    # Fusion is the one style that honours a custom palette everywhere; ControlStyle adds the outlines
    # a dark palette needs. Installed once: the application owns it.
    if not isinstance(app.style(), ControlStyle):
        app.setStyle(ControlStyle())
    dark = is_dark(theme)
    app.setPalette(palette_for(dark))
    return dark
