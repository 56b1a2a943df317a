"""Terminal output escapes control characters and bidi overrides in every string that comes from a file:
names, descriptions, file names, CSV paths and columns, and error messages."""

from __future__ import annotations

import json

import main

ESCAPES = ("\x1b", "\x07", "\x9b", "\u202e", "\r")


def run(capsys, *argv):
    code = main.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean(text):
    for char in ESCAPES:
        assert char not in text, repr(text)


def hostile_project(tmp_path, name="x\x1b[31m.json"):
    doc = {
        "format": "backprop-studio",
        "version": 1,
        "name": "\x1b]0;pwned\x07Title\u202eevil",
        "description": "first line\n\x1b[2J\x9b31mcleared",
        "network": {
            "inputs": 2,
            "layers": [{"units": 3, "activation": "tanh"}, {"units": 1, "activation": "tanh"}],
        },
        "data": {"kind": "csv", "path": "d\x1b[5m\u202e.csv", "targets": ["y\x1b[0m"]},
    }
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_info_escapes_the_name_description_and_csv_path(capsys, tmp_path):
    code, out, _ = run(capsys, "info", hostile_project(tmp_path))
    assert code == 0
    assert_clean(out)
    assert "\\x1b]0;pwned\\x07Title\\u202eevil" in out
    assert "first line\n\\x1b[2J\\x9b31mcleared" in out  # the description keeps its own line breaks
    assert "d\\x1b[5m\\u202e.csv" in out and "y\\x1b[0m" in out


def test_info_escapes_a_file_name_shown_as_the_title(capsys, tmp_path):
    path = hostile_project(tmp_path)
    doc = json.loads(path.read_text())
    del doc["name"]
    path.write_text(json.dumps(doc))
    code, out, _ = run(capsys, "info", path)
    assert code == 0 and "x\\x1b[31m.json" in out
    assert_clean(out)


def test_errors_escape_file_names_and_values(capsys, tmp_path):
    code, _, err = run(capsys, "train", tmp_path / "missing\x1b[2J\u202e.json")
    assert code == 2 and "missing\\x1b[2J\\u202e.json" in err
    assert_clean(err)
    code, _, err = run(capsys, "train", hostile_project(tmp_path))  # the CSV file is missing
    assert code == 2 and err.count("\n") == 1
    assert_clean(err)


def test_gradcheck_and_train_errors_escape_too(capsys, tmp_path):
    for command in ("gradcheck", "train"):
        code, out, err = run(capsys, command, hostile_project(tmp_path))
        assert code == 2
        assert_clean(out + err)
