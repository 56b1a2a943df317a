"""The Inspector's page: lines of headings, formulas and notes, packed to the panel's width, and their HTML.

A `Page` is filled by one narrative (neuron_text, input_text, edge_text) and rendered by the widget. It
only decides layout: which terms fit a line, when a long sum is shortened, how many digits to keep. Every
number goes through `core/display/numbers`, and a negative number after an operator is put in
parentheses ("−4.66·(−0.2426)").
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from backprop_studio.core.display.numbers import format_change, format_number, wrapped
from backprop_studio.gui.style.colors import Palette

SIGNIFICANT = 4  # the Inspector shows a digit more than the canvas: sums must be checked by hand
# Sums longer than this are cut to their first COLLAPSED_HEAD terms, "…" and the total, unless "show all".
MAX_TERMS = 8
COLLAPSED_HEAD = 6
MIN_COLUMNS = 24


@dataclass
class Line:
    style: str  # "forward" / "backward" / "update" (headings), "math", "result", "aside" (muted math), "note"
    text: str


@dataclass
class Page:
    """What one narrative writes: title, subtitle, body lines, exact values and the editable parameter."""

    columns: int
    exact: bool = False
    show_all: bool = False
    title: str = ""
    subtitle: str = ""
    lines: list[Line] = field(default_factory=list)
    exact_values: list[str] = field(default_factory=list)  # "name = exact value" for the tooltip
    edit_value: float | None = None  # the weight or bias the editor offers (None: nothing to edit)
    edit_label: str = ""

    def __post_init__(self) -> None:
        self.columns = max(self.columns, MIN_COLUMNS)

    # ----------------------------------------------------------------- numbers

    def num(self, value: float | None) -> str:
        return "?" if value is None else format_number(value, SIGNIFICANT, exact=self.exact)

    def change(self, before: float, after: float) -> tuple[str, str]:
        """A value before and after an update, with the digits that show the change (core's one rule)."""
        if self.exact:
            return self.num(before), self.num(after)
        return format_change(before, after, SIGNIFICANT)

    def after_op(self, value: float) -> str:
        """A number that follows an operator: negative ones in parentheses."""
        return wrapped(self.num(value))

    def product(self, x: float, y: float) -> str:
        return f"({self.num(x)}·{self.after_op(y)})"

    # ----------------------------------------------------------------- lines

    def heading(self, style: str, text: str) -> None:
        self.lines.append(Line(style, text))

    def note(self, text: str) -> None:
        self.lines.append(Line("note", text))

    def math(self, text: str, style: str = "math") -> None:
        self.lines.append(Line(style, text))

    def remember(self, name: str, value: float) -> None:
        self.exact_values.append(f"{name} = {format_number(value, exact=True)}")

    def editor(self, value: float | None, label: str = "") -> None:
        self.edit_value, self.edit_label = value, label

    def limited(self, terms: list[str]) -> list[str]:
        if self.show_all or len(terms) <= MAX_TERMS:
            return terms
        hidden = len(terms) - COLLAPSED_HEAD
        # No-break spaces: the marker must never be split across two lines by the label's wrapping.
        return [*terms[:COLLAPSED_HEAD], f"…{hidden}\u00a0more\u00a0terms…"]

    def chain(self, lhs: str, steps: list[str], style: str = "result") -> None:
        """lhs = s₁ = s₂ = … on one line when it fits, else one '= sₖ' per line under the first.

        The last step is the value core computed; its line gets `style`."""
        one_line = f"{lhs} = " + " = ".join(steps)
        if len(one_line) <= self.columns:
            self.math(one_line, style)
            return
        pad = " " * len(lhs)
        self.math(f"{lhs} = {steps[0]}")
        for step in steps[1:-1]:
            self.math(f"{pad} = {step}")
        self.math(f"{pad} = {steps[-1]}", style)

    def equation(self, lhs: str, symbolic: str, terms: list[str], result: str) -> None:
        """lhs = symbolic / = t₁ + t₂ + … (packed to the width) / = result, aligned on the '='."""
        pad = " " * len(lhs)
        self.math(f"{lhs} = {symbolic}")
        line = f"{pad} = "
        first = True
        for term in terms:
            piece = term if first else f" + {term}"
            if not first and len(line) + len(piece) > self.columns:
                self.math(line)
                line = f"{pad} + {term}"
            else:
                line += piece
            first = False
        self.math(line)
        self.math(f"{pad} = {result}", "result")

    def text(self) -> str:
        return "\n".join([self.title, self.subtitle, *(line.text for line in self.lines)])


def to_html(lines: list[Line], colors: Palette, mono_family: str, mono_points: float) -> str:
    """Headings in their phase's color, formulas in a monospace font that keeps its layout, notes muted."""

    def rgb(c: tuple[int, int, int]) -> str:
        return "rgb({},{},{})".format(*c)

    heading = {"forward": colors.forward, "backward": colors.loss, "update": colors.update}
    mono = html.escape(mono_family)
    size = f"{mono_points:g}"
    out = []
    for line in lines:
        text = html.escape(line.text)
        if line.style in heading:
            out.append(
                f'<div style="color:{rgb(heading[line.style])}; font-weight:600; '
                f'margin-top:10px; margin-bottom:2px;">{text}</div>'
            )
        elif line.style in ("math", "result", "aside"):
            extra = {"result": "font-weight:600;", "aside": f"color:{rgb(colors.muted)};"}.get(line.style, "")
            out.append(
                f"<div style=\"font-family:'{mono}'; font-size:{size}pt; white-space:pre; {extra}\">"
                f"{text}</div>"
            )
        else:
            # Word joiners around '/' keep "dL/dz" on one line when the note wraps.
            text = text.replace("/", "\u2060/\u2060")
            out.append(f'<div style="color:{rgb(colors.muted)}; margin-top:2px;">{text}</div>')
    return "".join(out)
