"""The watch model: validation, one-line descriptions, JSON and the project file."""

from __future__ import annotations

import json

import numpy as np
import pytest
from backprop_studio.core.debugger.watch import (
    KINDS,
    Watch,
    fit_problem,
    watches_from_dicts,
    watches_to_dicts,
)
from backprop_studio.core.errors import FormatError
from backprop_studio.core.project.fileformat import dumps_project, loads_project
from backprop_studio.core.project.project import Project
from backprop_studio.core.spec import LayerSpec, NetworkSpec

# ------------------------------------------------------------------------------------ serialisation


ALL_KINDS = [
    Watch("nonfinite"),
    Watch("vanishing", layer=1, threshold=1e-6),
    Watch("exploding", threshold=1e3, enabled=False),
    Watch("loss_rising"),
    Watch("loss_rising", per="batch"),
    Watch("weight_crossing", layer=2, index=(0, 1), threshold=-0.5),
    Watch("update_ratio", layer=None, threshold=0.01),
    Watch("dead_relu", layer=3, threshold=1.0),
]


def test_every_kind_has_a_round_trip_example():
    assert {w.kind for w in ALL_KINDS} == set(KINDS)


@pytest.mark.parametrize("watch", ALL_KINDS, ids=lambda w: f"{w.kind}-{w.per}")
def test_a_watch_survives_a_json_round_trip(watch):
    data = json.loads(json.dumps(watch.to_dict()))
    assert Watch.from_dict(data) == watch


def test_to_dict_writes_only_the_fields_a_kind_uses():
    assert set(Watch("nonfinite").to_dict()) == {"kind", "id", "enabled"}
    assert Watch("weight_crossing", layer=2, index=(0, 1), threshold=0.0).to_dict()["index"] == [0, 1]
    assert "layer" not in Watch("vanishing", threshold=1.0).to_dict()  # any layer


def test_watches_survive_the_project_file():
    project = Project(
        NetworkSpec(2, (LayerSpec(3, "relu"), LayerSpec(2, "tanh"), LayerSpec(1, "linear"))),
        breakpoints=watches_to_dicts(ALL_KINDS),
    )
    loaded = loads_project(dumps_project(project))
    assert watches_from_dicts(loaded.breakpoints) == tuple(ALL_KINDS)


def test_from_dict_without_an_id_makes_a_fresh_one():
    a = Watch.from_dict({"kind": "nonfinite"})
    b = Watch.from_dict({"kind": "nonfinite"})
    assert a.id and a.id != b.id


@pytest.mark.parametrize(
    ("item", "path", "words"),
    [
        ({"kind": "gradient_party"}, "breakpoints[2].kind", "unknown watch kind"),
        ({"threshold": 1.0}, "breakpoints[2].kind", "required key is missing"),
        ({"kind": "vanishing"}, "breakpoints[2].threshold", "required key is missing"),
        ({"kind": "vanishing", "threshold": -1e-6}, "breakpoints[2].threshold", "expected a number > 0"),
        ({"kind": "exploding", "threshold": 0}, "breakpoints[2].threshold", "expected a number > 0"),
        ({"kind": "exploding", "threshold": "big"}, "breakpoints[2].threshold", 'got "big"'),
        ({"kind": "dead_relu", "threshold": 1.5}, "breakpoints[2].threshold", "<= 1"),
        ({"kind": "vanishing", "threshold": 1.0, "layer": 0}, "breakpoints[2].layer", "layer number >= 1"),
        ({"kind": "vanishing", "threshold": 1.0, "layer": True}, "breakpoints[2].layer", "got true"),
        ({"kind": "loss_rising", "threshold": 1.0}, "breakpoints[2].threshold", "unknown key"),
        ({"kind": "loss_rising", "per": "hour"}, "breakpoints[2].per", "expected one of epoch, batch"),
        ({"kind": "weight_crossing", "layer": 1, "threshold": 0.0}, "breakpoints[2].index", "required key"),
        (
            {"kind": "weight_crossing", "index": [0, 0], "threshold": 0.0},
            "breakpoints[2].layer",
            "required key",
        ),
        (
            {"kind": "weight_crossing", "layer": 1, "index": [0, -1], "threshold": 0.0},
            "breakpoints[2].index",
            "two integers >= 0",
        ),
        ({"kind": "nonfinite", "enabled": "yes"}, "breakpoints[2].enabled", "true or false"),
        ({"kind": "nonfinite", "id": ""}, "breakpoints[2].id", "non-empty string"),
        ({"kind": "nonfinite", "color": "red"}, "breakpoints[2].color", "unknown key"),
    ],
)
def test_from_dict_refuses_invalid_watches_naming_the_json_path(item, path, words):
    with pytest.raises(FormatError, match=words) as err:
        Watch.from_dict(item, "breakpoints[2]")
    assert err.value.path == path


def test_watches_from_dicts_numbers_each_item_and_refuses_repeated_ids():
    good = {"kind": "nonfinite", "id": "a"}
    with pytest.raises(FormatError) as err:
        watches_from_dicts([good, good, {"kind": "x"}])
    assert err.value.path == "breakpoints[1].id"
    with pytest.raises(FormatError) as err:
        watches_from_dicts([good, "not an object"])
    assert err.value.path == "breakpoints[1]"


def test_the_constructor_holds_watches_to_the_same_rules():
    with pytest.raises(FormatError) as err:
        Watch("vanishing", threshold=-1.0)
    assert err.value.path == "threshold"
    with pytest.raises(FormatError):
        Watch("nonfinite", layer=2)
    assert Watch("exploding", threshold=np.float32(2.0)).threshold == 2.0


def test_fit_problem_says_why_a_watch_can_never_fire_on_a_network():
    sizes, acts = (2, 3, 1), ("tanh", "linear")
    assert "no layer 3" in fit_problem(Watch("vanishing", layer=3, threshold=1.0), sizes, acts)
    assert "not relu" in fit_problem(Watch("dead_relu", layer=1, threshold=0.5), sizes, acts)
    assert "no relu layer" in fit_problem(Watch("dead_relu", threshold=0.5), sizes, acts)
    assert "there is no weight from x₃ to neuron 1 of layer 1" in fit_problem(
        Watch("weight_crossing", layer=1, index=(2, 0), threshold=0.0), sizes, acts
    )
    assert fit_problem(Watch("exploding", layer=2, threshold=1.0), sizes, acts) is None


def test_describe_labels_a_watch_in_one_line():
    assert (
        Watch("vanishing", layer=1, threshold=1e-6).describe()
        == "vanishing gradient in layer 1: ‖dL/dW‖ < 1e-06"
    )
    assert Watch("weight_crossing", layer=2, index=(0, 1), threshold=0.5).describe() == (
        "weight from neuron 1 of layer 1 to neuron 2 of layer 2 crosses 0.5"
    )


def test_watches_from_dicts_refuses_more_than_the_limit():
    from backprop_studio.core.limits import MAX_BREAKPOINTS

    items = [{"id": f"w{i}", "kind": "nonfinite", "enabled": True} for i in range(MAX_BREAKPOINTS + 1)]
    with pytest.raises(FormatError, match=f"more than {MAX_BREAKPOINTS:,} breakpoints"):
        watches_from_dicts(items)
    assert len(watches_from_dicts(items[:MAX_BREAKPOINTS])) == MAX_BREAKPOINTS
