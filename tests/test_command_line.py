"""The command line: every command works on presets and files, and any error is one line, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from backprop_studio.core.project.fileformat import load_project

import main

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_presets_lists_every_preset_with_a_description(capsys):
    code, out, _ = run(capsys, "presets")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert {"circle", "xor", "spiral", "seed-relu-1-2-2", "two-node-sigmoid", "regression-plane"} <= set(
        names
    )


def test_train_prints_a_summary_and_writes_the_trained_network(capsys, tmp_path):
    out_file = tmp_path / "trained.json"
    code, out, err = run(capsys, "train", "--preset", "circle", "--epochs", "150", "--out", str(out_file))
    assert code == 0
    for label in ("epochs", "train loss", "test loss", "train accuracy", "wall time", "samples/second"):
        assert label in out
    assert "epoch 150/150" in err
    accuracy = float(out.split("test accuracy")[1].split("%")[0])
    assert accuracy > 90  # the default preset visibly learns
    project = load_project(out_file)
    assert project.epochs_completed == 150
    assert len(project.history.train_loss) == 150
    assert project.weights is not None and project.optimizer_state is not None


def test_training_continues_from_a_saved_file(capsys, tmp_path):
    first = tmp_path / "a.json"
    second = tmp_path / "b.json"
    run(capsys, "train", "--preset", "xor", "--epochs", "5", "--out", str(first))
    code, out, _ = run(capsys, "train", str(first), "--epochs", "3", "--out", str(second))
    assert code == 0 and "3 (total 8)" in out
    assert len(load_project(second).history.train_loss) == 8


def test_seed_changes_the_run_and_repeats_it_exactly(capsys, tmp_path):
    outs = []
    for seed in (1, 1, 2):
        path = tmp_path / f"s{len(outs)}.json"
        run(capsys, "train", "--preset", "circle", "--epochs", "2", "--seed", str(seed), "--out", str(path))
        outs.append(json.loads(path.read_text())["network"]["weights"])
    assert outs[0] == outs[1] != outs[2]


def test_gradcheck_passes_on_every_preset(capsys):
    for name in ("circle", "spiral-3-class", "seed-relu-1-2-2", "two-node-sigmoid"):
        code, out, _ = run(capsys, "gradcheck", "--preset", name)
        assert code == 0, out
        assert "PASS" in out and "layer" in out


def test_info_summarises_layers_parameters_loss_optimizer_and_data(capsys):
    code, out, _ = run(capsys, "info", "--preset", "spiral-3-class")
    assert code == 0
    assert "softmax" in out and "cross_entropy" in out and "adam" in out and "spiral" in out
    assert "parameters" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["train", "missing.json"], "missing.json"),
        (["train", "--preset", "nope"], "unknown preset"),
        (["train"], "name a project file or --preset"),
        (["train", "--preset", "circle", "--epochs", "0"], "at least 1"),
        (["info", "--bogus"], "unrecognized arguments"),
    ],
)
def test_errors_are_one_line_on_stderr_with_exit_status_2(capsys, argv, fragment):
    code, _out, err = _parse_error(capsys, argv) if "--bogus" in argv else run(capsys, *argv)
    assert code == 2
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def _parse_error(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main.main(argv)
    _, err = capsys.readouterr()
    return exc.value.code, "", err


def test_a_malformed_file_names_the_json_path_and_leaves_the_output_untouched(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "backprop-studio", "version": 1, "network": {"inputs": 2, "layers": [{"units": "four"}]}}'
    )
    out_file = tmp_path / "out.json"
    out_file.write_text("precious")
    code, _, err = run(capsys, "train", str(bad), "--out", str(out_file))
    assert code == 2
    assert "network.layers[0].units" in err
    assert out_file.read_text() == "precious"


def test_a_diverging_run_reports_where_and_writes_nothing(capsys, tmp_path):
    doc = json.loads((ROOT / "core" / "project" / "presets" / "regression-plane.json").read_text())
    doc["training"]["optimizer"]["learning_rate"] = 1e6
    src = tmp_path / "wild.json"
    src.write_text(json.dumps(doc))
    out_file = tmp_path / "never.json"
    code, _, err = run(capsys, "train", str(src), "--epochs", "20", "--out", str(out_file))
    assert code == 2
    assert "diverged" in err and "layer" in err
    assert not out_file.exists()


def test_main_runs_as_a_script_without_a_traceback_on_errors():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "info", "no/such/file.json"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error:") and "Traceback" not in proc.stderr
