"""The window's first layout: window size, where each dock goes, and how big it starts.

A layout the user arranged is restored from the settings instead; these numbers only shape the first
launch (and a launch after the stored state stopped matching the docks).
"""

from __future__ import annotations

from backprop_studio.gui.window import settings
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QWidget

SMALL_SCREEN = (1280, 800)  # the window size on screens narrower than MIN_ROOMY_WIDTH
MIN_ROOMY_WIDTH = 1280  # from this screen width on, the window takes SCREEN_SHARE of the screen
SCREEN_SHARE = 0.92
MAX_SIZE = (1760, 1040)  # bigger than this only spreads the same content thinner
WIDE = 1600  # from this window width on, the inspector and the neuron zoom sit side by side
SETTINGS_WIDTH = 340  # the settings column
DATA_WIDTH = 380  # the data-and-loss column
CANVAS_SHARE_WIDTH = 400  # what a wide layout leaves the canvas beside inspector and zoom, besides settings
SETTINGS_MARGIN = 24  # scroll bar and frame around the settings panel's own minimum
BOTTOM_PERCENT = 32  # the inspector's share of the window height…
MIN_BOTTOM = 290  # …but at least this
MIN_SIDE_PANEL = 240  # the least height of the data and loss panels
MAP_EXTRA = 60  # the decision map needs height to be read; the loss curves cope with less
BOTTOM_TABS = ("zoom", "breakpoints", "gradcheck")  # tabbed under the canvas with the inspector or zoom


def add_dock(window: QMainWindow, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(f"dock-{title}")
    dock.setWidget(widget)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
    )
    window.addDockWidget(area, dock)
    return dock


def initial_size(window: QMainWindow) -> None:
    screen = QApplication.primaryScreen()
    room = screen.availableGeometry() if screen is not None else None
    if room is not None and room.width() >= MIN_ROOMY_WIDTH:
        window.resize(
            min(MAX_SIZE[0], int(room.width() * SCREEN_SHARE)),
            min(MAX_SIZE[1], int(room.height() * SCREEN_SHARE)),
        )
    else:
        window.resize(*SMALL_SCREEN)


def restore_layout(window: QMainWindow, docks: dict[str, QDockWidget], settings_width: int) -> None:
    """The stored layout, or the first one. `settings_width` is the settings panel's minimum width."""
    store = settings.store()
    geometry = store.value("geometry")
    state = store.value("window_state")
    docks["settings"].setMinimumWidth(settings_width + SETTINGS_MARGIN)
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    if isinstance(state, QByteArray) and window.restoreState(state):
        return
    wide = window.width() >= WIDE
    # Narrow: side by side they would each be too narrow to read, so all bottom panels are tabs of one
    # group; wide: the inspector keeps its own column. One anchor per group: chaining tabify calls
    # left a stale tab bar painted over the inspector.
    anchor = "zoom" if wide else "inspector"
    size = window.size()
    for name in BOTTOM_TABS:
        if name != anchor:
            window.tabifyDockWidget(docks[anchor], docks[name])
    # Tabifying widens the window to fit the docks side by side first (measured: 1177 → 1579 px,
    # past a 1280 px screen); the tabbed layout needs far less, so take the intended size back once
    # the layout has recomputed its minimum.
    window.layout().activate()
    window.resize(size)
    docks["zoom"].raise_()
    docks["inspector"].raise_()
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    if wide:
        half = (window.width() - SETTINGS_WIDTH - CANVAS_SHARE_WIDTH) // 2
        window.resizeDocks([docks["inspector"], docks["zoom"]], [half, half], horizontal)
    window.resizeDocks([docks["settings"]], [SETTINGS_WIDTH], horizontal)
    window.resizeDocks([docks["data"]], [DATA_WIDTH], horizontal)
    window.resizeDocks(
        [docks["inspector"]], [max(MIN_BOTTOM, window.height() * BOTTOM_PERCENT // 100)], vertical
    )
    third = max(MIN_SIDE_PANEL, window.height() // 3)
    window.resizeDocks([docks["data"], docks["loss"]], [third + MAP_EXTRA, third], vertical)


def save_layout(window: QMainWindow) -> None:
    store = settings.store()
    store.setValue("geometry", window.saveGeometry())
    store.setValue("window_state", window.saveState())
