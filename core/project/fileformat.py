"""Project files: one JSON document per project, read with every value checked and written atomically.

docs/FILE_FORMAT.md describes the layout. Reading is `json.loads` plus validation and never executes
anything, so a project file from anywhere is safe to open. Validation stops at the first problem and
names its JSON path (`network.layers[1].units`), because a hand-edited file should fail with a message
a person can act on rather than with a traceback deep inside training.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import itertools
import json
import math
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import numpy as np
from backprop_studio.core.data.generators import MAX_CLASSES, MAX_SAMPLES
from backprop_studio.core.errors import ArchitectureError, FormatError, StudioError
from backprop_studio.core.nn.optimizers import BUFFERS, OptimizerState
from backprop_studio.core.project.project import Project
from backprop_studio.core.spec import (
    ACTIVATIONS,
    DATA_KINDS,
    FEATURES,
    LOSSES,
    MAX_SEED,
    OPTIMIZERS,
    REGULARIZATIONS,
    WEIGHT_INITS,
    DataSpec,
    InitSpec,
    LayerSpec,
    NetworkSpec,
    OptimizerSpec,
    RegularizationSpec,
    TrainingSpec,
    check_architecture,
)
from backprop_studio.core.training.snapshot import History

FORMAT = "backprop-studio"
VERSION = 1

_TOP_KEYS = (
    "format",
    "version",
    "name",
    "description",
    "network",
    "training",
    "data",
    "history",
    "breakpoints",
)
_NETWORK_KEYS = ("inputs", "layers", "init", "weights", "biases")
_TRAINING_KEYS = (
    "loss",
    "optimizer",
    "batch_size",
    "shuffle",
    "seed",
    "epochs",
    "epochs_completed",
    "regularization",
)
_OPTIMIZER_KEYS = ("name", "learning_rate", "momentum", "beta1", "beta2", "epsilon", "state")
_DATA_KEYS = tuple(f.name for f in fields(DataSpec))
_HISTORY_KEYS = tuple(f.name for f in fields(History))
_GENERATOR_KEYS = ("samples", "noise", "train_fraction", "seed", "features")
# The data keys a file always spells out for each kind; any other key is written only when it differs
# from its default, so a save/load round trip is exact even for values the kind does not use.
_DATA_KEYS_SHOWN = {
    "inline": ("x", "y", "x_test", "y_test"),
    "csv": ("path", "train_fraction", "seed"),
    "spiral": (*_GENERATOR_KEYS, "classes"),
}

Parser = Callable[[Any, str], Any]


# --------------------------------------------------------------------------------------------- public


def loads_project(text: str, source: str | None = None) -> Project:
    """The project in the JSON `text`; `source` names the file in errors and becomes `Project.source`."""
    return project_from_document(_parse_json(text, source), source)


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read and validate a project file; every problem, I/O included, is a FormatError naming the file."""
    file = os.fspath(path)
    try:
        raw = Path(file).read_bytes()
    except FileNotFoundError:
        raise FormatError("file not found", file=file) from None
    except IsADirectoryError:
        raise FormatError("this is a folder, not a project file", file=file) from None
    except (OSError, ValueError) as error:  # ValueError: a NUL character in the path
        raise FormatError(
            f"cannot read the file ({getattr(error, 'strerror', None) or error})", file=file
        ) from None
    try:
        text = raw.decode("utf-8-sig")  # -sig: editors on Windows like to start UTF-8 files with a BOM
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise FormatError(f"not UTF-8 text (invalid byte at line {line})", file=file) from None
    return loads_project(text, source=file)


def dumps_project(project: Project, source: str | None = None) -> str:
    """The project as file text. Refuses (FormatError) a project whose file could not be read back."""
    document = document_from_project(project)
    project_from_document(document, source)
    return _encode(document) + "\n"


def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    """Write `project` to `path` atomically: a crash or a full disk leaves the old file as it was.

    Raises FormatError when the project holds something a file cannot (NaN weights, say) and
    StudioError when the file cannot be written.
    """
    file = os.fspath(path)
    project = relocated(project, file)
    # A lone surrogate in a string cannot be encoded as UTF-8; backslashreplace writes it as the JSON
    # escape `\udXXX`, which reads back as the very same string.
    data = dumps_project(project, source=file).encode("utf-8", "backslashreplace")
    _write_atomically(Path(file), data)


