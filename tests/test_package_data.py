"""A non-editable install carries the package data: the shipped data sets, their README and the presets.

Builds a wheel of this checkout, installs it into a bare folder and loads every data set and preset from
there, in a fresh interpreter that cannot see the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from tests.paths import REPO


def test_an_installed_wheel_carries_the_data_sets_and_presets(tmp_path) -> None:
    pytest.importorskip("wheel", reason="building a wheel without network access needs the wheel package")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("backprop_studio-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("iris", "wine", "breast_cancer", "digits"):
        assert f"backprop_studio/core/data/datasets/{name}.csv.gz" in names
    assert "backprop_studio/core/data/datasets/README.md" in names
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)]
    done = subprocess.run(install, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    code = (
        "from backprop_studio.core.data.datasets import loader\n"
        "from backprop_studio.core.data.datasets.loader import load_table\n"
        f"assert loader.__file__.startswith({str(target)!r}), loader.__file__\n"
        "from backprop_studio.core.project.presets_catalog import PRESETS, load_preset\n"
        "shapes = [load_table(n).x.shape for n in ('iris', 'wine', 'breast_cancer', 'digits')]\n"
        "assert shapes == [(150, 4), (178, 13), (569, 30), (1797, 64)], shapes\n"
        "for name in PRESETS: load_preset(name)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONNOUSERSITE": "1"}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert run.returncode == 0, run.stderr
