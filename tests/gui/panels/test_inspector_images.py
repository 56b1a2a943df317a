"""The Inspector's pictures for image inputs: the focused sample as the image with its label and the
network's answer, and a first-layer neuron's incoming weights as the image on the weight colors."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.analysis.focus import BATCH_MEAN, Focus
from backprop_studio.core.training.snapshot import Phase
from backprop_studio.gui.panels.inspector.widget import Inspector
from backprop_studio.gui.style.colors import palette
from PySide6.QtWidgets import QTextBrowser

from tests.image_checks import assert_ordered_like, cell_positions, rgb_at
from tests.snapshot_factory import make_snapshot

SHAPE = (4, 4)
NAMES = ("zero", "one", "two")


@pytest.fixture
def inspector(qtbot):
    widget = Inspector()
    widget.resize(640, 520)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def snap():
    return make_snapshot((16, 5, 3), 4, Phase("backward", 1))


def _set_data(inspector, snap):
    labels = np.arange(100) % 3  # training sample k has class k % 3
    inspector.images.set_data(SHAPE, (float(snap.x.min()), float(snap.x.max())), labels, NAMES)


def test_nothing_is_drawn_unless_the_inputs_form_an_image(inspector, snap):
    inspector.refresh(snap, Focus(0))
    assert not inspector.images.isVisible()
    inspector.images.set_data((3, 5), (0.0, 1.0), None, ())  # 15 pixels for 16 inputs: not this network
    inspector.refresh(snap, Focus(0))
    assert not inspector.images.isVisible()


def test_the_focused_sample_is_drawn_as_the_image_with_its_label(inspector, snap):
    _set_data(inspector, snap)
    row = 2
    inspector.refresh(snap, Focus(row))
    images = inspector.images
    assert images.isVisible()
    index = int(snap.batch_indices[row])
    assert images.captions()[0] == f"Sample #{index + 1} · label {NAMES[index % 3]}"
    out = snap.layers[-1].a[row]
    assert images.captions()[1].startswith(f"Network's answer: {NAMES[int(np.argmax(out))]} (")
    picture, cell = images.sample_image(), images.sample_cell()
    assert picture.width() == 4 * cell and picture.height() == 4 * cell
    values = snap.x[row]
    low, high = float(snap.x.min()), float(snap.x.max())
    pal = palette(False)
    for i in range(16):
        r, c = divmod(i, 4)
        ink = (values[i] - low) / (high - low)
        want = [p + (t - p) * ink for p, t in zip(pal.background, pal.text, strict=True)]
        assert np.allclose(rgb_at(picture, (c + 0.5) * cell, (r + 0.5) * cell), want, atol=1.5)


def test_the_batch_mean_is_drawn_when_the_mean_is_shown(inspector, snap):
    _set_data(inspector, snap)
    inspector.refresh(snap, BATCH_MEAN)
    assert inspector.images.captions()[0] == f"Mean of the batch's {snap.x.shape[0]} samples"
    assert inspector.images.captions()[1] == ""


def test_a_first_layer_neurons_weights_are_drawn_as_the_image_with_their_scale(inspector, snap):
    _set_data(inspector, snap)
    for j in range(5):
        inspector.show_neuron(snap, 1, j, Focus(0))
        weights = snap.weights[0][:, j].reshape(SHAPE)
        images = inspector.images
        assert images.weights_scale() == pytest.approx(float(np.abs(weights).max()))
        assert_ordered_like(cell_positions(images.weights_image(), SHAPE, images.weights_cell()), weights)
        assert images.captions()[2].startswith(f"Weights into neuron {j + 1} of layer 1")


def test_an_output_neuron_has_no_weight_image(inspector, snap):
    _set_data(inspector, snap)
    inspector.show_neuron(snap, 2, 0, Focus(0))
    assert inspector.images.weights_image().isNull()
    assert inspector.images.weights_scale() is None


def test_a_selected_input_is_ringed_on_the_sample_and_named_by_its_pixel(inspector, snap):
    _set_data(inspector, snap)
    inspector.refresh(snap, Focus(0))
    before = inspector.images.sample_image().copy()
    inspector.show_neuron(snap, 0, 6, Focus(0))  # x₇: row 2, column 3
    assert "x₇ is the pixel at row 2, column 3" in inspector.images.captions()[0]
    after, cell = inspector.images.sample_image(), inspector.images.sample_cell()
    changed = {
        (x // cell, y // cell)
        for x in range(after.width())
        for y in range(after.height())
        if after.pixel(x, y) != before.pixel(x, y)
    }
    assert changed == {(2, 1)}  # (column, row) of input 6: only its cell is outlined


def test_a_first_layer_weight_shows_its_neurons_image_with_its_pixel_ringed(inspector, snap):
    _set_data(inspector, snap)
    inspector.show_edge(snap, 1, 9, 3, Focus(0))  # from x₁₀ (row 3, column 2) to neuron 4
    images = inspector.images
    assert images.captions()[2].startswith("Weights into neuron 4 of layer 1")
    assert "x₁₀ is the pixel at row 3, column 2" in images.captions()[0]


def test_a_narrow_tall_inspector_puts_the_pictures_above_the_chain_rule(inspector, snap, qtbot):
    _set_data(inspector, snap)
    inspector.show_neuron(snap, 1, 0, Focus(0))
    body = inspector.findChild(QTextBrowser)
    images = inspector.images
    assert images.is_wide() and images.geometry().right() < body.geometry().left()  # beside it
    inspector.resize(360, 760)
    qtbot.waitUntil(lambda: not images.is_wide(), timeout=2000)
    qtbot.waitUntil(lambda: images.geometry().bottom() < body.geometry().top(), timeout=2000)
    # Side by side above the chain rule, both whole: the pictures are not scrolled away.
    assert images.verticalScrollBar().maximum() == 0
    weights = snap.weights[0][:, 0].reshape(SHAPE)
    assert_ordered_like(cell_positions(images.weights_image(), SHAPE, images.weights_cell()), weights)
    inspector.resize(360, 250)  # short: beside the chain rule again, which keeps its lines
    qtbot.waitUntil(images.is_wide, timeout=2000)
