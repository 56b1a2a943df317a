"""The data panel: the samples and what the network makes of them, in up to three tabs.

- The sample plot (`sample_plot`): the plane with the output map, or prediction against target.
- Projection (`projection_view`): classification data with more than two inputs on its first two principal
  components, with the network's mistakes crossed; shown first for such data.
- Confusion matrix (`confusion_view`): for classification, true against predicted class, train and test.

A header holds the tabs (or, with one page, its title), names the sample the inspector follows and offers
the batch mean; the legend under the page says what its marks mean (which tabs are offered and which is
in front: `pages`). Clicking a training sample, in the plot or the projection, focuses it.

The sample plot is redrawn once per turn of the event loop, whatever came in that turn: a new data set,
its maps, the batch and the focus each used to redraw it, three times in the turn that follows an import
of a million rows. The setters record what changed; the drawing runs when control returns to the event
loop (or at once when something reads the plot back, `_flush`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.confusion import ConfusionFrame
from backprop_studio.core.analysis.evaluation import OutputMap
from backprop_studio.core.analysis.frame_data import FrameData
from backprop_studio.core.analysis.projection import Projection
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.gui.panels.data.confusion_view import ConfusionView
from backprop_studio.gui.panels.data.header import Header
from backprop_studio.gui.panels.data.pages import DataPages
from backprop_studio.gui.panels.data.projection_view import ProjectionView
from backprop_studio.gui.panels.data.redraws import Redraws
from backprop_studio.gui.panels.data.sample_plot import SamplePlot
from backprop_studio.gui.panels.data.square_holder import SquareHolder
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget


class DataView(DataPages, Redraws, QWidget):
    """Training and test samples with the network's output; click a training sample to focus it."""

    sample_clicked = Signal(int)  # row of dataset.x_train
    focus_mean_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._batch: np.ndarray | None = None
        self._focus: int | None = None
        self._plot_title = "<b>Data</b>"
        self._start_redraws()
        self._header = Header()
        self._header.mean_button.clicked.connect(self.focus_mean_requested.emit)
        self._mean_button = self._header.mean_button
        self.sample_plot = SamplePlot()
        self.projection_view = ProjectionView()
        self.confusion_view = ConfusionView()
        for source in (self.sample_plot, self.projection_view):
            source.sample_clicked.connect(self.sample_clicked)
        self._legend = QLabel()
        self._legend.setWordWrap(True)
        self._legend.setTextFormat(Qt.TextFormat.RichText)
        self._legend.setContentsMargins(6, 2, 6, 4)
        self._holder = SquareHolder(self.sample_plot.widget)
        self._projection_holder = SquareHolder(self.projection_view.widget)
        self._projection_holder.set_square(True)
        # The pages sit in a stack switched by tabs in the header row, so they cost the plot no height.
        self.stack = QStackedWidget()
        for widget in (self._holder, self._projection_holder, self.confusion_view):
            self.stack.addWidget(widget)
        self.tab_bar = self._header.tab_bar
        self._build_tabs()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self._legend)

        self._show_pages(None)
        self.set_dark(False)

    # ----------------------------------------------------------------- public API

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Show `dataset`; clears the output map, predictions, batch and focus of the previous one."""
        self.sample_plot.set_dataset(dataset)
        self.projection_view.set_dataset(dataset)
        self.confusion_view.set_frame(None)
        self._batch = None
        self._focus = None
        self._show_pages(dataset)
        self.projection_view.draw_batch(None)
        self._draw_focus()
        self._later("all", "fit")

    def set_projection(self, dataset: Dataset, projection: Projection) -> None:
        """The principal components of a large data set, computed on a worker (see ProjectionView)."""
        self.projection_view.set_projection(dataset, projection)
        self.projection_view.draw_batch(self._batch)
        self._draw_focus()
        self._update_legend()

    def set_classes(self, frame: ConfusionFrame | None) -> None:
        """The network's predicted classes and confusion counts (classification), or None."""
        self.projection_view.set_frame(frame)
        self.confusion_view.set_frame(frame)

    def set_output_map(self, output: OutputMap | None) -> None:
        """The network's output over the plane (planar data only); None hides it."""
        self.sample_plot.map = output
        self._later("map")

    def set_predictions(self, pred_train: np.ndarray, pred_test: np.ndarray) -> None:
        """Network outputs (n_train, n_out) and (n_test, n_out) for the non-planar view, without a dense
        curve (1-input data then joins the predictions at the samples); `set_frame_data` gives both."""
        self._show_predictions(pred_train, pred_test, None)

    def set_frame_data(self, data: FrameData) -> None:
        """The network's outputs for the state shown (`core.analysis.frame_data.frame_inputs`, the same the
        recordings paint): the output map over the plane, or the predictions at the samples and, for one
        input, the dense prediction curve."""
        if self.is_planar_mode:
            self.set_output_map(data.output_map)
            return
        curve = None
        if data.curve_x is not None and data.curve_y is not None:
            curve = (np.asarray(data.curve_x, dtype=float), np.asarray(data.curve_y, dtype=float))
        self._show_predictions(data.pred_train, data.pred_test, curve)

    def _show_predictions(
        self,
        pred_train: np.ndarray | None,
        pred_test: np.ndarray | None,
        curve: tuple[np.ndarray, np.ndarray] | None,
    ) -> None:
        plot = self.sample_plot
        both = pred_train is not None and pred_test is not None
        plot.pred_train = np.asarray(pred_train, dtype=float) if both else None
        plot.pred_test = np.asarray(pred_test, dtype=float) if both else None
        plot.curve = curve
        if plot.dataset is not None and not plot.dataset.is_planar:
            self._later("points", "curves", "batch", "focus")

    def set_batch(self, indices: np.ndarray | None) -> None:
        """Rows of the training set in the current batch (ringed), or None."""
        self._batch = None if indices is None else np.asarray(indices, dtype=np.intp)
        self.projection_view.draw_batch(self._batch)
        self._later("batch")

    def set_focus(self, train_index: int | None) -> None:
        """The training sample the inspector follows, or None for the batch mean."""
        self._focus = None if train_index is None else int(train_index)
        self.projection_view.draw_focus(self._focus)
        self._header.show_focus(self.sample_plot.dataset is not None, self._focus, self._dark)
        self._later("focus")

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        self.sample_plot.set_dark(self._dark)
        self.projection_view.set_dark(self._dark)
        self.confusion_view.set_dark(self._dark)
        self.projection_view.draw_batch(self._batch)
        self._draw_focus()
        self._later("all")

    # ----------------------------------------------------------------- state readable by tests and tools

    @property
    def is_planar_mode(self) -> bool:
        ds = self.sample_plot.dataset
        return ds is not None and ds.is_planar

    def train_point_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the drawn training points (all output units in turn)."""
        self._flush()
        x, y = self.sample_plot.train_points.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def test_point_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the drawn test points (all output units in turn)."""
        self._flush()
        x, y = self.sample_plot.test_points.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def prediction_curves(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """1-input data: (x, outputs) of the prediction line drawn for each output unit."""
        self._flush()
        return self.sample_plot.prediction_curves()

    def batch_ring_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the rings around this batch's samples."""
        self._flush()
        return self.sample_plot.markers.batch_positions()

    def focus_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the focus marks (one per output unit off the plane), or none."""
        self._flush()
        return self.sample_plot.markers.focus_positions()

    def focus_text(self) -> str:
        self._flush()
        return self._header.focus_label.text()

    def axis_labels(self) -> tuple[str, str]:
        """The (bottom, left) axis names."""
        self._flush()
        plot = self.sample_plot.plot
        return plot.getAxis("bottom").labelText, plot.getAxis("left").labelText

    def identity_line_shown(self) -> bool:
        """Whether the dashed "prediction = target" line is shown."""
        self._flush()
        return self.sample_plot.identity.isVisible()

    def train_point_colors(self) -> list[tuple[int, int, int]]:
        """The fill color of each drawn training point."""
        self._flush()
        return [tuple(b.color().getRgb()[:3]) for b in self.sample_plot.train_points.data["brush"]]

    def boundaries_shown(self) -> list[float]:
        """The level of each decision boundary drawn over the map."""
        self._flush()
        return self.sample_plot.plane_map.boundaries_shown()

    def map_image(self) -> np.ndarray | None:
        """The RGB image (res, res, 3) drawn for the output map, or None when hidden."""
        self._flush()
        return self.sample_plot.plane_map.image_shown()

    def view_box(self) -> pg.ViewBox:
        self._flush()
        return self.sample_plot.vb

    def plot_widget(self) -> pg.PlotWidget:
        self._flush()
        return self.sample_plot.widget

    def legend_text(self) -> str:
        self._flush()
        return self._legend.text()

    # ----------------------------------------------------------------- drawing

    def _draw_focus(self) -> None:
        self.projection_view.draw_focus(self._focus)
        self._header.show_focus(self.sample_plot.dataset is not None, self._focus, self._dark)
