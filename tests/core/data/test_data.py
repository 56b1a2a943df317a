"""build_dataset: a DataSpec becomes inputs and targets that fit the network's input and output layers."""

import math

import numpy as np
import pytest
from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.data.generators import generate
from backprop_studio.core.errors import ArchitectureError, DataError
from backprop_studio.core.spec import DataSpec, LayerSpec, NetworkSpec

# "Is not this class" target per output activation: the low end of what the activation can output.
OFF = {"sigmoid": 0.0, "relu": 0.0, "tanh": -1.0, "linear": -1.0, "leaky_relu": -1.0}


def net(inputs=2, units=1, activation="tanh", hidden=(4,)):
    layers = (*(LayerSpec(h, "tanh") for h in hidden), LayerSpec(units, activation))
    return NetworkSpec(inputs, layers)


def sorted_rows(a):
    return a[np.lexsort(a.T[::-1])]


# --- generators: features and split ----------------------------------------------------------------


def test_split_sizes_follow_train_fraction():
    data = build_dataset(DataSpec("circle", samples=200, train_fraction=0.5), net(), "mse")
    assert data.x_train.shape == (100, 2)
    assert data.x_test.shape == (100, 2)
    assert data.y_train.shape == (100, 1)
    assert data.points_train.shape == (100, 2)
    assert data.labels_test.shape == (100,)


@pytest.mark.parametrize(("samples", "fraction", "n_train"), [(10, 0.33, 3), (7, 0.9, 6), (30, 0.1, 3)])
def test_train_size_is_rounded(samples, fraction, n_train):
    data = build_dataset(DataSpec("xor", samples=samples, train_fraction=fraction), net(), "mse")
    assert len(data.x_train) == n_train
    assert len(data.x_test) == samples - n_train


def test_train_fraction_one_leaves_an_empty_test_set():
    data = build_dataset(DataSpec("gaussian", samples=50, train_fraction=1.0), net(units=2), "mse")
    assert data.x_train.shape == (50, 2)
    assert data.x_test.shape == (0, 2)
    assert data.y_test.shape == (0, 2)
    assert data.points_test.shape == (0, 2)


def test_train_and_test_partition_the_generated_points():
    spec = DataSpec("spiral", samples=90, noise=0.2, seed=5, classes=3)
    data = build_dataset(spec, net(units=3, activation="softmax"), "cross_entropy")
    points, _ = generate("spiral", 90, 0.2, np.random.default_rng(5), 3)
    together = np.concatenate([data.points_train, data.points_test])
    assert np.array_equal(sorted_rows(together), sorted_rows(points))


def test_the_split_is_shuffled_not_grouped_by_class():
    data = build_dataset(DataSpec("circle", samples=200), net(), "mse")
    assert 30 < data.labels_train.sum() < 70


def test_same_spec_same_dataset_other_seed_other_dataset():
    spec = DataSpec("xor", samples=60, noise=0.1, seed=3)
    first, again = build_dataset(spec, net(), "mse"), build_dataset(spec, net(), "mse")
    other = build_dataset(DataSpec("xor", samples=60, noise=0.1, seed=4), net(), "mse")
    assert np.array_equal(first.x_train, again.x_train)
    assert np.array_equal(first.y_test, again.y_test)
    assert not np.array_equal(first.x_train, other.x_train)


def test_features_are_computed_from_the_points():
    spec = DataSpec("circle", samples=40, features=("x1^2", "sin(x2)", "x1*x2"))
    data = build_dataset(spec, net(inputs=3), "mse")
    p = data.points_train
    assert np.allclose(data.x_train, np.stack([p[:, 0] ** 2, np.sin(p[:, 1]), p[:, 0] * p[:, 1]], axis=1))
    assert data.feature_names == ("x1^2", "sin(x2)", "x1*x2")
    assert data.is_planar


def test_feature_count_must_match_the_inputs():
    with pytest.raises(ArchitectureError) as error:
        build_dataset(DataSpec("circle"), net(inputs=3), "mse")
    assert str(error.value) == "the network has 3 inputs but 2 input features are selected (x1, x2)"


