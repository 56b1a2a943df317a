"""The network's output over the (x1, x2) plane behind the samples, with its decision boundaries."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.evaluation import OutputMap
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.gui.style.colors import map_tint, palette, qcolor
from PySide6.QtCore import QRectF

MAX_ISOCURVES = 8  # one boundary per class; spirals go up to 8 arms


class PlaneMap:
    """The output map image (under everything else in `plot`) and up to MAX_ISOCURVES boundary lines."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-20)
        plot.addItem(self.image)
        self.isocurves: list[pg.IsocurveItem] = []
        for _ in range(MAX_ISOCURVES):
            iso = pg.IsocurveItem(level=0.5, axisOrder="row-major")
            iso.setParentItem(self.image)
            # Isocurves run through cell centers; the image's cell k spans [k, k + 1].
            iso.setPos(0.5, 0.5)
            iso.hide()
            self.isocurves.append(iso)

    def hide(self) -> None:
        self.image.hide()
        for iso in self.isocurves:
            iso.hide()

    def draw(self, om: OutputMap | None, ds: Dataset | None, dark: bool) -> None:
        """Tint the plane by `om` (planar data only) and outline each class region; None hides it."""
        if om is None or ds is None or not ds.is_planar:
            self.hide()
            return
        p = palette(dark)
        n_classes = ds.classes or 0
        self.image.setImage(map_tint(om, dark, n_classes), autoLevels=False, levels=(0, 255))
        xmin, xmax, ymin, ymax = om.extent
        self.image.setRect(QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        self.image.show()
        pen = pg.mkPen(qcolor(p.text, 170), width=1.5)
        used = 0
        if om.classes is None:
            if ds.task == "classification":
                self.isocurves[0].setData(om.values, om.threshold)
                self.isocurves[0].setPen(pen)
                used = 1
        elif om.margins is not None:
            present = np.unique(om.classes)
            # Each region's outline is the zero contour of its unit's lead over the rest; neighbouring
            # regions share an edge, so it is drawn twice at exactly the same place.
            if len(present) > 1:
                for k in present[:MAX_ISOCURVES]:
                    self.isocurves[used].setData(om.margins[k], 0.0)
                    self.isocurves[used].setPen(pen)
                    used += 1
        for i, iso in enumerate(self.isocurves):
            iso.setVisible(i < used)

    def boundaries_shown(self) -> list[float]:
        """The level of each decision boundary drawn over the map."""
        return [iso.level for iso in self.isocurves if iso.isVisible()]

    def image_shown(self) -> np.ndarray | None:
        """The RGB image (res, res, 3) drawn for the output map, or None when hidden."""
        return self.image.image if self.image.isVisible() else None
