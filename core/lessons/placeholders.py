"""Narration with live numbers: `{name}` or `{name@ref}` or `{name:digits}` in a lesson step's text.

Names (see docs/LESSON_FORMAT.md), read for the first sample of the current batch:
  a neuron      z, a, dL/da, f'(z), dL/dz, b, dL/db, Δb, b_new, y (the target; output layer only)
  an input      x, dL/dx
  an edge       w (as this batch used it), dL/dw, Δw (the step the update applied), w_new
  a layer       |dL/dW| (the Frobenius norm ‖dL/dW‖ of its weight gradient)
  the moment    loss, position, step
Without `@ref` a name reads the step's selection; `@2.1` is unit 1 of layer 2 (layer 0: the inputs),
`@2.1.2` the edge from unit 1 of layer 1 to unit 2 of layer 2, `@3` layer 3 — all 1-based. `:9` asks
for 9 significant digits (default 3). `{{` and `}}` write a brace. Numbers go through the app's one
format (`format_number`), a negative one in parentheses right after an operator ("0.5 · (−0.82)"); a
value the session has not computed yet reads "(not computed yet)".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from backprop_studio.core.analysis.chain_rule import bias_terms, edge_terms, input_terms, neuron_terms
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.display.numbers import SIGNIFICANT, format_number, wrapped
from backprop_studio.core.display.position import position_text
from backprop_studio.core.lessons.model import Selection
from backprop_studio.core.training.snapshot import Snapshot

NEURON = ("z", "a", "dL/da", "f'(z)", "dL/dz", "b", "dL/db", "Δb", "b_new", "y")
INPUT = ("x", "dL/dx")
EDGE = ("w", "dL/dw", "Δw", "w_new")
LAYER = ("|dL/dW|",)
MOMENT = ("loss", "position", "step")
NAMES = (*NEURON, *INPUT, *EDGE, *LAYER, *MOMENT)
ALIASES = {"f′(z)": "f'(z)", "‖dL/dW‖": "|dL/dW|"}
NOT_YET = "(not computed yet)"
# A negative number right after one of these is put in parentheses: "0.5 · (−0.82)", not "0.5 · −0.82".
OPERATORS = ("· ", "×", "× ", "* ", "+ ", "− ", "- ", "/ ", "·")
MAX_DIGITS = 17
FIRST_SAMPLE = Focus(0)
_TOKENS = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


@dataclass(frozen=True)
class Placeholder:
    name: str
    ref: tuple[int, ...] | None  # 1 part: a layer; 2: a neuron (layer, unit); 3: an edge (layer, from, to)
    digits: int = SIGNIFICANT


def parse(text: str) -> list[str | Placeholder]:
    """The narration as literal text and placeholders; ValueError names the first malformed one."""
    parts: list[str | Placeholder] = []
    at = 0
    for match in _TOKENS.finditer(text):
        parts.append(text[at : match.start()])
        at = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
        elif match.group(1) is None:
            raise ValueError(
                f"a lone {token!r} at character {match.start() + 1}; write {token * 2} for a brace"
            )
        else:
            parts.append(_placeholder(match.group(1)))
    parts.append(text[at:])
    return [p for p in parts if p != ""]


def _placeholder(body: str) -> Placeholder:
    inner = body.strip()
    digits = SIGNIFICANT
    found = re.fullmatch(r"(.*):(\d+)", inner)
    if found:
        inner, digits = found.group(1), int(found.group(2))
        if not 1 <= digits <= MAX_DIGITS:
            raise ValueError(f"{{{body}}}: digits must be from 1 to {MAX_DIGITS}, not {digits}")
    ref = None
    if "@" in inner:
        inner, _, ref_text = inner.rpartition("@")
        if not re.fullmatch(r"\d+(\.\d+){0,2}", ref_text):
            raise ValueError(
                f"{{{body}}}: the reference after @ must be L, L.j or L.i.j (1-based), not {ref_text!r}"
            )
        ref = tuple(int(p) for p in ref_text.split("."))
    name = ALIASES.get(inner.strip(), inner.strip())
    if name not in NAMES:
        raise ValueError(f"{{{body}}}: unknown placeholder {name!r}; expected one of {', '.join(NAMES)}")
    if ref is not None and name in MOMENT:
        raise ValueError(f"{{{body}}}: {name} is about the moment and takes no @reference")
    return Placeholder(name, ref, digits)


def target_of(p: Placeholder, selection: Selection | None) -> tuple[int, ...] | None:
    """The (layer,), (layer, unit) or (layer, from, to) a placeholder reads, 1-based; None for the moment's."""
    if p.name in MOMENT:
        return None
    if p.ref is not None:
        return p.ref
    if selection is None:
        return ()
    if p.name in LAYER:
        return (selection.layer,)
    if selection.source is None:
        return (selection.layer, selection.unit)
    return (selection.layer, selection.source, selection.unit)


def check(text: str, sizes: tuple[int, ...], selection: Selection | None) -> None:
    """Refuse (ValueError) a narration whose placeholders do not fit the network `sizes` (inputs, layer
    units…) or need a selection the step does not have."""
    for p in parse(text):
        if isinstance(p, Placeholder):
            _check_one(p, target_of(p, selection), sizes)


