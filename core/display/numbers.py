"""The app's one number format: significant digits, a true minus sign, NaN and ∞ spelled out.

Every view, caption and command-line line that prints a training number goes through `format_number`, so
the canvas, the Inspector, the Neuron zoom and a recording show the same text for the same value.
"""

from __future__ import annotations

import math

MINUS = "\u2212"  # a true minus: as wide as a plus, so columns of numbers line up
SIGNIFICANT = 3  # compact labels; the Inspector asks for more where a sum must be checked by hand
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def format_number(value: float, digits: int = SIGNIFICANT, exact: bool = False) -> str:
    """`digits` significant digits (`exact`: the shortest text that reads back as the same float).

    0.000123456 → "0.000123"; -2.5e-07 → "−2.5e-7"; inf → "∞"; nan → "NaN"; −0.0 → "0".
    """
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else f"{MINUS}∞"
    if value == 0:
        return "0"  # also for −0.0, whose sign would only puzzle a reader
    text = repr(value) if exact else f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", MINUS)


def format_change(before: float, after: float, digits: int = SIGNIFICANT) -> tuple[str, str]:
    """`before` and `after` with at least `digits` significant digits, and more where needed for the
    two texts to differ when the values do: an update of 0.15 by −0.00022 reads 0.15 → 0.1498, not
    0.15 → 0.15, which would tell a student the weight did not move."""
    for width in range(digits, 18):
        old, new = format_number(before, width), format_number(after, width)
        if old != new or float(before) == float(after):
            return old, new
    return format_number(before, exact=True), format_number(after, exact=True)


def wrapped(text: str) -> str:
    """A number that follows an operator: negative ones in parentheses, so '· (−0.24)' is not misread."""
    return f"({text})" if text.startswith(MINUS) else text


def minus_signs(text: str) -> str:
    """Replace ASCII hyphen-minus with the true minus sign (for text built by other formatters)."""
    return text.replace("-", MINUS)


def parse_number(text: str) -> float | None:
    """A finite float from what a person typed (accepts '−' and a lone decimal comma), else None."""
    cleaned = text.strip().replace(MINUS, "-").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def subscript(n: int) -> str:
    """12 → "₁₂"."""
    return str(n).translate(_SUBSCRIPTS)


def superscript(n: int) -> str:
    """-2 → "⁻²"."""
    return str(n).translate(_SUPERSCRIPTS)


def count(n: int, noun: str, plural: str | None = None) -> str:
    """3, "layer" → "3 layers"; 1, "layer" → "1 layer"."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {plural or noun + 's'}"