def relocated(project: Project, file: str) -> Project:
    """`project` as written to `file`: a relative CSV path is rewritten to point at the same data from
    the new file's folder (it was relative to `project.source`'s folder, or to the working directory)."""
    data = project.data
    if data.kind != "csv" or not data.path or os.path.isabs(data.path):
        return project
    old_dir = os.path.dirname(os.path.abspath(project.source)) if project.source else os.getcwd()
    target = os.path.normpath(os.path.join(old_dir, data.path))
    new_path = os.path.relpath(target, os.path.dirname(os.path.abspath(file)))
    return replace(project, data=replace(data, path=new_path.replace(os.sep, "/")))


def document_from_project(project: Project) -> dict[str, Any]:
    """The JSON document (plain dicts, lists and scalars) a file holds for `project`; not validated."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "name": project.name,
        "description": project.description,
        "network": _network_document(project),
        "training": _training_document(project),
        "data": _data_document(project.data),
        "history": _history_document(project.history),
        "breakpoints": [copy.deepcopy(breakpoint) for breakpoint in project.breakpoints],
    }
    return _plain(document)


def project_from_document(doc: object, source: str | None = None) -> Project:
    """Validate a parsed JSON document and build its Project; FormatError names the first problem."""
    try:
        return _read_project(doc, source)
    except _Invalid as problem:
        raise FormatError(problem.message, path=problem.path, file=source) from None
    except RecursionError:
        raise FormatError("the document is nested too deeply", file=source) from None


# -------------------------------------------------------------------------------------- parsing JSON


class _NonFiniteLiteral(Exception):
    pass


class _DuplicateKey(Exception):
    pass


_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.DOTALL)


def _parse_json(text: str, source: str | None) -> object:
    text = text.removeprefix("\ufeff")  # a byte-order mark is not JSON, but editors write one
    try:
        return json.loads(text, parse_constant=_refuse, object_pairs_hook=_unique)
    except json.JSONDecodeError as error:
        message = f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        raise FormatError(message, file=source) from None
    except _NonFiniteLiteral as error:
        raise FormatError(_non_finite_message(text, str(error)), file=source) from None
    except _DuplicateKey as error:
        raise FormatError(
            f"duplicate key {error}: a key may appear only once in an object", file=source
        ) from None
    except RecursionError:
        raise FormatError("invalid JSON: nested too deeply", file=source) from None
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        raise FormatError(f"invalid JSON: {error}", file=source) from None


def _refuse(constant: str) -> float:
    # json.loads accepts NaN and Infinity by default, but they are not JSON and training cannot use them.
    raise _NonFiniteLiteral(constant)


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads silently keeps the last of two equal keys, which hides a hand-editing mistake.
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(json.dumps(key, ensure_ascii=False))
            seen.add(key)
    return result


def _non_finite_message(text: str, constant: str) -> str:
    """Where the first NaN/Infinity outside a string is: the parser stops at the first one it meets."""
    where = ""
    for match in _STRING_OR_CONSTANT.finditer(text):
        if match.group(1):
            start = match.start(1)
            line = text.count("\n", 0, start) + 1
            where = f" at line {line}, column {start - text.rfind(chr(10), 0, start)}"
            break
    return f"{constant}{where} is not allowed: every number must be finite (JSON has no NaN or Infinity)"


# -------------------------------------------------------------------------------- validation helpers


class _Invalid(Exception):
    """The first problem found, with its JSON path; becomes a FormatError once the file is known."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


_REQUIRED = object()


