"""The window's layout: window size, where each dock goes, how big it starts, and View → Reset layout.

The canvas gets the largest share. Everything else sits in side columns whose contents scroll rather
than push on the canvas. A layout the user arranged is restored from the settings, unless it no longer
fits the screen or leaves the canvas below its minimum; then (and on View → Reset layout) the first
layout is built again.
"""

from __future__ import annotations

from backprop_studio.gui.window import settings
from PySide6.QtCore import QByteArray, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QMainWindow,
    QMenu,
    QScrollArea,
    QTabBar,
    QWidget,
)

LAYOUT_VERSION = 4  # bump when the first layout or a dock title changes: older saved states are not restored
MAX_SIZE = (1760, 1040)  # bigger than this only spreads the same content thinner
SCREEN_SHARE = 0.92  # on large screens the window takes this share of the screen
ROOMY = (1600, 900)  # below this screen size the window fills the screen (maximized)
WIDE = 1600  # from this window width on, the settings and inspector get a column of their own
SIDE_WIDTH = 400  # the data-and-loss column (the loss header with its whole key needs 380 px)
TABBED_WIDTH = 450  # the one tabbed column of a short window: every dock's tab title whole, side by side
TABBED_SHARE = 0.36  # ... but at most this share of the window (an 800-px window keeps its canvas)
LEFT_WIDTH = 360  # the settings-and-inspector column of a wide window
DATA_EXTRA = 70  # the data dock's header and legend, besides its square plot
SCROLL_ABOVE = 140  # px of minimum height above which a panel scrolls in its dock
DATA_CHROME = 150  # the data dock's title, tab bar, header, legend and axes around its map
# px: the loss dock's height for a loss plot of ~175 px with readable axes, over the accuracy plot
# (110 px), under the dock's title and the plot's header, over its two-line readout.
LOSS_READABLE = 390
READABLE_MAP = 240  # px: the least map worth showing beside the loss; below it they are tabs
MIN_CANVAS = QSize(400, 300)  # a saved layout that leaves the canvas less than this is not restored
START_HIDDEN = ("zoom", "breakpoints", "gradcheck", "health", "lesson", "matrix", "quiz")  # one click away
INSPECTOR_GROUP = ("inspector", "zoom", "breakpoints", "gradcheck", "matrix", "quiz")
AREAS = {
    "settings": Qt.DockWidgetArea.LeftDockWidgetArea,
    "data": Qt.DockWidgetArea.RightDockWidgetArea,
    "loss": Qt.DockWidgetArea.RightDockWidgetArea,
    "health": Qt.DockWidgetArea.RightDockWidgetArea,
}
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


def add_dock(window: QMainWindow, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
    """A dock holding `widget`; a panel whose minimum is taller than SCROLL_ABOVE sits in a scroll area,
    so it scrolls instead of forcing its minimum height on the canvas. (Plots and text views that
    shrink well keep their own scrolling or none.)"""
    dock = QDockWidget(title, window)
    dock.setObjectName(f"dock-{title}")
    if widget.minimumSizeHint().height() > SCROLL_ABOVE:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(widget)
        widget = scroll
    dock.setWidget(widget)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
    )
    window.addDockWidget(area, dock)
    # Checking a dock in the View menu brings it to the front: a tabbed dock shown behind its
    # neighbors (or behind the tab bar's scroll arrows at 1280×800) would look like nothing happened.
    dock.toggleViewAction().triggered.connect(lambda checked: dock.raise_() if checked else None)
    dock.visibilityChanged.connect(lambda _=False: QTimer.singleShot(0, lambda: unclip_tabs(window)))
    return dock


def _room() -> QRect | None:
    screen = QApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def initial_size(window: QMainWindow) -> None:
    """A large screen: SCREEN_SHARE of it (at most MAX_SIZE); a laptop screen: all of it, maximized."""
    room = _room()
    if room is None:
        window.resize(1280, 800)
        return
    if room.width() < ROOMY[0] or room.height() < ROOMY[1]:
        window.resize(room.size())
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    window.resize(
        min(MAX_SIZE[0], int(room.width() * SCREEN_SHARE)),
        min(MAX_SIZE[1], int(room.height() * SCREEN_SHARE)),
    )


def restore_layout(window: QMainWindow, docks: dict[str, QDockWidget], settings_width: int) -> None:
    """The stored layout when it still fits, or the first one. `settings_width` is the settings
    panel's minimum width."""
    docks["settings"].setMinimumWidth(min(settings_width + 24, LEFT_WIDTH))
    store = settings.store()
    geometry, state = store.value("geometry"), store.value("window_state")
    if isinstance(geometry, QByteArray) and isinstance(state, QByteArray):
        if window.restoreGeometry(geometry) and window.restoreState(state, LAYOUT_VERSION) and fits(window):
            unclip_tabs(window)
            return
        _first_size(window)
    first_layout(window, docks)


