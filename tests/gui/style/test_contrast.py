"""Every text/background pair of both themes reads at WCAG AA (tests/gui/style/wcag.py has the formula).

The pairs come from the two palettes the app paints with: `colors.palette(dark)` (canvas, plots and
the panels that color their own text) and the QPalette `theme.py` builds for the widgets. Text needs
4.5:1. Disabled text needs 3:1: it must stay readable but look fainter than enabled text (WCAG exempts
inactive controls; 3:1 is the graphics threshold). Colors that mark graphics (class dots, phase bands,
control outlines) need 3:1 (WCAG 1.4.11).
"""

from __future__ import annotations

import pytest
from backprop_studio.gui.style import colors, theme
from PySide6.QtGui import QPalette

from tests.gui.style.wcag import AA_GRAPHIC, AA_TEXT, over, ratio

Role, Group = QPalette.ColorRole, QPalette.ColorGroup
THEMES = pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])

# (foreground role, background role): what Qt draws on what.
QT_TEXT_PAIRS = (
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
    (Role.Link, Role.Base),
    (Role.Link, Role.Window),
    (Role.LinkVisited, Role.Base),
)
QT_DISABLED_PAIRS = ((Role.WindowText, Role.Window), (Role.Text, Role.Base), (Role.ButtonText, Role.Button))
# BrightText is left out: neither the app nor Fusion writes text in it.


def _rgb(palette: QPalette, group: Group, fg: Role, bg: Role) -> tuple[tuple, tuple]:
    b = palette.color(group, bg)
    back = (b.red(), b.green(), b.blue())
    f = palette.color(group, fg)
    return over((f.red(), f.green(), f.blue()), f.alpha(), back), back


def _failures(pairs, threshold):
    return [(name, round(ratio(f, b), 2)) for name, f, b in pairs if ratio(f, b) < threshold]


@THEMES
def test_every_qt_text_pair_reads_at_aa(qapp, dark):
    p = theme.palette_for(dark)
    pairs = [
        (f"{fg.name} on {bg.name} ({group.name})", *_rgb(p, group, fg, bg))
        for group in (Group.Active, Group.Inactive)
        for fg, bg in QT_TEXT_PAIRS
    ]
    assert _failures(pairs, AA_TEXT) == []


@THEMES
def test_disabled_text_is_readable_but_fainter(qapp, dark):
    p = theme.palette_for(dark)
    for fg, bg in QT_DISABLED_PAIRS:
        disabled = ratio(*_rgb(p, Group.Disabled, fg, bg))
        enabled = ratio(*_rgb(p, Group.Active, fg, bg))
        assert disabled >= AA_GRAPHIC, (fg.name, bg.name, disabled)
        assert disabled < enabled - 2, (fg.name, "disabled text should look disabled")


def test_dark_control_outlines_stand_out_from_fields_and_window(qapp):
    p = theme.palette_for(True)
    for bg in (Role.Base, Role.Window, Role.Button):
        assert ratio(*_rgb(p, Group.Active, Role.Mid, bg)) >= AA_GRAPHIC, bg.name


@THEMES
def test_apply_theme_installs_the_tested_palette(qapp, dark):
    before = qapp.palette()
    try:
        assert theme.apply_theme(qapp, "dark" if dark else "light") is dark
        installed, expected = qapp.palette(), theme.palette_for(dark)
        for fg, bg in (*QT_TEXT_PAIRS, (Role.Mid, Role.Base)):
            for role in (fg, bg):
                assert installed.color(Group.Active, role) == expected.color(Group.Active, role), role.name
    finally:
        qapp.setPalette(before)


@THEMES
def test_canvas_palette_text_reads_on_its_backgrounds(dark):
    p = colors.palette(dark)
    text_colors = {"text": p.text, "muted": p.muted, "warning": p.warning}
    pairs = [
        (f"{name} on {bg_name}", rgb, bg)
        for name, rgb in text_colors.items()
        for bg_name, bg in (("background", p.background), ("label pill", p.label_background))
    ]
    pairs += [
        (f"loss legend {name}", rgb[dark], p.background)
        for name, rgb in (("train", colors.TRAIN_COLOR), ("test", colors.TEST_COLOR))
    ]
    assert _failures(pairs, AA_TEXT) == []


@THEMES
def test_tinted_messages_read(dark):
    """Debugger messages write a hue on a faint tint of itself (breakpoint hit, gradient-check verdict)."""
    p = colors.palette(dark)
    passed = colors.mix(p.forward, p.text, 0.15)  # the gradient check's "passed" verdict
    pairs = [
        ("warning on its tint", p.warning, colors.mix(p.background, p.warning, 0.12)),
        ("passed on its tint", passed, colors.mix(p.background, passed, 0.12)),
        ("text on the hit message", p.text, colors.mix(p.background, p.warning, 0.12)),
        ("text on the hit row", p.text, colors.mix(p.background, p.warning, 0.22)),
        ("muted on the hit row", p.muted, colors.mix(p.background, p.warning, 0.22)),
    ]
    assert _failures(pairs, AA_TEXT) == []


@THEMES
def test_labels_on_colored_fills_read(dark):
    """Phase band labels and values inside nodes take black or white text, whichever reads on the fill."""
    p = colors.palette(dark)
    fills = [(f"{kind} band", getattr(p, kind)) for kind in ("forward", "backward", "loss", "update")]
    fills += [
        (f"scale {i}", tuple(int(c) for c in colors.argb_to_rgb(argb)))
        for i, argb in enumerate(colors.diverging_lut(dark))
    ]
    pairs = []
    for name, fill in fills:
        argb = 0xFF000000 | (fill[0] << 16) | (fill[1] << 8) | fill[2]
        pairs.append((name, colors.readable_text_on(argb), fill))
    assert _failures(pairs, AA_TEXT) == []


@THEMES
def test_graphic_hues_stand_out_from_the_background(dark):
    """Class dots and curves, phase bands, the loss plot's "now" marker: 3:1 against the background."""
    p = colors.palette(dark)
    hues = [(f"class {k}", colors.class_color(k, dark), p.background) for k in range(8)]
    hues += [(kind, getattr(p, kind), p.background) for kind in ("forward", "backward", "loss", "update")]
    hues += [("negative end", p.negative, p.background), ("positive end", p.positive, p.background)]
    assert _failures(hues, AA_GRAPHIC) == []
