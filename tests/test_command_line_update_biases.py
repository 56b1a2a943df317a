"""`train --no-update-biases` holds the biases at the file's values; the saved file says so."""

from __future__ import annotations

from backprop_studio.core.project.fileformat import load_project
from backprop_studio.core.project.presets_catalog import load_preset

import main


def test_train_with_no_update_biases_keeps_every_bias_and_still_learns(capsys, tmp_path):
    out_file = tmp_path / "held.json"
    code = main.main(
        [
            "train",
            "--preset",
            "seed-relu-1-2-2",
            "--epochs",
            "3",
            "--no-update-biases",
            "--out",
            str(out_file),
        ]
    )
    capsys.readouterr()
    assert code == 0
    before, after = load_preset("seed-relu-1-2-2"), load_project(out_file)
    assert [b.tolist() for b in after.biases] == [b.tolist() for b in before.biases]
    assert [w.tolist() for w in after.weights] != [w.tolist() for w in before.weights]
    assert after.training.update_biases is False


def test_without_the_flag_the_files_setting_is_kept(capsys, tmp_path):
    out_file = tmp_path / "default.json"
    assert main.main(["train", "--preset", "mazur-2-2-2", "--epochs", "2", "--out", str(out_file)]) == 0
    capsys.readouterr()
    after = load_project(out_file)
    assert after.training.update_biases is False  # the preset holds them fixed
    assert [b.tolist() for b in after.biases] == [[0.35, 0.35], [0.6, 0.6]]


def test_info_says_whether_biases_are_updated(capsys):
    assert main.main(["info", "--preset", "mazur-2-2-2"]) == 0
    assert "held fixed" in capsys.readouterr().out
