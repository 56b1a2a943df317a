"""A recorded lesson shows the step's explanation view beside the canvas, with the session's numbers
recomputed here by hand, the step's selection marked on the canvas, and each view painted once a scene."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.display.numbers import format_number as n
from backprop_studio.core.lessons.catalog import load_builtin
from backprop_studio.core.lessons.reader import read_lesson
from backprop_studio.core.lessons.runner import LessonRunner
from backprop_studio.gui.recording import lesson_frames
from backprop_studio.gui.recording.lesson_frames import LessonFrameRenderer
from backprop_studio.gui.recording.lesson_record import LessonClip, side_scene, stream_lesson
from backprop_studio.gui.style.colors import palette
from PySide6.QtGui import QImage

ACTIVATIONS = {
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a)),
    "tanh": (np.tanh, lambda z, a: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0).astype(float)),
}


def scene_at(name: str, index: int):
    runner = LessonRunner(load_builtin(name))
    for scene in runner.play():
        if scene.index == index:
            return runner, scene
    raise AssertionError(f"{name} has no step {index + 1}")


def paint(runner, scene, size=(1920, 1080)):
    """One held frame of `scene` as the recorder paints it; (renderer, image)."""
    renderer = LessonFrameRenderer(*size, "full", runner.lesson.title, False)
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    side = side_scene(runner, scene)
    data = None  # a frame with a side view has no data panel
    snap = scene.snapshot
    renderer.render(
        snap, scene.stage.show, scene.counter, scene.narration, data, None, image, side.selection, side
    )
    return renderer, image


def by_hand(snap):
    """Forward and backward of an MSE network in plain NumPy from the batch and the weights it used:
    per layer (z, a, dL/da, f′(z), dL/dz), each (batch, units)."""
    a, layers = snap.x, []
    for w, b, name in zip(snap.weights, snap.biases, snap.activations):
        f, _ = ACTIVATIONS[name]
        z = a @ w + b
        a = f(z)
        layers.append([z, a])
    da = (a - snap.y) / snap.x.shape[0]  # L = (1/B) Σ ½(ŷ − y)²
    for k in range(len(layers) - 1, -1, -1):
        z, a = layers[k]
        local = ACTIVATIONS[snap.activations[k]][1](z, a)
        dz = da * local
        layers[k] += [da, local, dz]
        da = dz @ snap.weights[k].T
    return layers


def line_starting(labels: list[str], head: str) -> str:
    found = [text for text in labels if text.startswith(head)]
    assert found, f"no line starts with {head!r} in {labels}"
    return found[0]


def test_the_inspector_beside_the_canvas_shows_the_selected_neurons_chain_rule(qapp):
    # Step 5 of "vanishing-gradient": neuron 1 of layer 2 after backward through layer 1, batch of 10.
    runner, scene = scene_at("vanishing-gradient", 4)
    assert scene.stage.view == "Inspector" and scene.stage.selection.as_view_tuple() == ("neuron", 2, 0)
    renderer, _ = paint(runner, scene)
    labels = renderer.side_views.labels
    z, a, da, local, dz = (v[0, 0] for v in by_hand(scene.snapshot)[1])  # the batch's first sample
    assert scene.snapshot.x.shape[0] == 10  # so a batch mean would differ from the first sample
    assert "Neuron 1 of layer 2" in labels
    assert line_starting(labels, "z = ").endswith(f" = {n(z)}")
    assert line_starting(labels, "a = ").endswith(f"({n(z)}) = {n(a)}")
    assert line_starting(labels, "dL/da = ").endswith(f" = {n(da)}")
    assert line_starting(labels, "f′(z) = ").endswith(f" = {n(local)}")
    assert line_starting(labels, "dL/dz = ").endswith(f" = {n(dz)}")


def test_the_frame_holds_the_side_view_and_the_side_view_holds_text(qapp):
    runner, scene = scene_at("vanishing-gradient", 4)
    renderer, image = paint(runner, scene)
    rect = renderer._renderer(scene.stage.show, True, len(scene.snapshot.sizes)).side_rect
    side = renderer.side_views.image(
        side_scene(runner, scene), round(rect.width()), round(rect.height()), None
    )
    left, top = round(rect.left()), round(rect.top())
    framed = image.copy(left, top, side.width(), side.height())
    assert framed == side  # the view is in the frame, pixel for pixel
    assert rect.left() > 0.5 * image.width()  # beside the canvas, on the right, as the window docks it
    pixels = np.frombuffer(bytes(side.constBits()), np.uint32)
    text = palette(False).text
    ink = 0xFF000000 | (text[0] << 16) | (text[1] << 8) | text[2]
    assert (pixels == ink).sum() > 500  # glyphs in the text color, not an empty card


def test_the_neuron_zoom_side_view_is_the_panels_graph_with_this_neurons_numbers(qapp):
    # Step 2 of "mazur": neuron 1 of layer 1 after forward through layer 1 (Mazur: out_h1 = 0.593269992).
    runner, scene = scene_at("mazur", 1)
    assert scene.stage.view == "Neuron zoom"
    renderer, _ = paint(runner, scene)
    labels = renderer.side_views.labels
    z, a = (v[0, 0] for v in by_hand_forward(scene.snapshot, 1))
    assert abs(a - 0.593269992) < 1e-9
    assert f"z {n(z)}" in labels and f"a {n(a)}" in labels
    assert renderer.side_views.zoom_text_px >= 22  # readable on a projector at 1080p


def by_hand_forward(snap, layer):
    a = snap.x
    for k in range(layer):
        z = a @ snap.weights[k] + snap.biases[k]
        a = ACTIVATIONS[snap.activations[k]][0](z)
    return z, a


def test_the_matrix_side_view_prints_z_equals_a_w_plus_b(qapp):
    lesson = read_lesson(
        {
            "format": "backprop-studio-lesson",
            "version": 1,
            "title": "Matrix",
            "project": "xor",
            "steps": [
                {"advance": "phase", "view": "Matrix", "select": {"layer": 1, "unit": 2}, "text": "Z."}
            ],
        }
    )
    runner = LessonRunner(lesson)
    scene = runner.next()
    renderer, _ = paint(runner, scene)
    labels = renderer.side_views.labels
    snap = scene.snapshot
    z = snap.x @ snap.weights[0] + snap.biases[0]
    assert "Z₁ = X·W₁ + b₁" in labels
    b = snap.x.shape[0]
    assert f"({b}×2)·(2×4) + (4) → ({b}×4)" in labels
    # The first row of Z₁ is printed whole, as computed here.
    for value in z[0]:
        assert n(value) in labels


def ring_share(image: QImage, center: tuple[float, float], radius: float, rgb) -> float:
    """The share of points on a circle whose pixel is `rgb` (±12 per channel)."""
    hits = 0
    angles = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    for t in angles:
        color = image.pixelColor(round(center[0] + radius * np.cos(t)), round(center[1] + radius * np.sin(t)))
        hits += all(abs(c - v) <= 12 for c, v in zip((color.red(), color.green(), color.blue()), rgb))
    return hits / len(angles)


def test_the_selected_neuron_is_ringed_in_the_selection_color(qapp):
    runner, scene = scene_at("mazur", 1)  # neuron 1 of layer 1 selected
    renderer, image = paint(runner, scene)
    body = renderer._renderer(scene.stage.show, True, len(scene.snapshot.sizes))
    lay = body.canvas_layout
    scale = body._canvas_map[0]
    selected = body.to_frame(float(lay.xs[1]), float(lay.ys[1][0]))
    other = body.to_frame(float(lay.xs[1]), float(lay.ys[1][1]))
    ring = (lay.radius[1] + 5 * lay.unit) * scale
    selection = palette(False).selection
    assert ring_share(image, selected, ring, selection) > 0.8
    assert ring_share(image, other, ring, selection) < 0.1


def test_the_selected_edge_is_highlighted_in_the_selection_color(qapp):
    runner, scene = scene_at("mazur", 0)  # w5: from h1 (layer 1, unit 1) to o1
    assert scene.stage.selection.as_view_tuple() == ("edge", 2, 0, 0)
    renderer, image = paint(runner, scene)
    body = renderer._renderer(scene.stage.show, True, len(scene.snapshot.sizes))
    lay = body.canvas_layout
    scale = body._canvas_map[0]
    selection = palette(False).selection

    def halo_hits(edge_index: int) -> int:
        x1, y1, x2, y2 = lay.edge_lines[edge_index]
        (fx1, fy1), (fx2, fy2) = body.to_frame(x1, y1), body.to_frame(x2, y2)
        normal = np.array([fy1 - fy2, fx2 - fx1]) / np.hypot(fx2 - fx1, fy2 - fy1)
        hits = 0
        for t in np.linspace(0.3, 0.7, 9):  # the middle of the edge, away from the nodes and labels
            px, py = fx1 + t * (fx2 - fx1), fy1 + t * (fy2 - fy1)
            for offset in np.arange(-6, 7) * scale * lay.unit:
                c = image.pixelColor(round(px + offset * normal[0]), round(py + offset * normal[1]))
                hits += all(abs(a - b) <= 12 for a, b in zip((c.red(), c.green(), c.blue()), selection))
        return hits

    marked = lay.edge_index(2, 0, 0)
    assert halo_hits(marked) >= 9  # the halo on both sides of the edge, along its middle
    assert halo_hits(lay.edge_index(2, 1, 1)) == 0


def test_each_scenes_side_view_is_painted_once_however_many_frames(qapp, tmp_path, monkeypatch):
    paints: list[str] = []
    original = lesson_frames.SideViews._paint

    def counted(self, painter, rect, scene, dataset):
        paints.append(scene.view)
        return original(self, painter, rect, scene, dataset)

    monkeypatch.setattr(lesson_frames.SideViews, "_paint", counted)
    lesson = load_builtin("mazur")
    clip = LessonClip(str(tmp_path / "frames") + "/", 320, 180, 10, hold=0.3, transition=0.3)
    _, frames = stream_lesson(lesson, clip)
    views = [stage.view for stage in lesson.stages()]
    assert paints == views  # one paint per scene, in order, though each scene has several frames
    assert frames > 3 * len(views)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_a_step_without_a_view_keeps_the_data_and_loss_panels(qapp, size):
    runner, scene = scene_at("vanishing-gradient", 0)
    assert scene.stage.view == "Loss"
    renderer = LessonFrameRenderer(*size, "full", "t", False)
    assert renderer.wants_data(None)
    assert not renderer.wants_data(side_scene(runner, scene))


def test_gradient_health_shows_each_layers_gradient_norm_beside_its_name(qapp):
    runner, scene = scene_at("vanishing-gradient", 3)
    assert scene.stage.view == "Gradient health"
    renderer, _ = paint(runner, scene)
    labels = renderer.side_views.labels
    snap = scene.snapshot
    for k, layer in enumerate(snap.layers, start=1):
        norm = float(np.sqrt(np.sum(layer.dW**2)))  # ‖dL/dW‖, the Frobenius norm
        name = "Output layer" if k == snap.n_layers else "Layer"
        where = labels.index(f"{name} {k} · {snap.activations[k - 1]}")
        assert labels[where + 1] == n(norm)  # the bar's number follows its layer's name
    first, last = (float(np.sqrt(np.sum(snap.layers[i].dW ** 2))) for i in (0, -1))
    assert f"shrinks {last / first:,.0f}-fold" in " ".join(labels)


def test_the_breakpoints_view_lists_the_watch_and_the_message_of_the_hit(qapp):
    runner, scene = scene_at("vanishing-gradient", 2)
    assert scene.stage.view == "Breakpoints" and scene.hit is not None
    renderer, _ = paint(runner, scene)
    labels = renderer.side_views.labels
    watch = runner.file_watches[0]
    assert f"● {watch.describe()}" in labels
    assert scene.hit.message in labels
    norm = float(np.sqrt(np.sum(scene.snapshot.layers[0].dW ** 2)))
    assert norm < 1e-4  # the hit it reports is real
