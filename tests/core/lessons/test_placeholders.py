"""Narration placeholders read the live numbers of a snapshot, checked against a hand computation.

The network: one input, one linear unit, x = 2, y = 1, w = 0.5, b = 0.25, mse, SGD lr 0.1:
  z = a = 2·0.5 + 0.25 = 1.25;  L = ½(1.25 − 1)² = 0.03125;  dL/da = dL/dz = 0.25, f′ = 1;
  dL/dw = x·0.25 = 0.5, Δw = −0.05, w_new = 0.45;  dL/db = 0.25, b_new = 0.225;  dL/dx = w·0.25 = 0.125.
"""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.lessons.model import Selection
from backprop_studio.core.lessons.placeholders import NOT_YET, Placeholder, check, fill, parse

from tests.engine_helpers import dataset, network, session, training


def _session():
    return session(
        network(1, (1, "linear")),
        training(lr=0.1, batch_size=1),
        dataset([[2.0]], [[1.0]]),
        weights=[np.array([[0.5]])],
        biases=[np.array([0.25])],
    )


NEURON, EDGE = Selection(1, 1), Selection(1, 1, source=1)


def test_before_any_batch_values_not_computed_say_so() -> None:
    snap = _session().snapshot()
    assert (
        fill("z = {z}, w = {w@1.1.1}, L = {loss}", snap, NEURON) == f"z = {NOT_YET}, w = 0.5, L = {NOT_YET}"
    )


def test_every_neuron_edge_and_input_name_reads_its_hand_computed_value() -> None:
    s = _session()
    s.advance("batch")
    snap = s.snapshot()
    text = "z={z} a={a} da={dL/da} f'={f'(z)} dz={dL/dz} b={b} db={dL/db} Δb={Δb} b+={b_new} y={y}"
    assert (
        fill(text, snap, NEURON) == "z=1.25 a=1.25 da=0.25 f'=1 dz=0.25 b=0.25 db=0.25 Δb=−0.025 b+=0.225 y=1"
    )
    assert fill("w={w} g={dL/dw} Δw={Δw} w+={w_new}", snap, EDGE) == "w=0.5 g=0.5 Δw=−0.05 w+=0.45"
    assert (
        fill("x={x@0.1} dx={dL/dx@0.1} L={loss:4} n={|dL/dW|@1}", snap, None)
        == "x=2 dx=0.125 L=0.03125 n=0.5"
    )
    assert fill("{position}", snap, None) == "Epoch 1 · batch 1/1 · weight update"


def test_digits_escapes_aliases_and_negative_numbers_after_an_operator() -> None:
    s = _session()
    s.advance("batch")
    snap = s.snapshot()
    assert fill("{{z}} = {z:2}, f′ = {f′(z)}", snap, NEURON) == "{z} = 1.2, f′ = 1"
    assert fill("w − 0.1 · {Δw} and {Δw}", snap, EDGE) == "w − 0.1 · (−0.05) and −0.05"


def test_parse_splits_text_and_placeholders() -> None:
    assert parse("a {z@2.1:9} b") == ["a ", Placeholder("z", (2, 1), 9), " b"]


@pytest.mark.parametrize(
    ("text", "selection", "message"),
    [
        ("{x}", NEURON, "reads layer 0 (the inputs), not layer 1"),
        ("{dL/dw@1.2.1}", None, "unit 2 does not exist"),
        ("{z@1.1.1}", None, "@1.1.1 is not a neuron"),
        ("{loss@1}", None, "takes no @reference"),
        ("{zz}", None, "unknown placeholder"),
        ("{z@a}", None, "must be L, L.j or L.i.j"),
        ("{", None, "a lone '{'"),
    ],
)
def test_check_refuses_what_the_network_or_the_selection_cannot_answer(text, selection, message) -> None:
    with pytest.raises(ValueError) as caught:
        check(text, (1, 1), selection)
    assert message in str(caught.value)
