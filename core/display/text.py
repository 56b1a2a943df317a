"""Text from files made safe to print: control characters and bidi overrides shown as escapes.

A project's name or description, a file name or a CSV header can hold anything, including terminal
escape sequences (clear the screen, rewrite the window title, fake a prompt) and bidirectional overrides
that make text read differently from what it is. `printable` shows each such character as a visible
escape (`\\x1b`, `\\u202e`), so the terminal prints the text instead of obeying it. The window shows text
from files as Qt.PlainText; it may use `printable` too for labels that must stay on one line.
"""

from __future__ import annotations

import re

# C0 controls (but newline and tab, handled below), DEL and C1 controls; bidi embeddings, overrides and
# isolates, the bidi marks, and the line and paragraph separators (a line break a terminal may not show).
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_ONE_LINE = re.compile(f"[{_UNSAFE}\n\t]")
_MULTILINE = re.compile(f"[{_UNSAFE}]")


_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def printable(text: str, multiline: bool = False) -> str:
    """`text` with every control character and bidi override escaped (`\\x1b`, `\\u202e`); with
    `multiline`, newlines and tabs stay (a description), else they are escaped too (a name, a path)."""
    return (_MULTILINE if multiline else _ONE_LINE).sub(_escape, text)
