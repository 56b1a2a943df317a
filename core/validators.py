"""Reading untrusted JSON values with one precise message per problem: the toolkit behind project files
and watches.

A parser is a function `(value, path) -> checked value` that raises `Invalid(path, message)` at the first
problem, where `path` is the JSON path of the value (`network.layers[1].units`). Messages show values the
way JSON spells them (`null`, `true`, `"relu"`), so a person editing a file by hand recognizes them.
Callers turn `Invalid` into their own error (FormatError) once they know the file.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Callable, Iterable
from numbers import Integral, Real
from typing import Any, SupportsFloat, TypeGuard

Parser = Callable[[Any, str], Any]


class Invalid(Exception):
    """The first problem found, with its JSON path; becomes a FormatError once the file is known."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


REQUIRED: Any = object()
"""The `default` of `JsonObject.read` for a key that must be present."""


def describe(value: object) -> str:
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


def join(path: str, key: object) -> str:
    """The JSON path of `key` inside the object at `path` ("" is the top level)."""
    return f"{path}.{key}" if path else str(key)


def unknown_key(key: object, allowed: tuple[str, ...]) -> str:
    """The message for a key that is not allowed, with the closest allowed key as a hint."""
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f" (did you mean {json.dumps(close[0])}?)" if close else ""
    return f"unknown key {describe(key)}{hint}; expected one of {', '.join(allowed)}"


class JsonObject:
    """A JSON object being read. Unknown keys are refused up front so that a typo is named, not ignored."""

    def __init__(self, value: object, path: str, allowed: Iterable[str]) -> None:
        if not isinstance(value, dict):
            raise Invalid(path, f"expected an object, got {describe(value)}")
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                raise Invalid(join(path, key), unknown_key(key, allowed))
        self.value: dict[Any, Any] = value
        self.path = path

    def at(self, key: str) -> str:
        """The JSON path of `key` in this object."""
        return join(self.path, key)

    def read(self, key: str, parser: Parser, default: Any = REQUIRED) -> Any:
        """`parser` applied to the value of `key`; `default` when the key is absent (REQUIRED: an error)."""
        if key not in self.value:
            if default is REQUIRED:
                raise Invalid(self.at(key), "required key is missing")
            return default
        return parser(self.value[key], self.at(key))

    def section(self, key: str, parser: Parser) -> Any:
        """Read an optional nested object; a missing one reads as `{}`, i.e. all its defaults."""
        return parser(self.value.get(key, {}), self.at(key))


def is_number(value: object) -> bool:
    """An int or a float, but not a bool (which Python counts as an int)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_int(value: object) -> TypeGuard[int]:
    """Any integer type (Python or NumPy), but not a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def is_real(value: object) -> TypeGuard[SupportsFloat]:
    """Any real number type (Python or NumPy), but not a bool."""
    return isinstance(value, Real) and not isinstance(value, bool)


def finite(value: object, path: str, wanted: str = "a finite number") -> float:
    """`value` as a finite float; ints are welcome where floats are wanted."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a double
            number = math.inf
        if math.isfinite(number):
            return number
    raise Invalid(path, f"expected {wanted}, got {describe(value)}")


def integer(minimum: int, maximum: int | None = None) -> Parser:
    """A parser of integers from `minimum` to `maximum` (None: no upper bound)."""
    wanted = f"an integer >= {minimum}" if maximum is None else f"an integer from {minimum} to {maximum}"

    def parse(value: object, path: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise Invalid(path, f"expected {wanted}, got {describe(value)}")
        if value < minimum or (maximum is not None and value > maximum):
            raise Invalid(path, f"expected {wanted}, got {describe(value)}")
        return int(value)

    return parse


def capped_integer(minimum: int, maximum: int) -> Parser:
    """Integers >= `minimum` (refused as `integer(minimum)` says) and at most `maximum`, a limit of
    Backprop Studio rather than of the value's meaning (core/limits.py), so the message names the limit."""
    at_least = integer(minimum)

    def parse(value: object, path: str) -> int:
        checked: int = at_least(value, path)
        if checked > maximum:
            raise Invalid(path, f"expected at most {maximum:,} (the limit), got {describe(value)}")
        return checked

    return parse


def number(
    minimum: float | None = None,
    maximum: float | None = None,
    *,
    above: bool = False,
    below: bool = False,
) -> Parser:
    """A parser of finite numbers in a range; `above`/`below` make the minimum/maximum exclusive."""
    wanted = range_text(minimum, maximum, above, below)

    def parse(value: object, path: str) -> float:
        checked = finite(value, path, wanted)
        too_low = minimum is not None and (checked <= minimum if above else checked < minimum)
        too_high = maximum is not None and (checked >= maximum if below else checked > maximum)
        if too_low or too_high:
            raise Invalid(path, f"expected {wanted}, got {describe(value)}")
        return checked

    return parse


