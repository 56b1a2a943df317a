"""Chart furniture for video frames: a framed panel with a heading, axes with round ticks and grid
lines, and legends that fit their row. Pixel sizes scale with `u`, the frame's text unit."""

from __future__ import annotations

from backprop_studio.gui.recording.plot_kit import LegendItem, Scale, nice_ticks, round_pen, tick_text
from backprop_studio.gui.style.colors import RGB, Palette, mix, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen


def frame_plot(painter: QPainter, plot: QRectF, pal: Palette, u: float) -> None:
    """The thin frame around a plot, drawn last so nothing covers it."""
    painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.35)), max(1.0, 1.0 * u)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(plot)


def panel(painter: QPainter, rect: QRectF, heading: str, note: str, pal: Palette, u: float) -> QRectF:
    """A framed panel with a heading (and a note on the right); returns the area inside it."""
    painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.16)), max(1.0, 1.0 * u)))
    painter.setBrush(qcolor(mix(pal.background, pal.text, 0.025)))
    painter.drawRoundedRect(rect, 8 * u, 8 * u)
    head_font = font(16 * u, bold=True)
    fm = QFontMetricsF(head_font)
    head = QRectF(rect.left() + 12 * u, rect.top() + 6 * u, rect.width() - 24 * u, fm.height() + 4 * u)
    painter.setFont(head_font)
    painter.setPen(qcolor(pal.text))
    painter.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, heading)
    if note:
        note_font = font(14 * u)
        room = head.width() - fm.horizontalAdvance(heading) - 16 * u
        painter.setFont(note_font)
        painter.setPen(qcolor(pal.muted))
        painter.drawText(
            head,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            QFontMetricsF(note_font).elidedText(note, Qt.TextElideMode.ElideRight, max(room, 0.0)),
        )
    return QRectF(
        rect.left() + 10 * u,
        head.bottom() + 4 * u,
        rect.width() - 20 * u,
        rect.bottom() - head.bottom() - 10 * u,
    )


# ------------------------------------------------------------------------------------- axes


def _plot_rect(area: QRectF, fm: QFontMetricsF, label_w: float, u: float, aspect: float | None) -> QRectF:
    """The plot inside `area`, leaving room for the y labels and axis name on the left and the x labels
    below; with `aspect` (x span / y span) it is centered and shrunk so data units are square."""
    left = area.left() + fm.height() + 6 * u + label_w + 6 * u
    bottom = area.bottom() - fm.height() - 6 * u
    plot = QRectF(
        left, area.top() + fm.height() / 2, area.right() - left - 6 * u, bottom - area.top() - fm.height() / 2
    )
    if aspect is None or plot.width() <= 0 or plot.height() <= 0:
        return plot
    if plot.width() / plot.height() > aspect:
        w = plot.height() * aspect
        return QRectF(plot.left() + (plot.width() - w) / 2, plot.top(), w, plot.height())
    h = plot.width() / aspect
    return QRectF(plot.left(), plot.top() + (plot.height() - h) / 2, plot.width(), h)


