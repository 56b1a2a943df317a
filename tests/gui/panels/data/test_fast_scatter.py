"""FastScatter draws exactly what pyqtgraph's own ScatterPlotItem draws, only with less Python per point."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from backprop_studio.gui.panels.data.fast_scatter import FastScatter
from PySide6.QtGui import QImage


def _plot(qtbot, item: pg.ScatterPlotItem) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(300, 300)
    widget.addItem(item)
    widget.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _pixels(widget: pg.PlotWidget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4).copy()


def _styled(item: pg.ScatterPlotItem, n: int) -> None:
    """n points with three fills and two outlines, shared objects as the data panel passes them."""
    rng = np.random.default_rng(3)
    fills = [pg.mkBrush(c) for c in ((200, 30, 30), (30, 160, 60), (40, 60, 220))]
    rings = [pg.mkPen((0, 0, 0), width=1), pg.mkPen((250, 200, 0), width=2)]
    item.setData(
        x=rng.random(n),
        y=rng.random(n),
        data=np.arange(n),
        brush=[fills[k % 3] for k in range(n)],
        pen=[rings[k % 2] for k in range(n)],
    )


def test_the_same_atlas_rectangles_and_pixels_as_pyqtgraph(qtbot) -> None:
    ours, theirs = FastScatter(size=8, symbol="o"), pg.ScatterPlotItem(size=8, symbol="o")
    widgets = [_plot(qtbot, item) for item in (ours, theirs)]
    for item in (ours, theirs):
        _styled(item, 500)
    assert [b.color().getRgb() for b in ours.data["brush"]] == [
        b.color().getRgb() for b in theirs.data["brush"]
    ]
    # Six styles, one atlas picture each (the atlases may order them differently): the same pixels.
    assert len({tuple(r) for r in ours.data["sourceRect"].tolist()}) == 6
    ours_px, theirs_px = _pixels(widgets[0]), _pixels(widgets[1])
    assert np.array_equal(ours_px, theirs_px)
    colors = {tuple(p) for p in ours_px[..., 2::-1].reshape(-1, 3)}  # BGRA -> RGB
    assert {(200, 30, 30), (30, 160, 60), (40, 60, 220)} <= colors


def test_single_styles_and_hover_still_go_through_pyqtgraph(qtbot) -> None:
    ours, theirs = (
        cls(size=10, symbol="o", hoverable=True, hoverBrush="w") for cls in (FastScatter, pg.ScatterPlotItem)
    )
    widgets = [_plot(qtbot, item) for item in (ours, theirs)]
    for item in (ours, theirs):
        item.setData(x=[0.2, 0.5, 0.8], y=[0.5, 0.5, 0.5], brush=(200, 0, 0), pen=None)
        item.data["hovered"][1] = True  # what hovering the middle point sets before pyqtgraph restyles it
        item.data["sourceRect"][1] = 0
        item.updateSpots()
    assert ours.data["sourceRect"][1].tolist() != ours.data["sourceRect"][0].tolist()
    assert np.array_equal(_pixels(widgets[0]), _pixels(widgets[1]))


def test_a_wrong_number_of_brushes_is_refused(qtbot) -> None:
    item = FastScatter(size=8)
    widget = _plot(qtbot, item)
    with pytest.raises(ValueError, match="1 values of brush for 2 points"):
        item.setData(x=[0.1, 0.2], y=[0.1, 0.2], brush=[pg.mkBrush("r")])
    assert widget.isVisible()
