"""WCAG 2.x contrast, written out from the definition (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).

Kept independent of the app's code on purpose: the tests compare the app's colors against this.
"""

from __future__ import annotations

RGB = tuple[int, int, int]
AA_TEXT = 4.5  # normal-size text (WCAG 1.4.3)
AA_GRAPHIC = 3.0  # control boundaries and meaningful graphics (WCAG 1.4.11)


def channel(c8: int) -> float:
    """One sRGB channel (0-255) made linear: sRGB's piecewise transfer function inverted."""
    c = c8 / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    """Relative luminance: 0.2126 R + 0.7152 G + 0.0722 B of the linear channels (0 black … 1 white)."""
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: RGB, b: RGB) -> float:
    """(L_lighter + 0.05) / (L_darker + 0.05): 1 for equal colors, 21 for black on white."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def over(fg: RGB, alpha: int, bg: RGB) -> RGB:
    """`fg` at `alpha` (0-255) painted over the opaque `bg`: what the eye sees of a translucent color."""
    t = alpha / 255.0
    return tuple(round(f * t + b * (1 - t)) for f, b in zip(fg, bg, strict=True))  # type: ignore[return-value]
