"""The two strips of a recording frame: the title bar at the top (the title, "Backprop Studio" at the
right) and the caption strip at the bottom (a pill with the phase word, the position line and, when the
frame is tall enough, the phase's narration wrapped under it).

Sizes are in units of the frame height (`unit`, one per 720 pixels); text shrinks to fit its width.
"""

from __future__ import annotations

from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.recording.wrapped_text import paint_wrapped
from backprop_studio.gui.style.colors import Palette, mix, qcolor, readable_text_on
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen

_PILL_WORDS = {"forward": "FORWARD", "backward": "BACKWARD", "loss": "LOSS", "update": "UPDATE"}


def paint_title(painter: QPainter, rect: QRectF, title: str, unit: float, pal: Palette) -> None:
    """The title bar: `title` at the left (elided if it does not fit), the brand at the right."""
    u = unit
    _strip(painter, rect, pal, rect.bottom(), u)
    brand = "Backprop Studio"
    brand_font = font(15 * u)
    brand_w = QFontMetricsF(brand_font).horizontalAdvance(brand)
    text_rect = rect.adjusted(24 * u, 0, -(brand_w + 48 * u), 0)
    title_font = fitted_font(title, 30 * u, 18 * u, text_rect.width(), bold=True)
    painter.setFont(title_font)
    painter.setPen(qcolor(pal.text))
    fm = QFontMetricsF(title_font)
    painter.drawText(
        text_rect,
        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
        fm.elidedText(title, Qt.TextElideMode.ElideRight, text_rect.width()),
    )
    painter.setFont(brand_font)
    painter.setPen(qcolor(pal.muted))
    painter.drawText(
        rect.adjusted(0, 0, -24 * u, 0),
        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
        brand,
    )


def paint_caption(
    painter: QPainter, rect: QRectF, snapshot: Snapshot, text: str, unit: float, pal: Palette
) -> None:
    """The caption strip: the phase pill, then `text`'s first line; a second line (after a newline) is
    drawn smaller under it and wrapped."""
    u = unit
    _strip(painter, rect, pal, rect.top(), u)
    pill = _paint_pill(painter, rect, snapshot, u, pal)
    text_rect = QRectF(pill.right() + 18 * u, rect.top(), rect.right() - pill.right() - 38 * u, rect.height())
    text, _, narration = text.partition("\n")
    if narration:
        text_rect.setHeight(34 * u)
        text_rect.moveTop(rect.top() + 4 * u)
    caption_font = fitted_font(text, 25 * u if not narration else 20 * u, 15 * u, text_rect.width())
    painter.setFont(caption_font)
    painter.setPen(qcolor(pal.text if not narration else pal.muted))
    painter.drawText(
        text_rect,
        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
        QFontMetricsF(caption_font).elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width()),
    )
    if narration:
        body = QRectF(
            text_rect.left(),
            text_rect.bottom(),
            text_rect.width(),
            rect.bottom() - text_rect.bottom() - 6 * u,
        )
        paint_wrapped(painter, body, narration, qcolor(pal.text), u)


def fitted_font(text: str, largest: float, smallest: float, width: float, bold: bool = False) -> QFont:
    """The largest font from `largest` down to `smallest` pixels in which `text` fits `width`."""
    result = font(largest, bold)
    advance = QFontMetricsF(result).horizontalAdvance(text)
    if advance > width > 0:
        result = font(max(smallest, largest * width / advance * 0.98), bold)
    return result


def _strip(painter: QPainter, rect: QRectF, pal: Palette, line_y: float, unit: float) -> None:
    """The title or caption background, with a thin line along its edge at `line_y`."""
    painter.fillRect(rect, qcolor(mix(pal.background, pal.text, 0.07)))
    painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.18)), max(1.0, 1.0 * unit)))
    painter.drawLine(QPointF(rect.left(), line_y), QPointF(rect.right(), line_y))


def _paint_pill(painter: QPainter, rect: QRectF, snapshot: Snapshot, unit: float, pal: Palette) -> QRectF:
    """The phase word (FORWARD, LOSS, …) on a pill of its phase's hue, at the left of the caption."""
    u = unit
    kind = snapshot.phase.kind if snapshot.phase is not None else None
    word = _PILL_WORDS.get(kind or "", "START")
    if snapshot.divergence:
        word, hue = "STOPPED", pal.warning
    else:
        hue = getattr(pal, kind) if kind is not None else pal.muted
    pill_font = font(17 * u, bold=True)
    pfm = QFontMetricsF(pill_font)
    pill_w, pill_h = pfm.horizontalAdvance(word) + 28 * u, pfm.height() + 12 * u
    pill = QRectF(rect.left() + 20 * u, rect.center().y() - pill_h / 2, pill_w, pill_h)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(qcolor(hue))
    painter.drawRoundedRect(pill, pill_h / 2, pill_h / 2)
    painter.setFont(pill_font)
    painter.setPen(qcolor(readable_text_on(0xFF000000 | (hue[0] << 16) | (hue[1] << 8) | hue[2])))
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, word)
    return pill
