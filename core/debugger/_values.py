"""Small helpers for checking and describing values read from a project file's breakpoints.

Private to core/debugger. `core/project/fileformat.py` has the same three text helpers (`_describe`,
`_join`, `_range_text`); they are to move to one shared home (`core/validators.py`), and then these go.
"""

from __future__ import annotations

import json
from numbers import Integral, Real
from typing import SupportsFloat, TypeGuard


def describe(value: object) -> str:
    """A value as the file format's messages show it: JSON spelling for scalars, a word for containers."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return json.dumps(value) if isinstance(value, str) else repr(value)
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a Python {type(value).__name__}"


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, Integral) and not isinstance(value, bool)


def is_real(value: object) -> TypeGuard[SupportsFloat]:
    return isinstance(value, Real) and not isinstance(value, bool)


def range_text(low: float | None, high: float | None, exclusive: bool) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if exclusive else '>='} {low:g}")
    if high is not None:
        parts.append(f"<= {high:g}")
    return "a number " + " and ".join(parts) if parts else "a finite number"


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
