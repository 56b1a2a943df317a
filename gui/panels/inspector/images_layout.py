"""Where the Inspector's pictures of image inputs (images.py) go: beside the chain rule, or above it when
the Inspector is narrow and tall."""

from __future__ import annotations

from backprop_studio.gui.panels.inspector.images import ImageInputs
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QBoxLayout, QWidget

# An Inspector narrower than NARROW_BELOW pixels but at least TALL_FROM tall puts the pictures above the
# chain rule; a short one keeps them beside it (above, they would leave the chain rule a few lines).
NARROW_BELOW = 560
TALL_FROM = 360


class ImagesBeside(QBoxLayout):
    """The pictures and the chain rule: side by side, or the pictures on top in a narrow, tall Inspector
    (the direction follows the room the layout is given)."""

    def __init__(self, images: ImageInputs, body: QWidget) -> None:
        super().__init__(QBoxLayout.Direction.LeftToRight)
        self._images = images
        self.setContentsMargins(0, 0, 0, 0)
        self.addWidget(images)
        self.addWidget(body, 1)

    def setGeometry(self, rect: QRect) -> None:
        wide = rect.width() >= NARROW_BELOW or rect.height() < TALL_FROM
        if wide != self._images.is_wide():
            self.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
            self._images.set_wide(wide)
        super().setGeometry(rect)
