"""`python main.py picture`: one view of a project at a given step, as SVG, PDF (text as text) or PNG.

  python main.py picture --preset circle --step 6 --view matrix --out matrix.svg
  python main.py picture net.json --step 2 --view zoom --neuron 2:1 --out zoom.pdf
  python main.py picture --preset xor --out canvas.png --scale 2 --dark

`--step N` runs N phases first (forward through a layer, the loss, backward through a layer, the update
each count one); `--neuron L:J` (both from 1, as every view numbers them) picks the neuron the Neuron zoom
shows, the canvas rings and the Matrix view highlights. The views are the app's own widgets, drawn
offscreen; bad arguments are reported before anything is trained or written.
"""

from __future__ import annotations

import argparse
import re

from backprop_studio.core.errors import StudioError


def parse_neuron(text: str | None, sizes: tuple[int, ...]) -> tuple[str, int, int]:
    """ "2:1" → ("neuron", 2, 0): layer 2 (1-based, a layer with weights), its first neuron."""
    if text is None:
        return ("neuron", 1, 0)
    match = re.fullmatch(r"\s*(\d+)\s*[:,]\s*(\d+)\s*", text)
    if not match:
        raise StudioError(f"--neuron must be LAYER:NEURON such as 2:1 (both from 1), not {text!r}")
    layer, j = int(match.group(1)), int(match.group(2))
    if not 1 <= layer < len(sizes):
        raise StudioError(f"--neuron {text}: the network has layers 1 to {len(sizes) - 1}")
    if not 1 <= j <= sizes[layer]:
        raise StudioError(f"--neuron {text}: layer {layer} has neurons 1 to {sizes[layer]}")
    return ("neuron", layer, j - 1)


def picture(args: argparse.Namespace) -> int:
    """Run the `picture` command; returns the exit code (errors are StudioError, reported by main)."""
    from backprop_studio.core.commands import load
    from backprop_studio.core.display.position import position_text
    from backprop_studio.core.project.project import open_session
    from backprop_studio.gui.recording.record_command import _ensure_qt, parse_size
    from backprop_studio.gui.teaching.pictures import check_target

    check_target(args.out, args.scale)
    width, height = parse_size(args.size)
    if args.step < 0:
        raise StudioError(f"--step must be 0 or more, not {args.step}")
    session = open_session(load(args.file, args.preset))
    selection = parse_neuron(args.neuron, session.snapshot().sizes)
    if args.step:
        session.run_phases(args.step)
    app = _ensure_qt()
    from backprop_studio.gui.style import theme
    from backprop_studio.gui.teaching.pictures import save_picture

    dark = theme.apply_theme(app, "dark" if args.dark else "light")
    snap = session.snapshot()
    owner, widget = _view(args.view, snap, selection, session, dark, (width, height))
    path = save_picture(widget, args.out, args.scale, f"Backprop Studio · {position_text(snap)}")
    owner.deleteLater()
    print(f"wrote {path}: {args.view} at step {snap.step} ({position_text(snap)})")
    return 0


def _view(view: str, snap, selection: tuple, session, dark: bool, size: tuple[int, int]):
    """(the view's widget, the widget to render): the view filled in and sized. For the Matrix view the
    second is its painted sheet, whole, not the scrolled part."""
    from backprop_studio.core.analysis.focus import Focus
    from backprop_studio.core.teaching.matrix_form import matrix_form
    from backprop_studio.gui.canvas.network_view import NetworkView
    from backprop_studio.gui.panels.matrix_view import MatrixView
    from backprop_studio.gui.panels.neuron_zoom import NeuronZoom

    features = session.dataset.feature_names
    if view == "canvas":
        canvas = NetworkView()
        canvas.set_options(
            dark=dark,
            input_names=features,
            output_names=session.dataset.target_names,
            selected_neuron=selection[1:],
            empty_hint=False,
        )
        canvas.set_snapshot(snap)
        canvas.resize(*size)
        return canvas, canvas
    if view == "zoom":
        zoom = NeuronZoom()
        zoom.set_input_names(features)
        zoom.set_dark(dark)
        zoom.show_neuron(snap, selection[1], selection[2], Focus(0))
        zoom.resize(*size)
        return zoom, zoom
    matrix = MatrixView()
    matrix.set_dark(dark)
    matrix.resize(*size)
    matrix.show_form(matrix_form(snap, selection, session.training), selection, 0)
    return matrix, matrix.sheet()
