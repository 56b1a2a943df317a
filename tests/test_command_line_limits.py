"""The command line refuses absurd sizes before any work starts: one line on stderr naming the limit and
the value, exit 2, nothing written."""

from __future__ import annotations

import json
import os

import pytest
from backprop_studio.core import limits

import main


def run(capsys, *argv):
    code = main.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def project_file(tmp_path, units=3, **training):
    doc = {
        "format": "backprop-studio",
        "version": 1,
        "network": {
            "inputs": 2,
            "layers": [{"units": units, "activation": "tanh"}, {"units": 1, "activation": "tanh"}],
        },
        "training": training,
        "data": {"kind": "circle", "samples": 100_000},
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    return path


def assert_refused(code, out, err, *words):
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: "), err
    for word in words:
        assert word in err


@pytest.mark.parametrize("units", [10**9, 2**62, 10**29])
@pytest.mark.parametrize("command", ["train", "info", "gradcheck"])
def test_a_huge_layer_is_one_line_and_nothing_is_written(capsys, tmp_path, units, command):
    out_file = tmp_path / "out.json"
    extra = ["--out", out_file] if command == "train" else []
    code, out, err = run(capsys, command, project_file(tmp_path, units), *extra)
    assert_refused(code, out, err, "network", "parameters", f"{limits.MAX_PARAMETERS:,}")
    assert not out_file.exists()


def test_activation_memory_for_the_whole_data_set_is_checked_before_training(capsys, tmp_path, monkeypatch):
    # 2 → 200,000 → 1 is 800,001 parameters, but measuring the loss on 50,000 training samples at once
    # takes 50,000 × 200,001 units × 8 bytes × 4 = 320 GB.
    monkeypatch.setattr(limits, "available_memory", lambda: 16 * 2**30)
    out_file = tmp_path / "out.json"
    code, out, err = run(capsys, "train", project_file(tmp_path, 200_000), "--epochs", 1, "--out", out_file)
    assert_refused(code, out, err, "activations", "50,000 samples", "GB")
    assert not out_file.exists()


def test_epochs_completed_of_ten_to_the_400_is_refused_on_load(capsys, tmp_path):
    code, out, err = run(capsys, "info", project_file(tmp_path, epochs_completed=10**400))
    assert_refused(code, out, err, "training.epochs_completed", f"{limits.MAX_EPOCHS:,}")


@pytest.mark.parametrize("epochs", [10**400, limits.MAX_EPOCHS + 1])
def test_epochs_beyond_the_limit_are_refused_before_training(capsys, tmp_path, epochs):
    out_file = tmp_path / "out.json"
    code, out, err = run(capsys, "train", "--preset", "xor", "--epochs", epochs, "--out", out_file)
    assert_refused(code, out, err, "--epochs", f"{limits.MAX_EPOCHS:,}")
    assert not out_file.exists()


# --- --out is checked before training ---------------------------------------------------------------------


def test_train_out_into_a_missing_folder_fails_before_training(capsys, tmp_path, monkeypatch):
    from backprop_studio.core.project import project as project_module

    opened = []
    real = project_module.open_session
    monkeypatch.setattr(
        "backprop_studio.core.commands.open_session", lambda *a, **k: opened.append(1) or real(*a, **k)
    )
    code, out, err = run(
        capsys, "train", "--preset", "xor", "--epochs", 1, "--out", tmp_path / "missing" / "out.json"
    )
    assert_refused(code, out, err, "missing", "does not exist")
    assert opened == [] and out == ""


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc, where no file can be created")
def test_train_out_into_an_unwritable_folder_fails_before_training(capsys):
    code, out, err = run(capsys, "train", "--preset", "xor", "--epochs", 1, "--out", "/proc/out.json")
    assert_refused(code, out, err, "/proc/out.json", "cannot save")
    assert out == ""
