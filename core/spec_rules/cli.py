"""The command line of `spec_rules`: can a project train, and what do one change's automatic fixes do?

    python -m backprop_studio.core.spec_rules project.json
    python -m backprop_studio.core.spec_rules --preset xor --change loss=cross_entropy

prints the fixes' notes, then the problem (exit 1) or "These settings can train." (exit 0); a file or
argument that cannot be read is one line on stderr (exit 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace

from backprop_studio.core.display.text import printable
from backprop_studio.core.errors import StudioError
from backprop_studio.core.spec_rules.checks import problem
from backprop_studio.core.spec_rules.fixes import Specs, coerce


def main(argv: Sequence[str] | None = None) -> int:
    """Print why a project cannot train (exit 1) or that it can (exit 0); `--change FIELD=VALUE` first
    makes one change (loss, output_activation, data kind or classes) and applies its automatic fixes."""
    from backprop_studio.core.commands import load

    parser = argparse.ArgumentParser(prog="python -m backprop_studio.core.spec_rules")
    parser.add_argument("file", nargs="?", help="a project file (.json)")
    parser.add_argument("--preset", metavar="NAME", help="a built-in preset")
    parser.add_argument("--change", metavar="FIELD=VALUE", help="loss, output_activation, kind or classes")
    args = parser.parse_args(argv)
    try:
        project = load(args.file, args.preset)
        specs = Specs(project.network, project.training, project.data)
        base_dir = os.path.dirname(os.path.abspath(project.source)) if project.source else None
        if args.change:
            specs, notes = _change(specs, args.change, base_dir)
            for note in notes:
                print(printable(note))
        found = problem(*specs, base_dir=base_dir)
    except StudioError as error:
        print(f"error: {printable(str(error))}", file=sys.stderr)
        return 2
    print(printable(found or "These settings can train."))
    return 1 if found else 0


def _change(specs: Specs, change: str, base_dir: str | None) -> tuple[Specs, list[str]]:
    field, _, value = change.partition("=")
    network, training, data = specs
    if field == "loss":
        return coerce((network, replace(training, loss=value), data), "loss", base_dir)
    if field == "output_activation":
        output = replace(network.layers[-1], activation=value)
        return coerce(
            (replace(network, layers=(*network.layers[:-1], output)), training, data), field, base_dir
        )
    if field in ("kind", "classes"):
        changed = replace(data, kind=value) if field == "kind" else replace(data, classes=_whole(value))
        return coerce((network, training, changed), "data", base_dir)
    raise StudioError(f"--change takes loss, output_activation, kind or classes, not {field!r}")


def _whole(text: str) -> int:
    if not text.strip().isdigit():
        raise StudioError(f"classes must be a whole number, not {text!r}")
    return int(text)
