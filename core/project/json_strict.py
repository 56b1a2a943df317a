"""JSON parsing that refuses what `json.loads` lets through: NaN, Infinity and duplicate keys.

Python's parser accepts `NaN` and `Infinity` (not JSON, and training cannot use them) and silently keeps
the last of two equal keys (which hides a hand-editing mistake). Every refusal is a FormatError naming
the line and column, or the key, so the person editing the file can find it.
"""

from __future__ import annotations

import json
import re
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
