"""The sample plot redrawn once per turn of the event loop, whatever came in that turn (DataView's part).

A new data set, its maps, the batch and the focus each used to redraw the plot: three times in the turn
that follows an import of a million rows. The setters record which parts changed (`_later`); they are
drawn when control returns to the event loop, or at once when something reads the plot back (`_flush`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from backprop_studio.gui.panels.data.sample_plot import SamplePlot
    from backprop_studio.gui.panels.data.square_holder import SquareHolder


class Redraws:
    """Mixed into DataView, whose plot, holder, batch, focus and legend it uses."""

    sample_plot: SamplePlot
    _holder: SquareHolder
    _batch: np.ndarray | None
    _focus: int | None
    _plot_title: str

    if TYPE_CHECKING:

        def _update_legend(self) -> None: ...

    def _start_redraws(self) -> None:
        self._pending: set[str] = set()  # parts of the sample plot to redraw at the end of this turn
        self._drawn_scale = (0.0, 1.0)  # the value scale the points were last colored on
        self._redraw = QTimer(self)  # type: ignore[arg-type]  # self is the DataView (a QWidget)
        self._redraw.setSingleShot(True)
        self._redraw.timeout.connect(self._flush)

    def _later(self, *parts: str) -> None:
        """Redraw these parts of the sample plot when control returns to the event loop."""
        self._pending.update(parts)
        if not self._redraw.isActive():
            self._redraw.start(0)

    def _flush(self) -> None:
        """Draw what changed since the last redraw, once ("all": everything)."""
        self._redraw.stop()
        pending, self._pending = self._pending, set()
        if not pending:
            return
        plot = self.sample_plot
        every = "all" in pending
        if every:
            self._plot_title = plot.configure_axes()
            self._holder.set_square(plot.wants_square())
        if every or "map" in pending:
            plot.draw_map()
        scale = plot.value_centre(), plot.value_span()
        # Points colored by value share the map's scale, whose center depends on the output activation.
        recolor = plot.colored_by_value() and scale != self._drawn_scale
        if every or "points" in pending or recolor:
            plot.draw_points()
            self._drawn_scale = scale
        if every or "curves" in pending:
            plot.draw_curves()
        if every or "points" in pending or recolor or "batch" in pending:
            plot.draw_batch(self._batch)
        if every or "points" in pending or recolor or "focus" in pending:
            plot.draw_focus(self._focus)
        if every or recolor:
            self._update_legend()
        if "fit" in pending:
            plot.fit_view()
