"""The Backprop Studio window: puts the panels together and connects them to the one controller.

Views render what the controller publishes (snapshots, maps) and send user intent back to it; the
window itself only routes signals, owns the selection and the view options, and handles files.
"""

from __future__ import annotations

import os
import time

from backprop_studio.core.analysis.focus import BATCH_MEAN, Focus
from backprop_studio.core.project.presets_catalog import list_presets
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.canvas.overlays import canvas_notes, edge_overlay, hit_highlights
from backprop_studio.gui.controller.controller import GRANULARITIES, MAX_SPEED, StudioController
from backprop_studio.gui.debugger.breakpoints_panel import BreakpointsPanel
from backprop_studio.gui.debugger.gradcheck_view import GradcheckView
from backprop_studio.gui.debugger.health_view import HealthView
from backprop_studio.gui.panels.data_view import DataView
from backprop_studio.gui.panels.inspector.widget import Inspector
from backprop_studio.gui.panels.loss_plot import LossPlot
from backprop_studio.gui.panels.neuron_zoom import NeuronZoom
from backprop_studio.gui.panels.settings.panel import ArchitecturePanel
from backprop_studio.gui.panels.timeline import Timeline, readout_text
from backprop_studio.gui.recording.recording_control import RecordingControl
from backprop_studio.gui.style import theme
from backprop_studio.gui.window import actions as action_specs
from backprop_studio.gui.window import settings, status_text
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

