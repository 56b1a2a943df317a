"""The Gradient check panel's tables: how they are built and sized.

Kept apart from `gradcheck_view` (which decides what they show) so the panel reads as its layout and its
rendering; every table here is read-only, selects whole rows and is exactly as tall as its rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)


def fit_rows(table: QTableWidget, rows: int) -> None:
    """Make `table` exactly tall enough for its header and `rows` rows: the dock scrolls, not the table."""
    frame = 2 * table.frameWidth()
    scroll_bar = table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(
        table.horizontalHeader().sizeHint().height()
        + rows * table.verticalHeader().defaultSectionSize()
        + frame
        + scroll_bar  # room for a sideways bar when the columns are wider than the dock
    )


def make_table(columns: Sequence[str]) -> QTableWidget:
    """A read-only table of whole-row selection in the system's fixed-width font (numbers line up)."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    mono.setStyleHint(QFont.StyleHint.Monospace)
    table.setFont(mono)
    return table


def titled(title: str, table: QTableWidget, note: str = "") -> QWidget:
    """`table` under a bold title (and an optional wrapped note between them)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(QLabel(f"<b>{title}</b>"))
    if note:
        label = QLabel(note)
        label.setWordWrap(True)
        layout.addWidget(label)
    layout.addWidget(table, 1)
    return box
