"""The settings check of inline data reuses the data set a worker built from the same rows
(`remember_inline`): it converts nothing, and still refuses exactly what building the data set refuses."""

from __future__ import annotations

from dataclasses import replace

import pytest
from backprop_studio.core.data import build
from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.spec import DataSpec, InitSpec, LayerSpec, NetworkSpec, TrainingSpec
from backprop_studio.core.spec_rules import forget_inline, problem, remember_inline

ROWS = DataSpec(
    kind="inline",
    x=((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)),
    y=((0.0,), (1.0,), (1.0,), (2.0,)),  # 2 is a value, not a bce target
    x_test=((0.5, 0.5),),
    y_test=((1.0,),),
)
MSE, BCE = TrainingSpec(loss="mse"), TrainingSpec(loss="bce")


def net(inputs: int = 2, outputs: int = 1) -> NetworkSpec:
    return NetworkSpec(inputs, (LayerSpec(3, "tanh"), LayerSpec(outputs, "sigmoid")), InitSpec())


@pytest.fixture
def conversions(monkeypatch):
    calls: list[DataSpec] = []
    real = build._from_inline
    monkeypatch.setattr(build, "_from_inline", lambda data, *rest: calls.append(data) or real(data, *rest))
    forget_inline()
    yield calls
    forget_inline()


def test_rows_built_by_a_worker_are_not_converted_again_by_the_check(conversions):
    remember_inline(ROWS, build_dataset(ROWS, net(), "mse"))
    assert problem(net(), MSE, ROWS) is None
    # edits that keep the rows: another hidden layer, other training settings, standardizing
    bigger = NetworkSpec(2, (LayerSpec(8, "relu"), LayerSpec(4, "tanh"), LayerSpec(1, "linear")), InitSpec())
    assert problem(bigger, MSE, replace(ROWS, standardize=True)) is None
    assert len(conversions) == 1  # only the worker's build


@pytest.mark.parametrize(
    ("network", "training", "expected"),
    [
        (net(inputs=3), MSE, "Data.x has 2 columns but the network has 3 inputs."),
        (net(outputs=2), MSE, "Data.y has 1 column but the output layer has 2 units."),
        (net(), BCE, "Data.y row 4, column 1: bce targets must lie between 0 and 1, not 2."),
    ],
)
def test_kept_rows_are_refused_in_the_words_of_the_build(conversions, network, training, expected):
    remember_inline(ROWS, build_dataset(ROWS, net(), "mse"))
    assert problem(network, training, ROWS) == expected
    assert len(conversions) == 1
    forget_inline()  # without a kept data set the check builds one: the same sentence
    assert problem(network, training, ROWS) == expected


def test_equal_rows_in_other_tuples_are_converted_and_then_kept(conversions):
    remember_inline(ROWS, build_dataset(ROWS, net(), "mse"))
    copy = replace(ROWS, x=(*(tuple(row) for row in ROWS.x[:3]), (1.0, 1.0)))
    assert problem(net(), MSE, copy) is None
    assert problem(net(), MSE, copy) is None
    assert len(conversions) == 2  # rows are matched by identity, never compared value by value
