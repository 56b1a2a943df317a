"""JSON parsing that refuses what `json.loads` lets through: NaN, Infinity and duplicate keys.

Python's parser accepts `NaN` and `Infinity` (not JSON, and training cannot use them) and silently keeps
the last of two equal keys (which hides a hand-editing mistake). Every refusal is a FormatError naming
the line and column, or the key, so the person editing the file can find it.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any

from backprop_studio.core.errors import FormatError


class _NonFiniteLiteral(Exception):
    pass


class _DuplicateKey(Exception):
    pass


_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.DOTALL)


def parse_json(text: str, source: str | None) -> object:
    """The document in `text`; `source` names the file in the FormatError for invalid text."""
    text = text.removeprefix("\ufeff")  # a byte-order mark is not JSON, but editors write one
    try:
        return _decode(text)
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


# Containers this shallow are walked in Python, one element at a time; deeper values (a row of inline data,
# a weight matrix's row) go to the C parser whole. See `_decode`.
_PYTHON_DEPTH = 3
_WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace (json.decoder's own pattern)
_Scan = Callable[[str, int], tuple[object, int]]


def _decode(text: str) -> object:
    """`json.loads(text)` with NaN/Infinity and duplicate keys refused, parsed in small pieces.

    Python's C parser holds the interpreter lock for the whole text: a file with 10⁶ inline rows kept the
    window's thread from running for seconds while a worker parsed it. Here the outer objects and arrays
    are walked by the json module's own Python parts (`JSONObject`, `JSONArray`: the same results and
    error messages), each element deeper than `_PYTHON_DEPTH` by the C scanner, so between two rows the
    lock can pass to the window's thread.
    """
    decoder = json.JSONDecoder(parse_constant=_refuse, object_pairs_hook=_unique)
    whole: _Scan = json.scanner.make_scanner(decoder)  # type: ignore[arg-type]  # typeshed: a class
    memo: dict[str, str] = {}

    def scanner(depth: int) -> _Scan:
        def scan(s: str, index: int) -> tuple[object, int]:
            opening = s[index : index + 1]
            if depth >= _PYTHON_DEPTH or opening not in ("{", "["):
                return whole(s, index)  # StopIteration(index) when no value starts here
            inner = scanner(depth + 1)
            if opening == "[":
                return json.decoder.JSONArray((s, index + 1), inner)  # type: ignore[attr-defined]
            return json.decoder.JSONObject(  # type: ignore[attr-defined]
                (s, index + 1), decoder.strict, inner, None, _unique, memo
            )

        return scan

    start = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    try:
        value, end = scanner(0)(text, start)
    except StopIteration as stop:
        raise json.JSONDecodeError("Expecting value", text, stop.value) from None
    end = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _refuse(constant: str) -> float:
    raise _NonFiniteLiteral(constant)


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
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