def _describe(value: object) -> str:
    """A value as a message shows it: JSON spelling for scalars, a word for containers."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return repr(value) if value.bit_length() < 64 else "a very large integer"
    if isinstance(value, float):
        return repr(float(value))
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 40 else text[:36] + '…"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a Python {type(value).__name__}"


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _unknown_key(key: object, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f" (did you mean {json.dumps(close[0])}?)" if close else ""
    return f"unknown key {_describe(key)}{hint}; expected one of {', '.join(allowed)}"


class _Object:
    """A JSON object being read. Unknown keys are refused up front so that a typo is named, not ignored."""

    def __init__(self, value: object, path: str, allowed: Iterable[str]) -> None:
        if not isinstance(value, dict):
            raise _Invalid(path, f"expected an object, got {_describe(value)}")
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                raise _Invalid(_join(path, key), _unknown_key(key, allowed))
        self.value = value
        self.path = path

    def at(self, key: str) -> str:
        return _join(self.path, key)

    def read(self, key: str, parser: Parser, default: Any = _REQUIRED) -> Any:
        if key not in self.value:
            if default is _REQUIRED:
                raise _Invalid(self.at(key), "required key is missing")
            return default
        return parser(self.value[key], self.at(key))

    def section(self, key: str, parser: Parser) -> Any:
        """Read an optional nested object; a missing one reads as `{}`, i.e. all its defaults."""
        return parser(self.value.get(key, {}), self.at(key))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finite(value: object, path: str, wanted: str = "a finite number") -> float:
    if _is_number(value):
        try:
            number = float(value)  # ints are welcome where floats are wanted
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number
    raise _Invalid(path, f"expected {wanted}, got {_describe(value)}")


def _integer(minimum: int, maximum: int | None = None) -> Parser:
    wanted = f"an integer >= {minimum}" if maximum is None else f"an integer from {minimum} to {maximum}"

    def parse(value: object, path: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Invalid(path, f"expected {wanted}, got {_describe(value)}")
        if value < minimum or (maximum is not None and value > maximum):
            raise _Invalid(path, f"expected {wanted}, got {_describe(value)}")
        return int(value)

    return parse


def _number(
    minimum: float | None = None,
    maximum: float | None = None,
    *,
    above: bool = False,
    below: bool = False,
) -> Parser:
    """Finite numbers in a range; `above`/`below` make the minimum/maximum exclusive."""
    wanted = _range_text(minimum, maximum, above, below)

    def parse(value: object, path: str) -> float:
        number = _finite(value, path, wanted)
        too_low = minimum is not None and (number <= minimum if above else number < minimum)
        too_high = maximum is not None and (number >= maximum if below else number > maximum)
        if too_low or too_high:
            raise _Invalid(path, f"expected {wanted}, got {_describe(value)}")
        return number

    return parse


def _range_text(minimum: float | None, maximum: float | None, above: bool, below: bool) -> str:
    if minimum is not None and maximum is not None and not above and not below:
        return f"a number from {minimum:g} to {maximum:g}"
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if above else '>='} {minimum:g}")
    if maximum is not None:
        parts.append(f"{'<' if below else '<='} {maximum:g}")
    return "a number " + " and ".join(parts) if parts else "a finite number"


def _boolean(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(path, f"expected true or false, got {_describe(value)}")
    return value


def _string(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise _Invalid(path, f"expected a string, got {_describe(value)}")
    return value


def _name(value: object, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise _Invalid(path, f"expected a non-empty string, got {_describe(value)}")
    return value


def _choice(choices: tuple[str, ...]) -> Parser:
    def parse(value: object, path: str) -> str:
        if not isinstance(value, str) or value not in choices:
            raise _Invalid(path, f"expected one of {', '.join(choices)}, got {_describe(value)}")
        return value

    return parse


def _optional(parser: Parser) -> Parser:
    """Also accept JSON null, read as None."""

    def parse(value: object, path: str) -> Any:
        return None if value is None else parser(value, path)

    return parse


def _list(value: object, path: str, wanted: str = "a list") -> list[Any]:
    if not isinstance(value, list):
        raise _Invalid(path, f"expected {wanted}, got {_describe(value)}")
    return value


def _names(choices: tuple[str, ...] | None, at_least_one: bool) -> Parser:
    """A list of distinct strings, from `choices` when given."""
    item = _choice(choices) if choices else _name

    def parse(value: object, path: str) -> tuple[str, ...]:
        items = _list(value, path, "a list of strings")
        if at_least_one and not items:
            raise _Invalid(path, "expected at least 1 name, got an empty list")
        names = tuple(item(name, f"{path}[{i}]") for i, name in enumerate(items))
        for i, name in enumerate(names):
            if name in names[:i]:
                raise _Invalid(f"{path}[{i}]", f"{_describe(name)} is listed twice")
        return names

    return parse


# ------------------------------------------------------------------------------------------- arrays


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _shape_text(shape: tuple[int | None, ...]) -> str:
    dims = ["*" if n is None else str(n) for n in shape]
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"


def _numbers(value: object, path: str, length: int | None = None, hint: str = "") -> list[float]:
    """A list of finite numbers; with `length`, of exactly that many."""
    items = _list(value, path, "a list of numbers")
    if length is not None and len(items) != length:
        raise _Invalid(path, f"expected shape ({length},){hint}, found shape ({len(items)},)")
    return [_finite(item, f"{path}[{i}]") for i, item in enumerate(items)]


def _matrix(
    value: object, path: str, rows: int | None = None, columns: int | None = None, hint: str = ""
) -> list[list[float]]:
    """A list of equally long rows of finite numbers; `rows`/`columns` fix the shape (None: any)."""
    items = _list(value, path, "a list of rows")
    for i, row in enumerate(items):
        if not isinstance(row, list):
            raise _Invalid(f"{path}[{i}]", f"expected a row (a list of numbers), got {_describe(row)}")
    expected = f"expected shape {_shape_text((rows, columns))}{hint}"
    widths = [len(row) for row in items]
    if any(width != widths[0] for width in widths):
        odd = next(i for i, width in enumerate(widths) if width != widths[0])
        raise _Invalid(
            path,
            f"{expected}, found rows of different lengths "
            f"(row 0 has {_count(widths[0], 'number')}, row {odd} has {widths[odd]})",
        )
    if not items:
        if rows not in (None, 0):
            raise _Invalid(path, f"{expected}, found an empty list")
        return []
    if (rows is not None and len(items) != rows) or (columns is not None and widths[0] != columns):
        raise _Invalid(path, f"{expected}, found shape ({len(items)}, {widths[0]})")
    return [[_finite(x, f"{path}[{i}][{j}]") for j, x in enumerate(row)] for i, row in enumerate(items)]


def _parameter_arrays(network: NetworkSpec, kind: str) -> Parser:
    """One array per layer, shaped (n_in, n_out) for "weights" and (n_out,) for "biases"."""
    sizes = network.sizes
    pairs = list(itertools.pairwise(sizes))

    def parse(value: object, path: str) -> list[np.ndarray]:
        items = _list(value, path, f"a list of {kind} arrays, one per layer")
        if len(items) != len(pairs):
            raise _Invalid(path, f"expected {len(pairs)} arrays (one per layer), found {len(items)}")
        arrays = []
        for k, ((n_in, n_out), item) in enumerate(zip(pairs, items, strict=True)):
            hint = f" (layer {k + 1} has {_count(n_in, 'input')} and {_count(n_out, 'unit')})"
            if kind == "weights":
                arrays.append(np.array(_matrix(item, f"{path}[{k}]", n_in, n_out, hint), dtype=np.float64))
            else:
                arrays.append(np.array(_numbers(item, f"{path}[{k}]", n_out, hint), dtype=np.float64))
        return arrays

    return parse


# ------------------------------------------------------------------------------------------ reading


def _read_project(doc: object, source: str | None) -> Project:
    if not isinstance(doc, dict):
        raise _Invalid("", f"expected a JSON object at the top level, got {_describe(doc)}")
    _check_format(doc)
    top = _Object(doc, "", _TOP_KEYS)
    name = top.read("name", _string, "")
    description = top.read("description", _string, "")
    network, weights, biases = top.read("network", _read_network)
    has_parameters = weights is not None
    training, state, epochs_completed = top.section(
        "training", lambda value, path: _read_training(value, path, network, has_parameters)
    )
    data = top.section("data", lambda value, path: _read_data(value, path, network))
    history = top.section("history", _read_history)
    breakpoints = top.read("breakpoints", _read_breakpoints, ())
    return Project(
        network=network,
        training=training,
        data=data,
        name=name,
        description=description,
        weights=weights,
        biases=biases,
        optimizer_state=state,
        history=history,
        epochs_completed=epochs_completed,
        breakpoints=breakpoints,
        source=source,
    )


def _check_format(doc: dict[Any, Any]) -> None:
    """`format` and `version` come first: a newer file should say so rather than trip over new keys."""
    if "format" not in doc:
        raise _Invalid("format", f'required key is missing (a project file has "format": "{FORMAT}")')
    if not isinstance(doc["format"], str) or doc["format"] != FORMAT:
        raise _Invalid("format", f'expected "{FORMAT}", got {_describe(doc["format"])}')
    if "version" not in doc:
        raise _Invalid("version", "required key is missing")
    version = doc["version"]
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise _Invalid(
            "version",
            f"written by a newer Backprop Studio (version {_describe(version)}); this one reads version {VERSION}",
        )
    if version != VERSION or isinstance(version, bool) or not isinstance(version, int):
        raise _Invalid("version", f"expected {VERSION}, got {_describe(version)}")


def _read_network(value: object, path: str) -> tuple[NetworkSpec, list[np.ndarray] | None, list | None]:
    section = _Object(value, path, _NETWORK_KEYS)
    network = NetworkSpec(
        inputs=section.read("inputs", _integer(1)),
        layers=section.read("layers", _read_layers),
        init=section.section("init", _read_init),
    )
    _check_network(network, path)
    has_weights, has_biases = (section.value.get(key) is not None for key in ("weights", "biases"))
    if has_weights != has_biases:
        missing = "biases" if has_weights else "weights"
        raise _Invalid(section.at(missing), "required key is missing: weights and biases come together")
    weights = section.read("weights", _optional(_parameter_arrays(network, "weights")), None)
    biases = section.read("biases", _optional(_parameter_arrays(network, "biases")), None)
    return network, weights, biases


def _read_layers(value: object, path: str) -> tuple[LayerSpec, ...]:
    items = _list(value, path, "a list of layers")
    if not items:
        raise _Invalid(
            path, "expected at least 1 layer (the last one is the output layer), got an empty list"
        )
    return tuple(_read_layer(item, f"{path}[{i}]") for i, item in enumerate(items))


def _read_layer(value: object, path: str) -> LayerSpec:
    layer = _Object(value, path, ("units", "activation"))
    return LayerSpec(
        units=layer.read("units", _integer(1)), activation=layer.read("activation", _choice(ACTIVATIONS))
    )


def _read_init(value: object, path: str) -> InitSpec:
    section = _Object(value, path, (f.name for f in fields(InitSpec)))
    default = InitSpec()
    low = section.read("low", _number(), default.low)
    high = section.read("high", _number(), default.high)
    if high < low:
        raise _Invalid(section.at("high"), f"expected a number >= low ({low:g}), got {_describe(high)}")
    return InitSpec(
        weights=section.read("weights", _choice(WEIGHT_INITS), default.weights),
        std=section.read("std", _number(0), default.std),
        low=low,
        high=high,
        value=section.read("value", _number(), default.value),
        bias=section.read("bias", _number(), default.bias),
    )


def _check_network(network: NetworkSpec, path: str) -> None:
    """The network's own rules (softmax placement and size), judged with a loss that suits any output."""
    suits = "cross_entropy" if network.layers[-1].activation == "softmax" else "mse"
    try:
        check_architecture(network, TrainingSpec(loss=suits))
    except ArchitectureError as error:
        raise _Invalid(path, str(error)) from None


