"""Where a matrix view's cells point: which cells to print (long axes elided), what a clicked cell selects,
and which cells a selection or a focused sample highlights. See `matrix_form.Term` for the axes."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.teaching.matrix_form import SAMPLES, Term
from backprop_studio.core.teaching.selection import Selection


def shown_indices(n: int, limit: int, tail: int = 2) -> list[int | None]:
    """Indices to print of an axis of length n: all of them up to `limit`, else the first ones, None
    (printed "…") and the last `tail`, `limit` entries in all."""
    if n <= limit:
        return list(range(n))
    head = limit - tail - 1
    return [*range(head), None, *range(n - tail, n)]


def cell_target(term: Term, r: int, c: int, batch_indices: np.ndarray | None = None) -> tuple:
    """What cell (r, c) of `term` stands for: (selection or None, batch row or None).

    A weight cell selects its edge; a cell in a layer's column (Z, A, δ, b …) selects that neuron; a row
    of samples focuses that sample."""
    if term.edges_of is not None:
        i, j = (c, r) if term.transposed else (r, c)
        return ("edge", term.edges_of, i, j), None
    row = r if term.rows_are == SAMPLES else c if term.cols_are == SAMPLES else None
    unit_axis = term.cols_are if term.cols_are >= 0 else term.rows_are
    unit = c if term.cols_are >= 0 else r
    selection = ("neuron", unit_axis, unit) if unit_axis >= 0 else None
    return selection, row


def highlighted(term: Term, selection: Selection, row: int | None) -> set[tuple[int, int]]:
    """The cells of `term` that belong to the selection (the neuron's column or row, the edge's cell)
    or to the focused batch row."""
    rows, cols = term.values.shape
    cells: set[tuple[int, int]] = set()
    if row is not None:
        if term.rows_are == SAMPLES and row < rows:
            cells |= {(row, c) for c in range(cols)}
        if term.cols_are == SAMPLES and row < cols:
            cells |= {(r, row) for r in range(rows)}
    if selection is None:
        return cells
    if selection[0] == "edge" and term.edges_of == selection[1]:
        i, j = int(selection[2]), int(selection[3])
        cells.add((j, i) if term.transposed else (i, j))
    elif selection[0] == "neuron":  # its column or row: values, or the weights into or out of it
        layer, j = int(selection[1]), int(selection[2])
        if term.cols_are == layer:
            cells |= {(r, j) for r in range(rows)}
        if term.rows_are == layer:
            cells |= {(j, c) for c in range(cols)}
    return cells
