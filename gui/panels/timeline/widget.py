"""The timeline: a scrub bar over the session's recorded history, from the earliest step still in memory
to the latest step recorded, with the epochs marked. Dragging asks the controller to seek; the window
answers with `set_range` once the controller has published the moment, so the bar only ever shows
where the session really is.

Seeking replays from the nearest checkpoint, which takes a while in a big history, so a drag seeks at
most `MAX_SEEKS_PER_SECOND` times and once more where the handle is released.
"""

from __future__ import annotations

import time

from backprop_studio.core.display.position import position_text
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.panels.timeline.bar import Ruler, ScrubSlider, nice_stride
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

MAX_SEEKS_PER_SECOND = 10
_SLIDER_LIMIT = 2**30  # QSlider holds a C int; longer histories move in steps of several phases


def readout_text(snapshot: Snapshot) -> str:
    """e.g. "step 1,234 · epoch 3 · batch 12/50 · backward through layer 2" (core's one position text)."""
    return position_text(snapshot, with_step=True)


class Timeline(QWidget):
    """Scrub bar over the recorded history: slider, epoch marks, readout, previous/next epoch buttons."""

    seek_requested = Signal(int)  # a step between earliest_step and latest_step

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._earliest = 0
        self._latest = 0
        self._current = 0
        self._steps_per_epoch = 1
        self._first_epoch = 0
        self._scale = 1
        self._syncing = False
        self._pending: int | None = None
        self._last_emit = 0.0

        self._build_widgets()
        self._build_layout()

        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.timeout.connect(self._flush)
        self.slider.valueChanged.connect(self._on_value_changed)
        self.slider.sliderReleased.connect(self._on_released)
        self.prev_epoch.clicked.connect(lambda: self._jump(self._previous_boundary()))
        self.next_epoch.clicked.connect(lambda: self._jump(self._next_boundary()))
        self.to_latest.clicked.connect(lambda: self._jump(self._latest))
        self.set_range(0, 0, 0, 1)

    def _build_widgets(self) -> None:
        """The slider with its epoch ruler, the readout, the span and the jump buttons."""
        self.slider = ScrubSlider()
        self.ruler = Ruler(self.slider)
        self.ruler.setToolTip("Epoch boundaries: the number of epochs completed at each mark")
        self.slider.setToolTip(
            "Drag to any recorded moment: the canvas, inspector and plots show it. "
            "Marks are epoch boundaries; arrow keys step one phase."
        )
        self.readout = QLabel("step 0")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.span = QLabel()
        self.span.setToolTip(
            "The part of the history that can be revisited; older steps fall out when its memory budget is reached"
        )
        self.prev_epoch = QToolButton()
        self.prev_epoch.setText("◀ Epoch")
        self.prev_epoch.setToolTip("Jump back to the previous epoch boundary")
        self.next_epoch = QToolButton()
        self.next_epoch.setText("Epoch ▶")
        self.next_epoch.setToolTip("Jump to the next epoch boundary")
        self.to_latest = QToolButton()
        self.to_latest.setText("Latest ⇥")
        self.to_latest.setToolTip("Jump to the latest recorded step")

    def _build_layout(self) -> None:
        """Readout above; the slider between the epoch buttons, the ruler under it."""
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.readout, 1)
        top.addWidget(self.span)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(0)
        grid.addWidget(self.prev_epoch, 0, 0)
        grid.addWidget(self.slider, 0, 1)
        grid.addWidget(self.ruler, 1, 1)
        caption = QLabel("epochs")
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        grid.addWidget(caption, 1, 0)
        grid.addWidget(self.next_epoch, 0, 2)
        grid.addWidget(self.to_latest, 0, 3)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 2)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(grid)

    # ----------------------------------------------------------------- public API

    @property
    def current(self) -> int:
        return self._current

    def set_range(
        self, earliest: int, latest: int, current: int, steps_per_epoch: int, first_epoch: int = 0
    ) -> None:
        """Show the reachable history `earliest`…`latest` with the session at `current`. `first_epoch`
        is how many epochs were completed before step 0 (a project that continued earlier training)."""
        self._earliest, self._latest = int(earliest), max(int(latest), int(earliest))
        self._current = min(max(int(current), self._earliest), self._latest)
        self._steps_per_epoch = max(1, int(steps_per_epoch))
        self._first_epoch = int(first_epoch)
        self._scale = 1 + (self._latest - self._earliest) // _SLIDER_LIMIT
        self._syncing = True
        try:
            self.slider.setRange(0, self._to_value(self._latest))
            self.slider.setPageStep(max(1, self._steps_per_epoch // self._scale))
            # Moving the handle under a dragging mouse would fight the user: it follows on release.
            if not self.slider.isSliderDown():
                self.slider.setValue(self._to_value(self._current))
        finally:
            self._syncing = False
        self._update_ticks()
        self.prev_epoch.setEnabled(self._previous_boundary() is not None)
        self.next_epoch.setEnabled(self._next_boundary() is not None)
        self.to_latest.setEnabled(self._current < self._latest)
        self.span.setText(f"steps {self._earliest:,}–{self._latest:,}")
        self.slider.setEnabled(self._latest > self._earliest)

    def set_readout(self, text: str) -> None:
        self.readout.setText(text)
        self.readout.setToolTip(text)

    # ----------------------------------------------------------------- mapping

    def _to_value(self, step: int) -> int:
        return -(-(step - self._earliest) // self._scale)

    def _to_step(self, value: int) -> int:
        return min(self._earliest + value * self._scale, self._latest)

    def _previous_boundary(self) -> int | None:
        spe = self._steps_per_epoch
        target = max(((self._current - 1) // spe) * spe, self._earliest)
        return target if target < self._current else None

    def _next_boundary(self) -> int | None:
        spe = self._steps_per_epoch
        target = min((self._current // spe + 1) * spe, self._latest)
        return target if target > self._current else None

    def _update_ticks(self) -> None:
        spe = self._steps_per_epoch
        first = -(-self._earliest // spe)
        last = self._latest // spe
        ticks: list[tuple[int, str | None]] = []
        if last >= first:
            width = max(1, self.slider.width())
            pixels_per_epoch = width * spe / max(1, self._latest - self._earliest)
            label_width = self.slider.fontMetrics().horizontalAdvance(f"{self._first_epoch + last}") + 14
            label_stride = nice_stride(label_width / max(pixels_per_epoch, 1e-9))
            minor_stride = nice_stride(6 / max(pixels_per_epoch, 1e-9))
            start = first - first % minor_stride
            for k in range(max(start, first), last + 1, minor_stride):
                if k < first:
                    continue
                label = str(self._first_epoch + k) if k % label_stride == 0 else None
                ticks.append((self._to_value(k * spe), label))
                if len(ticks) > 2000:  # past this the marks are a solid bar anyway
                    break
        self.ruler.ticks = ticks
        self.ruler.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_ticks()

    # ----------------------------------------------------------------- seeking

    def _on_value_changed(self, value: int) -> None:
        if self._syncing:
            return
        self._pending = self._to_step(value)
        if not self.slider.isSliderDown():
            self._flush()  # a key press or a click: one seek
            return
        wait = 1.0 / MAX_SEEKS_PER_SECOND - (time.perf_counter() - self._last_emit)
        if wait <= 0:
            self._flush()
        elif not self._throttle.isActive():
            self._throttle.start(max(1, round(wait * 1000)))

    def _on_released(self) -> None:
        self._throttle.stop()
        self._flush()

    def _flush(self) -> None:
        target, self._pending = self._pending, None
        if target is None or target == self._current:
            return
        self._last_emit = time.perf_counter()
        self._current = target
        self.seek_requested.emit(target)

    def _jump(self, step: int | None) -> None:
        if step is not None and step != self._current:
            self._throttle.stop()
            self._pending = None
            self._current = step
            self.seek_requested.emit(step)