def _y_axis(
    painter: QPainter,
    scale: Scale,
    ticks: list[float],
    labels: list[str],
    label_w: float,
    fm: QFontMetricsF,
    grid: QPen,
    pal: Palette,
    u: float,
) -> None:
    plot = scale.plot
    for v, text in zip(ticks, labels, strict=True):
        y = scale.y(v)
        painter.setPen(grid)
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(qcolor(pal.muted))
        painter.drawText(
            QRectF(plot.left() - label_w - 12 * u, y - fm.height() / 2, label_w + 6 * u, fm.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            text,
        )


def _x_axis(
    painter: QPainter,
    scale: Scale,
    ticks: list[float],
    xlabel: str,
    fm: QFontMetricsF,
    grid: QPen,
    pal: Palette,
    u: float,
) -> None:
    plot = scale.plot
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    # The axis name shares the row of tick labels, at its right end, so the plot keeps that height.
    name_w = fm.horizontalAdvance(xlabel) + 8 * u
    name_rect = QRectF(plot.right() - name_w, plot.bottom() + 3 * u, name_w, fm.height())
    for v in ticks:
        x = scale.x(v)
        painter.setPen(grid)
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        text = tick_text(v, step)
        tw = fm.horizontalAdvance(text)
        label = QRectF(x - tw / 2 - 2 * u, plot.bottom() + 3 * u, tw + 4 * u, fm.height())
        if label.intersects(name_rect):
            continue
        painter.setPen(qcolor(pal.muted))
        painter.drawText(label, Qt.AlignmentFlag.AlignCenter, text)
    painter.setPen(qcolor(pal.text))
    painter.drawText(name_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, xlabel)


def axes(
    painter: QPainter,
    area: QRectF,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    pal: Palette,
    names: tuple[str, str],
    u: float,
    keep_aspect: bool = False,
    max_x_ticks: int = 5,
) -> Scale:
    """Draw grid lines, tick labels and the axis `names` (x, y) around a plot placed in `area`; returns
    the mapping from data to pixels (its `plot` is the plot rectangle)."""
    tick_font = font(12.5 * u)
    fm = QFontMetricsF(tick_font)
    yt = nice_ticks(*ylim, max_ticks=4)
    ystep = yt[1] - yt[0] if len(yt) > 1 else 1.0
    ylabels = [tick_text(v, ystep) for v in yt]
    label_w = max((fm.horizontalAdvance(t) for t in ylabels), default=0.0)
    aspect = (xlim[1] - xlim[0]) / max(ylim[1] - ylim[0], 1e-12) if keep_aspect else None
    plot = _plot_rect(area, fm, label_w, u, aspect)
    scale = Scale(plot, xlim, ylim)
    painter.setFont(tick_font)
    grid = QPen(qcolor(mix(pal.background, pal.text, 0.1)), max(1.0, 0.8 * u))
    _y_axis(painter, scale, yt, ylabels, label_w, fm, grid, pal, u)
    _x_axis(painter, scale, nice_ticks(*xlim, max_ticks=max_x_ticks), names[0], fm, grid, pal, u)
    painter.setPen(qcolor(pal.muted))
    painter.save()
    painter.translate(area.left() + fm.height() / 2 + 1 * u, plot.center().y())
    painter.rotate(-90)
    painter.drawText(
        QRectF(-plot.height() / 2, -fm.height() / 2, plot.height(), fm.height()),
        Qt.AlignmentFlag.AlignCenter,
        names[1],
    )
    painter.restore()
    return scale


# ------------------------------------------------------------------------------------- legend


def legend_icon(painter: QPainter, kind: str, rgb: RGB, center: QPointF, d: float, u: float) -> None:
    """The small picture before a legend entry, `d` pixels across, centered at `center`."""
    x, y = center.x(), center.y()
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if kind == "dot":
        painter.setPen(round_pen(rgb, d))
        painter.drawPoint(center)
    elif kind == "ring":
        painter.setPen(QPen(qcolor(rgb), 1.8 * u))
        painter.drawEllipse(center, d / 2, d / 2)
    elif kind == "batch":
        painter.setPen(QPen(qcolor(rgb), 2.2 * u))
        painter.drawEllipse(center, d * 0.8, d * 0.8)
    elif kind in ("line", "dash"):
        pen = round_pen(rgb, 2.5 * u)
        if kind == "dash":
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(x - d, y), QPointF(x + d, y))
    elif kind == "now":
        painter.setPen(QPen(qcolor(rgb, 150), 1.6 * u, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(x, y - d * 0.8), QPointF(x, y + d * 0.8))


def _legend_beside(
    painter: QPainter, area: QRectF, items: list[LegendItem], pal: Palette, u: float
) -> QRectF:
    legend_font = font(13 * u)
    fm = QFontMetricsF(legend_font)
    d = 9 * u
    icon_w = 2 * d + 6 * u  # room for a line icon, which is the widest
    width = max(fm.horizontalAdvance(text) for _, _, text in items) + icon_w + 8 * u
    step = fm.height() + 6 * u
    top = area.top() + max(0.0, (area.height() - step * len(items)) / 2)
    left = area.right() - width
    painter.setFont(legend_font)
    for n, (kind, rgb, text) in enumerate(items):
        y = top + step * (n + 0.5)
        legend_icon(painter, kind, rgb, QPointF(left + icon_w / 2, y), d, u)
        painter.setPen(qcolor(pal.text))
        painter.drawText(
            QRectF(left + icon_w, y - fm.height() / 2, width - icon_w, fm.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            text,
        )
    return QRectF(area.left(), area.top(), area.width() - width - 6 * u, area.height())


def legend(
    painter: QPainter, area: QRectF, items: list[LegendItem], pal: Palette, u: float, beside: bool = False
) -> QRectF:
    """Icons and labels along the bottom of `area` (or down its right side when `beside`); returns
    what is left for the plot. A row that does not fit gets a smaller font, then loses its last items."""
    if beside:
        return _legend_beside(painter, area, items, pal, u)
    px = 13 * u
    legend_font = font(px)
    fm = QFontMetricsF(legend_font)
    d = 9 * u
    icon_w = 2 * d + 6 * u
    gap = 14 * u
    needed = sum(icon_w + fm.horizontalAdvance(text) + gap for _, _, text in items) - gap
    if needed > area.width():
        legend_font = font(max(px * 0.8, px * area.width() / needed))
        fm = QFontMetricsF(legend_font)
    painter.setFont(legend_font)
    y = area.bottom() - fm.height() / 2
    x = area.left() + 2 * u
    for kind, rgb, text in items:
        tw = fm.horizontalAdvance(text)
        if x + icon_w + tw > area.right() + 1:
            break
        legend_icon(painter, kind, rgb, QPointF(x + icon_w / 2 - 3 * u, y), d, u)
        painter.setPen(qcolor(pal.text))
        painter.drawText(
            QRectF(x + icon_w, y - fm.height() / 2, tw + 2, fm.height()), Qt.AlignmentFlag.AlignVCenter, text
        )
        x += icon_w + tw + gap
    return QRectF(area.left(), area.top(), area.width(), area.height() - fm.height() - 6 * u)
