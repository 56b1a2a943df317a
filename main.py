"""Backprop Studio's command line: parses the arguments and hands over to core/ (headless) or gui/ (the window)."""

from __future__ import annotations

import argparse
import sys

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line on stderr, exit 2, as for every other error
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="backprop-studio",
        description="See neural-network training happen, one forward or backward phase at a time.",
    )
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    _add_gui(commands)
    _add_training(commands)
    _add_listings(commands)
    _add_interop(commands)
    _add_record(commands)
    _add_picture(commands)
    return parser


def _with_source(p: argparse.ArgumentParser) -> None:
    """The project a command works on: a file, or `--preset NAME`."""
    p.add_argument("file", nargs="?", help="a project file (.json)")
    p.add_argument("--preset", metavar="NAME", help="a built-in preset (see `presets`)")


def _add_training(commands: argparse._SubParsersAction) -> None:
    """`train`, `gradcheck` and `info`: the headless commands on one project (core/commands.py)."""
    train = commands.add_parser("train", help="train a project and print a summary")
    _with_source(train)
    train.add_argument("--epochs", type=int, metavar="N", help="epochs to train (default: the file's)")
    train.add_argument("--out", metavar="FILE", help="write the trained network with its history")
    train.add_argument("--seed", type=int, metavar="S", help="training seed (initialisation and shuffling)")
    train.add_argument(
        "--no-update-biases",
        dest="update_biases",
        action="store_false",
        default=None,
        help="hold every bias at its value (dL/db is still computed); default: the file's setting",
    )
    train.add_argument(
        "--memory-budget", type=float, metavar="MB", help="memory kept for stepping back (default: 256)"
    )

    check = commands.add_parser("gradcheck", help="compare gradients with finite differences")
    _with_source(check)
    check.add_argument("--tolerance", type=float, default=1e-6, help="largest relative error that passes")

    info = commands.add_parser("info", help="summarise a project file")
    _with_source(info)


def _add_listings(commands: argparse._SubParsersAction) -> None:
    """`presets` and `lessons`: what is built in."""
    commands.add_parser("presets", help="list the built-in presets")
    commands.add_parser("lessons", help="list the built-in lessons")


def _add_interop(commands: argparse._SubParsersAction) -> None:
    """`export` and `import`: the bridges to PyTorch, npz, safetensors and ONNX (core/interop)."""
    export = commands.add_parser("export", help="write the network for PyTorch, as npz, safetensors or ONNX")
    _with_source(export)
    export.add_argument(
        "--to",
        required=True,
        choices=("pytorch", "npz", "safetensors", "onnx"),
        help="a training script, or the weights in torch's state_dict layout, or an ONNX graph",
    )
    export.add_argument(
        "--out", required=True, metavar="FILE", help="run.py, weights.npz, … (pytorch: + .npz)"
    )

    imports = commands.add_parser("import", help="make a project from weights (.npz, .safetensors, .onnx)")
    imports.add_argument("weights", help="a .npz, .safetensors or .onnx file")
    imports.add_argument("--out", required=True, metavar="FILE", help="the project file to write")
    imports.add_argument(
        "--activations", metavar="A,B,…", help="one activation per layer (relu,relu,softmax)"
    )
    imports.add_argument("--loss", help="mse, bce or cross_entropy (default: from the file or the output)")
    imports.add_argument("--data", metavar="PRESET|FILE", help="the data (and training settings) to use")


def _add_record(commands: argparse._SubParsersAction) -> None:
    """The `record` command's arguments (it runs in gui/recording/record_command.py, a lesson in
    gui/recording/lesson_record.py)."""
    record = commands.add_parser("record", help="record training as MP4, GIF or PNG frames")
    _with_source(record)
    record.add_argument(
        "--out", required=True, metavar="PATH", help="clip.mp4, clip.gif or a folder/ for PNGs"
    )
    record.add_argument("--epochs", type=int, default=1, metavar="N")
    record.add_argument("--granularity", choices=("phase", "pass", "batch", "epoch"), default="phase")
    record.add_argument("--fps", type=float, default=30.0)
    record.add_argument("--size", default="1280x720", metavar="WxH")
    record.add_argument("--layout", choices=("canvas", "full"), default="full")
    record.add_argument("--title", default="")
    record.add_argument("--hold", type=float, metavar="S", help="seconds each state stays on screen")
    record.add_argument(
        "--transition", type=float, metavar="S", help="seconds easing between states (0: none)"
    )
    record.add_argument("--dark", action="store_true", help="the dark palette")
    record.add_argument(
        "--lesson",
        metavar="NAME|FILE",
        help="record a lesson (see `lessons`): one scene per step, its narration as the caption",
    )
    record.add_argument(
        "--mode",
        choices=("auto", "values", "gradients"),
        default="auto",
        help="what the canvas shows: gradients during backward and values otherwise (auto), or one of them",
    )


