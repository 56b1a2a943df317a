"""The loss plot's two pyqtgraph plots, loss above accuracy, sharing the epoch axis: built and styled once.

Everything here is about cost and legibility: grid lines at major ticks only and axes cached as pixmaps
(replaying the grid cost more than all curves), peak downsampling and clipping to the view, plain
decimals instead of SI prefixes, zoom along epochs only with y following what is visible.
"""

from __future__ import annotations

import pyqtgraph as pg
from backprop_studio.gui.style.colors import Palette, qcolor
from PySide6.QtWidgets import QGraphicsItem

CURVE_OPTIONS = {
    # Peak downsampling keeps each pixel column's minimum and maximum, so one column's worth of points
    # loses nothing visible; pyqtgraph's default of 5 per pixel only multiplies the drawing work.
    "autoDownsampleFactor": 1.0,
    # The range limit guards against huge values far outside the view; here y always fits what is
    # visible, and checking the limit scans every point on every refresh.
    "dynamicRangeLimit": None,
}


def build_plots() -> tuple[pg.PlotWidget, pg.PlotWidget]:
    """The loss plot widget and the accuracy plot widget under it, x axes linked and aligned."""
    loss_widget, acc_widget = pg.PlotWidget(), pg.PlotWidget()
    loss_plot, acc_plot = loss_widget.getPlotItem(), acc_widget.getPlotItem()
    for plot in (loss_plot, acc_plot):
        plot.setMenuEnabled(False)
        plot.hideButtons()  # "Show all" in the header does what pyqtgraph's "A" would, and says so
        plot.showGrid(x=True, y=True, alpha=0.15)
        for name in ("left", "bottom"):
            # "loss (x0.001)" puzzles newcomers; plain decimals read directly.
            plot.getAxis(name).enableAutoSIPrefix(False)
            # Grid lines at major ticks only: the minor level multiplies the lines and cost most
            # of the repaint time.
            plot.getAxis(name).setStyle(maxTickLevel=1)
            # An axis draws its grid lines across the whole plot; replaying them every refresh cost
            # more than all the curves together, so keep the axis as a pixmap until its ticks change.
            plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        plot.getViewBox().setLimits(xMin=0)
        # Zoom along epochs only; y follows what is visible, so zooming into the tail shows its detail.
        plot.getViewBox().setMouseEnabled(x=True, y=False)
        plot.getViewBox().setAutoVisible(y=True)
    loss_plot.setLabel("left", "loss")
    acc_plot.setLabel("left", "accuracy %")
    acc_plot.setLabel("bottom", "epoch")
    acc_plot.setXLink(loss_plot)
    acc_plot.setYRange(0, 100, padding=0.04)
    acc_plot.getViewBox().setLimits(yMin=-5, yMax=105)
    acc_plot.getAxis("left").setWidth(56)
    loss_plot.getAxis("left").setWidth(56)  # equal widths keep the two x axes aligned
    acc_widget.setFixedHeight(110)
    return loss_widget, acc_widget


def style_plot(widget: pg.PlotWidget, p: Palette) -> None:
    """Background and axis colors of one plot from the theme's palette."""
    widget.setBackground(qcolor(p.background))
    plot = widget.getPlotItem()
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(qcolor(p.muted)))
        axis.setTextPen(pg.mkPen(qcolor(p.text)))