def _first_size(window: QMainWindow) -> None:
    """The first launch's window size and place (after a rejected saved geometry moved it)."""
    window.setWindowState(Qt.WindowState.WindowNoState)
    room = _room()
    if room is not None:
        window.move(room.topLeft())
    initial_size(window)


def fits(window: QMainWindow) -> bool:
    """Whether the window lies on the screen and leaves the canvas at least MIN_CANVAS."""
    room = _room()
    if room is not None and not room.contains(window.geometry()):
        return False
    window.layout().setGeometry(window.rect())  # lay the docks out now, shown or not
    canvas = window.centralWidget().size()
    return canvas.width() >= MIN_CANVAS.width() and canvas.height() >= MIN_CANVAS.height()


def first_layout(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """Canvas in the middle with the largest share; the data map over the loss on the right.

    Wide: settings on the left, the inspector a tab beside them (full height: its sections fit).
    Narrow: one side column only, so the canvas keeps its room: the data map, settings and inspector
    are tabs over the loss. When that column is too short for a readable map over a readable loss
    (1280×800 and smaller), the loss is a tab too, so each tab gets the column's full height.
    Zoom, breakpoints, gradient check and health start hidden in those groups (View shows them as tabs
    there)."""
    size = window.size()
    wide = size.width() >= WIDE
    for name, dock in docks.items():
        dock.setFloating(False)
        window.addDockWidget(AREAS.get(name, BOTTOM), dock)
        dock.setVisible(name not in START_HIDDEN)  # hidden before tabifying: no tab bar left behind
    tabbed = not wide and _column_height(window, size) < LOSS_READABLE + DATA_CHROME + READABLE_MAP
    anchor = "settings" if wide else "data"
    group = ("loss", "health", "settings", *INSPECTOR_GROUP) if tabbed else ("settings", *INSPECTOR_GROUP)
    if not tabbed:
        window.tabifyDockWidget(docks["loss"], docks["health"])
    for name in group:
        if name != anchor:
            window.tabifyDockWidget(docks[anchor], docks[name])
    for name in (anchor, "loss", "data"):
        docks[name].raise_()
    # Tabifying widens the window to fit the docks side by side first; take the intended size back.
    window.layout().activate()
    window.resize(size)
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    if wide:
        window.resizeDocks([docks["settings"]], [LEFT_WIDTH], horizontal)
    # A tabbed column as wide as its tab titles need, but never more than a share of a small window.
    side = min(TABBED_WIDTH, int(size.width() * TABBED_SHARE)) if tabbed else SIDE_WIDTH
    window.resizeDocks([docks["data"]], [side], horizontal)
    if not tabbed:
        # The data map square, as tall as the column is wide (plus the dock's header and legend), as
        # long as the loss keeps a readable plot; the loss gets the rest.
        column = _column_height(window, size)
        data = min(SIDE_WIDTH + DATA_EXTRA, column - LOSS_READABLE)
        window.resizeDocks([docks["data"], docks["loss"]], [data, column - data], vertical)
    unclip_tabs(window)


def _column_height(window: QMainWindow, size: QSize) -> int:
    """The height a side column has: the central widget's, once the window is laid out at `size`."""
    window.layout().setGeometry(QRect(0, 0, size.width(), size.height()))
    central = window.centralWidget()
    return central.height() if central is not None else size.height()


def reset_layout(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """View → Reset layout: the first launch's window size and docks."""
    _first_size(window)
    first_layout(window, docks)


def add_reset_action(window: QMainWindow, docks: dict[str, QDockWidget]) -> QAction:
    """Add "Reset layout" at the end of the View menu (found by its title) and return the action."""
    action = QAction("Reset &layout", window)
    action.setObjectName("reset_layout")
    action.setToolTip("Put every panel back where it was at the first launch")
    action.triggered.connect(lambda: reset_layout(window, docks))
    menu = next(
        (
            a.menu()
            for a in window.menuBar().actions()
            if isinstance(a.menu(), QMenu) and a.text().replace("&", "") == "View"
        ),
        None,
    )
    if menu is not None:
        menu.addSeparator()
        menu.addAction(action)
    else:
        window.addAction(action)
    return action


def unclip_tabs(window: QMainWindow) -> None:
    """Dock tabs show their whole title; when they do not fit, the bar scrolls instead of eliding."""
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        bar.setElideMode(Qt.TextElideMode.ElideNone)
        bar.setUsesScrollButtons(True)
        bar.setExpanding(False)


def save_layout(window: QMainWindow) -> None:
    store = settings.store()
    store.setValue("geometry", window.saveGeometry())
    store.setValue("window_state", window.saveState(LAYOUT_VERSION))
