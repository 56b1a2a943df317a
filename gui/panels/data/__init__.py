"""The data panel: the samples and what the network makes of them."""

from backprop_studio.gui.panels.data.view import DataView

__all__ = ["DataView"]