def range_text(minimum: float | None, maximum: float | None, above: bool, below: bool) -> str:
    """The range `number` accepts, in words: "a number from 0 to 1", "a number > 0 and < 1"."""
    if minimum is not None and maximum is not None and not above and not below:
        return f"a number from {minimum:g} to {maximum:g}"
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if above else '>='} {minimum:g}")
    if maximum is not None:
        parts.append(f"{'<' if below else '<='} {maximum:g}")
    return "a number " + " and ".join(parts) if parts else "a finite number"


def boolean(value: object, path: str) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise Invalid(path, f"expected true or false, got {describe(value)}")
    return value


def string(value: object, path: str) -> str:
    """Any string, the empty one included."""
    if not isinstance(value, str):
        raise Invalid(path, f"expected a string, got {describe(value)}")
    return value


def name(value: object, path: str) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value:
        raise Invalid(path, f"expected a non-empty string, got {describe(value)}")
    return value


def choice(choices: tuple[str, ...]) -> Parser:
    """A parser of one of `choices`."""

    def parse(value: object, path: str) -> str:
        if not isinstance(value, str) or value not in choices:
            raise Invalid(path, f"expected one of {', '.join(choices)}, got {describe(value)}")
        return value

    return parse


def optional(parser: Parser) -> Parser:
    """`parser` that also accepts JSON null, read as None."""

    def parse(value: object, path: str) -> Any:
        return None if value is None else parser(value, path)

    return parse


def json_list(value: object, path: str, wanted: str = "a list") -> list[Any]:
    """A JSON list (`wanted` says what kind, for the message)."""
    if not isinstance(value, list):
        raise Invalid(path, f"expected {wanted}, got {describe(value)}")
    return value


def names(choices: tuple[str, ...] | None, at_least_one: bool) -> Parser:
    """A parser of a list of distinct strings, from `choices` when given."""
    item = choice(choices) if choices else name

    def parse(value: object, path: str) -> tuple[str, ...]:
        items = json_list(value, path, "a list of strings")
        if at_least_one and not items:
            raise Invalid(path, "expected at least 1 name, got an empty list")
        listed = tuple(item(entry, f"{path}[{i}]") for i, entry in enumerate(items))
        for i, entry in enumerate(listed):
            if entry in listed[:i]:
                raise Invalid(f"{path}[{i}]", f"{describe(entry)} is listed twice")
        return listed

    return parse


def count(n: int, word: str) -> str:
    """1, "unit" → "1 unit"; 3, "unit" → "3 units" (no thousands separator: messages quote shapes)."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _shape_text(shape: tuple[int | None, ...]) -> str:
    dims = ["*" if n is None else str(n) for n in shape]
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"


def numbers(value: object, path: str, length: int | None = None, hint: str = "") -> list[float]:
    """A list of finite numbers, shape (length,); `length` None: any length."""
    items = json_list(value, path, "a list of numbers")
    if length is not None and len(items) != length:
        raise Invalid(path, f"expected shape ({length},){hint}, found shape ({len(items)},)")
    return [finite(item, f"{path}[{i}]") for i, item in enumerate(items)]


def matrix(
    value: object, path: str, rows: int | None = None, columns: int | None = None, hint: str = ""
) -> list[list[float]]:
    """A list of equally long rows of finite numbers, shape (rows, columns); None: any size."""
    items = json_list(value, path, "a list of rows")
    for i, row in enumerate(items):
        if not isinstance(row, list):
            raise Invalid(f"{path}[{i}]", f"expected a row (a list of numbers), got {describe(row)}")
    expected = f"expected shape {_shape_text((rows, columns))}{hint}"
    widths = [len(row) for row in items]
    if any(width != widths[0] for width in widths):
        odd = next(i for i, width in enumerate(widths) if width != widths[0])
        raise Invalid(
            path,
            f"{expected}, found rows of different lengths "
            f"(row 0 has {count(widths[0], 'number')}, row {odd} has {widths[odd]})",
        )
    if not items:
        if rows not in (None, 0):
            raise Invalid(path, f"{expected}, found an empty list")
        return []
    if (rows is not None and len(items) != rows) or (columns is not None and widths[0] != columns):
        raise Invalid(path, f"{expected}, found shape ({len(items)}, {widths[0]})")
    return [[finite(x, f"{path}[{i}][{j}]") for j, x in enumerate(row)] for i, row in enumerate(items)]
