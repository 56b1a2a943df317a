"""Compare runs, wired: the "Pin run" button and View → Pin this run pin the current run, File → Compare
with project… pins another file's history, a legend row's × removes a run; the loss plot shows what the
controller holds (on a pin, a removal, a new project) and keeps its legend's differences current when the
settings change. The work is the controller's (`gui/controller/pinning.py`); this only connects."""

from __future__ import annotations

from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.controller.view_state import ViewState
from backprop_studio.gui.panels.loss_plot import LossPlot
from backprop_studio.gui.window.files import FILE_FILTER
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QWidget


class CompareRuns:
    def __init__(
        self, window: QWidget, controller: StudioController, plot: LossPlot, actions: dict[str, QAction]
    ) -> None:
        self._window, self._controller, self._plot = window, controller, plot
        self._specs: tuple[object, ...] = ()
        plot.pin_requested.connect(controller.pin_current_run)
        actions["pin_run"].triggered.connect(controller.pin_current_run)
        actions["compare_with"].triggered.connect(self.choose_file)
        plot.remove_pinned_requested.connect(controller.remove_pinned)
        controller.pinned_changed.connect(lambda _runs: self.refresh())
        controller.project_replaced.connect(self.refresh)
        controller.view_state_changed.connect(self._on_view_state)
        self.refresh()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Compare with the history of a project", "", FILE_FILTER
        )
        if path:
            self._controller.compare_with_file(path)

    def refresh(self) -> None:
        """Hand the loss plot the pinned runs and the current settings (both may have changed)."""
        self._plot.set_pinned(self._controller.pinned_runs, self._controller.current_settings())

    def _on_view_state(self, state: ViewState) -> None:
        # Published every frame: compare the (frozen) specs by identity, and only when one was replaced
        # rebuild the summary the legend compares with. Nothing here depends on the pinned runs.
        specs = (state.network, state.training, state.data)
        if len(self._specs) != 3 or any(a is not b for a, b in zip(specs, self._specs, strict=True)):
            self._specs = specs
            if self._controller.pinned_runs:
                self._plot.set_current_settings(self._controller.current_settings())
