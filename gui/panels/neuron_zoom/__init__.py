"""The Neuron zoom panel: one neuron's computational graph (model: what to draw; painter: how; widget)."""

from backprop_studio.gui.canvas.zoom_painter import LEGEND
from backprop_studio.gui.panels.neuron_zoom.widget import EMPTY, NeuronZoom

__all__ = ["EMPTY", "LEGEND", "NeuronZoom"]
