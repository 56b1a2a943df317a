"""The canvas renderer draws every state of a batch, with a level of detail that fits the net."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.training.snapshot import Phase, phases_of_batch
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.canvas.renderer import CanvasRenderer
from backprop_studio.gui.canvas.tooltips import describe_neuron
from backprop_studio.gui.style.colors import palette

from tests.gui.canvas.painting import BIG, SMALL, STATES, node_box, render
from tests.snapshot_factory import make_snapshot


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("mode", ["values", "gradients"])
@pytest.mark.parametrize("state", list(STATES))
def test_every_state_draws_every_node(qapp, state, mode, dark):
    snapshot = make_snapshot(SMALL, 1, STATES[state])
    pixels, renderer = render(snapshot, CanvasOptions(mode=mode, dark=dark))
    background = np.array(palette(dark).background)
    assert (pixels[2, 2] == background).all()
    for layer, n in enumerate(SMALL):
        for index in range(n):
            box = node_box(pixels, renderer, layer, index)
            assert (box != background).any(axis=2).sum() > 20, (layer, index)


def test_nodes_not_computed_yet_are_hollow(qapp):
    """Mid forward, layer 3 has no activation yet: its node is the empty fill, layer 1's is colored."""
    snapshot = make_snapshot(SMALL, 1, Phase("forward", 1))
    pixels, renderer = render(snapshot, CanvasOptions(show_values=False))
    lay = renderer.last_layout
    empty = np.array(palette(False).node_empty)

    def fill(layer: int, index: int) -> np.ndarray:
        c = lay.node_center(layer, index)
        return pixels[round(c.y() - lay.radius[layer] / 2), round(c.x() + lay.radius[layer] / 3)]

    assert (fill(3, 0) == empty).all()
    assert not (fill(1, 0) == empty).all()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_big_net_renders_with_level_of_detail(qapp, dark):
    snapshot = make_snapshot((784, 64, 10), 3, Phase("backward", 1))
    pixels, renderer = render(snapshot, CanvasOptions(dark=dark), 1280, 720)
    stats = renderer.last_stats
    assert stats.edges_total == 784 * 64 + 64 * 10
    assert not stats.antialiased
    assert 0 < stats.edges_drawn < stats.edges_total
    assert not stats.values_shown
    assert renderer.last_layout.dense[0]  # 784 inputs are a strip, not circles
    assert (node_box(pixels, renderer, 2, 0) != np.array(palette(dark).background)).any()


def test_values_are_written_on_small_nets_only(qapp):
    _, small = render(make_snapshot(SMALL, 1), CanvasOptions())
    assert small.last_stats.values_shown and small.last_stats.edge_labels_shown
    _, big = render(make_snapshot(BIG, 1), CanvasOptions())
    assert not big.last_stats.values_shown and not big.last_stats.edge_labels_shown
    _, forced_off = render(make_snapshot(SMALL, 1), CanvasOptions(show_values=False))
    assert not forced_off.last_stats.values_shown
    assert CanvasRenderer.values_shown(BIG, CanvasOptions(show_values=True))


def test_written_values_change_the_picture(qapp):
    snapshot = make_snapshot(SMALL, 1)
    with_numbers, _ = render(snapshot, CanvasOptions(show_values=True))
    without, _ = render(snapshot, CanvasOptions(show_values=False))
    assert (with_numbers != without).any(axis=2).sum() > 500


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("phase", [Phase("forward", 2), Phase("backward", 3), Phase("loss"), Phase("update")])
def test_the_phase_is_highlighted(qapp, phase, dark):
    options = CanvasOptions(dark=dark)
    pixels, renderer = render(make_snapshot(SMALL, 1, phase), options)
    band = renderer.last_stats.band
    assert band is not None and band.kind == phase.kind
    # Just above the band's bottom edge there are no nodes or edges: only the band or the background.
    x, y = round(band.rect.left() + 14), round(band.rect.bottom() - 5)
    background = np.array(palette(dark).background)
    assert not (pixels[y, x] == background).all()
    plain, plain_renderer = render(make_snapshot(SMALL, 1, None), options)
    assert plain_renderer.last_stats.band is None
    assert (plain[y, x] == background).all()


def test_band_covers_the_layer_of_the_phase(qapp):
    _, renderer = render(make_snapshot(SMALL, 1, Phase("backward", 2)), CanvasOptions())
    lay, band = renderer.last_layout, renderer.last_stats.band
    assert band.gaps == {2}
    assert band.rect.left() < lay.xs[2] < band.rect.right()
    assert not band.rect.left() < lay.xs[1] - lay.radius[1] < band.rect.right()
    _, renderer = render(make_snapshot(SMALL, 1, Phase("update")), CanvasOptions())
    assert renderer.last_stats.band.gaps == {1, 2, 3}


def test_heatmaps_are_drawn_inside_the_nodes(qapp):
    snapshot = make_snapshot(SMALL, 1)
    maps = [np.full((n, 8, 8), -1.0) for n in SMALL[1:]]  # strongly negative everywhere: orange
    pixels, renderer = render(snapshot, CanvasOptions(heatmaps=True), maps=maps)
    assert renderer.last_stats.heatmaps_shown
    c = renderer.last_layout.node_center(1, 0)
    r = renderer.last_layout.radius[1]
    assert (pixels[round(c.y() - r / 2), round(c.x() + r / 2)] == np.array(palette(False).negative)).all()


def test_selection_and_debugger_flags_render(qapp):
    options = CanvasOptions(
        selected_neuron=(1, 2),
        selected_edge=(2, 1, 0),
        highlight_layers=frozenset({3}),
        highlight_neurons=frozenset({(1, 0)}),
        highlight_edges=frozenset({(1, 0, 3), (9, 9, 9)}),  # out-of-range flags are ignored
    )
    flagged, _ = render(make_snapshot(SMALL, 1), options)
    plain, _ = render(make_snapshot(SMALL, 1), CanvasOptions())
    assert (flagged != plain).any(axis=2).sum() > 200


def test_focus_picks_one_sample(qapp):
    snapshot = make_snapshot(SMALL, 1, Phase("forward", 3))
    _, mean = render(snapshot, CanvasOptions())
    _, one = render(snapshot, CanvasOptions(focus=2))
    assert mean.last_stats.node_vmax == pytest.approx(
        max(np.abs(layer.a.mean(axis=0)).max() for layer in snapshot.layers)
    )
    assert one.last_stats.node_vmax == pytest.approx(
        max(np.abs(layer.a[2]).max() for layer in snapshot.layers)
    )
    assert f"sample #{int(snapshot.batch_indices[2]) + 1}" in describe_neuron(
        snapshot, CanvasOptions(focus=2), 1, 0
    )
    assert "batch mean" in describe_neuron(snapshot, CanvasOptions(focus=99), 1, 0)


def test_every_phase_of_a_real_session_renders(qapp):
    from backprop_studio.core.project.presets_catalog import load_preset
    from backprop_studio.core.project.project import open_session

    session = open_session(load_preset("circle"))
    snapshots = [session.snapshot()]
    for _ in phases_of_batch(session.snapshot().n_layers):
        session.step()
        snapshots.append(session.snapshot())
    for snapshot in snapshots:
        for mode in ("values", "gradients"):
            _, renderer = render(snapshot, CanvasOptions(mode=mode))
            assert renderer.last_stats.edges_total == sum(
                a * b for a, b in zip(snapshot.sizes[:-1], snapshot.sizes[1:], strict=True)
            )