def _check_loss(network: NetworkSpec, loss: str, path: str) -> None:
    # The network alone has passed already, so what check_architecture still refuses is the loss.
    try:
        check_architecture(network, TrainingSpec(loss=loss))
    except ArchitectureError as error:
        raise _Invalid(path, str(error)) from None


def _read_training(
    value: object, path: str, network: NetworkSpec, has_parameters: bool
) -> tuple[TrainingSpec, OptimizerState | None, int]:
    section = _Object(value, path, _TRAINING_KEYS)
    default = TrainingSpec()
    loss = section.read("loss", _choice(LOSSES), default.loss)
    _check_loss(network, loss, section.at("loss"))
    optimizer, state = section.section(
        "optimizer", lambda value, path: _read_optimizer(value, path, network, has_parameters)
    )
    training = TrainingSpec(
        loss=loss,
        optimizer=optimizer,
        batch_size=section.read("batch_size", _integer(1), default.batch_size),
        shuffle=section.read("shuffle", _boolean, default.shuffle),
        seed=section.read("seed", _integer(0, MAX_SEED), default.seed),
        epochs=section.read("epochs", _integer(1), default.epochs),
        regularization=section.section("regularization", _read_regularization),
    )
    epochs_completed = section.read("epochs_completed", _integer(0), 0)
    return training, state, epochs_completed


