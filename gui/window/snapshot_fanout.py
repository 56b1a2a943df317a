"""What the controller publishes, fanned out to the views: a reloaded project to every dock, each
snapshot to the canvas, status bar and timeline, the throttled panel refresh, the maps, and the
debugging results (breakpoint hits, gradient health, gradient checks).

A mixin of MainWindow: it only routes what the controller sends to the views that show it; intent goes
the other way through the window's actions and the views' signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_studio.core.analysis.evaluation import plane_extent
from backprop_studio.core.analysis.feature_maps import feature_maps
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.canvas.overlays import canvas_notes, edge_overlay, hit_highlights
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.debugger.breakpoints_panel import BreakpointsPanel
from backprop_studio.gui.debugger.gradcheck_view import GradcheckView
from backprop_studio.gui.debugger.health_view import HealthView
from backprop_studio.gui.panels.data import DataView
from backprop_studio.gui.panels.inspector.widget import Inspector
from backprop_studio.gui.panels.loss_plot import LossPlot
from backprop_studio.gui.panels.neuron_zoom import NeuronZoom
from backprop_studio.gui.panels.settings.panel import ArchitecturePanel
from backprop_studio.gui.panels.timeline import Timeline, readout_text
from backprop_studio.gui.teaching.hub import TeachingViews
from backprop_studio.gui.window import divergence, status_text
from backprop_studio.gui.window.image_inputs import show_image_inputs
from backprop_studio.gui.window.staged_repaint import StagedRepaint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel, QStatusBar


class SnapshotFanOut:
    """Needs the window's controller, views, docks, actions and status labels, and Selection's focus."""

    controller: StudioController
    actions: dict[str, QAction]
    docks: dict[str, QDockWidget]
    canvas: NetworkView
    panel: ArchitecturePanel
    data_view: DataView
    loss_plot: LossPlot
    inspector: Inspector
    zoom: NeuronZoom
    breakpoints: BreakpointsPanel
    health: HealthView
    gradcheck: GradcheckView
    timeline: Timeline
    teaching: TeachingViews
    staged_repaint: StagedRepaint
    focus_label: QLabel
    _status: QLabel
    _loss_label: QLabel

    if TYPE_CHECKING:

        def statusBar(self) -> QStatusBar: ...
        def setWindowTitle(self, title: str) -> None: ...
        def _show_dock(self, name: str) -> None: ...
        def _sample_row(self, snap: Snapshot) -> int | None: ...
        def _view_focus(self, snap: Snapshot) -> Focus: ...
        def _clear_selection(self) -> None: ...
        def _focus_first(self) -> None: ...

    def _reload_project(self) -> None:
        self.staged_repaint.hold([self.canvas, *(d.widget() for d in self.docks.values())])
        c = self.controller
        state = c.view_state
        self._show_specs()
        self.data_view.set_dataset(state.dataset)
        self.loss_plot.clear()
        self.loss_plot.set_task(state.dataset.task)
        self.canvas.set_neuron_maps(None)
        self.canvas.reset_view()
        # Every view names inputs by the feature they carry (x₁², sin(x₁) …), from the data set's names.
        features = state.dataset.feature_names
        ds = state.dataset
        # Playground's input column: each feature drawn over the plane inside its node (2-D data only).
        maps = feature_maps(features, plane_extent(ds), scaling=ds.standardization) if ds.is_planar else None
        self.canvas.set_options(input_names=features, input_maps=maps, output_names=ds.target_names)
        self.inspector.set_input_names(features)
        self.zoom.set_input_names(features)
        self._clear_selection()
        self._show_watches(c.watches)
        self.breakpoints.clear_hit()
        self.health.clear()
        self.gradcheck.clear()
        planar = state.dataset.is_planar
        image = show_image_inputs(self, state)  # first-layer heatmaps are then weight images
        self.actions["heatmaps"].setEnabled(planar or image)
        if not (planar or image):
            self.actions["heatmaps"].setChecked(False)
        self.setWindowTitle(state.title)
        self._focus_first()
        self._show_everything()
        c.set_maps_wanted(True)

    def _show_everything(self) -> None:
        snap = self.controller.snapshot
        self._on_snapshot(snap)
        self._on_panels(snap)

    def _on_snapshot(self, snap: Snapshot) -> None:
        """Every frame: the canvas, the status bar and the timeline."""
        c = self.controller
        state = c.view_state
        sample = self._sample_row(snap)
        hit = c.current_hit
        run = c.current_gradcheck
        self.canvas.set_options(
            focus=sample, **hit_highlights(hit), edge_overlay=edge_overlay(run.report) if run else None
        )
        self.canvas.set_snapshot(snap)
        self._status.setText(
            status_text.position(snap) + (f"   ⚠ {snap.divergence}" if snap.divergence else "")
        )
        self._loss_label.setText(status_text.loss(snap))
        self.actions["back"].setEnabled(snap.step > state.earliest_step)
        divergence.show_state(self.actions, str(snap.divergence) if snap.divergence else None)
        self.focus_label.setText(status_text.focus(snap, sample, c.focus))
        self.timeline.set_range(
            state.earliest_step,
            state.latest_step,
            snap.step,
            state.steps_per_epoch,
            first_epoch=state.first_epoch,
        )
        self.timeline.set_readout(readout_text(snap))
        self.breakpoints.show_hit(hit)
        self.gradcheck.set_current_step(snap.step)

    def _on_panels(self, snap: Snapshot) -> None:
        """The plots and text panels (the controller throttles these while playing)."""
        sample = self._sample_row(snap)
        self.loss_plot.set_history(snap.history, snap.batches_per_epoch)
        self.loss_plot.show_position_of(snap)
        self.data_view.set_batch(snap.batch_indices)
        shown = None if sample is None or snap.batch_indices is None else int(snap.batch_indices[sample])
        self.data_view.set_focus(shown)
        self.inspector.refresh(snap, self._view_focus(snap))
        self.zoom.refresh(snap, self._view_focus(snap))
        self.teaching.refresh(snap)

    def _on_maps(self, frame_data, neuron_maps) -> None:
        self.data_view.set_frame_data(frame_data)
        if self.actions["heatmaps"].isChecked():
            self.canvas.set_neuron_maps(neuron_maps)

    # ------------------------------------------------------------------ debugging results

    def _show_watches(self, watches) -> None:
        state = self.controller.view_state
        net = state.network
        self.breakpoints.set_watches(watches, net.sizes, net.activations, state.dataset.feature_names)

    def _on_breakpoint_hit(self, hit) -> None:
        self.breakpoints.show_hit(hit)
        self._show_dock("breakpoints")
        self.statusBar().showMessage(f"Stopped at a breakpoint: {hit.message}", 10000)

    def _on_health(self, recorder, layers, histograms) -> None:
        self.health.set_health(recorder, layers, histograms)
        self.canvas.set_options(column_notes=canvas_notes(layers))

    def _on_gradcheck(self, run) -> None:
        self.gradcheck.set_run(run)
        self.canvas.set_options(edge_overlay=edge_overlay(run.report))

    def _show_specs(self) -> None:
        """The settings the session really uses (after a reload, or an edit the controller refused)."""
        state = self.controller.view_state
        self.panel.set_specs(state.network, state.training, state.data)
