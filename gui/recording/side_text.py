"""Lines of text in a side view of a lesson recording: a title, headings in their phase's hue, formula
lines and notes, word-wrapped in the largest sizes that fit the panel and never below a size a projector
shows readably (15 units: 22 px at 1080p).

Which lines a view shows is decided elsewhere (side_cards.py, from core's words and numbers); this module
only lays them out and records every text it draws, so a test can read what a frame says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backprop_studio.gui.style.colors import Palette, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter

SMALLEST = 15.0  # units (1 per 720 px of frame height): 22.5 px at 1080p
LARGEST_SHRINK, LEAST_SHRINK = 1.3, 0.72  # a short card grows to fill its panel; a long one shrinks
# Size of each kind of line at full size, in units, and whether it is bold.
SIZES = {"title": (21.0, True), "subtitle": (16.0, False), "heading": (17.0, True), "line": (19.0, False)}
SIZES["note"] = (16.0, False)
GAP_BEFORE = {"heading": 0.6, "title": 0.0, "subtitle": 0.0, "line": 0.15, "note": 0.15}
_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
ELLIPSIS = "…"


@dataclass(frozen=True)
class TextLine:
    """One paragraph of a card: `kind` is title, subtitle, heading, line or note; `hue` a Palette field
    naming a heading's color (forward, backward, loss, update), else the text color."""

    kind: str
    text: str
    hue: str | None = None


def _font(kind: str, u: float, shrink: float) -> QFont:
    size, bold = SIZES[kind]
    return font(max(SMALLEST, size * shrink) * u, bold=bold)


def _color(line: TextLine, pal: Palette):
    if line.hue is not None:
        return qcolor(getattr(pal, line.hue))
    return qcolor(pal.muted if line.kind in ("subtitle", "note") else pal.text)


def _sizes(lines: Sequence[TextLine], width: float, u: float, shrink: float) -> list[tuple[float, float]]:
    """(space above, height) of each wrapped line at `shrink`; the first line has no space above."""
    out = []
    for k, line in enumerate(lines):
        metrics = QFontMetricsF(_font(line.kind, u, shrink))
        box = metrics.boundingRect(QRectF(0, 0, width, 1e6), _WRAP, line.text)
        out.append((GAP_BEFORE[line.kind] * metrics.height() if k else 0.0, box.height()))
    return out


def paint_lines(
    painter: QPainter, rect: QRectF, lines: Sequence[TextLine], pal: Palette, u: float, drawn: list[str]
) -> None:
    """`lines` top-down in `rect`, all in the largest sizes that fit (grown up to LARGEST_SHRINK times
    their size, shrunk not below SMALLEST); what still does not fit is left out and a last "…" says so.
    Every text drawn is appended to `drawn`."""
    shrink = LARGEST_SHRINK
    sizes = _sizes(lines, rect.width(), u, shrink)
    while sum(a + h for a, h in sizes) > rect.height() and shrink > LEAST_SHRINK:
        shrink -= 0.04
        sizes = _sizes(lines, rect.width(), u, shrink)
    y = rect.top()
    for line, (above, height) in zip(lines, sizes):
        y += above
        if y + height > rect.bottom() + 0.5:
            painter.setFont(_font("note", u, shrink))
            painter.setPen(qcolor(pal.muted))
            painter.drawText(
                QRectF(rect.left(), y, rect.width(), max(rect.bottom() - y, 1.0)), _WRAP, ELLIPSIS
            )
            drawn.append(ELLIPSIS)
            return
        painter.setFont(_font(line.kind, u, shrink))
        painter.setPen(_color(line, pal))
        painter.drawText(QRectF(rect.left(), y, rect.width(), height), _WRAP, line.text)
        drawn.append(line.text)
        y += height
