"""spec_rules: which specs can train together, and the automatic fixes, each rule with a hand-written case."""

import os
from dataclasses import replace

import pytest
from backprop_studio.core import spec_rules
from backprop_studio.core.spec import (
    DataSpec,
    InitSpec,
    LayerSpec,
    NetworkSpec,
    TrainingSpec,
)
from backprop_studio.core.spec_rules import DataShape, Specs, coerce, data_shape, problem
from backprop_studio.core.spec_rules import cli as spec_rules_cli

CIRCLE = DataSpec(kind="circle", samples=200, features=("x1", "x2"))
SPIRAL3 = DataSpec(kind="spiral", samples=300, classes=3, features=("x1", "x2"))
PLANE = DataSpec(kind="plane", samples=200, features=("x1", "x2"))
MSE, BCE, CE = TrainingSpec(loss="mse"), TrainingSpec(loss="bce"), TrainingSpec(loss="cross_entropy")
XOR_INLINE = DataSpec(
    kind="inline",
    x=((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)),
    y=((0.0,), (1.0,), (1.0,), (0.0,)),
)


def net(*layers: tuple[int, str], inputs: int = 2, init: InitSpec | None = None) -> NetworkSpec:
    return NetworkSpec(inputs, tuple(LayerSpec(u, a) for u, a in layers), init or InitSpec())


# ---- problem ---------------------------------------------------------------------------------------------


def test_specs_that_can_train_have_no_problem():
    assert problem(net((4, "tanh"), (1, "tanh")), MSE, CIRCLE) is None
    assert problem(net((8, "tanh"), (3, "softmax")), CE, SPIRAL3) is None
    assert problem(net((3, "tanh"), (1, "linear")), MSE, PLANE) is None
    assert problem(net((1, "sigmoid")), BCE, XOR_INLINE) is None


def test_no_feature_selected():
    data = DataSpec(kind="circle", features=())
    assert problem(net((1, "tanh"), inputs=1), MSE, data) == (
        "Select at least one input feature: the network needs at least 1 input."
    )


def test_uniform_weights_need_low_below_high():
    init = InitSpec(weights="uniform", low=0.5, high=0.5)
    assert problem(net((1, "tanh"), init=init), MSE, CIRCLE) == (
        "Uniform initial weights need Low below High (now 0.5 and 0.5)."
    )


def test_architecture_errors_read_as_a_sentence():
    found = problem(net((1, "tanh")), BCE, CIRCLE)
    assert found == "Layer 1 (output layer): loss bce needs a sigmoid output, not tanh."


def test_the_selected_features_must_match_the_inputs():
    data = DataSpec(kind="circle", features=("x1", "x2", "x1^2"))
    assert problem(net((1, "tanh")), MSE, data) == (
        "The network has 2 inputs but 3 input features are selected (x1, x2, x1^2)."
    )


def test_a_repeated_feature_is_refused():
    data = DataSpec(kind="circle", features=("x1", "x1"))
    assert problem(net((1, "tanh")), MSE, data) == "Input feature 'x1' is selected twice."


def test_a_softmax_output_needs_one_unit_per_class():
    found = problem(net((2, "softmax")), CE, SPIRAL3)
    assert found is not None and "3 classes" in found and "one unit per class (3)" in found


def test_two_classes_take_one_unit_or_two_but_not_three():
    assert problem(net((2, "tanh")), MSE, CIRCLE) is None
    found = problem(net((3, "tanh")), MSE, CIRCLE)
    assert found == "The output layer has 3 units but the data has 2 classes; use 1 unit or 2 units."


def test_regression_data_needs_one_output_unit_and_mse():
    assert problem(net((2, "linear")), MSE, PLANE) == (
        "The output layer has 2 units but plane is regression data with 1 target value; use 1 output unit."
    )
    assert problem(net((1, "sigmoid")), BCE, PLANE) == (
        "Plane is regression data (values in about [-1, 1]); use loss mse, not bce."
    )


def test_a_spiral_needs_a_sample_per_arm():
    data = DataSpec(kind="spiral", samples=4, classes=5, features=("x1", "x2"))
    assert problem(net((5, "softmax")), CE, data) == "A spiral with 5 arms needs at least 5 samples, not 4."


