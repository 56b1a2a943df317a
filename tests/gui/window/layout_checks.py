"""Layout checks run by test_layout.py in a subprocess whose offscreen screen has the size under test.

Not collected by the suite on its own (no test_ prefix): it needs LAYOUT_SCREEN="W×H" and the platform's
screen configured to that size. Each check opens the real MainWindow as `python main.py` does, with
fresh settings in a temporary folder.
"""

from __future__ import annotations

import os

import pyqtgraph as pg
import pytest
from backprop_studio.core.analysis.evaluation import plane_extent
from backprop_studio.core.project.presets_catalog import DEFAULT_PRESET, load_preset
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.main_window import MainWindow
from backprop_studio.gui.window import dock_layout
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar, QTextBrowser, QToolBar, QToolButton

from tests.gui.debugger.ui import menu_action

SCREEN = tuple(int(v) for v in os.environ.get("LAYOUT_SCREEN", "1280x800").split("x"))
MIN_SHARE = {(1280, 800): 0.40}  # the figure; elsewhere the canvas has the largest share
MIN_MAP = 160  # px: the data map's short side on the smallest screen (1280×720 logical)
MIN_LOSS_PLOT = 160  # px: the loss plot's own area (inside its axes), so its ticks and curves read


@pytest.fixture
def settings_dir(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    app = QApplication.instance()
    app.setApplicationName("Backprop Studio")  # as gui/app.run does
    app.setOrganizationName("BackpropStudio")
    return tmp_path


def open_window(qtbot) -> MainWindow:
    window = MainWindow(StudioController(load_preset(DEFAULT_PRESET)))
    window.confirm_discard = lambda doing: True  # closing must not wait on the unsaved-changes prompt
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    return window


def area(rect: QRect) -> int:
    return rect.width() * rect.height()


def close(a: QRect, b: QRect, slack: int = 8) -> bool:
    """Equal up to a window frame's few pixels (a maximized window and a restored one differ by that)."""
    return all(abs(u - v) <= slack for u, v in zip(a.getRect(), b.getRect()))


def shown_docks(window: MainWindow) -> dict[str, QDockWidget]:
    """The docks a person sees (open and not behind another tab)."""
    return {
        name: dock
        for name, dock in window.docks.items()
        if dock.isVisible() and not dock.visibleRegion().isEmpty()
    }


def check_geometry(window: MainWindow) -> None:
    screen = QApplication.primaryScreen()
    assert screen.size().toTuple() == SCREEN
    assert screen.availableGeometry().contains(window.frameGeometry()), "the window lies on the screen"
    canvas = window.canvas.geometry()
    share = area(canvas) / area(window.rect())
    assert share >= MIN_SHARE.get(SCREEN, 0.3), f"canvas share {share:.0%} on {SCREEN}"
    docks = shown_docks(window)
    # The loss stays in sight beside the map on a large screen; on a laptop's, both would be too short to
    # read, so the loss is a tab beside the map (each gets the column's full height).
    assert {"data", "loss"} <= docks.keys() if SCREEN == (1920, 1080) else "data" in docks
    for name, dock in docks.items():
        assert area(dock.geometry()) < area(canvas), f"{name} is larger than the canvas"
        least = dock.minimumSizeHint().expandedTo(dock.minimumSize())
        assert dock.width() >= least.width() and dock.height() >= least.height(), f"{name} below minimum"
    for hidden in ("zoom", "breakpoints", "gradcheck", "health"):
        assert hidden not in docks, f"{hidden} starts hidden, one click away through View"


def check_data_map(window: MainWindow) -> None:
    box = window.data_view.view_box()
    shown = box.mapRectToScene(box.boundingRect()).toRect()
    # A square box: equal scales then show exactly the plane, not −45…45 around a 45-px blob.
    assert abs(shown.width() - shown.height()) <= 0.12 * max(shown.width(), shown.height())
    assert min(shown.width(), shown.height()) >= MIN_MAP, f"data map {shown.width()}×{shown.height()}"
    xmin, xmax, ymin, ymax = plane_extent(window.controller.view_state.dataset)
    (x0, x1), (y0, y1) = box.viewRange()
    assert x0 <= xmin + 1e-9 and x1 >= xmax - 1e-9 and y0 <= ymin + 1e-9 and y1 >= ymax - 1e-9
    assert (x1 - x0) <= 1.2 * (xmax - xmin) and (y1 - y0) <= 1.2 * (ymax - ymin), "range fits the data"


def loss_plot_area(window: MainWindow) -> QRect:
    """The loss plot's area inside its axes, on screen (the top plot of the loss panel)."""
    top = min(
        window.loss_plot.findChildren(pg.PlotWidget), key=lambda w: w.mapTo(window, w.rect().topLeft()).y()
    )
    box = top.getPlotItem().getViewBox()
    return box.mapRectToScene(box.boundingRect()).toRect()


def check_loss_readable(window: MainWindow, qtbot) -> None:
    """Brought forward if it is a tab, the loss plot is tall enough to read, its ticks apart."""
    window.docks["loss"].raise_()
    qtbot.wait(20)
    assert "loss" in shown_docks(window)
    area = loss_plot_area(window)
    assert area.height() >= MIN_LOSS_PLOT, f"loss plot {area.width()}×{area.height()}"
    assert area.width() >= 300, f"loss plot {area.width()}×{area.height()}"
    window.docks["data"].raise_()
    qtbot.wait(20)


def section_bounds(inspector, section: str) -> tuple[float, float]:
    """(top, bottom) of `section` in the Inspector's text: from its heading to the next heading or the end."""
    body = inspector.findChild(QTextBrowser)
    document = body.document()
    headings = {inspector.section_heading(s) for s in ("forward", "backward", "update")} - {None}
    mine = inspector.section_heading(section)
    top = bottom = None
    for number in range(document.blockCount()):
        block = document.findBlockByNumber(number)
        rect = document.documentLayout().blockBoundingRect(block)
        if block.text() == mine:
            top = rect.top()
        elif top is not None and block.text() in headings:
            return top, rect.top()
        if top is not None:
            bottom = rect.bottom()
    assert top is not None and bottom is not None, section
    return top, bottom


def check_section_whole(window: MainWindow) -> None:
    """The current phase's section of the Inspector is in sight from its heading to its last line."""
    inspector = window.inspector
    section = inspector.current_section()
    top, bottom = section_bounds(inspector, section)
    body = inspector.findChild(QTextBrowser)
    shown = body.verticalScrollBar().value()
    height = body.viewport().height()
    assert shown <= top + 1 and bottom <= shown + height + 1, (
        f"{section} section {top:.0f}–{bottom:.0f} px, the Inspector shows {shown}–{shown + height}"
    )


def check_tabs(window: MainWindow) -> None:
    for bar in window.findChildren(QTabBar):
        if not bar.isVisible() or bar.parent() is not window:
            continue
        metrics = bar.fontMetrics()
        for i in range(bar.count()):
            text = bar.tabText(i)
            assert bar.tabRect(i).width() >= metrics.horizontalAdvance(text), f"tab {text!r} cut"


def check_toolbars(window: MainWindow) -> None:
    """Every toolbar button is on screen: no toolbar has pushed buttons into its overflow menu."""
    for bar in window.findChildren(QToolBar):
        if not bar.isVisible():
            continue
        extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        assert extension is None or not extension.isVisible(), f"{bar.objectName()} hides buttons"
        assert bar.geometry().right() < window.width(), bar.objectName()


def step_into_backward_and_select(window: MainWindow, qtbot) -> None:
    """Forward pass, then Step to the loss and through the last two layers backward; click a neuron of
    layer 2 (the one backward reached last)."""
    window.actions["forward"].trigger()
    for _ in range(4):
        phase = window.controller.snapshot.phase
        if phase.kind == "backward" and phase.layer == 2:
            break
        window.actions["step"].trigger()
    phase = window.controller.snapshot.phase
    assert (phase.kind, phase.layer) == ("backward", 2)
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.node_position(2, 0))
    qtbot.wait(50)


