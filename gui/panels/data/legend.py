"""The line under the data plot that says what its colors, rings and lines mean (rich text)."""

from __future__ import annotations

import html

from backprop_studio.core.data.dataset import Dataset
from backprop_studio.gui.style.colors import RGB, class_color, palette


def hex_color(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def dot(rgb: RGB, glyph: str = "●") -> str:
    """`glyph` in color `rgb`, as rich text."""
    return f"<span style='color:{hex_color(rgb)}'>{glyph}</span>"


def joined(parts: list[str], dark: bool) -> str:
    """`parts` in the text color, separated by muted middle dots."""
    p = palette(dark)
    sep = f" <span style='color:{hex_color(p.muted)}'>·</span> "
    return f"<span style='color:{hex_color(p.text)}'>{sep.join(parts)}</span>"


def _number(value: float) -> str:
    return f"{value:g}".replace("-", "−")


def plot_legend(ds: Dataset | None, dark: bool, center: float, span: float) -> str:
    """What the plane / prediction view shows for `ds`; `center` and `span` place target values on the
    output map's color scale (planar regression)."""
    p = palette(dark)
    if ds is None:
        return f"<span style='color:{hex_color(p.muted)}'>No data.</span>"
    parts = []
    if ds.labels_train is not None and (ds.is_planar or ds.n_outputs == 1):
        parts += [f"{dot(class_color(k, dark))} class {k}" for k in range(max(ds.classes, 2))]
    elif not ds.is_planar and ds.n_outputs > 1:
        names = ds.target_names or tuple(f"y{u + 1}" for u in range(ds.n_outputs))
        # Target names come from a CSV header: escaped, so markup in them shows as typed.
        parts += [f"{dot(class_color(u, dark))} {html.escape(name)}" for u, name in enumerate(names)]
    elif ds.is_planar:
        parts.append(
            f"{dot(p.negative)} {_number(center - span)} … {dot(p.muted, '○')} {_number(center)} … "
            f"{dot(p.positive)} {_number(center + span)} (target value)"
        )
    parts.append(f"{dot(p.text)} train &nbsp;{dot(p.text, '○')} test")
    parts.append(f"{dot(p.selection, '◯')} in batch")
    parts.append(f"{dot(p.selection, '◎')} inspected (click a point)")
    if ds.is_planar:
        if ds.labels_train is not None and ds.n_outputs > 1:
            parts.append("background: predicted class (paler = less sure)")
        elif ds.labels_train is not None:
            parts.append("background: network output, line: decision boundary")
        else:
            parts.append("background: network output")
    elif ds.n_inputs == 1:
        parts.append("line: prediction")
    else:
        parts.append("dashed: prediction = target")
    return joined(parts, dark)
