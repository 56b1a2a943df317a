"""The legend's differences between two runs, against phrases written out by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest
from backprop_studio.core.analysis.run_diff import differences, legend, settings_summary
from backprop_studio.core.spec import DataSpec, LayerSpec, NetworkSpec, RegularizationSpec, TrainingSpec

NET = NetworkSpec(2, (LayerSpec(4, "tanh"), LayerSpec(1, "sigmoid")))
TRAIN = TrainingSpec(loss="bce", batch_size=10)
DATA = DataSpec("circle")


def summary(network=NET, training=TRAIN, data=DATA):
    return settings_summary(network, training, data)


def test_identical_settings_differ_in_nothing():
    assert differences(summary(), summary()) == []
    assert legend(summary(), summary()) == "same settings"


def test_learning_rate_batch_and_activation_read_as_the_legend_says():
    pinned = summary(
        NetworkSpec(2, (LayerSpec(4, "relu"), LayerSpec(1, "sigmoid"))),
        replace(TRAIN.with_optimizer(learning_rate=0.3), batch_size=50),
    )
    current = summary(training=TRAIN.with_optimizer(learning_rate=0.03))
    assert differences(pinned, current) == ["relu vs tanh in layer 1", "lr 0.3 vs 0.03", "batch 50 vs 10"]
    assert differences(current, pinned) == ["tanh vs relu in layer 1", "lr 0.03 vs 0.3", "batch 10 vs 50"]


def test_other_settings_have_their_own_words():
    pinned = summary(
        NetworkSpec(2, (LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid"))),
        replace(TRAIN, shuffle=False, seed=4, regularization=RegularizationSpec("l2", 0.001)),
        replace(DATA, noise=0.1, train_fraction=0.8),
    )
    assert differences(pinned, summary()) == [
        "layers 2-8-1 vs 2-4-1",
        "in order vs shuffled",
        "seed 4 vs 0",
        "regularization l2 0.001 vs none",
        "noise 10% vs 0%",
        "train split 80% vs 50%",
    ]


def test_optimizer_settings_are_compared_only_where_both_have_them():
    adam = summary(training=TRAIN.with_optimizer(name="adam", beta1=0.6))
    adam_default = summary(training=TRAIN.with_optimizer(name="adam"))
    momentum = summary(training=TRAIN.with_optimizer(name="momentum", momentum=0.5))
    assert differences(adam, momentum) == ["adam vs momentum"]
    assert differences(adam, adam_default) == ["β1 0.6 vs 0.9"]


def test_a_deeper_network_compares_the_layers_both_have():
    deeper = NetworkSpec(2, (LayerSpec(4, "relu"), LayerSpec(3, "tanh"), LayerSpec(1, "sigmoid")))
    assert differences(summary(deeper), summary()) == [
        "layers 2-4-3-1 vs 2-4-1",
        "relu vs tanh in layer 1",
        "tanh vs sigmoid in layer 2",
    ]


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (3, "lr 1 vs 0.03, batch 1 vs 10, in order vs shuffled, +1 more"),
        (4, "lr 1 vs 0.03, batch 1 vs 10, in order vs shuffled, seed 9 vs 0"),
    ],
)
def test_the_legend_line_shows_a_few_and_counts_the_rest(limit, expected):
    pinned = summary(
        training=replace(TRAIN.with_optimizer(learning_rate=1.0), batch_size=1, seed=9, shuffle=False)
    )
    assert legend(pinned, summary(), limit) == expected