def test_feature_count_message_in_the_singular():
    with pytest.raises(ArchitectureError, match=r"has 1 input but 2 input features are selected"):
        build_dataset(DataSpec("circle"), net(inputs=1), "mse")
    with pytest.raises(ArchitectureError, match=r"has 2 inputs but 1 input feature is selected \(x1\)"):
        build_dataset(DataSpec("circle", features=("x1",)), net(inputs=2), "mse")


def test_unknown_feature_is_a_data_error():
    with pytest.raises(DataError, match="unknown input feature 'cos'"):
        build_dataset(DataSpec("circle", features=("x1", "cos")), net(), "mse")


@pytest.mark.parametrize("fraction", [0.0, -0.5, 1.5, math.nan])
def test_train_fraction_out_of_range(fraction):
    with pytest.raises(DataError, match=r"data\.train_fraction must be more than 0 and at most 1"):
        build_dataset(DataSpec("circle", train_fraction=fraction), net(), "mse")


def test_train_fraction_that_rounds_to_no_training_samples():
    with pytest.raises(DataError, match="leaves no training samples"):
        build_dataset(DataSpec("circle", samples=4, train_fraction=0.1), net(), "mse")


@pytest.mark.parametrize("seed", [-1, 1.5, "7"])
def test_bad_seed(seed):
    with pytest.raises(DataError, match=r"data\.seed"):
        build_dataset(DataSpec("circle", seed=seed), net(), "mse")


def test_generator_argument_errors_pass_through():
    with pytest.raises(DataError, match="noise"):
        build_dataset(DataSpec("circle", noise=0.9), net(), "mse")


def test_unknown_kind_lists_the_kinds():
    with pytest.raises(DataError, match=r"unknown data kind 'moons'; choose one of circle, .*inline, csv"):
        build_dataset(DataSpec("moons"), net(), "mse")


# --- classification targets fit the output activation ----------------------------------------------


@pytest.mark.parametrize("activation", sorted(OFF))
def test_one_output_unit_holds_the_class_1_indicator(activation):
    data = build_dataset(DataSpec("circle", samples=100), net(units=1, activation=activation), "mse")
    assert data.task == "classification"
    assert data.classes == 2
    for y, labels in ((data.y_train, data.labels_train), (data.y_test, data.labels_test)):
        want = [[1.0] if label == 1 else [OFF[activation]] for label in labels]
        assert y.tolist() == want
    assert data.target_names == ("class 1",)


@pytest.mark.parametrize("activation", sorted(OFF))
def test_one_unit_per_class_marks_the_class_column(activation):
    spec = DataSpec("spiral", samples=60, classes=3)
    data = build_dataset(spec, net(units=3, activation=activation), "mse")
    want = [[1.0 if k == label else OFF[activation] for k in range(3)] for label in data.labels_train]
    assert data.y_train.tolist() == want
    assert data.classes == 3
    assert data.target_names == ("class 0", "class 1", "class 2")


@pytest.mark.parametrize(("kind", "classes"), [("xor", 2), ("spiral", 4)])
def test_softmax_targets_are_one_hot(kind, classes):
    spec = DataSpec(kind, samples=80, classes=classes)
    data = build_dataset(spec, net(units=classes, activation="softmax"), "cross_entropy")
    assert data.y_train.tolist() == np.eye(classes)[data.labels_train].tolist()
    assert sorted(set(data.labels_train.tolist()) | set(data.labels_test.tolist())) == list(range(classes))


def test_sigmoid_with_bce_gives_zero_one_targets():
    data = build_dataset(DataSpec("gaussian", samples=50), net(units=1, activation="sigmoid"), "bce")
    assert np.array_equal(data.y_train[:, 0], (data.labels_train == 1).astype(float))


@pytest.mark.parametrize(
    ("kind", "classes", "units", "activation"),
    [
        ("circle", 2, 3, "tanh"),
        ("spiral", 3, 1, "sigmoid"),
        ("spiral", 3, 2, "linear"),
        ("spiral", 3, 2, "softmax"),
    ],
)
def test_output_units_that_fit_no_encoding(kind, classes, units, activation):
    spec = DataSpec(kind, samples=30, classes=classes)
    with pytest.raises(ArchitectureError) as error:
        build_dataset(spec, net(units=units, activation=activation), "mse")
    assert f"the output layer has {units} unit" in str(error.value)
    assert f"the data has {classes} classes" in str(error.value)