SPEEDS = (0.5, 1, 2, 4, 8, 15, 30, 60, MAX_SPEED)  # units per second; MAX_SPEED = as fast as possible
PANEL_INTERVAL_S = 0.1  # plots and text panels while playing; the canvas follows every frame
FILE_FILTER = "Backprop Studio projects (*.json);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, controller: StudioController, theme_name: str | None = None) -> None:
        super().__init__()
        self.controller = controller
        self._theme = theme_name or str(settings.get("theme"))
        self._dark = theme.is_dark(self._theme)
        self._selection: tuple | None = None  # ("neuron", layer, j) | ("edge", layer, i, j)
        self._batch_mean = False  # show batch means instead of one focused sample
        self._panels_shown = 0.0
        self.setObjectName("MainWindow")
        screen = QApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        if room is not None and room.width() >= 1280:
            self.resize(min(1760, int(room.width() * 0.92)), min(1040, int(room.height() * 0.92)))
        else:
            self.resize(1280, 800)

        self.canvas = NetworkView()
        self.setCentralWidget(self.canvas)
        self.panel = ArchitecturePanel()
        self.data_view = DataView()
        self.loss_plot = LossPlot()
        self.inspector = Inspector()
        self.zoom = NeuronZoom()
        self.breakpoints = BreakpointsPanel()
        self.health = HealthView()
        self.gradcheck = GradcheckView()
        self.timeline = Timeline()
        self.docks = {
            "settings": self._dock("Network && training", self.panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            "data": self._dock("Data && output", self.data_view, Qt.DockWidgetArea.RightDockWidgetArea),
            "loss": self._dock("Loss", self.loss_plot, Qt.DockWidgetArea.RightDockWidgetArea),
            "inspector": self._dock(
                "Inspector · chain rule", self.inspector, Qt.DockWidgetArea.BottomDockWidgetArea
            ),
            "zoom": self._dock("Neuron zoom", self.zoom, Qt.DockWidgetArea.BottomDockWidgetArea),
            "breakpoints": self._dock(
                "Breakpoints", self.breakpoints, Qt.DockWidgetArea.BottomDockWidgetArea
            ),
            "gradcheck": self._dock("Gradient check", self.gradcheck, Qt.DockWidgetArea.BottomDockWidgetArea),
            "health": self._dock("Gradient health", self.health, Qt.DockWidgetArea.RightDockWidgetArea),
        }
        # Debugging panels share space with the everyday ones; their tabs bring them forward.
        self.tabifyDockWidget(self.docks["loss"], self.docks["health"])
        self.docks["loss"].raise_()
        # The side columns run the full height; the inspector and zoom sit under the canvas only.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.actions = action_specs.build(self)
        self._build_toolbars()
        self._build_menus()
        self._status = QLabel()
        self._loss_label = QLabel()
        self.statusBar().addWidget(self._status, 1)
        self.statusBar().addPermanentWidget(self._loss_label)
        self._rec_label = QLabel()
        self._rec_label.setStyleSheet("color: #e0403a; font-weight: bold; padding: 0 8px;")
        self.statusBar().addPermanentWidget(self._rec_label)
        self.recording = RecordingControl(controller, self)
        self._connect()
        self._restore_layout()
        self.apply_theme(self._theme)
        self._reload_project()

    # ------------------------------------------------------------------ construction

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_toolbars(self) -> None:
        a = self.actions
        bar = QToolBar("Training", self)
        bar.setObjectName("toolbar-training")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in ("back", "step", "forward", "backward", "update", "batch", "epoch"):
            bar.addAction(a[name])
        bar.addSeparator()
        bar.addAction(a["play"])
        bar.addAction(a["record"])
        self.granularity = QComboBox()
        self.granularity.addItems([f"{g} per tick" for g in GRANULARITIES])
        self.granularity.setToolTip(
            "How much one tick of Play advances: a phase, a pass, a batch or an epoch"
        )
        bar.addWidget(self.granularity)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setFixedWidth(110)
        self.speed.setToolTip("Ticks per second while playing (rightmost: as fast as possible)")
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(52)
        bar.addWidget(self.speed)
        bar.addWidget(self.speed_label)
        bar.addSeparator()
        bar.addAction(a["reset"])
        bar.addAction(a["randomise"])
        self.addToolBar(bar)

        self.addToolBarBreak()
        view = QToolBar("View", self)
        view.setObjectName("toolbar-view")
        view.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in ("gradients", "heatmaps", "batch_mean"):
            view.addAction(a[name])
        self.focus_label = QLabel()
        self.focus_label.setContentsMargins(8, 0, 8, 0)
        view.addWidget(self.focus_label)
        self.addToolBar(view)

        timeline = QToolBar("Timeline", self)
        timeline.setObjectName("toolbar-timeline")
        timeline.setMovable(False)
        timeline.addWidget(self.timeline)
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, timeline)

    def _build_menus(self) -> None:
        a = self.actions
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        for name in ("new", "open"):
            file_menu.addAction(a[name])
        self.recent_menu = file_menu.addMenu("Open &recent")
        file_menu.addSeparator()
        for name in ("save", "save_as"):
            file_menu.addAction(a[name])
        file_menu.addSeparator()
        file_menu.addAction(a["quit"])

        train = menu.addMenu("&Train")
        for name in (
            "step",
            "forward",
            "backward",
            "update",
            "batch",
            "epoch",
            None,
            "play",
            "record",
            None,
            "back",
            "back_batch",
            "back_epoch",
            None,
            "reset",
            "randomise",
        ):
            train.addSeparator() if name is None else train.addAction(a[name])

        view = menu.addMenu("&View")
        for name in ("gradients", "heatmaps", "batch_mean", "reset_view"):
            view.addAction(a[name])
        view.addSeparator()
        theme_menu = view.addMenu("&Theme")
        group = QActionGroup(self)
        self.theme_actions = {}
        for name in theme.THEMES:
            act = QAction(
                name.capitalize() if name != "system" else "Follow the system", self, checkable=True
            )
            act.triggered.connect(lambda _=False, n=name: self.apply_theme(n))
            group.addAction(act)
            theme_menu.addAction(act)
            self.theme_actions[name] = act
        view.addSeparator()
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())

        debug = menu.addMenu("&Debug")
        check = debug.addAction("Run gradient check on this batch")
        check.triggered.connect(self._run_gradient_check)
        breakpoints = debug.addAction("Add breakpoint…")
        breakpoints.triggered.connect(
            lambda: (self._show_dock("breakpoints"), self.breakpoints.add_breakpoint())
        )
        health = debug.addAction("Show gradient health")
        health.triggered.connect(lambda: self._show_dock("health"))

        help_menu = menu.addMenu("&Help")
        help_menu.addAction(a["shortcuts"])
        about = help_menu.addAction("About Backprop Studio")
        about.triggered.connect(self._about)

    def _connect(self) -> None:
        c, a = self.controller, self.actions
        a["step"].triggered.connect(lambda: c.step("phase"))
        a["forward"].triggered.connect(lambda: c.step("forward"))
        a["backward"].triggered.connect(lambda: c.step("backward"))
        a["update"].triggered.connect(lambda: c.step("update"))
        a["batch"].triggered.connect(lambda: c.step("batch"))
        a["epoch"].triggered.connect(lambda: c.step("epoch"))
        a["back"].triggered.connect(lambda: c.step_back("phase"))
        a["back_batch"].triggered.connect(lambda: c.step_back("batch"))
        a["back_epoch"].triggered.connect(lambda: c.step_back("epoch"))
        a["play"].triggered.connect(c.toggle_play)
        a["record"].triggered.connect(self.recording.toggle)
        self.recording.state_changed.connect(self._on_recording)
        self.recording.status.connect(self._rec_label.setText)
        a["reset"].triggered.connect(c.reset)
        a["randomise"].triggered.connect(c.randomise)
        a["new"].triggered.connect(self.new_from_preset)
        a["open"].triggered.connect(self.open_dialog)
        a["save"].triggered.connect(self.save)
        a["save_as"].triggered.connect(self.save_as)
        a["quit"].triggered.connect(self.close)
        a["gradients"].toggled.connect(lambda on: self._set_canvas(mode="gradients" if on else "values"))
        a["heatmaps"].toggled.connect(self._toggle_heatmaps)
        a["batch_mean"].toggled.connect(self._set_batch_mean)
        a["reset_view"].triggered.connect(self.canvas.reset_view)
        a["shortcuts"].triggered.connect(self._show_shortcuts)

        self.granularity.currentIndexChanged.connect(self._granularity_changed)
        self.speed.valueChanged.connect(self._speed_changed)
        stored = str(settings.get("granularity"))
        self.granularity.setCurrentIndex(GRANULARITIES.index(stored) if stored in GRANULARITIES else 0)
        speed = float(settings.get("speed"))
        self.speed.setValue(SPEEDS.index(speed) if speed in SPEEDS else 3)
        self._speed_changed(self.speed.value())

        c.snapshot_changed.connect(self._on_snapshot)
        c.maps_changed.connect(self._on_maps)
        c.predictions_changed.connect(self.data_view.set_predictions)
        c.project_replaced.connect(self._reload_project)
        c.title_changed.connect(self.setWindowTitle)
        c.playing_changed.connect(self._on_playing)
        c.message.connect(self._on_message)
        c.diverged.connect(self._on_diverged)

        self.canvas.neuron_clicked.connect(lambda layer, j: self._select(("neuron", layer, j)))
        self.canvas.bias_clicked.connect(lambda layer, j: self._select(("neuron", layer, j)))
        self.canvas.edge_clicked.connect(lambda layer, i, j: self._select(("edge", layer, i, j)))
        self.inspector.weight_edited.connect(c.set_weight)
        self.inspector.bias_edited.connect(c.set_bias)
        self.data_view.sample_clicked.connect(self._focus_sample)
        self.data_view.focus_mean_requested.connect(lambda: self.actions["batch_mean"].setChecked(True))
        self.panel.specs_changed.connect(c.apply_specs)
        c.confirm_discard_future = self._confirm_discard_future
        c.edit_cancelled.connect(self._on_edit_cancelled)
        c.watches_changed.connect(self._show_watches)
        c.breakpoint_hit.connect(self._on_breakpoint_hit)
        c.health_changed.connect(self._on_health)
        c.gradcheck_done.connect(self._on_gradcheck)
        self.breakpoints.watches_edited.connect(c.set_watches)
        self.gradcheck.run_requested.connect(self._run_gradient_check)
        self.gradcheck.entry_selected.connect(lambda layer, i, j: self._select(("edge", layer, i, j)))
        self.gradcheck.bias_selected.connect(lambda layer, j: self._select(("neuron", layer, j)))
        self.timeline.seek_requested.connect(c.seek)
        # A panel hidden behind another tab is not fed while playing: it costs frames and nobody sees it.
        self.docks["health"].visibilityChanged.connect(c.set_health_wanted)
        self.panel.csv_import_requested.connect(c.import_csv)
        self._refresh_recent()

    # ------------------------------------------------------------------ rendering what the controller publishes

    def _reload_project(self) -> None:
        c = self.controller
        p = c.project
        self.panel.set_specs(c.session.network, c.session.training, p.data)
        self.data_view.set_dataset(c.session.dataset)
        self.loss_plot.clear()
        self.loss_plot.set_task(c.session.dataset.task)
        self.canvas.set_neuron_maps(None)
        self.canvas.reset_view()
        self._selection = None
        self.inspector.clear()
        self.zoom.clear()
        self._show_watches(c.watches)
        self.breakpoints.clear_hit()
        self.health.clear()
        self.gradcheck.clear()
        planar = c.session.dataset.is_planar
        self.actions["heatmaps"].setEnabled(planar)
        if not planar:
            self.actions["heatmaps"].setChecked(False)
        self.setWindowTitle(c.title())
        self._focus_first()
        self._on_snapshot(c.snapshot)
        c.set_maps_wanted(True)

    def _sample_row(self, snap: Snapshot) -> int | None:
        """The batch row every view shows: the focused sample's, the first row by default, None for the mean."""
        if self._batch_mean or snap.batch_indices is None:
            return None
        row = self.controller.focus_position(snap)
        return 0 if row is None else row

    def _view_focus(self, snap: Snapshot) -> Focus:
        """What the Inspector and the Neuron zoom show: the focused sample's batch row, or the batch mean."""
        return BATCH_MEAN if self._batch_mean else Focus(self._sample_row(snap) or 0)

    def _on_snapshot(self, snap: Snapshot) -> None:
        c = self.controller
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
        self.actions["back"].setEnabled(snap.step > c.session.earliest_step)
        self._update_focus_label(snap, sample)
        s = c.session
        self.timeline.set_range(
            s.earliest_step, s.latest_step, snap.step, s.boundary_steps("epoch"), first_epoch=s.locate(0)[0]
        )
        self.timeline.set_readout(readout_text(snap))
        self.breakpoints.show_hit(hit)
        self.gradcheck.set_current_step(snap.step)
        # While playing, the canvas follows every frame (~30/s) and the plots and text panels ~10/s:
        # repainting every panel at the canvas's rate would halve the frame rate for no visible gain.
        now = time.perf_counter()
        if c.playing and now - self._panels_shown < PANEL_INTERVAL_S:
            return
        self._panels_shown = now
        self.loss_plot.set_history(snap.history, snap.batches_per_epoch)
        phase_share = 0.0 if snap.phase is None else (snap.batch + 1) / snap.batches_per_epoch
        self.loss_plot.set_position(snap.epoch + phase_share)
        self.data_view.set_batch(snap.batch_indices)
        self.data_view.set_focus(None if sample is None else int(snap.batch_indices[sample]))
        self.inspector.refresh(snap, self._view_focus(snap))
        self.zoom.refresh(snap, self._view_focus(snap))

    def _on_maps(self, output_map, neuron_maps) -> None:
        self.data_view.set_output_map(output_map)
        if self.actions["heatmaps"].isChecked():
            self.canvas.set_neuron_maps(neuron_maps)

    def _update_focus_label(self, snap: Snapshot, sample: int | None) -> None:
        focus = self.controller.focus
        if snap.batch_indices is None:
            text = "Showing: the first sample of each batch"
        elif sample is None:
            text = f"Showing: the mean over this batch's {len(snap.batch_indices)} samples"
        else:
            shown = int(snap.batch_indices[sample])
            text = f"Showing: sample #{shown} (row {sample + 1} of {len(snap.batch_indices)} in this batch)"
            if focus is not None and focus != shown:
                text = f"Sample #{focus} is not in this batch · showing #{shown}, the batch's first"
        self.focus_label.setText(text)

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

    def _set_batch_mean(self, on: bool) -> None:
        self._batch_mean = on
        self._on_snapshot(self.controller.snapshot)
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

    # ------------------------------------------------------------------ debugging

    def _show_dock(self, name: str) -> None:
        self.docks[name].show()
        self.docks[name].raise_()

    def _show_watches(self, watches) -> None:
        net = self.controller.session.network
        features = self.controller.session.dataset.feature_names
        self.breakpoints.set_watches(watches, net.sizes, net.activations, features)

    def _on_breakpoint_hit(self, hit) -> None:
        self.breakpoints.show_hit(hit)
        self._show_dock("breakpoints")
        self.statusBar().showMessage(f"Stopped at a breakpoint: {hit.message}", 10000)

    def _on_health(self, recorder, layers, histograms) -> None:
        self.health.set_health(recorder, layers, histograms)
        self.canvas.set_options(column_notes=canvas_notes(layers))

    def _run_gradient_check(self) -> None:
        self._show_dock("gradcheck")
        self.controller.run_gradient_check()

    def _on_gradcheck(self, run) -> None:
        self.gradcheck.set_run(run)
        self.canvas.set_options(edge_overlay=edge_overlay(run.report))

    def _confirm_discard_future(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Start a new branch?",
            "You are looking at an earlier moment of the run. Changing something here discards the "
            "recorded steps after it, and training continues from this moment with the change.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_edit_cancelled(self) -> None:
        c = self.controller
        self.panel.set_specs(c.session.network, c.session.training, c.project.data)

    def _set_canvas(self, **changes) -> None:
        self.canvas.set_options(**changes)

    def _toggle_heatmaps(self, on: bool) -> None:
        self.canvas.set_options(heatmaps=on)
        self.controller.set_maps_wanted(True)

    def _on_playing(self, playing: bool) -> None:
        self.actions["play"].setChecked(playing)
        self.actions["play"].setText("Pause" if playing else "Play")
        self.panel.set_enabled_while_playing(playing)

    def _on_recording(self, recording: bool) -> None:
        action = self.actions["record"]
        action.blockSignals(True)
        action.setChecked(recording)
        action.blockSignals(False)
        action.setText("■ Stop recording" if recording else "Record")

    def _granularity_changed(self, index: int) -> None:
        self.controller.set_granularity(GRANULARITIES[index])
        settings.put("granularity", GRANULARITIES[index])

    def _speed_changed(self, index: int) -> None:
        speed = SPEEDS[index]
        self.controller.set_speed(speed)
        self.speed_label.setText("max" if speed == MAX_SPEED else f"{speed:g}/s")
        settings.put("speed", float(speed))

    def _on_message(self, severity: str, text: str) -> None:
        if severity == "info":
            self.statusBar().showMessage(text, 5000)
        elif severity == "warning":
            QMessageBox.warning(self, "Backprop Studio", text)
        else:
            QMessageBox.critical(self, "Backprop Studio", text)

    def _on_diverged(self, text: str) -> None:
        QMessageBox.warning(
            self,
            "Training diverged",
            f"A value became NaN or infinite and training stopped at that phase:\n\n{text}\n\n"
            "Step back (←) to see the last finite state; a smaller learning rate usually helps.",
        )

    # ------------------------------------------------------------------ theme and layout

    def apply_theme(self, name: str) -> None:
        self._theme = name
        self._dark = theme.apply_theme(QApplication.instance(), name)
        settings.put("theme", name)
        self.theme_actions[name].setChecked(True)
        self.canvas.set_options(dark=self._dark)
        for widget in (
            self.loss_plot,
            self.data_view,
            self.inspector,
            self.zoom,
            self.breakpoints,
            self.health,
            self.gradcheck,
        ):
            widget.set_dark(self._dark)

    def _restore_layout(self) -> None:
        store = settings.store()
        geometry = store.value("geometry")
        state = store.value("window_state")
        self.docks["settings"].setMinimumWidth(self.panel.minimumSizeHint().width() + 24)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and self.restoreState(state):
            return
        wide = self.width() >= 1600
        # Narrow: side by side they would each be too narrow to read, so all bottom panels are tabs of one
        # group; wide: the inspector keeps its own column. One anchor per group: chaining tabify calls
        # left a stale tab bar painted over the inspector.
        anchor = "zoom" if wide else "inspector"
        size = self.size()
        for name in ("zoom", "breakpoints", "gradcheck"):
            if name != anchor:
                self.tabifyDockWidget(self.docks[anchor], self.docks[name])
        # Tabifying widens the window to fit the docks side by side first (measured: 1177 → 1579 px,
        # past a 1280 px screen); the tabbed layout needs far less, so take the intended size back once
        # the layout has recomputed its minimum.
        self.layout().activate()
        self.resize(size)
        self.docks["zoom"].raise_()
        self.docks["inspector"].raise_()
        if wide:
            half = (self.width() - 340 - 400) // 2
            self.resizeDocks(
                [self.docks["inspector"], self.docks["zoom"]], [half, half], Qt.Orientation.Horizontal
            )
        self.resizeDocks([self.docks["settings"]], [340], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["data"]], [380], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.docks["inspector"]], [max(290, self.height() * 32 // 100)], Qt.Orientation.Vertical
        )
        # The decision map needs height to be read; the loss curves cope with less.
        third = max(240, self.height() // 3)
        self.resizeDocks(
            [self.docks["data"], self.docks["loss"]], [third + 60, third], Qt.Orientation.Vertical
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard("quitting"):
            event.ignore()
            return
        self.controller.pause()
        self.recording.shutdown()
        store = settings.store()
        store.setValue("geometry", self.saveGeometry())
        store.setValue("window_state", self.saveState())
        event.accept()

    # ------------------------------------------------------------------ files

    def confirm_discard(self, doing: str) -> bool:
        """Ask before losing unsaved changes; True when it is fine to go on."""
        if not self.controller.dirty:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"The current project has unsaved changes. Save them before {doing}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_from_preset(self) -> None:
        name = PresetGallery.choose(self)
        if name and self.confirm_discard("starting a new project"):
            self.controller.open_preset(name)

    def open_dialog(self) -> None:
        if not self.confirm_discard("opening another project"):
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self._folder(), FILE_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        if self.controller.open_file(path):
            settings.add_recent(os.path.abspath(path))
            self._refresh_recent()
            return True
        return False

    def save(self) -> bool:
        if self.controller.path is None:
            return self.save_as()
        return self.controller.save()

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save project", self._folder(), FILE_FILTER)
        if not path:
            return False
        if not path.endswith(".json"):
            path += ".json"
        if self.controller.save(path):
            settings.add_recent(os.path.abspath(path))
            self._refresh_recent()
            return True
        return False

    def _folder(self) -> str:
        return os.path.dirname(self.controller.path) if self.controller.path else os.getcwd()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = settings.get("recent_files")
        for path in recent:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(
                lambda _=False, p=path: self.confirm_discard("opening another project") and self.open_path(p)
            )
        self.recent_menu.setEnabled(bool(recent))

    # ------------------------------------------------------------------ help

    def _show_shortcuts(self) -> None:
        rows = action_specs.shortcut_table()
        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(rows), 2, dialog)
        table.setHorizontalHeaderLabels(["Command", "Keys"])
        for r, (text, keys) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(text))
            table.setItem(r, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(460, 560)
        dialog.exec()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Backprop Studio",
            "<b>Backprop Studio</b><br>See neural-network training happen: step the forward and backward "
            "passes one layer at a time, read the chain rule with real numbers, and step back exactly.",
        )


class PresetGallery(QDialog):
    """A list of the presets with their one-line descriptions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New from preset")
        self.list = QListWidget()
        for name, description in list_presets():
            item = QListWidgetItem(f"{name}\n    {description}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self.accept)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Start from a ready-made network and data set:"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    @classmethod
    def choose(cls, parent: QWidget | None) -> str | None:
        dialog = cls(parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
