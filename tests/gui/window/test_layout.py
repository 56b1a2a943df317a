"""The first layout at four screen sizes, each in its own process with the offscreen screen that size.

A window's screen cannot change size inside one process, so each size runs layout_checks.py under
`QT_QPA_PLATFORM=offscreen:configfile=…`: canvas share, a square data map fitting its data, no dock below
its minimum, whole tab titles, a loss plot at least 160 px tall, the Inspector showing the current phase's
section whole, and a saved layout
that no longer fits not restored while View → Reset layout restores the first one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.paths import REPO

SCREENS = {  # logical size and device pixel ratio: 2560×1440 at 2× is 1280×720 logical
    "1280x800": (1280, 800, 1),
    "1366x768": (1366, 768, 1),
    "1920x1080": (1920, 1080, 1),
    "2560x1440@2x": (1280, 720, 2),
}


@pytest.mark.parametrize("name", SCREENS)
def test_layout_on_screen(name, tmp_path):
    width, height, dpr = SCREENS[name]
    config = tmp_path / "screen.json"
    screen = {"name": "s", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": dpr}
    config.write_text(json.dumps({"screens": [screen]}))
    env = dict(
        os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", LAYOUT_SCREEN=f"{width}x{height}"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            str(REPO / "tests/gui/window/layout_checks.py"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "2 passed" in proc.stdout
