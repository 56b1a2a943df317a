"""The narration: one or two plain sentences about the last phase, with its numbers.

The same widget sits under the canvas and at the top of the Inspector; the text comes from
`core.teaching.narration.narrate`. Plain text (it may quote feature names from a file), word-wrapped,
selectable, with a bar in the phase's color at its left edge.
"""

from __future__ import annotations

from backprop_studio.gui.style.colors import mix, palette
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QWidget


class NarrationLabel(QLabel):
    """Plain, wrapped, selectable text; `show_text(text, kind)` colors its edge by the phase kind."""

    def __init__(self, parent: QWidget | None = None, scale: float = 1.0) -> None:
        super().__init__(parent)
        self.setObjectName("narration")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._dark = False
        self._kind = ""
        self._scale = scale
        self._pixels: int | None = None
        self._restyle()

    def show_text(self, text: str, kind: str = "") -> None:
        self._kind = kind
        self.setText(text)
        self._restyle()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self._restyle()

    def set_scale(self, scale: float) -> None:
        """Text size relative to the application font (presentation mode enlarges it)."""
        self._scale = scale
        self._restyle()

    def set_pixel_size(self, pixels: int | None) -> None:
        """A fixed text size in pixels (presentation mode), or None for the usual size."""
        self._pixels = pixels
        self._restyle()

    def pixel_size(self) -> int | None:
        return self._pixels

    def _restyle(self) -> None:
        pal = palette(self._dark)
        edge = getattr(pal, self._kind, pal.muted) if self._kind else pal.muted
        back = mix(pal.background, edge, 0.07)
        base = QApplication.font().pointSizeF()
        points = (base if base > 0 else 10.0) * 1.08 * self._scale
        size = f"{self._pixels}px" if self._pixels else f"{points:.1f}pt"
        self.setStyleSheet(
            f"QLabel#narration {{ background: rgb{back}; color: rgb{pal.text}; "
            f"border-left: 4px solid rgb{edge}; padding: 6px 10px; font-size: {size}; }}"
        )
