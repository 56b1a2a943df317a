"""The window's toolbars and menus, laid out from the shared QActions of `window.actions`.

Only layout lives here: which action goes where. The window connects the actions to the controller.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop_studio.gui.controller.controller import GRANULARITIES, MAX_SPEED
from backprop_studio.gui.style import theme
from backprop_studio.gui.window import toolbar_icons
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QMenu, QSlider, QToolBar, QWidget

SPEEDS = (0.5, 1, 2, 4, 8, 15, 30, 60, MAX_SPEED)  # units per second; MAX_SPEED = as fast as possible
STEP_BUTTONS = ("back", "step", "forward", "backward", "update", "batch", "epoch")
PROMINENT = ("step", "play")  # where a newcomer starts: larger, bold, icon and text
TRAIN_MENU = (
    "step",
    "forward",
    "backward",
    "update",
    "batch",
    "epoch",
    None,
    "play",
    "record",
    "record_lesson",
    None,
    "back",
    "back_batch",
    "back_epoch",
    None,
    "reset",
    "randomize",
    None,
    "quiz",
    "memory",
)


@dataclass(frozen=True, eq=False)
class Toolbars:
    granularity: QComboBox  # what one tick of Play advances
    speed: QSlider  # an index into SPEEDS
    speed_label: QLabel
    focus_label: QLabel  # which sample the views show


@dataclass(frozen=True, eq=False)
class Menus:
    recent: QMenu  # File → Open recent, filled by window.files
    themes: dict[str, QAction]  # View → Theme, one checkable action per theme
    gradient_check: QAction  # Debug → Run gradient check on this batch
    add_breakpoint: QAction
    show_health: QAction
    about: QAction


def build_toolbars(window: QMainWindow, actions: dict[str, QAction], timeline: QWidget) -> Toolbars:
    """Three labeled groups, Step · Run · View, on one row when it fits. Step and Play carry an icon and
    their text in a larger, bold button: where a newcomer starts."""
    toolbar_icons.decorate(actions, window.style())
    step = _group(window, "Step", "toolbar-training")
    for name in STEP_BUTTONS:
        step.addAction(actions[name])
    run = _group(window, "Run", "toolbar-run")
    for name in ("play", "record"):
        run.addAction(actions[name])
    granularity = QComboBox()
    granularity.addItems([f"{g} per tick" for g in GRANULARITIES])
    granularity.setToolTip("How much one tick of Play advances: a phase, a pass, a batch or an epoch")
    run.addWidget(granularity)
    speed = QSlider(Qt.Orientation.Horizontal)
    speed.setRange(0, len(SPEEDS) - 1)
    speed.setFixedWidth(90)
    speed.setToolTip("Ticks per second while playing (rightmost: as fast as possible)")
    speed_label = QLabel()
    speed_label.setMinimumWidth(40)
    run.addWidget(speed)
    run.addWidget(speed_label)
    run.addSeparator()
    for name in ("reset", "randomize"):
        run.addAction(actions[name])

    window.addToolBarBreak()
    view = _group(window, "View", "toolbar-view")
    for name in ("gradients", "heatmaps", "batch_mean"):
        view.addAction(actions[name])
    focus_label = QLabel()
    focus_label.setTextFormat(Qt.TextFormat.PlainText)
    focus_label.setContentsMargins(8, 0, 8, 0)
    view.addWidget(focus_label)
    for bar in (step, run, view):
        toolbar_icons.style_buttons(bar, PROMINENT)

    bottom = QToolBar("Timeline", window)
    bottom.setObjectName("toolbar-timeline")
    bottom.setMovable(False)
    bottom.addWidget(timeline)
    window.addToolBar(Qt.ToolBarArea.BottomToolBarArea, bottom)
    return Toolbars(granularity, speed, speed_label, focus_label)


def _group(window: QMainWindow, title: str, name: str) -> QToolBar:
    """A toolbar that starts with its group's name in small capitals."""
    bar = QToolBar(title, window)
    bar.setObjectName(name)
    bar.setIconSize(QSize(18, 18))
    label = QLabel(title.upper())
    label.setObjectName(f"{name}-title")
    label.setStyleSheet("font-size: 8pt; font-weight: bold; color: palette(mid); padding: 0 4px 0 2px;")
    bar.addWidget(label)
    window.addToolBar(bar)
    return bar


def build_menus(window: QMainWindow, actions: dict[str, QAction], dock_toggles: list[QAction]) -> Menus:
    menu = window.menuBar()
    file_menu = menu.addMenu("&File")
    for name in ("new", "lessons", "open"):
        file_menu.addAction(actions[name])
    recent = file_menu.addMenu("Open &recent")
    file_menu.addAction(actions["compare_with"])
    file_menu.addSeparator()
    for name in ("save", "save_as", "export_picture", "record_lesson"):
        file_menu.addAction(actions[name])
    file_menu.addSeparator()
    for name in ("import_weights", "export"):
        file_menu.addAction(actions[name])
    file_menu.addSeparator()
    file_menu.addAction(actions["quit"])

    train = menu.addMenu("&Train")
    for name in TRAIN_MENU:
        train.addSeparator() if name is None else train.addAction(actions[name])

    lesson_menu = menu.addMenu("&Lesson")
    for name in ("lessons", "lesson_back", "lesson_next", "record_lesson"):
        lesson_menu.addAction(actions[name])

    view = menu.addMenu("&View")
    for name in (
        "gradients",
        "heatmaps",
        "batch_mean",
        "pixel_grid",
        "reset_view",
        "pin_run",
        "presentation",
    ):
        view.addAction(actions[name])
    view.addSeparator()
    theme_menu = view.addMenu("&Theme")
    group = QActionGroup(window)
    themes = {}
    for name in theme.THEMES:
        text = name.capitalize() if name != "system" else "Follow the system"
        act = QAction(text, window, checkable=True)
        group.addAction(act)
        theme_menu.addAction(act)
        themes[name] = act
    view.addSeparator()
    for toggle in dock_toggles:
        view.addAction(toggle)

    debug = menu.addMenu("&Debug")
    gradient_check = debug.addAction("Run gradient check on this batch")
    add_breakpoint = debug.addAction("Add breakpoint…")
    show_health = debug.addAction("Show gradient health")

    help_menu = menu.addMenu("&Help")
    help_menu.addAction(actions["shortcuts"])
    about = help_menu.addAction("About Backprop Studio")
    return Menus(recent, themes, gradient_check, add_breakpoint, show_health, about)
