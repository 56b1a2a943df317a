"""The errors the core raises: each says what went wrong and where, in one line a person can act on."""

from __future__ import annotations


class StudioError(Exception):
    """Base of every error the core reports to a user (CLI: one line on stderr, exit 2; GUI: a dialog)."""


class ArchitectureError(StudioError):
    """An impossible network or an incompatible loss/activation pair; names the layer."""


class FormatError(StudioError):
    """A project file that is not valid; `path` is the JSON path of the first problem (e.g. `network.layers[1].units`)."""

    def __init__(self, message: str, path: str = "", file: str | None = None) -> None:
        self.path = path
        self.file = file
        where = ", ".join(part for part in (file, f"at {path}" if path else "") if part)
        super().__init__(f"{where}: {message}" if where else message)


class DataError(StudioError):
    """Bad training data: a CSV or inline array; names file, line and column where it can."""

    def __init__(
        self, message: str, file: str | None = None, line: int | None = None, column: str | int | None = None
    ) -> None:
        self.file, self.line, self.column = file, line, column
        parts = []
        if file:
            parts.append(str(file))
        if line is not None:
            parts.append(f"line {line}")
        if column is not None:
            parts.append(f"column {column}")
        super().__init__(f"{', '.join(parts)}: {message}" if parts else message)


class PhaseOrderError(StudioError):
    """A step that cannot happen now (e.g. stepping on after a divergence)."""


class DivergenceError(StudioError):
    """A NaN or inf appeared; names the phase, layer and quantity. `divergence` holds them typed
    (a `core.training.divergence.Divergence`), when the error comes from a session."""

    def __init__(self, message: str, divergence: object = None) -> None:
        super().__init__(message)
        self.divergence = divergence


class Cancelled(Exception):
    """The person cancelled a long job (an import, opening a file) before it finished. Not a StudioError:
    nothing went wrong, so there is nothing to report; whatever the job was building is dropped."""
