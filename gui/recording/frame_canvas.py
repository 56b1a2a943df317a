"""What a recording frame's canvas is asked to show (`CanvasOptions`): values or gradients, the selection
marked as the window marks it (a ring around a neuron, a halo along an edge, in the selection color), and
inputs that form an image drawn as its pixel grid on the data set's gray scale, as the window's
View → Inputs as image does (gui/window/image_inputs.py sets the same options there).
"""

from __future__ import annotations

from backprop_studio.core.analysis.images import as_read, image_shape_for, value_range
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.options import CanvasOptions


class CanvasLook:
    """The canvas options of one recording; the data set's gray scale is worked out once per data set."""

    def __init__(self, dark: bool, image_shape: tuple[int, int] | None) -> None:
        self.dark = dark
        self.image_shape = image_shape
        self._image: tuple[Dataset, dict] | None = None  # (the data set, its image options)

    def options(
        self, snapshot: Snapshot, mode: str, dataset: Dataset | None, selection: tuple | None
    ) -> CanvasOptions:
        """`selection`: ("neuron", layer, j) or ("edge", layer, i, j), 0-based units, or None."""
        neuron = edge = None
        if selection is not None and selection[0] == "neuron":
            neuron = (int(selection[1]), int(selection[2]))
        elif selection is not None and selection[0] == "edge":
            edge = (int(selection[1]), int(selection[2]), int(selection[3]))
        return CanvasOptions(
            mode=mode,
            dark=self.dark,
            selected_neuron=neuron,
            selected_edge=edge,
            # The inputs' and classes' names, as the window's canvas shows them (sepal length, setosa…).
            input_names=() if dataset is None else tuple(dataset.feature_names),
            output_names=() if dataset is None else tuple(dataset.target_names),
            **self._image_options(snapshot, dataset),
        )

    def _image_options(self, snapshot: Snapshot, dataset: Dataset | None) -> dict:
        """The image's shape, gray scale (the training inputs' range, as read) and unstandardizing."""
        shape = image_shape_for(self.image_shape, snapshot.sizes[0])
        if shape is None or dataset is None:
            return {"image_shape": shape}
        if self._image is None or self._image[0] is not dataset:
            stats = dataset.standardization
            unscale = None if stats is None else (tuple(map(float, stats[0])), tuple(map(float, stats[1])))
            low_high = value_range(as_read(dataset.x_train, unscale))
            self._image = (dataset, {"image_range": low_high, "image_unscale": unscale})
        return {"image_shape": shape, **self._image[1]}
