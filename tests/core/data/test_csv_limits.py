"""read_csv reads only regular files, at most MAX_CSV_BYTES of them, plain decimal numbers only, with
memory bounded by the arrays it returns, and never quotes a file's content beyond the failing cell."""

from __future__ import annotations

import os
import tracemalloc

import numpy as np
import pytest
from backprop_studio.core import limits
from backprop_studio.core.data.csv_import import read_csv
from backprop_studio.core.errors import DataError, StudioError

from tests.in_thread import error_within


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path, targets=("y",), one_hot=None, seconds=10.0) -> StudioError:
    """The error read_csv raises, from a thread so a read that hangs fails the test instead of the run."""
    error = error_within(lambda: read_csv(path, targets, one_hot), seconds)
    assert isinstance(error, StudioError), repr(error)
    return error


# --- only regular files --------------------------------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_before_reading(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    error = refused(device)
    assert "not a regular file" in str(error) and "device" in str(error)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    error = refused(fifo, seconds=5.0)
    assert "FIFO" in str(error) and "not a regular file" in str(error)


def test_a_folder_is_refused(tmp_path):
    error = refused(tmp_path)
    assert "cannot read the file" in str(error) and "folder" in str(error)


def test_files_over_the_byte_limit_are_refused_naming_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CSV_BYTES", 1000)
    path = write(tmp_path, "x,y\n" + "1,2\n" * 400)
    error = refused(path)
    assert "larger than 1.0 KB" in str(error)


def test_rows_over_the_row_limit_are_refused_with_the_line(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    path = write(tmp_path, "x,y\n1,2\n3,4\n5,6\n7,8\n")
    error = refused(path)
    assert isinstance(error, DataError) and error.line == 5 and "3 data rows" in str(error)


def test_class_counts_over_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CSV_CLASSES", 4)
    path = write(tmp_path, "x,label\n" + "".join(f"{k},c{k}\n" for k in range(6)))
    error = refused(path, (), "label")
    assert isinstance(error, DataError) and error.line == 6 and "4 classes" in str(error)


def test_one_hot_targets_are_estimated_before_they_are_allocated(tmp_path, monkeypatch):
    # 2,000 rows × 500 classes × 8 bytes × 3 copies = 24 MB, against 5 MB: refused before np.eye.
    monkeypatch.setattr(limits, "available_memory", lambda: 10 * 10**6)
    path = write(tmp_path, "x,label\n" + "".join(f"{k},c{k % 500}\n" for k in range(2000)))
    error = refused(path, (), "label")
    assert "2,000 rows × 500 classes" in str(error) and "24.0 MB" in str(error)


# --- plain decimal numbers only ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("1_000", "is not a number"),
        ("0x10", "is not a number"),
        ("١٢", "is not a number"),  # Arabic-Indic digits, which float() reads
        ("1e400", "is not a finite number"),
        ("-1e400", "is not a finite number"),
        ("nan", "is not a finite number"),
        ("inf", "is not a finite number"),
        ("Infinity", "is not a finite number"),
    ],
)
def test_only_plain_decimal_numbers_are_read(tmp_path, cell, words):
    path = write(tmp_path, f"a,y\n1,2\n3,{cell}\n")
    error = refused(path)
    assert isinstance(error, DataError)
    assert (error.line, error.column) == (3, "y")
    assert repr(cell) in str(error) and words in str(error)


def test_every_plain_decimal_spelling_is_read(tmp_path):
    cells = ["12", "-0.5", "+3", ".5", "5.", "1.5e3", "2E-2", " 7 ", "0"]
    path = write(tmp_path, "a,y\n" + "".join(f"{cell},1\n" for cell in cells))
    table = read_csv(path, ["y"], None)
    assert table.x[:, 0].tolist() == [12.0, -0.5, 3.0, 0.5, 5.0, 1500.0, 0.02, 7.0, 0.0]


# --- the file's content is not quoted ------------------------------------------------------------------

SECRET = "ghp_Zx81SECRETtoken0000aaaa:hunter2"


@pytest.mark.parametrize(("targets", "one_hot"), [(("y",), None), ((), "label")])
def test_an_error_never_quotes_a_secret_first_line(tmp_path, targets, one_hot):
    path = write(tmp_path, f"{SECRET}\nroot:x:0:0:root:/root:/bin/bash\n")
    message = str(refused(path, targets, one_hot))
    assert "hunter2" not in message and "SECRET" not in message and "root:x" not in message


def test_naming_etc_passwd_does_not_quote_it():
    if not os.path.isfile("/etc/passwd"):
        pytest.skip("no /etc/passwd here")
    with open("/etc/passwd", encoding="utf-8", errors="replace") as handle:
        first = handle.readline().strip()
    message = str(refused("/etc/passwd"))
    assert first not in message and first.split(":")[0] + ":" not in message


def test_a_failing_cell_is_quoted_but_not_its_neighbors(tmp_path):
    path = write(tmp_path, f"a,y\n1,2\n{SECRET},3\n")
    message = str(refused(path))
    assert "is not a number" in message and "\n" not in message
    assert len(message) < len(str(path)) + 200


def test_a_long_failing_cell_is_shortened(tmp_path):
    path = write(tmp_path, "a,y\n1,2\n" + "z" * 5000 + ",3\n")
    assert len(str(refused(path))) < len(str(path)) + 200


# --- bounded memory -----------------------------------------------------------------------------------


def test_reading_streams_with_memory_bounded_by_the_arrays(tmp_path):
    rows = 100_000
    rng = np.random.default_rng(0)
    values = rng.normal(size=(rows, 3))
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("a,b,y\n")
        for a, b, y in values:
            handle.write(f"{a:.6f},{b:.6f},{y:.6f}\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        table = read_csv(path, ["y"], None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert table.x.shape == (rows, 2) and np.allclose(table.y[:, 0], values[:, 2], atol=1e-6)
    # The result is 3 × 8 bytes a row; the text about 3 × 10. The old reader peaked at ~23× the file.
    assert peak < 3 * size, (peak, size)
