"""Project files: one JSON document per project, read with every value checked and written atomically.

docs/FILE_FORMAT.md describes the layout. Reading is strict `json.loads` (json_strict.py) plus validation
(reader.py, reader_data.py) and never executes anything, so a project file from anywhere is safe to
open. Validation stops at the first problem and names its JSON path (`network.layers[1].units`), because
a hand-edited file should fail with a message a person can act on rather than with a traceback deep
inside training. Writing (writer.py) refuses a project whose file could not be read back, and replaces
the file atomically (atomic.py).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from backprop_studio.core import limits
from backprop_studio.core.errors import FormatError
from backprop_studio.core.project.atomic import write_atomically
from backprop_studio.core.project.json_strict import parse_json
from backprop_studio.core.project.project import Project
from backprop_studio.core.project.reader import read_project
from backprop_studio.core.project.schema import FORMAT, VERSION
from backprop_studio.core.project.writer import document_from_project, encode
from backprop_studio.core.validators import Invalid

__all__ = [
    "FORMAT",
    "VERSION",
    "document_from_project",
    "dumps_project",
    "load_project",
    "loads_project",
    "project_from_document",
    "relocated",
    "save_project",
]


def loads_project(text: str, source: str | None = None) -> Project:
    """The project in the JSON `text`; `source` names the file in errors and becomes `Project.source`."""
    return project_from_document(parse_json(text, source), source)


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read and validate a project file; every problem, I/O included, is a FormatError naming the file
    (a device, a FIFO or a file over `limits.MAX_PROJECT_BYTES` is refused before it is read)."""
    file = os.fspath(path)
    try:
        # Only a regular file of at most MAX_PROJECT_BYTES: a FIFO would hang, /dev/zero never ends.
        raw = limits.read_regular(file, limits.MAX_PROJECT_BYTES)
    except FileNotFoundError:
        raise FormatError("file not found", file=file) from None
    except IsADirectoryError:
        raise FormatError("this is a folder, not a project file", file=file) from None
    except limits.LimitError as error:
        raise FormatError(str(error), file=file) from None
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
    return encode(document) + "\n"


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
    write_atomically(Path(file), data)


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


def project_from_document(doc: object, source: str | None = None) -> Project:
    """Validate a parsed JSON document and build its Project; FormatError names the first problem."""
    try:
        return read_project(doc, source)
    except Invalid as problem:
        raise FormatError(problem.message, path=problem.path, file=source) from None
    except RecursionError:
        raise FormatError("the document is nested too deeply", file=source) from None
