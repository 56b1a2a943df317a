"""The data panel: the samples and what the network makes of them.

A header (title, the followed sample, the Batch mean button) over the sample plot (`sample_plot`) and
its legend. Clicking a training sample focuses it.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.evaluation import OutputMap
from backprop_studio.core.analysis.frame_data import FrameData
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.display.names import sample_label
from backprop_studio.gui.panels.data.legend import hex_color, plot_legend
from backprop_studio.gui.panels.data.sample_plot import SamplePlot
from backprop_studio.gui.panels.data.square_holder import SquareHolder
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


class DataView(QWidget):
    """Training and test samples with the network's output; click a training sample to focus it."""

    sample_clicked = Signal(int)  # row of dataset.x_train
    focus_mean_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._batch: np.ndarray | None = None
        self._focus: int | None = None
        header = self._build_header()
        self.sample_plot = SamplePlot()
        self.sample_plot.sample_clicked.connect(self.sample_clicked)
        self._legend = QLabel()
        self._legend.setWordWrap(True)
        self._legend.setTextFormat(Qt.TextFormat.RichText)
        self._legend.setContentsMargins(6, 2, 6, 4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        self._holder = SquareHolder(self.sample_plot.widget)
        layout.addWidget(self._holder, 1)
        layout.addWidget(self._legend)

        self.set_dark(False)
        self._refresh_all()

    def _build_header(self) -> QHBoxLayout:
        """The title, the followed sample and the Batch mean button."""
        self._title = QLabel("<b>Data</b>")
        self._focus_label = QLabel()
        self._focus_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._focus_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._focus_label.setToolTip("The sample the inspector shows; click a training point to follow it")
        self._mean_button = QPushButton("Batch mean")
        self._mean_button.setToolTip(
            "Follow the mean over the current batch in the inspector instead of one sample"
        )
        self._mean_button.clicked.connect(self.focus_mean_requested.emit)
        header = QHBoxLayout()
        header.setContentsMargins(6, 2, 6, 0)
        header.addWidget(self._title)
        header.addWidget(self._focus_label, 1)
        header.addWidget(self._mean_button)
        return header

    # ----------------------------------------------------------------- public API

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Show `dataset`; clears the output map, predictions, batch and focus of the previous one."""
        self.sample_plot.set_dataset(dataset)
        self._batch = None
        self._focus = None
        self._refresh_all()
        self.sample_plot.fit_view()

    def set_output_map(self, output: OutputMap | None) -> None:
        """The network's output over the plane (planar data only); None hides it."""
        plot = self.sample_plot
        scale_before = plot.value_centre(), plot.value_span()
        plot.map = output
        plot.draw_map()
        if plot.colored_by_value() and (plot.value_centre(), plot.value_span()) != scale_before:
            # Points colored by value share the map's scale, whose centre depends on the output activation.
            plot.draw_points()
            self._update_legend()

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
            plot.draw_points()
            plot.draw_curves()
            plot.draw_batch(self._batch)
            self._draw_focus()

    def set_batch(self, indices: np.ndarray | None) -> None:
        """Rows of the training set in the current batch (ringed), or None."""
        self._batch = None if indices is None else np.asarray(indices, dtype=np.intp)
        self.sample_plot.draw_batch(self._batch)

    def set_focus(self, train_index: int | None) -> None:
        """The training sample the inspector follows, or None for the batch mean."""
        self._focus = None if train_index is None else int(train_index)
        self._draw_focus()

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        self.sample_plot.set_dark(self._dark)
        self._refresh_all()

    # ----------------------------------------------------------------- state readable by tests and tools

    @property
    def is_planar_mode(self) -> bool:
        ds = self.sample_plot.dataset
        return ds is not None and ds.is_planar

    def train_point_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the drawn training points (all output units in turn)."""
        x, y = self.sample_plot.train_points.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def test_point_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the drawn test points (all output units in turn)."""
        x, y = self.sample_plot.test_points.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def prediction_curves(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """1-input data: (x, outputs) of the prediction line drawn for each output unit."""
        return self.sample_plot.prediction_curves()

    def batch_ring_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the rings around this batch's samples."""
        return self.sample_plot.markers.batch_positions()

    def focus_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the focus marks (one per output unit off the plane), or none."""
        return self.sample_plot.markers.focus_positions()

    def focus_text(self) -> str:
        return self._focus_label.text()

    def axis_labels(self) -> tuple[str, str]:
        """The (bottom, left) axis names."""
        plot = self.sample_plot.plot
        return plot.getAxis("bottom").labelText, plot.getAxis("left").labelText

    def identity_line_shown(self) -> bool:
        """Whether the dashed "prediction = target" line is shown."""
        return self.sample_plot.identity.isVisible()

    def train_point_colors(self) -> list[tuple[int, int, int]]:
        """The fill color of each drawn training point."""
        return [tuple(b.color().getRgb()[:3]) for b in self.sample_plot.train_points.data["brush"]]

    def boundaries_shown(self) -> list[float]:
        """The level of each decision boundary drawn over the map."""
        return self.sample_plot.plane_map.boundaries_shown()

    def map_image(self) -> np.ndarray | None:
        """The RGB image (res, res, 3) drawn for the output map, or None when hidden."""
        return self.sample_plot.plane_map.image_shown()

    def view_box(self) -> pg.ViewBox:
        return self.sample_plot.vb

    def plot_widget(self) -> pg.PlotWidget:
        return self.sample_plot.widget

    def legend_text(self) -> str:
        return self._legend.text()

    # ----------------------------------------------------------------- drawing

    def _refresh_all(self) -> None:
        plot = self.sample_plot
        self._title.setText(plot.configure_axes())
        self._holder.set_square(plot.wants_square())
        plot.draw_map()
        plot.draw_points()
        plot.draw_curves()
        plot.draw_batch(self._batch)
        self._draw_focus()
        self._update_legend()

    def _draw_focus(self) -> None:
        self.sample_plot.draw_focus(self._focus)
        self._update_focus_label()

    def _update_focus_label(self) -> None:
        muted = hex_color(palette(self._dark).muted)
        if self.sample_plot.dataset is None:
            self._focus_label.setText("")
            self._mean_button.setEnabled(False)
            return
        self._mean_button.setEnabled(True)
        # Short on purpose: the header is narrow, and the window's toolbar says in full what is shown.
        text = "" if self._focus is None else f"◎ <b>{sample_label(self._focus)}</b>"
        self._focus_label.setText(f"<span style='color:{muted}'>{text}</span>")

    def _update_legend(self) -> None:
        plot = self.sample_plot
        legend = plot_legend(plot.dataset, self._dark, plot.value_centre(), plot.value_span())
        self._legend.setText(legend)