# --- regression generators -------------------------------------------------------------------------


def test_plane_targets_are_the_raw_values():
    data = build_dataset(DataSpec("plane", samples=100), net(activation="linear"), "mse")
    assert data.task == "regression"
    assert data.y_train.shape == (50, 1)
    p = data.points_train
    assert np.allclose(data.y_train[:, 0], (p[:, 0] + p[:, 1]) / 10)
    assert data.labels_train is None
    assert data.classes == 0
    assert data.target_names == ("y",)


def test_multi_gaussian_targets_stay_in_minus_one_to_one():
    data = build_dataset(DataSpec("multi_gaussian", samples=300, noise=0.5), net(), "mse")
    assert np.all(np.abs(data.y_train) <= 1)
    assert data.task == "regression"


def test_regression_needs_one_output_unit():
    with pytest.raises(ArchitectureError, match="output layer has 2 units but plane is regression"):
        build_dataset(DataSpec("plane"), net(units=2), "mse")


def test_regression_generator_refuses_a_classification_loss():
    with pytest.raises(ArchitectureError, match="use loss mse, not bce"):
        build_dataset(DataSpec("plane"), net(activation="sigmoid"), "bce")


# --- inline ----------------------------------------------------------------------------------------


def inline(x, y, x_test=None, y_test=None):
    return DataSpec("inline", x=x, y=y, x_test=x_test, y_test=y_test)


def test_inline_values_are_used_exactly_as_given():
    spec = inline(((0.1, 0.2), (0.3, 0.4), (0.5, 0.6)), ((1.0,), (2.0,), (3.0,)), ((7, 8),), ((9,),))
    data = build_dataset(spec, net(activation="linear"), "mse")
    assert data.x_train.tolist() == [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
    assert data.y_train.tolist() == [[1.0], [2.0], [3.0]]
    assert data.x_test.tolist() == [[7.0, 8.0]]
    assert data.y_test.tolist() == [[9.0]]
    assert data.x_train.dtype == data.x_test.dtype == np.float64
    assert data.task == "regression"
    assert data.feature_names == ("x1", "x2")
    assert data.target_names == ("y1",)
    assert not data.is_planar
    assert data.points_test is None
    assert data.labels_train is None


def test_inline_without_test_data_has_an_empty_test_set():
    data = build_dataset(inline(((1, 2, 3),), ((4, 5),)), net(inputs=3, units=2), "mse")
    assert data.x_test.shape == (0, 3)
    assert data.y_test.shape == (0, 2)
    assert data.target_names == ("y1", "y2")


def test_inline_one_column_classification_labels_by_one_half():
    spec = inline(((0, 0), (0, 1), (1, 0)), ((0.0,), (1.0,), (0.6,)), ((1, 1),), ((0.4,),))
    data = build_dataset(spec, net(activation="sigmoid"), "bce")
    assert data.task == "classification"
    assert data.classes == 2
    assert data.labels_train.tolist() == [0, 1, 1]
    assert data.labels_test.tolist() == [0]


def test_inline_several_columns_classify_by_the_largest():
    y = ((1, 0, 0), (0, 0, 1), (0, 1, 0))
    data = build_dataset(
        inline(((0,), (1,), (2,)), y), net(inputs=1, units=3, activation="softmax"), "cross_entropy"
    )
    assert data.labels_train.tolist() == [0, 2, 1]
    assert data.classes == 3
    assert data.y_train.tolist() == [list(row) for row in y]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (inline(None, ((1,),)), "needs both data.x and data.y"),
        (inline(((1, 2),), ((1,),), x_test=((1, 2),)), "give both data.x_test and data.y_test"),
        (inline(((1, 2),), ((1,),), y_test=((1,),)), "give both data.x_test and data.y_test"),
        (inline((), ()), "data.x has no rows"),
        (inline(((1, 2), (3, 4), (5,)), ((1,), (2,), (3,))), "data.x row 3 has 1 value, not 2"),
        (inline(((1, 2), (3, 4), (5, 6)), ((1,), (2,), (3, 4))), "data.y row 3 has 2 values, not 1"),
        (inline(((1, 2), (3, math.nan)), ((1,), (2,))), "data.x row 2 column 2 is nan"),
        (inline(((1, 2), (3, 4)), ((1,), (math.inf,))), "data.y row 2 column 1 is inf"),
        (inline(((1, "a"),), ((1,),)), "data.x row 1 column 2: 'a' is not a number"),
        (inline((1, 2), ((1,),)), "data.x row 1 is not a list of numbers"),
        (inline(((1, 2, 3),), ((1,),)), "data.x has 3 columns but the network has 2 inputs"),
        (inline(((1, 2),), ((1, 2),)), "data.y has 2 columns but the output layer has 1 unit"),
        (inline(((1, 2), (3, 4)), ((1,),)), "data.x has 2 rows but data.y has 1"),
        (inline(((1, 2),), ((1,),), ((1, 2, 3),), ((1,),)), "data.x_test row 1 has 3 values, not 2"),
        (inline(((1, 2),), ((1,),), ((1, 2),), ((1,), (2,))), "data.x_test has 1 row but data.y_test has 2"),
        (inline(((1, 2),), ((1,),), ((1, 2),), ((math.nan,),)), "data.y_test row 1 column 1 is nan"),
    ],
)
def test_inline_errors_name_the_field_and_row(spec, message):
    with pytest.raises(DataError) as error:
        build_dataset(spec, net(), "mse")
    assert message in str(error.value)