def _read_optimizer(
    value: object, path: str, network: NetworkSpec, has_parameters: bool
) -> tuple[OptimizerSpec, OptimizerState | None]:
    section = _Object(value, path, _OPTIMIZER_KEYS)
    default = OptimizerSpec()
    below_one = _number(0, 1, below=True)
    spec = OptimizerSpec(
        name=section.read("name", _choice(OPTIMIZERS), default.name),
        learning_rate=section.read("learning_rate", _number(0, above=True), default.learning_rate),
        momentum=section.read("momentum", below_one, default.momentum),
        beta1=section.read("beta1", below_one, default.beta1),
        beta2=section.read("beta2", below_one, default.beta2),
        epsilon=section.read("epsilon", _number(0, above=True), default.epsilon),
    )
    state = section.read(
        "state", _optional(lambda value, path: _read_state(value, path, spec.name, network)), None
    )
    if state is not None and not has_parameters:
        raise _Invalid(
            section.at("state"),
            "optimizer state belongs to trained parameters: give network.weights and network.biases too",
        )
    return spec, state


def _read_state(value: object, path: str, optimizer: str, network: NetworkSpec) -> OptimizerState:
    buffers = BUFFERS[optimizer]
    section = _Object(value, path, ("step", *buffers))
    step = section.read("step", _integer(0), 0)
    return OptimizerState(
        step, {name: section.read(name, lambda v, p: _read_buffer(v, p, network)) for name in buffers}
    )


