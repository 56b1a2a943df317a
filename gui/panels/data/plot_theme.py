"""The data panel's plots in the palette's colors: background, axis lines and axis text."""

from __future__ import annotations

import pyqtgraph as pg
from backprop_studio.gui.style.colors import palette, qcolor


def theme_plot(widget: pg.PlotWidget, dark: bool) -> None:
    """Paint `widget`'s background and its left and bottom axes for the light or dark palette."""
    p = palette(dark)
    widget.setBackground(qcolor(p.background))
    plot = widget.getPlotItem()
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(qcolor(p.muted)))
        axis.setTextPen(pg.mkPen(qcolor(p.text)))
