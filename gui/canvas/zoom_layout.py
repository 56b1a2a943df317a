"""How big the Neuron zoom's nodes and font can be: every number must fit its wire, the rows the height."""

from __future__ import annotations

from backprop_studio.gui.canvas.zoom_model import MAX_ROWS, ZoomModel, ZoomRow
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF

# Column centers as fractions of the drawing width: inputs, × nodes, end of the × → Σ stubs, Σ, f.
X_IN, X_MUL, X_STUB, X_SUM, X_F = 0.04, 0.28, 0.46, 0.57, 0.77


def node_sizes(model: ZoomModel, px: float, rows: tuple[ZoomRow, ...]) -> dict[str, float]:
    """Node sizes at font size `px`: they set how much of each wire is left for its numbers."""
    metrics = QFontMetricsF(font(px))
    bold = QFontMetricsF(font(px * 1.05, bold=True))
    lh = metrics.height()
    mul_w = max(
        [metrics.horizontalAdvance(f"× {r.w}") for r in rows]
        + [metrics.horizontalAdvance(r.grad_w) for r in rows if r.grad_w]
    )
    return {
        "name_w": max(metrics.horizontalAdvance(r.name) for r in rows) + lh * 0.8,
        "mul_w": mul_w + lh * 0.7,
        "f_w": bold.horizontalAdvance(model.symbol) + lh,
        "sum_r": lh * 1.05,
    }


def fit(
    model: ZoomModel, body: QRectF, base: float, max_rows: int = MAX_ROWS
) -> tuple[float, tuple[ZoomRow, ...], int]:
    """The largest font (≤ `base` px) whose numbers fit on their wires, and the input rows that fit the height.

    A row stacks a number above its wire and one below, around a two-line × node, so it needs about
    2.6 line heights; a neuron with more inputs than that shows the first ones and "+ N more".
    """
    width = body.width()
    # Prefer every input (up to MAX_ROWS) over a big font, but not below a comfortably readable size.
    # `max_rows` (a video frame wants fewer rows in larger type) caps the rows, "+ N more" included.
    wanted = min(model.n_inputs, max_rows)
    line_ratio = QFontMetricsF(font(20)).height() / 20
    # (− 0.5: fonts snap to whole pixels, and rounding up would lose the last row again.)
    px = min(base, max(body.height() / (2.6 * wanted * line_ratio) - 0.5, 9.5))
    while True:
        metrics = QFontMetricsF(font(px))
        lh = metrics.height()
        capacity = min(max(int(body.height() // (2.6 * lh)), 2), max(max_rows, 2))
        if model.n_inputs <= capacity:
            rows, more = model.rows[: model.n_inputs], 0
        else:
            shown = min(capacity - 1, len(model.rows))
            rows, more = model.rows[:shown], model.n_inputs - shown
        sizes = node_sizes(model, px, rows)
        wires = (
            ((X_MUL - X_IN) * width - sizes["name_w"] / 2 - sizes["mul_w"] / 2, [r.a for r in rows]),
            ((X_MUL - X_IN) * width - sizes["name_w"] / 2 - sizes["mul_w"] / 2, [r.grad_a for r in rows]),
            (
                (X_STUB - X_MUL) * width - sizes["mul_w"] / 2,
                [r.aw for r in rows] + [r.grad_aw for r in rows],
            ),
            ((X_F - X_SUM) * width - sizes["sum_r"] - sizes["f_w"] / 2, [model.z, model.dz]),
            ((1 - X_F) * width - sizes["f_w"] / 2, [model.a, model.da]),
        )
        fits = all(
            metrics.horizontalAdvance(text) + 6 <= room for room, texts in wires for text in texts if text
        )
        if fits or px <= 7:
            return px, rows, more
        px -= 0.5