# --- csv -------------------------------------------------------------------------------------------


@pytest.fixture
def iris(tmp_path):
    rows = ["a,b,kind"] + [
        f"{i},{-i},{'cat' if i % 3 == 0 else 'dog' if i % 3 == 1 else 'eel'}" for i in range(12)
    ]
    (tmp_path / "iris.csv").write_text("\n".join(rows) + "\n")
    return tmp_path


def test_csv_relative_path_is_read_from_base_dir(iris):
    spec = DataSpec("csv", path="iris.csv", one_hot="kind", train_fraction=0.75)
    data = build_dataset(spec, net(units=3, activation="softmax"), "cross_entropy", base_dir=str(iris))
    assert data.task == "classification"
    assert data.classes == 3
    assert data.target_names == ("cat", "dog", "eel")
    assert data.feature_names == ("a", "b")
    assert (len(data.x_train), len(data.x_test)) == (9, 3)
    # Every row of the file is a = i, b = -i, class i mod 3.
    for x, y, label in zip(data.x_train, data.y_train, data.labels_train, strict=True):
        assert x[1] == -x[0]
        assert label == int(x[0]) % 3
        assert y.tolist() == np.eye(3)[label].tolist()
    assert not data.is_planar


def test_csv_absolute_path_ignores_base_dir(iris, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    spec = DataSpec("csv", path=str(iris / "iris.csv"), one_hot="kind")
    data = build_dataset(spec, net(units=3, activation="tanh"), "mse", base_dir=str(elsewhere))
    assert set(data.y_train.flatten().tolist()) == {-1.0, 1.0}


def test_csv_two_classes_with_one_tanh_unit(tmp_path):
    (tmp_path / "two.csv").write_text("x,y,label\n1,2,no\n3,4,yes\n5,6,yes\n7,8,no\n")
    spec = DataSpec("csv", path="two.csv", one_hot="label", train_fraction=1.0)
    data = build_dataset(spec, net(), "mse", base_dir=str(tmp_path))
    want = [[1.0] if x[0] in (3, 5) else [-1.0] for x in data.x_train]
    assert data.y_train.tolist() == want
    assert data.target_names == ("yes",)


def test_csv_regression_targets(tmp_path):
    (tmp_path / "r.csv").write_text("t,u,v\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n")
    spec = DataSpec("csv", path=str(tmp_path / "r.csv"), targets=("v", "t"), train_fraction=0.5, seed=1)
    data = build_dataset(spec, net(inputs=1, units=2, activation="linear"), "mse")
    assert data.task == "regression"
    assert data.feature_names == ("u",)
    assert data.target_names == ("v", "t")
    for x, y in zip(
        np.concatenate([data.x_train, data.x_test]), np.concatenate([data.y_train, data.y_test]), strict=True
    ):
        assert y.tolist() == [x[0] + 1, x[0] - 1]
    assert len(data.x_train) == len(data.x_test) == 2


def test_csv_target_column_with_bce_is_classification(tmp_path):
    (tmp_path / "b.csv").write_text("a,b,hit\n0,0,0\n0,1,1\n1,1,1\n")
    spec = DataSpec("csv", path=str(tmp_path / "b.csv"), targets=("hit",), train_fraction=1.0)
    data = build_dataset(spec, net(activation="sigmoid"), "bce")
    assert data.task == "classification"
    assert data.labels_train.tolist() == data.y_train[:, 0].astype(int).tolist()


def test_csv_feature_count_must_match_the_inputs(iris):
    spec = DataSpec("csv", path=str(iris / "iris.csv"), one_hot="kind")
    with pytest.raises(DataError) as error:
        build_dataset(spec, net(inputs=3, units=3, activation="softmax"), "cross_entropy")
    assert error.value.file == str(iris / "iris.csv")
    assert "2 feature columns (a, b) but the network has 3 inputs" in str(error.value)


def test_csv_target_count_must_match_the_outputs(tmp_path):
    (tmp_path / "r.csv").write_text("a,b,c\n1,2,3\n")
    spec = DataSpec("csv", path=str(tmp_path / "r.csv"), targets=("c",))
    with pytest.raises(DataError, match=r"1 target column \(c\) but the output layer has 2 units"):
        build_dataset(spec, net(units=2), "mse")


def test_csv_classes_must_fit_the_output_layer(iris):
    spec = DataSpec("csv", path=str(iris / "iris.csv"), one_hot="kind")
    with pytest.raises(ArchitectureError, match="the output layer has 2 units but the data has 3 classes"):
        build_dataset(spec, net(units=2, activation="softmax"), "cross_entropy")


def test_csv_without_a_path():
    with pytest.raises(DataError, match=r"data\.path is missing"):
        build_dataset(DataSpec("csv", targets=("y",)), net(), "mse")


def test_csv_file_errors_pass_through(tmp_path):
    spec = DataSpec("csv", path="gone.csv", targets=("y",))
    with pytest.raises(DataError, match="file not found") as error:
        build_dataset(spec, net(), "mse", base_dir=str(tmp_path))
    assert error.value.file == str(tmp_path / "gone.csv")


@pytest.mark.parametrize(
    ("loss", "output", "y", "message"),
    [
        (
            "bce",
            ("sigmoid", 1),
            [[0.0], [1.5]],
            "data.y row 2, column 1: bce targets must lie between 0 and 1, not 1.5",
        ),
        (
            "cross_entropy",
            ("softmax", 2),
            [[1.0, 0.0], [0.7, 0.7]],
            "data.y row 2: cross_entropy targets must sum to 1",
        ),
        (
            "cross_entropy",
            ("softmax", 2),
            [[1.2, -0.2], [0.0, 1.0]],
            "data.y row 1, column 2: cross_entropy targets are class shares",
        ),
    ],
)
def test_inline_targets_a_classification_loss_cannot_learn_are_refused(loss, output, y, message):
    from backprop_studio.core.spec import DataSpec, LayerSpec, NetworkSpec

    net = NetworkSpec(1, (LayerSpec(output[1], output[0]),))
    data = DataSpec(kind="inline", x=((0.0,), (1.0,)), y=tuple(tuple(r) for r in y))
    with pytest.raises(DataError) as err:
        build_dataset(data, net, loss)
    assert message in str(err.value)


def test_csv_targets_outside_0_1_for_bce_name_file_line_and_column(tmp_path):
    from backprop_studio.core.spec import DataSpec, LayerSpec, NetworkSpec

    path = tmp_path / "d.csv"
    path.write_text("a,label\n0.5,1\n0.2,2\n")
    net = NetworkSpec(1, (LayerSpec(1, "sigmoid"),))
    with pytest.raises(DataError) as err:
        build_dataset(DataSpec(kind="csv", path=str(path), targets=("label",)), net, "bce")
    assert err.value.line == 3 and err.value.column == "label" and "d.csv" in str(err.value)