def _add_gui(commands: argparse._SubParsersAction) -> None:
    """`gui`: the window, on a project file, a preset or a lesson (a lesson file also goes where a project
    file does: the window tells them apart)."""
    gui = commands.add_parser("gui", help="open the window (the default when no command is given)")
    gui.add_argument("file", nargs="?", help="a project or lesson file to open")
    gui.add_argument("--preset", metavar="NAME", help="open a built-in preset")
    gui.add_argument(
        "--lesson", metavar="NAME|FILE", help="open on a lesson (see `lessons`), at its first step"
    )


def _add_picture(commands: argparse._SubParsersAction) -> None:
    """The `picture` command's arguments (it runs in gui/teaching/picture_command.py)."""
    picture = commands.add_parser(
        "picture", help="write the canvas, Neuron zoom or Matrix view as SVG, PDF or PNG"
    )
    _with_source(picture)
    picture.add_argument(
        "--out", required=True, metavar="PATH", help="picture.svg, picture.pdf or picture.png"
    )
    picture.add_argument("--view", choices=("canvas", "zoom", "matrix"), default="canvas")
    picture.add_argument("--step", type=int, default=0, metavar="N", help="phases to run first (default 0)")
    picture.add_argument("--neuron", metavar="L:J", help="layer and neuron, from 1 (default: 1:1)")
    picture.add_argument("--size", default="1280x720", metavar="WxH", help="the view's size in pixels")
    picture.add_argument("--scale", type=float, default=2.0, help="PNG pixels per view pixel (default 2)")
    picture.add_argument("--dark", action="store_true", help="the dark palette")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "gui"
    if command == "gui":
        from backprop_studio.gui.app import run

        return run(getattr(args, "file", None), getattr(args, "preset", None), getattr(args, "lesson", None))
    if command == "record" and args.lesson is not None:
        from backprop_studio.gui.recording.lesson_record import record_lesson

        return _guarded(lambda: record_lesson(args))
    if command == "picture":
        from backprop_studio.gui.teaching.picture_command import picture

        return _guarded(lambda: picture(args))
    if command == "record":
        from backprop_studio.gui.recording.record_command import record

        return _guarded(lambda: record(args))
    return _guarded(lambda: _headless(command, args))


def _headless(command: str, args: argparse.Namespace) -> int:
    from backprop_studio.core import commands

    if command == "presets":
        commands.presets(sys.stdout)
        return 0
    if command == "import":
        from backprop_studio.core.interop import commands as interop

        interop.import_weights(args.weights, args.out, args.activations, args.loss, args.data, sys.stdout)
        return 0
    if command == "lessons":
        commands.lessons(sys.stdout)
        return 0
    project = commands.load(args.file, args.preset)
    if command == "train":
        commands.train(
            project,
            args.epochs,
            args.out,
            args.seed,
            sys.stdout,
            sys.stderr,
            args.memory_budget,
            update_biases=args.update_biases,
        )
        return 0
    if command == "export":
        from backprop_studio.core.interop import commands as interop

        interop.export(project, args.to, args.out, sys.stdout)
        return 0
    if command == "gradcheck":
        return 0 if commands.check_gradients(project, sys.stdout, args.tolerance) else 1
    commands.info(project, sys.stdout)
    return 0


def _guarded(action) -> int:
    from backprop_studio.core.display.text import printable
    from backprop_studio.core.errors import StudioError

    # Messages quote file names and values from files: escaped, so the terminal prints them, one line.
    try:
        return action()
    except StudioError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        message = f"{exc.filename or ''}: {exc.strerror or exc}"
        print(f"error: {printable(message)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