def _check_one(p: Placeholder, target: tuple[int, ...] | None, sizes: tuple[int, ...]) -> None:
    if target is None:
        return
    wanted = {**dict.fromkeys(NEURON, 2), **dict.fromkeys(INPUT, 2), **dict.fromkeys(EDGE, 3)}.get(p.name, 1)
    what = {1: "a layer", 2: "a neuron", 3: "an edge"}[wanted]
    if len(target) != wanted:
        where = "the step selects none" if target == () else f"@{'.'.join(map(str, target))} is not {what}"
        raise ValueError(f"{{{p.name}}} reads {what}, and {where}")
    layer = target[0]
    last = len(sizes) - 1
    low = 0 if p.name in INPUT else 1
    high = 0 if p.name in INPUT else last
    if not low <= layer <= high:
        span = "layer 0 (the inputs)" if p.name in INPUT else f"layers 1 to {last}"
        raise ValueError(f"{{{p.name}}} reads {span}, not layer {layer}")
    if p.name == "y" and layer != last:
        raise ValueError(f"{{y}} is the target of an output unit (layer {last}), not of layer {layer}")
    if wanted == 1:
        return
    units = [(target[-1], sizes[layer])]
    if wanted == 3:
        units.append((target[1], sizes[layer - 1]))
    for unit, size in units:
        if not 1 <= unit <= size:
            raise ValueError(f"{{{p.name}}}: unit {unit} does not exist (that layer has {size})")


def fill(text: str, snap: Snapshot, selection: Selection | None) -> str:
    """The narration with every placeholder replaced by its value in `snap` (checked text assumed)."""
    out: list[str] = []
    for p in parse(text):
        if isinstance(p, str):
            out.append(p)
            continue
        value = value_of(p, snap, selection)
        if isinstance(value, str):
            out.append(value)
        elif value is None:
            out.append(NOT_YET)
        else:
            number = format_number(value, p.digits)
            after_operator = bool(out) and out[-1].endswith(OPERATORS)
            out.append(wrapped(number) if after_operator else number)
    return "".join(out)


def value_of(p: Placeholder, snap: Snapshot, selection: Selection | None) -> float | str | None:
    """The number (or, for `position`, the text) a placeholder stands for; None when not computed yet."""
    if p.name == "loss":
        return None if snap.loss is None or snap.phase is None else float(snap.loss)
    if p.name == "position":
        return position_text(snap)
    if p.name == "step":
        return f"{snap.step:,}"
    target = target_of(p, selection)
    assert target
    return _READERS[p.name](snap, target)


def _neuron(read: Callable[..., float | None]) -> Callable[[Snapshot, tuple[int, ...]], float | None]:
    def reader(snap: Snapshot, target: tuple[int, ...]) -> float | None:
        terms = neuron_terms(snap, target[0], target[1] - 1, FIRST_SAMPLE)
        return read(terms)

    return reader


def _forward(field: str) -> Callable[[Snapshot, tuple[int, ...]], float | None]:
    return _neuron(lambda t: None if t.forward is None else getattr(t.forward, field))


def _backward(field: str) -> Callable[[Snapshot, tuple[int, ...]], float | None]:
    return _neuron(lambda t: None if t.backward is None else getattr(t.backward, field))


def _bias(field: str) -> Callable[[Snapshot, tuple[int, ...]], float | None]:
    return lambda snap, t: getattr(bias_terms(snap, t[0], t[1] - 1), field)


def _edge(field: str) -> Callable[[Snapshot, tuple[int, ...]], float | None]:
    return lambda snap, t: getattr(edge_terms(snap, t[0], t[1] - 1, t[2] - 1), field)


def _input(field: str) -> Callable[[Snapshot, tuple[int, ...]], float | None]:
    return lambda snap, t: getattr(input_terms(snap, t[1] - 1, FIRST_SAMPLE), field)


def _target(snap: Snapshot, target: tuple[int, ...]) -> float | None:
    """y_j of the first sample, known once its batch is loaded."""
    return None if snap.y is None or snap.phase is None else float(snap.y[0, target[1] - 1])


def _gradient_norm(snap: Snapshot, target: tuple[int, ...]) -> float | None:
    dw = snap.layers[target[0] - 1].dW
    return None if dw is None else float(np.linalg.norm(dw))


_READERS: dict[str, Callable[[Snapshot, tuple[int, ...]], float | None]] = {
    "z": _forward("z"),
    "a": _forward("a"),
    "dL/da": _backward("da"),
    "f'(z)": _backward("local"),
    "dL/dz": _backward("dz"),
    "y": _target,
    "b": _bias("bias"),
    "dL/db": _bias("gradient"),
    "Δb": _bias("step"),
    "b_new": _bias("bias_after"),
    "x": _input("x"),
    "dL/dx": _input("dx"),
    "w": _edge("weight"),
    "dL/dw": _edge("gradient"),
    "Δw": _edge("step"),
    "w_new": _edge("weight_after"),
    "|dL/dW|": _gradient_norm,
}
