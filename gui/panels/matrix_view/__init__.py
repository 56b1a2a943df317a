"""The Matrix dock: the current phase of one layer as matrix equations with the batch's numbers."""

from backprop_studio.gui.panels.matrix_view.widget import MatrixView

__all__ = ["MatrixView"]