def test_the_split_must_leave_a_training_sample():
    data = DataSpec(kind="circle", samples=10, train_fraction=0.01, features=("x1", "x2"))
    assert problem(net((1, "tanh")), MSE, data) == (
        "Data.train_fraction 0.01 of 10 samples leaves no training samples."
    )


def test_generated_data_is_judged_without_drawing_a_sample(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("problem drew samples")

    monkeypatch.setattr("backprop_studio.core.data.build.generate", refuse)
    monkeypatch.setattr("backprop_studio.core.data.generators.generate", refuse)
    big = DataSpec(kind="spiral", samples=100_000, classes=8, features=("x1", "x2"))
    assert problem(net((8, "softmax")), CE, big) is None
    assert problem(net((3, "softmax")), CE, big) is not None


def test_inline_data_must_match_the_network():
    assert (
        problem(net((2, "sigmoid")), BCE, XOR_INLINE)
        == "Data.y has 1 column but the output layer has 2 units."
    )


def test_csv_target_columns_must_match_the_output_units_without_reading_the_file():
    data = DataSpec(kind="csv", path="nowhere/points.csv", targets=("y1", "y2"))
    assert problem(net((1, "tanh")), MSE, data) == (
        "The CSV file has 2 target columns (y1, y2) but the output layer has 1 unit."
    )
    assert problem(net((2, "tanh")), MSE, data) is None  # relative, no folder given: not read


def write_iris(folder, rows=6) -> str:
    path = os.path.join(folder, "iris.csv")
    species = ("setosa", "versicolor", "virginica")
    with open(path, "w", encoding="utf-8") as file:
        file.write("length,width,species\n")
        for k in range(rows):
            file.write(f"{k}.5,{k}.25,{species[k % 3]}\n")
    return path


def test_a_csv_file_is_read_for_its_feature_columns_and_classes(tmp_path):
    path = write_iris(tmp_path)
    data = DataSpec(kind="csv", path=path, one_hot="species")
    assert problem(net((3, "softmax")), CE, data) is None
    found = problem(net((3, "softmax"), inputs=3), CE, data)
    assert found is not None and "2 feature columns (length, width)" in found and "3 inputs" in found
    found = problem(net((2, "softmax")), CE, data)
    assert found is not None and "3 classes" in found
    relative = DataSpec(kind="csv", path="iris.csv", one_hot="species")
    assert "3 classes" in (problem(net((2, "softmax")), CE, relative, base_dir=str(tmp_path)) or "")


def test_a_missing_csv_file_is_named(tmp_path):
    data = DataSpec(kind="csv", path=str(tmp_path / "gone.csv"), one_hot="species")
    found = problem(net((3, "softmax")), CE, data)
    assert found is not None and "gone.csv" in found and "file not found" in found


def test_a_csv_file_is_read_once_however_many_edits_follow(tmp_path, monkeypatch):
    path = write_iris(tmp_path)
    reads = []
    real = spec_rules.tables.read_csv
    monkeypatch.setattr(spec_rules.tables, "read_csv", lambda *args: reads.append(args) or real(*args))
    spec_rules.forget_tables()
    data = DataSpec(kind="csv", path=path, one_hot="species")
    for hidden in range(1, 6):
        for seed in range(3):
            training = TrainingSpec(loss="cross_entropy", seed=seed)
            problem(net((hidden, "tanh"), (3, "softmax")), training, replace(data, seed=seed))
    assert len(reads) == 1

    os.utime(path, ns=(1, 1))  # the file changed on disk: read again
    problem(net((3, "softmax")), CE, data)
    assert len(reads) == 2


# ---- data_shape ------------------------------------------------------------------------------------------


def test_data_shape_from_the_spec():
    assert data_shape(CIRCLE) == DataShape(inputs=2, classes=2)
    assert data_shape(SPIRAL3) == DataShape(inputs=2, classes=3)
    assert data_shape(PLANE) == DataShape(inputs=2, regression=True)
    assert data_shape(XOR_INLINE) == DataShape(inputs=2, outputs=1, classes=None)
    csv = DataSpec(kind="csv", path="x.csv", targets=("a", "b"))
    assert data_shape(csv) == DataShape(outputs=2, classes=2)


# ---- coerce ----------------------------------------------------------------------------------------------


def output_and_loss(specs: Specs) -> tuple[LayerSpec, str]:
    return specs.network.layers[-1], specs.training.loss


def test_cross_entropy_makes_a_softmax_output_with_one_unit_per_class():
    fixed, notes = coerce((net((4, "tanh"), (1, "tanh")), CE, SPIRAL3), "loss")
    assert output_and_loss(fixed) == (LayerSpec(3, "softmax"), "cross_entropy")
    assert fixed.network.layers[0] == LayerSpec(4, "tanh")  # hidden layers untouched
    assert notes == [
        "Output layer set to softmax with 3 units: cross-entropy needs one softmax unit per class."
    ]


def test_cross_entropy_without_known_classes_takes_at_least_two_units():
    fixed, _ = coerce((net((1, "sigmoid")), CE, XOR_INLINE), "loss")
    assert output_and_loss(fixed) == (LayerSpec(2, "softmax"), "cross_entropy")


def test_cross_entropy_with_a_fitting_softmax_changes_nothing():
    specs = Specs(net((3, "softmax")), CE, SPIRAL3)
    assert coerce(specs, "loss") == (specs, [])


def test_bce_makes_the_output_sigmoid_and_keeps_its_units():
    fixed, notes = coerce((net((2, "tanh")), BCE, CIRCLE), "loss")
    assert output_and_loss(fixed) == (LayerSpec(2, "sigmoid"), "bce")
    assert notes == ["Output layer set to sigmoid: binary cross-entropy needs outputs between 0 and 1."]


def test_mse_replaces_softmax_with_sigmoid_for_classes_and_linear_otherwise():
    fixed, notes = coerce((net((2, "softmax")), MSE, CIRCLE), "loss")
    assert output_and_loss(fixed) == (LayerSpec(2, "sigmoid"), "mse")
    assert notes == ["Output layer set to sigmoid: softmax is only used with cross-entropy."]
    fixed, _ = coerce((net((2, "softmax")), MSE, XOR_INLINE), "loss")
    assert fixed.network.layers[-1].activation == "linear"


def test_a_softmax_output_switches_to_cross_entropy_with_one_unit_per_class():
    fixed, notes = coerce((net((1, "softmax")), MSE, CIRCLE), "output_activation")
    assert output_and_loss(fixed) == (LayerSpec(2, "softmax"), "cross_entropy")
    assert notes == [
        "Output layer set to 2 units, one per class.",
        "Loss set to cross-entropy, the loss that fits a softmax output.",
    ]


def test_a_sigmoid_output_turns_cross_entropy_into_bce_and_keeps_mse():
    fixed, notes = coerce((net((2, "sigmoid")), CE, CIRCLE), "output_activation")
    assert fixed.training.loss == "bce"
    assert notes == ["Loss set to binary cross-entropy, the loss that fits a sigmoid output."]
    assert coerce((net((1, "sigmoid")), MSE, CIRCLE), "output_activation")[0].training.loss == "mse"


def test_other_outputs_turn_classification_losses_into_mse():
    for loss in (BCE, CE):
        fixed, notes = coerce((net((1, "tanh")), loss, CIRCLE), "output_activation")
        assert fixed.training.loss == "mse"
        assert notes == ["Loss set to mean squared error, the loss that fits a tanh output."]


def test_regression_data_gets_one_linear_output_and_mse():
    fixed, notes = coerce((net((3, "softmax")), CE, PLANE), "data")
    assert output_and_loss(fixed) == (LayerSpec(1, "linear"), "mse")
    assert notes == [
        "Switched to 1 output unit, a linear output and mean squared error: plane data is one value per sample."
    ]
    specs = Specs(net((1, "tanh")), MSE, PLANE)
    assert coerce(specs, "data") == (specs, [])  # tanh already fits values


def test_more_spiral_arms_grow_the_output_to_match():
    data = DataSpec(kind="spiral", samples=300, classes=5, features=("x1", "x2"))
    fixed, notes = coerce((net((3, "softmax")), CE, data), "data")
    assert output_and_loss(fixed) == (LayerSpec(5, "softmax"), "cross_entropy")
    assert notes == ["Output layer set to 5 units to match the data."]


def test_class_data_sets_the_units_only_when_they_do_not_fit():
    assert coerce((net((1, "tanh")), MSE, SPIRAL3), "data")[0].network.outputs == 3  # > 2 classes
    assert coerce((net((3, "tanh")), MSE, CIRCLE), "data")[0].network.outputs == 1  # 2 classes: 1 unit
    specs = Specs(net((2, "tanh")), MSE, CIRCLE)
    assert coerce(specs, "data") == (specs, [])  # 2 units for 2 classes fit too


def test_target_columns_set_the_units_whatever_the_loss():
    inline = DataSpec(kind="inline", x=((0.0,), (1.0,)), y=((0.0, 1.0, 0.0), (1.0, 0.0, 0.0)))
    fixed, notes = coerce((net((1, "tanh"), inputs=1), MSE, inline), "data")
    assert fixed.network.outputs == 3
    assert notes == ["Output layer set to 3 units to match the data."]


def test_every_fix_leaves_specs_that_can_train():
    for data in (CIRCLE, SPIRAL3, DataSpec(kind="xor", features=("x1", "x2"))):
        for loss in ("mse", "bce", "cross_entropy"):
            for activation in ("tanh", "sigmoid", "relu"):
                specs = Specs(net((4, "tanh"), (1, activation)), TrainingSpec(loss=loss), data)
                fixed, _ = coerce(coerce(specs, "data")[0], "loss")
                assert problem(*fixed) is None, (data.kind, loss, activation)


def test_an_unknown_change_is_a_programming_error():
    with pytest.raises(ValueError):
        coerce((net((1, "tanh")), MSE, CIRCLE), "batch_size")


# ---- command line ----------------------------------------------------------------------------------------


def test_command_line_prints_the_fixes_and_the_verdict(capsys):
    assert spec_rules_cli.main(["--preset", "xor", "--change", "loss=cross_entropy"]) == 0
    out = capsys.readouterr().out
    assert "Output layer set to softmax with 2 units" in out
    assert "These settings can train." in out


def test_command_line_names_the_problem_and_exits_1(capsys):
    assert spec_rules_cli.main(["--preset", "regression-plane", "--change", "loss=bce"]) == 1
    out = capsys.readouterr().out
    assert "Output layer set to sigmoid" in out
    assert "Plane is regression data (values in about [-1, 1]); use loss mse, not bce." in out
    assert spec_rules_cli.main(["--preset", "xor", "--change", "classes=x"]) == 2
    assert "classes must be a whole number" in capsys.readouterr().err


def test_a_network_too_large_for_its_data_is_a_problem_naming_the_memory(monkeypatch):
    from backprop_studio.core import limits

    # 2 → 100,000 → 1 tanh on 100,000 circle samples: the epoch's loss over all of them at once takes
    # 100,000 × 100,001 units × 8 bytes × 4 = 320 GB, against half of 8 GiB.
    monkeypatch.setattr(limits, "available_memory", lambda: 8 * 2**30)
    network = NetworkSpec(2, (LayerSpec(100_000, "tanh"), LayerSpec(1, "tanh")))
    found = problem(network, TrainingSpec(), DataSpec(kind="circle", samples=100_000))
    assert found is not None and "activations" in found and "100,000 samples" in found
    assert problem(network, TrainingSpec(), DataSpec(kind="circle", samples=200)) is None


def test_training_samples_counts_the_split_without_drawing(tmp_path):
    from backprop_studio.core.spec import DataSpec
    from backprop_studio.core.spec_rules import training_samples

    # 200 · 0.5 = 100; 7 · 0.5 = 3.5 floors to 3 (Playground's Math.floor), as the split keeps;
    # 100 · 0.29 is 28.999999999999996 in floating point, but 29 samples of 100 are 29 %.
    assert training_samples(DataSpec(kind="circle", samples=200, train_fraction=0.5)) == 100
    assert training_samples(DataSpec(kind="xor", samples=7, train_fraction=0.5)) == 3
    assert training_samples(DataSpec(kind="xor", samples=100, train_fraction=0.29)) == 29
    assert training_samples(DataSpec(kind="iris", train_fraction=0.7)) == 105
    inline = DataSpec(kind="inline", x=((0.0,), (1.0,), (2.0,)), y=((0.0,), (1.0,), (0.0,)))
    assert training_samples(inline) == 3
    table = tmp_path / "t.csv"
    table.write_text("a,y\n" + "".join(f"{k},{k % 2}\n" for k in range(10)), encoding="utf-8")
    csv = DataSpec(kind="csv", path=str(table), targets=("y",), train_fraction=0.8)
    assert training_samples(csv) == 8
    assert training_samples(DataSpec(kind="csv", path="not-here.csv", targets=("y",))) is None
