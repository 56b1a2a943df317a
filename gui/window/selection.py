"""What the views show in detail: the selected neuron or edge, and which sample (or the batch mean).

A mixin of MainWindow: the selection is the window's own state; the focused sample is the controller's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_studio.core.analysis.focus import BATCH_MEAN, Focus
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.panels.inspector.widget import Inspector
from backprop_studio.gui.panels.neuron_zoom import NeuronZoom
from backprop_studio.gui.teaching.hub import TeachingViews
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget


class Selection:
    """Needs the window's controller, canvas, inspector, zoom, docks and actions."""

    controller: StudioController
    actions: dict[str, QAction]
    docks: dict[str, QDockWidget]
    canvas: NetworkView
    inspector: Inspector
    zoom: NeuronZoom
    teaching: TeachingViews
    _selection: tuple | None = None  # ("neuron", layer, j) | ("edge", layer, i, j)
    _batch_mean = False  # show batch means instead of one focused sample

    if TYPE_CHECKING:

        def _show_everything(self) -> None: ...

    def _sample_row(self, snap: Snapshot) -> int | None:
        """The batch row every view shows: the focused sample's, the first row by default, None for the mean.
        Before the first batch (step 0) it is still row 0, so the canvas and the toolbar both say "first
        sample" rather than one of them "batch mean"."""
        if self._batch_mean:
            return None
        if snap.batch_indices is None:
            return 0
        row = self.controller.focus_position(snap)
        return 0 if row is None else row

    def _view_focus(self, snap: Snapshot) -> Focus:
        """What the Inspector and the Neuron zoom explain: the focused row, or the batch mean."""
        return BATCH_MEAN if self._batch_mean else Focus(self._sample_row(snap) or 0)

    def _select(self, selection: tuple) -> None:
        self._selection = selection
        snap = self.controller.snapshot
        focus = self._view_focus(snap)
        self.canvas.set_options(
            selected_neuron=selection[1:] if selection[0] == "neuron" else None,
            selected_edge=selection[1:] if selection[0] == "edge" else None,
        )
        if selection[0] == "neuron":
            _, layer, j = selection
            self.inspector.show_neuron(snap, layer, j, focus)
            if layer >= 1:
                self.zoom.show_neuron(snap, layer, j, focus)
        else:
            _, layer, i, j = selection
            self.inspector.show_edge(snap, layer, i, j, focus)
        self.docks["inspector"].raise_()
        self.teaching.refresh(snap)  # narration, matrix highlights and the quiz follow the selection

    def _clear_selection(self) -> None:
        """Forget the selection everywhere it shows: the canvas ring, the Inspector and the Neuron zoom
        (after the network changed, the old neuron may not exist or be another one)."""
        self._selection = None
        self.canvas.set_options(selected_neuron=None, selected_edge=None)
        self.inspector.clear()
        self.zoom.clear()
        self.teaching.refresh()

    def _set_batch_mean(self, on: bool) -> None:
        self._batch_mean = on
        self._show_everything()
        self._reselect()

    def _focus_sample(self, train_index: int) -> None:
        self._batch_mean = False
        self.actions["batch_mean"].setChecked(False)
        self.controller.set_focus(train_index)
        self._reselect()

    def _focus_first(self) -> None:
        """The default focus: whatever sample comes first in the current batch."""
        self._batch_mean = False
        self.actions["batch_mean"].setChecked(False)
        self.controller.set_focus(None)

    def _reselect(self) -> None:
        if self._selection is not None:
            self._select(self._selection)