def _read_buffer(value: object, path: str, network: NetworkSpec) -> tuple[list[np.ndarray], list[np.ndarray]]:
    section = _Object(value, path, ("weights", "biases"))
    return (
        section.read("weights", _parameter_arrays(network, "weights")),
        section.read("biases", _parameter_arrays(network, "biases")),
    )


def _read_regularization(value: object, path: str) -> RegularizationSpec:
    section = _Object(value, path, ("kind", "rate"))
    default = RegularizationSpec()
    return RegularizationSpec(
        kind=section.read("kind", _choice(REGULARIZATIONS), default.kind),
        rate=section.read("rate", _number(0), default.rate),
    )


def _read_data(value: object, path: str, network: NetworkSpec) -> DataSpec:
    section = _Object(value, path, _DATA_KEYS)
    default = DataSpec()
    kind = section.read("kind", _choice(DATA_KINDS), default.kind)
    samples = section.read("samples", _integer(2, MAX_SAMPLES), default.samples)
    noise = section.read("noise", _number(0, 0.5), default.noise)
    train_fraction = section.read("train_fraction", _number(0, 1, above=True), default.train_fraction)
    seed = section.read("seed", _integer(0, MAX_SEED), default.seed)
    features = section.read("features", _names(FEATURES, at_least_one=True), default.features)
    if kind not in ("inline", "csv") and len(features) != network.inputs:
        raise _Invalid(
            section.at("features"),
            f"expected {network.inputs} features (one per network input), got {len(features)}",
        )
    classes = section.read("classes", _integer(2, MAX_CLASSES), default.classes)
    if kind == "spiral" and samples < classes:
        raise _Invalid(
            section.at("samples"), f"a spiral with {classes} classes needs at least {classes} samples"
        )
    x, y, x_test, y_test = _read_inline(section, kind, network)
    file, targets, one_hot = _read_csv(section, kind)
    return DataSpec(
        kind=kind,
        samples=samples,
        noise=noise,
        train_fraction=train_fraction,
        seed=seed,
        features=features,
        classes=classes,
        x=x,
        y=y,
        x_test=x_test,
        y_test=y_test,
        path=file,
        targets=targets,
        one_hot=one_hot,
    )


_Rows = tuple[tuple[float, ...], ...]


