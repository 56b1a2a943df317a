"""The controller's sentences for refusals: why a file could not be opened (one plain line, what went
wrong and where, naming the file once), why an edit was not applied, why Step and Play do nothing.

Core's FormatError and DataError put the file (and the JSON path or CSV line) in front of their message,
for the command line; the window says the file first, in words, and the detail after."""

from __future__ import annotations

import re

from backprop_studio.core.errors import DataError, FormatError

# Python's json module phrases ("Expecting property name enclosed in double quotes") are parser jargon:
# the position is what a person needs to find the mistake.
_INVALID_JSON = re.compile(r"^invalid JSON at line (\d+), column (\d+)(: .*)?$")
_FILE_LEVEL = ("file not found", "this is a folder", "cannot read the file", "not UTF-8 text")


def detail(exc: BaseException) -> str:
    """The error's own message, without the file name core puts in front of it."""
    text = str(exc)
    file = getattr(exc, "file", None)
    if file and text.startswith(str(file)):
        text = text[len(str(file)) :].lstrip(",: ")
    return text


def open_error_text(path: str, exc: BaseException) -> str:
    """e.g. "Could not open garbage.json: it is not valid JSON (line 1, column 10)." """
    text = detail(exc)
    if isinstance(exc, FormatError):
        bad_json = _INVALID_JSON.match(text)
        if bad_json:
            return f"Could not open {path}: it is not valid JSON (line {bad_json[1]}, column {bad_json[2]})."
        if text.startswith("invalid JSON") or text.startswith("duplicate key"):
            return f"Could not open {path}: it is not valid JSON ({text.removeprefix('invalid JSON: ')})."
        if any(text.startswith(s) for s in _FILE_LEVEL):
            return f"Could not open {path}: {text}."
        if exc.path == "format":
            return f"Could not open {path}: this file is not a Backprop Studio project."
        return f"Could not open {path}: this project file has a problem ({text})."
    if isinstance(exc, DataError):
        return f"Could not open {path}: its training data has a problem ({text})."
    if isinstance(exc, OSError):
        return f"Could not open {path}: {exc.strerror or exc}."
    return f"Could not open {path}: {text or type(exc).__name__}."


def not_applied(exc: Exception, divergence: object) -> str:
    """A refused edit, said as refused: what happened to the change first, then why."""
    if divergence is not None:
        return (
            f"The change was not applied: training diverged at this step ({divergence}). "
            "Step back (←) or Reset first, then change it."
        )
    return f"The change was not applied: {exc}"


def refused_while_diverged(divergence: object) -> str:
    """Why Step and Play do nothing on a diverged step, and what does help."""
    return (
        f"Training diverged here ({divergence}): step back, go back to the start of this epoch, "
        "or Reset to go on."
    )
