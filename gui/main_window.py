"""The Backprop Studio window: puts the panels together and connects them to the one controller.

Views render what the controller publishes (snapshots, view state, maps) and send user intent back to
it; the window itself only routes signals and owns the selection and the view options. Menus, the dock
layout, the file commands and the dialogs live in `gui/window/`; how a published snapshot reaches each
view is `gui/window/snapshot_fanout.py`.
"""

from __future__ import annotations

from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.controller.controller import GRANULARITIES, StudioController
from backprop_studio.gui.debugger.breakpoints_panel import BreakpointsPanel
from backprop_studio.gui.debugger.gradcheck_view import GradcheckView
from backprop_studio.gui.debugger.health_view import HealthView
from backprop_studio.gui.jobs.progress_dialog import show_progress
from backprop_studio.gui.panels.data import DataView
from backprop_studio.gui.panels.inspector.widget import Inspector
from backprop_studio.gui.panels.lesson.widget import LessonPanel
from backprop_studio.gui.panels.loss_plot import LossPlot
from backprop_studio.gui.panels.neuron_zoom import NeuronZoom
from backprop_studio.gui.panels.settings.panel import ArchitecturePanel
from backprop_studio.gui.panels.timeline import Timeline
from backprop_studio.gui.recording.recording_control import RecordingControl
from backprop_studio.gui.style import theme
from backprop_studio.gui.teaching.hub import TeachingViews
from backprop_studio.gui.window import actions as action_specs
from backprop_studio.gui.window import (
    dialogs,
    divergence,
    dock_layout,
    memory_dialog,
    menus,
    settings,
    toolbar_icons,
)
from backprop_studio.gui.window.compare import CompareRuns
from backprop_studio.gui.window.dialogs import PresetGallery
from backprop_studio.gui.window.files import FileCommands
from backprop_studio.gui.window.interop_dialogs import InteropCommands
from backprop_studio.gui.window.lesson_player import LessonPlayer
from backprop_studio.gui.window.lesson_recording import LessonRecording
from backprop_studio.gui.window.menus import SPEEDS
from backprop_studio.gui.window.play_controls import PlayControls
from backprop_studio.gui.window.selection import Selection
from backprop_studio.gui.window.snapshot_fanout import SnapshotFanOut
from backprop_studio.gui.window.staged_repaint import StagedRepaint
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

__all__ = ["GRANULARITIES", "SPEEDS", "MainWindow", "PresetGallery"]

LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


