"""The command line's `export` and `import`, writing plain text to the given stream."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from backprop_studio.core.display.text import printable
from backprop_studio.core.interop.exports import export_project
from backprop_studio.core.interop.weights_import import build_project, read_weights
from backprop_studio.core.project.atomic import check_writable
from backprop_studio.core.project.fileformat import save_project
from backprop_studio.core.project.project import Project


def export(project: Project, kind: str, out: str, stdout: TextIO) -> None:
    for path in export_project(project, kind, out):
        stdout.write(f"wrote {printable(path)}\n")


def import_weights(
    weights: str, out: str, activations: str | None, loss: str | None, data: str | None, stdout: TextIO
) -> Project:
    """Read `weights`, build and check the project, then write it to `out` (nothing is written on error)."""
    check_writable(Path(out))
    imported = read_weights(weights)
    project = build_project(imported, weights, activations, loss, data)
    save_project(project, out)
    sizes = "-".join(str(n) for n in project.network.sizes)
    acts = ", ".join(project.network.activations)
    stdout.write(f"network {sizes} ({acts}), loss {project.training.loss}\nwrote {printable(out)}\n")
    return project
