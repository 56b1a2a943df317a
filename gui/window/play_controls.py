"""The Play, Record, granularity and speed controls, kept in step with the controller and the settings."""

from __future__ import annotations

from backprop_studio.gui.controller.controller import GRANULARITIES, MAX_SPEED, StudioController
from backprop_studio.gui.window import settings, toolbar_icons
from backprop_studio.gui.window.menus import SPEEDS, Toolbars
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

DEFAULT_SPEED_INDEX = 5  # 15 units a second, when the stored speed is not one of SPEEDS


class PlayControls(QObject):
    """Sends the chosen granularity and speed to the controller (and stores them for the next launch);
    shows whether it plays, and whether the recorder runs, on the Play and Record actions."""

    def __init__(self, controller: StudioController, actions: dict[str, QAction], bars: Toolbars) -> None:
        super().__init__(bars.granularity)
        self._controller, self._actions, self._bars = controller, actions, bars
        bars.granularity.currentIndexChanged.connect(self._granularity_changed)
        bars.speed.valueChanged.connect(self._speed_changed)
        stored = str(settings.get("play/granularity"))
        default = GRANULARITIES.index(str(settings.DEFAULTS["play/granularity"]))
        bars.granularity.setCurrentIndex(GRANULARITIES.index(stored) if stored in GRANULARITIES else default)
        self._granularity_changed(bars.granularity.currentIndex())
        speed = float(settings.get("play/speed"))
        bars.speed.setValue(SPEEDS.index(speed) if speed in SPEEDS else DEFAULT_SPEED_INDEX)
        self._speed_changed(bars.speed.value())

    def show_playing(self, playing: bool) -> None:
        self._actions["play"].setChecked(playing)
        self._actions["play"].setText("Pause" if playing else "Play")
        self._actions["play"].setIcon(toolbar_icons.play_icon(self._bars.speed.style(), playing))

    def show_recording(self, recording: bool) -> None:
        action = self._actions["record"]
        action.blockSignals(True)  # showing the state must not toggle the recorder again
        action.setChecked(recording)
        action.blockSignals(False)
        action.setText("■ Stop recording" if recording else "Record")

    def _granularity_changed(self, index: int) -> None:
        self._controller.set_granularity(GRANULARITIES[index])
        settings.put("play/granularity", GRANULARITIES[index])

    def _speed_changed(self, index: int) -> None:
        speed = SPEEDS[index]
        self._controller.set_speed(speed)
        self._bars.speed_label.setText("max" if speed == MAX_SPEED else f"{speed:g}/s")
        settings.put("play/speed", float(speed))