class MainWindow(FileCommands, Selection, SnapshotFanOut, QMainWindow):
    def __init__(self, controller: StudioController, theme_name: str | None = None) -> None:
        super().__init__()
        self.controller = controller
        self._theme = theme_name or str(settings.get("theme"))
        self._dark = theme.is_dark(self._theme)
        self.setObjectName("MainWindow")
        dock_layout.initial_size(self)
        self._build_panels()
        self.actions = action_specs.build(self)
        bars = menus.build_toolbars(self, self.actions, self.timeline)
        self.granularity, self.speed = bars.granularity, bars.speed
        self.speed_label, self.focus_label = bars.speed_label, bars.focus_label
        self.play_controls = PlayControls(controller, self.actions, bars)
        self.menus = menus.build_menus(
            self, self.actions, [d.toggleViewAction() for d in self.docks.values()]
        )
        self.recent_menu, self.theme_actions = self.menus.recent, self.menus.themes
        self._status = QLabel()
        self._loss_label = QLabel()
        self.statusBar().addWidget(self._status, 1)
        self.statusBar().addPermanentWidget(self._loss_label)
        self._rec_label = QLabel()
        self._rec_label.setStyleSheet("color: #e0403a; font-weight: bold; padding: 0 8px;")
        self.statusBar().addPermanentWidget(self._rec_label)
        for label in (self._status, self._loss_label, self._rec_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # positions and messages may quote a file
        self.recording = RecordingControl(controller, self)
        self.staged_repaint = StagedRepaint(self)  # after a reload, the docks repaint one per turn
        self.lessons = LessonPlayer(self)  # the Lesson panel's player: File → Lessons…, PageUp/PageDown
        self.lesson_recording = LessonRecording(self)  # Record lesson…: on a worker, the window works on
        self._connect_actions()
        self._connect_views()
        self.teaching.connect(self.actions)
        self.compare = CompareRuns(self, controller, self.loss_plot, self.actions)
        dock_layout.restore_layout(self, self.docks, self.panel.minimumSizeHint().width())
        self.reset_layout_action = dock_layout.add_reset_action(self, self.docks)  # View → Reset layout
        self.apply_theme(self._theme)
        controller.set_memory_budget(memory_dialog.stored_budget_mb())
        self._reload_project()

    # ------------------------------------------------------------------ construction

    def _build_panels(self) -> None:
        self.canvas = NetworkView()
        self.teaching = TeachingViews(self)  # narration under the canvas, the Matrix and Quiz docks
        self.setCentralWidget(self.teaching.central(self.canvas))
        self.panel = ArchitecturePanel()
        self.data_view = DataView()
        self.loss_plot = LossPlot()
        self.inspector = Inspector()
        self.zoom = NeuronZoom()
        self.breakpoints = BreakpointsPanel()
        self.health = HealthView()
        self.gradcheck = GradcheckView()
        self.timeline = Timeline()
        self.lesson_panel = LessonPanel()
        add = dock_layout.add_dock
        self.docks = {
            "settings": add(self, "Network && training", self.panel, LEFT),
            "data": add(self, "Data", self.data_view, RIGHT),
            "loss": add(self, "Loss", self.loss_plot, RIGHT),
            "inspector": add(self, "Inspector", self.inspector, BOTTOM),
            "zoom": add(self, "Neuron zoom", self.zoom, BOTTOM),
            "breakpoints": add(self, "Breakpoints", self.breakpoints, BOTTOM),
            "gradcheck": add(self, "Gradient check", self.gradcheck, BOTTOM),
            "health": add(self, "Gradient health", self.health, RIGHT),
            "lesson": add(self, "Lesson", self.lesson_panel, BOTTOM),  # under the canvas, like captions
        }
        self.docks.update(self.teaching.docks(add))
        # Debugging panels share space with the everyday ones; their tabs bring them forward.
        self.tabifyDockWidget(self.docks["loss"], self.docks["health"])
        self.docks["loss"].raise_()
        # The side columns run the full height; the inspector and zoom sit under the canvas only.
        self.setCorner(Qt.Corner.BottomRightCorner, RIGHT)
        self.setCorner(Qt.Corner.BottomLeftCorner, LEFT)

    def _connect_actions(self) -> None:
        c, a, m = self.controller, self.actions, self.menus
        for name, unit in (("step", "phase"), ("forward", "forward"), ("backward", "backward")):
            a[name].triggered.connect(lambda _=False, u=unit: c.step(u))
        for name in ("update", "batch", "epoch"):
            a[name].triggered.connect(lambda _=False, u=name: c.step(u))
        for name, unit in (("back", "phase"), ("back_batch", "batch"), ("back_epoch", "epoch")):
            a[name].triggered.connect(lambda _=False, u=unit: c.step_back(u))
        a["play"].triggered.connect(c.toggle_play)
        a["record"].triggered.connect(self.recording.toggle)
        a["reset"].triggered.connect(c.reset)
        a["randomize"].triggered.connect(c.randomize)
        a["memory"].triggered.connect(lambda: memory_dialog.ask_memory_budget(self, c))
        a["new"].triggered.connect(self.new_from_preset)
        a["open"].triggered.connect(self.open_dialog)
        a["save"].triggered.connect(self.save)
        a["save_as"].triggered.connect(self.save_as)
        a["quit"].triggered.connect(self.close)
        self.interop = InteropCommands(self, c, a)  # File → Export… and Import weights…
        a["gradients"].toggled.connect(
            lambda on: self.canvas.set_options(mode="gradients" if on else "values")
        )
        a["heatmaps"].toggled.connect(self._toggle_heatmaps)
        a["pixel_grid"].toggled.connect(lambda on: self.canvas.set_options(pixel_grid=on))
        a["batch_mean"].toggled.connect(self._set_batch_mean)
        a["reset_view"].triggered.connect(self.canvas.reset_view)
        a["shortcuts"].triggered.connect(lambda: dialogs.show_shortcuts(self))
        for name, act in m.themes.items():
            act.triggered.connect(lambda _=False, n=name: self.apply_theme(n))
        m.gradient_check.triggered.connect(self._run_gradient_check)
        # As the panel's own Add button does: show the form, and add what it returns.
        m.add_breakpoint.triggered.connect(
            lambda: (self._show_dock("breakpoints"), self.breakpoints.add_breakpoint())
        )
        m.show_health.triggered.connect(lambda: self._show_dock("health"))
        m.about.triggered.connect(lambda: dialogs.show_about(self))

        self.refresh_recent()

    def _connect_views(self) -> None:
        c = self.controller
        c.snapshot_changed.connect(self._on_snapshot)
        c.panels_changed.connect(self._on_panels)
        c.maps_changed.connect(self._on_maps)
        c.classes_changed.connect(self.data_view.set_classes)
        c.projection_changed.connect(self.data_view.set_projection)
        c.project_replaced.connect(self._reload_project)
        c.title_changed.connect(self.setWindowTitle)
        c.playing_changed.connect(self.play_controls.show_playing)
        c.playing_changed.connect(self.panel.set_enabled_while_playing)
        c.message.connect(lambda severity, text: dialogs.show_message(self, severity, text))
        c.job_started.connect(lambda job: show_progress(self, job))
        c.file_opened.connect(self.remember_opened)
        c.diverged.connect(lambda text: divergence.ask(self, text, c.reset, lambda: c.step_back("epoch")))
        self.recording.state_changed.connect(self.play_controls.show_recording)
        self.recording.status.connect(self._rec_label.setText)

        self.canvas.neuron_clicked.connect(lambda layer, j: self._select(("neuron", layer, j)))
        self.canvas.bias_clicked.connect(lambda layer, j: self._select(("neuron", layer, j)))
        self.canvas.edge_clicked.connect(lambda layer, i, j: self._select(("edge", layer, i, j)))
        self.inspector.weight_edited.connect(c.set_weight)
        self.inspector.bias_edited.connect(c.set_bias)
        self.data_view.sample_clicked.connect(self._focus_sample)
        self.data_view.focus_mean_requested.connect(lambda: self.actions["batch_mean"].setChecked(True))
        self.panel.specs_changed.connect(c.apply_specs)
        self.panel.csv_import_requested.connect(c.import_csv)
        c.confirm_discard_future = lambda: dialogs.confirm_new_branch(self)
        c.edit_cancelled.connect(self._show_specs)
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

    # ------------------------------------------------------------------ docks and the canvas's options

    def _show_dock(self, name: str) -> None:
        self.docks[name].show()
        self.docks[name].raise_()

    def _run_gradient_check(self) -> None:
        self._show_dock("gradcheck")
        self.controller.run_gradient_check()

    def _toggle_heatmaps(self, on: bool) -> None:
        self.canvas.set_options(heatmaps=on)
        self.controller.set_maps_wanted(True)

    # ------------------------------------------------------------------ theme and closing

    def apply_theme(self, name: str) -> None:
        self._theme = name
        self._dark = theme.apply_theme(QApplication.instance(), name)
        settings.put("theme", name)
        self.theme_actions[name].setChecked(True)
        self.canvas.set_options(dark=self._dark)
        toolbar_icons.decorate(self.actions, self.style(), dark=self._dark)
        for widget in self._themed_panels():
            widget.set_dark(self._dark)
        self.teaching.set_dark(self._dark)

    def _themed_panels(self) -> tuple:
        """The panels that paint with their own colors (the rest follow the application palette)."""
        return (
            self.loss_plot,
            self.data_view,
            self.inspector,
            self.zoom,
            self.breakpoints,
            self.health,
            self.gradcheck,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard("quitting"):
            event.ignore()
            return
        self.controller.pause()
        if self.controller.job is not None:  # a file being read: stop the worker before its thread goes
            self.controller.job.cancel()
            self.controller.job.wait()
        self.recording.shutdown()
        self.lesson_recording.shutdown()
        dock_layout.save_layout(self)
        event.accept()
