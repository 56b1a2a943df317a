"""The rows of the Gradient check panel's tables: the worst error of each layer, the worst entries with
both gradients side by side, and the entries at a kink, each error colored as the canvas colors an edge.

`gradcheck_view` decides which entries to show; these functions write them into the tables that
`gradcheck_tables` builds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from backprop_studio.core.analysis.gradcheck import GradCheckReport
from backprop_studio.core.display.numbers import format_number
from backprop_studio.gui.canvas.overlays import overlay_colors, overlay_levels
from backprop_studio.gui.debugger.gradcheck_tables import fit_rows
from backprop_studio.gui.debugger.gradcheck_text import parameter_label
from backprop_studio.gui.style.colors import mix, palette
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

Entry = tuple[float, int, str, tuple[int, ...]]  # (relative error, layer, "W" or "b", index)
Kink = tuple[int, str, tuple[int, ...]]  # (layer, "W" or "b", index)
# The analytic gradients of the run, per layer: (dL/dW, dL/db); None where the run did not keep them.
Analytic = tuple[Sequence[np.ndarray] | None, Sequence[np.ndarray] | None]
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def error_brush(error: float, dark: bool) -> QBrush:
    """The color of a relative error: the canvas's agreement colors, darkened towards the text."""
    level = int(overlay_levels(np.array([error]))[0])
    p = palette(dark)
    rgb = p.muted if level < 0 else overlay_colors(p)[level]
    # Table text on the window background needs more contrast than an edge does.
    return QBrush(QColor(*mix(rgb, p.text, 0.25 if level < 3 else 0.0)))


def fill_layers(table: QTableWidget, report: GradCheckReport, dark: bool) -> None:
    """One row per layer: entries checked, at a kink, and the worst relative error."""
    table.setRowCount(len(report.layers))
    # Tall enough for every layer of a typical net, so the verdict per layer needs no scrolling.
    fit_rows(table, min(len(report.layers), 6))
    for r, layer in enumerate(report.layers):
        total = layer.errors_W.size + layer.errors_b.size
        worst = format_number(layer.worst, 2) if layer.compared else "—"
        cells = (f"{layer.layer}", f"{layer.checked} of {total}", f"{layer.kinks}", worst)
        items = _set_row(table, r, cells, right_from=1)
        if layer.compared:
            items[3].setForeground(error_brush(layer.worst, dark))


def fill_entries(
    table: QTableWidget, entries: list[Entry], report: GradCheckReport, analytic: Analytic, dark: bool
) -> None:
    """One row per worst entry: its parameter, both gradients and the relative error."""
    table.setRowCount(len(entries))
    fit_rows(table, max(len(entries), 1))
    for r, (error, layer, name, index) in enumerate(entries):
        analytic_value, numeric = gradients(report, analytic, layer, name, index)
        cells = (*_gradient_cells(layer, name, index, analytic_value, numeric), format_number(error, 2))
        items = _set_row(table, r, cells, right_from=2)
        items[4].setForeground(error_brush(error, dark))
        for item in items:
            item.setData(Qt.ItemDataRole.UserRole, (layer, name, index))


def fill_kinks(table: QTableWidget, kinks: list[Kink], report: GradCheckReport, analytic: Analytic) -> None:
    """The entries at a kink, with both gradients, so a reader sees why they differ."""
    table.setRowCount(len(kinks))
    fit_rows(table, max(min(len(kinks), 8), 1))
    for r, (layer, name, index) in enumerate(kinks):
        analytic_value, numeric = gradients(report, analytic, layer, name, index)
        _set_row(table, r, _gradient_cells(layer, name, index, analytic_value, numeric), right_from=2)


def gradients(
    report: GradCheckReport, analytic: Analytic, layer: int, name: str, index: tuple[int, ...]
) -> tuple[float, float]:
    """(analytic, numeric) of one checked entry (analytic NaN when the run did not include them)."""
    checked = report.layers[layer - 1]
    numeric = float((checked.numeric_W if name == "W" else checked.numeric_b)[index])
    analytics = analytic[0] if name == "W" else analytic[1]
    value = float(analytics[layer - 1][index]) if analytics is not None else math.nan
    return value, numeric


def _gradient_cells(
    layer: int, name: str, index: tuple[int, ...], analytic: float, numeric: float
) -> tuple[str, str, str, str]:
    """Layer, parameter, analytic and numeric gradient: the cells the entry tables share."""
    return (
        str(layer),
        parameter_label(layer, name, index),
        format_number(analytic, 6),
        format_number(numeric, 6),
    )


def _set_row(table: QTableWidget, row: int, cells: Sequence[str], right_from: int) -> list[QTableWidgetItem]:
    """Put `cells` into `row`, numbers (from column `right_from` on) right-aligned; returns the items."""
    items = []
    for c, text in enumerate(cells):
        item = QTableWidgetItem(text)
        if c >= right_from:
            item.setTextAlignment(_RIGHT)
        table.setItem(row, c, item)
        items.append(item)
    return items
