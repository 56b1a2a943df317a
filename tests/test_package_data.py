"""A non-editable install carries the package data: the shipped data sets, their README and the presets.

Builds a wheel from a copy of this checkout (so the build's scratch folders stay out of it), installs it
into a bare folder and loads every data set and preset from there, in a fresh interpreter whose
`backprop_studio` is the installed one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.paths import REPO


def source_copy(target: Path) -> Path:
    """The files a wheel is built from: core/, gui/, the top-level modules, pyproject.toml and README.md."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("core", "gui"):
        shutil.copytree(REPO / folder, target / folder, ignore=skip)
    for file in (*REPO.glob("*.py"), REPO / "pyproject.toml", REPO / "README.md"):
        shutil.copy2(file, target / file.name)
    return target


def test_an_installed_wheel_carries_the_data_sets_and_presets(tmp_path) -> None:
    pytest.importorskip("wheel", reason="building a wheel without network access needs the wheel package")
    source = source_copy(tmp_path / "source")
    pip = [sys.executable, "-m", "pip"]
    build = [*pip, "wheel", str(source), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)]
    done = subprocess.run(build, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("backprop_studio-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("iris", "wine", "breast_cancer", "digits"):
        assert f"backprop_studio/core/data/datasets/{name}.csv.gz" in names
    assert "backprop_studio/core/data/datasets/README.md" in names
    target = tmp_path / "site"
    install = [*pip, "install", "--no-deps", "-q", "--target", str(target), str(wheel)]
    done = subprocess.run(install, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    code = (
        "from backprop_studio.core.data.datasets import loader\n"
        "from backprop_studio.core.data.datasets.loader import load_table\n"
        "from backprop_studio.core.project.presets_catalog import PRESETS, load_preset\n"
        f"assert loader.__file__.startswith({str(target)!r}), loader.__file__\n"
        "shapes = [load_table(n).x.shape for n in ('iris', 'wine', 'breast_cancer', 'digits')]\n"
        "assert shapes == [(150, 4), (178, 13), (569, 30), (1797, 64)], shapes\n"
        "for name in PRESETS: load_preset(name)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONNOUSERSITE": "1"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