def _read_inline(section: _Object, kind: str, network: NetworkSpec) -> tuple[_Rows | None, ...]:
    """x/y (and x_test/y_test), checked against the network only when they are the data in use."""
    inline = kind == "inline"
    inputs = network.inputs if inline else None
    outputs = network.outputs if inline else None
    x_hint, y_hint = " (a column per network input)", " (a row per row of x, a column per output unit)"

    def rows(key: str, n_rows: int | None, columns: int | None, hint: str, required: bool) -> _Rows | None:
        def parse(value: object, path: str) -> list[list[float]]:
            return _matrix(value, path, n_rows, columns, hint)

        matrix = section.read(key, parse if required else _optional(parse), _REQUIRED if required else None)
        return None if matrix is None else tuple(tuple(row) for row in matrix)

    x = rows("x", None, inputs, x_hint, required=inline)
    if inline and not x:
        raise _Invalid(section.at("x"), "expected at least 1 sample, got an empty list")
    y = rows("y", None if x is None else len(x), outputs, y_hint, required=inline)
    x_test = rows("x_test", None, inputs, x_hint, required=False)
    y_test = rows("y_test", None if x_test is None else len(x_test), outputs, y_hint, required=False)
    if (x_test is None) != (y_test is None):
        missing = "y_test" if x_test is not None else "x_test"
        raise _Invalid(section.at(missing), "x_test and y_test come together: give both or neither")
    return x, y, x_test, y_test


def _read_csv(section: _Object, kind: str) -> tuple[str | None, tuple[str, ...], str | None]:
    path = section.read("path", _optional(_name), _REQUIRED if kind == "csv" else None)
    if kind == "csv" and path is None:
        raise _Invalid(section.at("path"), "expected a file name, got null")
    targets = section.read("targets", _names(None, at_least_one=False), ())
    one_hot = section.read("one_hot", _optional(_name), None)
    if kind == "csv" and not targets and one_hot is None:
        raise _Invalid(section.at("targets"), "a csv data set needs target columns: give targets or one_hot")
    if targets and one_hot is not None:
        raise _Invalid(section.at("one_hot"), "give either targets or one_hot, not both")
    return path, targets, one_hot


def _read_history(value: object, path: str) -> History:
    section = _Object(value, path, _HISTORY_KEYS)
    series = {key: section.read(key, _measurements, ()) for key in _HISTORY_KEYS}
    # Per-epoch series line up by index: one that is present must have a value for every epoch
    # (an absent one means "not recorded"; training pads it with NaN when it continues).
    epochs = len(series["train_loss"])
    for key in ("test_loss", "train_accuracy", "test_accuracy"):
        if series[key] and len(series[key]) != epochs:
            where = f"{path}.{key}" if path else key
            raise _Invalid(
                where,
                f"has {len(series[key])} values but train_loss has {epochs}: per-epoch series must be "
                "the same length (one value per epoch)",
            )
    return History(**series)


def _measurements(value: object, path: str) -> tuple[float, ...]:
    """Per-epoch values where null stands for NaN: "not measured" (no test set, or no classes)."""
    items = _list(value, path, "a list of numbers")
    return tuple(math.nan if item is None else _finite(item, f"{path}[{i}]") for i, item in enumerate(items))


def _read_breakpoints(value: object, path: str) -> tuple[dict[str, Any], ...]:
    items = _list(value, path, "a list of objects")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _Invalid(f"{path}[{i}]", f"expected an object, got {_describe(item)}")
    return tuple(_json_copy(item, f"{path}[{i}]") for i, item in enumerate(items))


def _json_copy(value: object, path: str) -> Any:
    """A deep copy that also refuses whatever JSON cannot hold (a document may come from Python code)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _finite(value, path)
    if isinstance(value, list):
        return [_json_copy(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise _Invalid(path, f"object keys must be strings, got {_describe(key)}")
        return {key: _json_copy(item, _join(path, key)) for key, item in value.items()}
    raise _Invalid(path, f"expected a JSON value, got {_describe(value)}")


# ------------------------------------------------------------------------------------------ writing


def _array_list(arrays: list[np.ndarray]) -> list[Any]:
    return [np.asarray(array, dtype=np.float64).tolist() for array in arrays]


def _plain(value: Any) -> Any:
    """Only JSON's own types: the specs' tuples become lists, NumPy scalars and arrays Python ones."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (np.ndarray, np.generic)):
        return value.tolist()
    return value


