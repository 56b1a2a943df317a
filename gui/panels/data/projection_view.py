"""Data with more than two inputs, flattened onto its first two principal components.

The projection (`core.analysis.projection`) is computed once per data set from the training inputs, so
the points never move while the network learns; each refresh only changes which samples carry a cross.
A small data set is decomposed here at once; a large one's components come from the controller's worker
(`set_projection`), and until they do the plot says "computing projection…". Only the drawn samples (at
most MAX_DRAWN_POINTS a split) are projected.
A point's color is its true class (training filled, test hollow, as in the plane); a sample the network
gets wrong sits on a cross in the color of the class it predicted, whose arms stick out around it. Clicking a training sample emits its row.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis import projection as pca
from backprop_studio.core.analysis.confusion import ConfusionFrame, class_names
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.display.names import sample_label
from backprop_studio.core.display.numbers import format_number
from backprop_studio.gui.panels.data import sample_points as sp
from backprop_studio.gui.panels.data.fast_scatter import FastScatter
from backprop_studio.gui.panels.data.legend import dot, joined
from backprop_studio.gui.panels.data.markers import SampleMarkers, rows_at
from backprop_studio.gui.panels.data.plot_theme import theme_plot
from backprop_studio.gui.style.colors import RGB, class_color, palette, qcolor
from PySide6.QtCore import QObject, Qt, Signal

POINT_SIZE = 8
CROSS_SIZE = 17  # behind the point: its arms stick out in the predicted class's color
WAITING = "computing projection…"
_EMPTY = (np.empty(0), np.empty(0), np.empty(0, dtype=np.intp))


def applies_to(dataset: Dataset | None) -> bool:
    """The projection is drawn for classification data with more than two inputs (not in the plane)."""
    return pca.applies_to(dataset)


class ProjectionView(QObject):
    """The PC1/PC2 plot (`widget`); the owner passes the data set, the classes and the focus in."""

    sample_clicked = Signal(int)  # row of dataset.x_train

    def __init__(self) -> None:
        super().__init__()
        self.dark = False
        self.dataset: Dataset | None = None
        self.frame: ConfusionFrame | None = None
        self.explained = np.zeros(2)
        self.projection: pca.Projection | None = None  # None: not computed (yet)
        # (x, y, row) of the drawn points of each split, fixed for the data set
        self.drawn = {"train": _EMPTY, "test": _EMPTY}
        self._colors = sp.ColorCache()
        self.widget = pg.PlotWidget()
        self.plot = self.widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.vb = self.plot.getViewBox()
        self.markers = SampleMarkers(self.plot)
        self.test_points = FastScatter(size=POINT_SIZE, symbol="o", hoverable=True, tip=self._tip_test)
        self.train_points = FastScatter(size=POINT_SIZE, symbol="o", hoverable=True, tip=self._tip_train)
        # One cross item per predicted class, so a refresh sets positions only, never per-point pens.
        self.crosses: list[pg.ScatterPlotItem] = []
        for z, item in enumerate((self.test_points, self.train_points), start=2):
            item.setZValue(z)
            self.plot.addItem(item)
        self.test_points.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.train_points.sigClicked.connect(self._on_points_clicked)

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Show `dataset`: projected at once when it is small, else when `set_projection` brings its
        components (until then the plot is empty and says so)."""
        self.dataset = dataset if applies_to(dataset) else None
        self.frame = None
        self.projection = None
        self.drawn = {"train": _EMPTY, "test": _EMPTY}
        ds = self.dataset
        self._make_crosses(0 if ds is None else max(ds.classes, 2))
        if ds is not None and pca.is_quick(ds):
            self._project(pca.principal_components(ds.x_train))
            return
        self.plot.setTitle(WAITING if ds is not None else None)
        self._label_axes()
        self.draw_points()
        self.draw_predictions()

    def set_projection(self, dataset: Dataset, projection: pca.Projection) -> None:
        """The components of `dataset`'s training inputs, computed elsewhere; ignored when another data
        set is shown now or this one is projected already."""
        if dataset is self.dataset and self.projection is None:
            self._project(projection)

    def waiting(self) -> bool:
        """Whether the plot waits for its components ("computing projection…")."""
        return self.dataset is not None and self.projection is None

    def _project(self, projection: pca.Projection) -> None:
        ds = self.dataset
        assert ds is not None
        self.projection = projection
        self.explained = np.asarray(projection.explained)
        for split, x in (("train", ds.x_train), ("test", ds.x_test)):
            rows = np.arange(len(x))
            _, _, kept, _ = sp.thinned(rows, rows, rows, np.empty(0))
            coords = projection.transform(x[kept])
            self.drawn[split] = (coords[:, 0].copy(), coords[:, 1].copy(), np.asarray(kept, np.intp))
        self.plot.setTitle(None)
        self._label_axes()
        self.draw_points()
        self.draw_predictions()
        self.vb.enableAutoRange()

    def set_frame(self, frame: ConfusionFrame | None) -> None:
        """The predicted class of each sample: crosses move, points stay."""
        self.frame = frame
        if self.widget.isVisible():  # a hidden tab catches up when it is shown (DataView)
            self.draw_predictions()

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        theme_plot(self.widget, dark)
        self.markers.set_dark(dark)
        self._color_crosses()
        self.draw_points()
        self.draw_predictions()

    def _label_axes(self) -> None:
        if self.dataset is None:
            return  # the tab is hidden; the labels of the last data set are not seen
        for axis, k in (("bottom", 0), ("left", 1)):
            share = "" if self.projection is None else f" ({self.explained[k]:.0%} of variance)"
            self.plot.setLabel(axis, f"PC{k + 1}{share}")

    def _true_colors(self, split: str) -> list[RGB]:
        ds = self.dataset
        labels = None if ds is None else (ds.labels_train if split == "train" else ds.labels_test)
        rows = self.drawn[split][2]
        if labels is None:
            return [palette(self.dark).positive] * len(rows)
        return [class_color(int(k), self.dark) for k in labels[rows]]

    def draw_points(self) -> None:
        """The samples at their projected positions, in their true class's color (once per data set)."""
        p = palette(self.dark)
        x, y, rows = self.drawn["train"]
        brushes = [self._colors.brush(c) for c in self._true_colors("train")]
        self.train_points.setData(x=x, y=y, data=rows, brush=brushes, pen=pg.mkPen(qcolor(p.background)))
        x, y, rows = self.drawn["test"]
        pens = [self._colors.pen(c) for c in self._true_colors("test")]
        self.test_points.setData(x=x, y=y, data=rows, pen=pens, brush=self._colors.brush(p.background))

    def wrong(self, split: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """x, y, row and predicted class of the drawn `split` samples the network classifies wrongly."""
        ds, frame = self.dataset, self.frame
        x, y, rows = self.drawn[split]
        labels = None if ds is None else (ds.labels_train if split == "train" else ds.labels_test)
        pred = None if frame is None else (frame.pred_train if split == "train" else frame.pred_test)
        none = np.empty(0), np.empty(0), np.empty(0, dtype=np.intp), np.empty(0, dtype=np.int64)
        if labels is None or pred is None:
            return none
        counted = rows < len(pred)  # beyond the rows a frame counts, nothing is known
        rows_c = rows[counted]
        bad = pred[rows_c] != labels[rows_c]
        return x[counted][bad], y[counted][bad], rows_c[bad], pred[rows_c][bad]

    def _make_crosses(self, classes: int) -> None:
        for item in self.crosses:
            self.plot.removeItem(item)
        self.crosses = []
        for _ in range(classes):
            item = pg.ScatterPlotItem(size=CROSS_SIZE, symbol="x", pxMode=True, brush=pg.mkBrush(None))
            item.setZValue(1)  # behind the points
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.plot.addItem(item)
            self.crosses.append(item)
        self._color_crosses()

    def _color_crosses(self) -> None:
        for k, item in enumerate(self.crosses):
            item.setPen(pg.mkPen(qcolor(class_color(k, self.dark)), width=2.5))

    def draw_predictions(self) -> None:
        """Cross the wrongly classified samples, each in its predicted class's item."""
        wrong = [self.wrong(split) for split in ("train", "test")]
        x = np.concatenate([w[0] for w in wrong])
        y = np.concatenate([w[1] for w in wrong])
        predicted = np.concatenate([w[3] for w in wrong])
        for k, item in enumerate(self.crosses):
            mine = predicted == k
            item.setData(x=x[mine], y=y[mine])

    def cross_positions(self) -> dict[int, np.ndarray]:
        """Predicted class → (n, 2) positions of the crosses drawn in its color."""
        out = {}
        for k, item in enumerate(self.crosses):
            x, y = item.getData()
            out[k] = np.column_stack([x, y]) if x is not None else np.empty((0, 2))
        return out

    def draw_batch(self, batch: np.ndarray | None) -> None:
        if self.dataset is None or batch is None:
            self.markers.show_batch(None, None)
        else:
            self.markers.show_batch(*rows_at(self.drawn["train"], batch))

    def draw_focus(self, focus: int | None) -> None:
        if self.dataset is None or focus is None:
            self.markers.show_focus(None, None)
        else:
            self.markers.show_focus(*rows_at(self.drawn["train"], np.array([focus])))

    def legend(self) -> str:
        """What the colors, crosses and rings mean (rich text)."""
        ds = self.dataset
        if ds is None:
            return ""
        p = palette(self.dark)
        parts = [] if self.projection is not None else [f"<i>{WAITING}</i>"]
        if ds.labels_train is not None:
            names = class_names(ds)
            parts += [f"{dot(class_color(k, self.dark))} {html.escape(name)}" for k, name in enumerate(names)]
            parts.append(f"{dot(p.text, '✕')} wrong: crossed in the predicted class's color")
        parts.append(f"{dot(p.text)} train &nbsp;{dot(p.text, '○')} test")
        parts.append(f"{dot(p.selection, '◯')} in batch")
        parts.append(f"{dot(p.selection, '◎')} inspected (click a point)")
        return joined(parts, self.dark)

    def _on_points_clicked(self, _item: pg.ScatterPlotItem, points: list, _event: object) -> None:
        if len(points):
            self.sample_clicked.emit(int(points[0].data()))

    def _tip_train(self, x: float, y: float, data: object) -> str:
        return self._tip("train", x, y, data)

    def _tip_test(self, x: float, y: float, data: object) -> str:
        return self._tip("test", x, y, data)

    def _tip(self, split: str, x: float, y: float, data: object) -> str:
        ds = self.dataset
        if ds is None:
            return ""
        i = int(data)
        kind = "training" if split == "train" else "test"
        lines = [f"{kind} {sample_label(i)}", f"PC1 = {format_number(x)}, PC2 = {format_number(y)}"]
        labels = ds.labels_train if split == "train" else ds.labels_test
        if labels is not None:
            names = class_names(ds)
            lines.append(f"class: {names[int(labels[i])]}")
            pred = (
                None
                if self.frame is None
                else (self.frame.pred_train if split == "train" else self.frame.pred_test)
            )
            if pred is not None and i < len(pred):
                lines.append(f"predicted: {names[int(pred[i])]}")
        return "\n".join(lines)