def test_first_launch_gives_each_view_its_room(settings_dir, qtbot):
    window = open_window(qtbot)
    check_geometry(window)
    check_data_map(window)
    check_tabs(window)
    check_toolbars(window)
    check_loss_readable(window, qtbot)

    step_into_backward_and_select(window, qtbot)
    inspector = window.inspector
    assert "inspector" in shown_docks(window), "selecting a neuron brings the Inspector forward"
    assert inspector.current_section() == "backward"
    assert inspector.section_visible("backward"), "the backward section is in sight without scrolling"
    check_section_whole(window)
    # One more Step (backward through layer 1) keeps the same section in sight.
    window.actions["step"].trigger()
    qtbot.wait(20)
    assert inspector.section_visible("backward")
    window.actions["step"].trigger()  # the update
    qtbot.wait(20)
    assert inspector.current_section() == "update" and inspector.section_visible("update")
    check_section_whole(window)
    check_loss_readable(window, qtbot)


def test_a_layout_that_no_longer_fits_is_not_restored_and_reset_restores_the_first(settings_dir, qtbot):
    first = open_window(qtbot)
    default_canvas = first.canvas.geometry()
    first.close()

    # A layout saved on a far larger screen: wide side docks that would crush the canvas here.
    big = open_window(qtbot)
    big.setWindowState(Qt.WindowState.WindowNoState)
    big.resize(3000, 1800)
    big.resizeDocks([big.docks["data"]], [2000], Qt.Orientation.Horizontal)
    qtbot.wait(20)
    big.close()

    again = open_window(qtbot)
    assert close(again.canvas.geometry(), default_canvas), "the saved layout was not restored"
    check_geometry(again)

    # The user squeezes the canvas; View → Reset layout gives the first layout back.
    again.resizeDocks([again.docks["data"]], [again.width() // 2], Qt.Orientation.Horizontal)
    again.docks["gradcheck"].show()
    qtbot.wait(20)
    assert not close(again.canvas.geometry(), default_canvas)
    menu_action(again, "View", "Reset &layout").trigger()
    qtbot.wait(50)
    assert close(again.canvas.geometry(), default_canvas)
    assert not again.docks["gradcheck"].isVisible()
    assert dock_layout.LAYOUT_VERSION >= 2

    # A layout that fits is restored: the user's wider data column comes back at the next launch.
    wider = again.docks["data"].width() + 40
    again.resizeDocks([again.docks["data"]], [wider], Qt.Orientation.Horizontal)
    qtbot.wait(20)
    again.close()
    last = open_window(qtbot)
    assert abs(last.docks["data"].width() - wider) <= 8
