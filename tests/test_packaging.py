"""The package installs under one name, `backprop_studio`, with every subpackage listed."""

from __future__ import annotations

import subprocess
import sys

import tomllib

from tests.paths import REPO


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {"backprop_studio"} | {
        "backprop_studio." + ".".join(init.parent.relative_to(REPO).parts)
        for top in ("core", "gui")
        for init in (REPO / top).rglob("__init__.py")
    }
    assert on_disk == listed


def test_core_runs_without_loading_qt() -> None:
    code = (
        "import pkgutil, sys, importlib\n"
        "import backprop_studio.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'backprop_studio.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "from backprop_studio.main import main\n"
        "main(['train', '--preset', 'xor', '--epochs', '2'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "assert not bad, bad\n"
        "assert not any(m.startswith('backprop_studio.gui') for m in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