def _network_document(project: Project) -> dict[str, Any]:
    network = project.network
    init = network.init
    doc: dict[str, Any] = {
        "inputs": network.inputs,
        "layers": [{"units": layer.units, "activation": layer.activation} for layer in network.layers],
        "init": {f.name: getattr(init, f.name) for f in fields(InitSpec)},
    }
    if project.weights is not None:
        doc["weights"] = _array_list(project.weights)
    if project.biases is not None:
        doc["biases"] = _array_list(project.biases)
    return doc


def _training_document(project: Project) -> dict[str, Any]:
    training = project.training
    optimizer: dict[str, Any] = {f.name: getattr(training.optimizer, f.name) for f in fields(OptimizerSpec)}
    state = project.optimizer_state
    if state is not None:
        optimizer["state"] = {
            "step": state.step,
            **{
                name: {"weights": _array_list(weights), "biases": _array_list(biases)}
                for name, (weights, biases) in state.buffers.items()
            },
        }
    return {
        "loss": training.loss,
        "optimizer": optimizer,
        "batch_size": training.batch_size,
        "shuffle": training.shuffle,
        "seed": training.seed,
        "epochs": training.epochs,
        "epochs_completed": project.epochs_completed,
        "regularization": {"kind": training.regularization.kind, "rate": training.regularization.rate},
    }


def _data_document(data: DataSpec) -> dict[str, Any]:
    shown = _DATA_KEYS_SHOWN.get(data.kind, _GENERATOR_KEYS)
    doc: dict[str, Any] = {"kind": data.kind}
    for f in fields(DataSpec)[1:]:
        value = getattr(data, f.name)
        if (f.name in shown and value is not None) or value != f.default:
            doc[f.name] = _plain(value)
    return doc


def _history_document(history: History) -> dict[str, Any]:
    # The engine records NaN for what it could not measure (test loss without a test set). JSON has
    # no NaN, so that is written as null, and so is an infinite loss: a diverged run can still be saved.
    doc: dict[str, Any] = {}
    for key in _HISTORY_KEYS:
        values = getattr(history, key)
        if values or key in ("train_loss", "test_loss"):
            doc[key] = [
                None if isinstance(v, (float, np.floating)) and not math.isfinite(v) else v for v in values
            ]
    return doc


_INDENT = "  "


def _encode(value: Any, level: int = 0) -> str:
    """JSON indented by 2, except that a list of scalars (a row of weights, say) stays on one line."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad = _INDENT * (level + 1)
        items = [f"{pad}{_scalar(str(key))}: {_encode(item, level + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + _INDENT * level + "}"
    if isinstance(value, list):
        if all(_is_scalar(item) for item in value):
            return "[" + ", ".join(_scalar(item) for item in value) + "]"
        pad = _INDENT * (level + 1)
        items = [pad + (_flat_object(item) or _encode(item, level + 1)) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + _INDENT * level + "]"
    return _scalar(value)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _flat_object(value: Any) -> str | None:
    """A small object of scalars in a list (a layer) on one line; None when it does not fit that."""
    if isinstance(value, dict) and value and all(_is_scalar(item) for item in value.values()):
        return "{" + ", ".join(f"{_scalar(str(key))}: {_scalar(item)}" for key, item in value.items()) + "}"
    return None


def _scalar(value: Any) -> str:
    # float repr (what json uses) is the shortest text that reads back as the same double: bit-exact.
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _write_atomically(target: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename over the target: readers see the old or the new file."""
    try:
        # Not a `with` block: the file must outlive it, closed, to be renamed or removed below.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "wb", delete=False, dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise StudioError(f"{target}: cannot save ({error.strerror or error})") from None
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, _mode_for(target))
        os.replace(handle.name, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        if isinstance(error, OSError):
            raise StudioError(f"{target}: cannot save ({error.strerror or error})") from None
        raise
    _sync_folder(target.parent)


def _mode_for(target: Path) -> int:
    # NamedTemporaryFile creates the file private (0600); keep the permissions the project file had.
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o644


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only; elsewhere a folder cannot be opened)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
