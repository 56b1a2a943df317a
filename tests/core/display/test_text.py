"""printable: text from a file reaches a terminal with its control characters and bidi overrides escaped."""

from __future__ import annotations

import pytest
from backprop_studio.core.display.text import printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain name", "plain name"),
        ("Réseau ✓ 網路", "Réseau ✓ 網路"),
        ("\x1b[2J\x1b]0;pwned\x07", "\\x1b[2J\\x1b]0;pwned\\x07"),  # clear screen, set the window title
        ("a\rb", "a\\rb"),  # a carriage return would overwrite what came before
        ("bell\x00nul\x7f", "bell\\x00nul\\x7f"),
        ("\x9b31m", "\\x9b31m"),  # C1 control sequence introducer
        ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
        ("\u2066x\u2069", "\\u2066x\\u2069"),  # bidi isolates
        ("line\u2028sep", "line\\u2028sep"),
        ("one\ntwo", "one\\ntwo"),
    ],
)
def test_controls_and_bidi_overrides_are_escaped(text, shown):
    assert printable(text) == shown


def test_newlines_stay_where_text_may_span_lines():
    assert printable("one\ntwo\x1b[0m\tthree", multiline=True) == "one\ntwo\\x1b[0m\tthree"


def test_the_escaped_text_holds_no_control_character():
    everything = "".join(chr(c) for c in range(0x2100))
    shown = printable(everything)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in shown)
    assert not any(ch in shown for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
