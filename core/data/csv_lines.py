"""The lines of a CSV file as text, decoded one at a time, with the limits of core/limits.py applied.

A binary file is read line by line (never whole), each line decoded as UTF-8 (a byte-order mark at the
start is dropped, as Excel writes one), so a file that is not text is named at its line. Lines ending in
a lone carriage return (old Mac files) are split as the csv module expects. The bytes read and the
length of one line are capped, so a file without newlines cannot fill memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from backprop_studio.core import limits
from backprop_studio.core.errors import DataError

_BOM = b"\xef\xbb\xbf"


def decoded_lines(handle: BinaryIO, file: str) -> Iterator[str]:
    """Each line of `handle` as text with its line ending; DataError (naming `file` and the line) for
    bytes that are not UTF-8, a line longer than MAX_CSV_LINE_BYTES or a file over MAX_CSV_BYTES."""
    total = 0
    number = 0  # lines handed out so far, as csv.reader's line_num counts them
    longest = limits.MAX_CSV_LINE_BYTES
    while raw := handle.readline(longest + 1):
        total += len(raw)
        if total > limits.MAX_CSV_BYTES:
            raise DataError(
                f"the file is larger than {limits.size_text(limits.MAX_CSV_BYTES)}, the most that is read",
                file,
            )
        if len(raw) > longest:
            raise DataError(
                f"the line is longer than {limits.size_text(longest)}, the most that is read",
                file,
                number + 1,
            )
        if number == 0:
            raw = raw.removeprefix(_BOM)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DataError(f"not UTF-8 text (byte {raw[error.start]:#04x})", file, number + 1) from None
        if "\r" in text[:-2]:
            for piece in io.StringIO(text, newline=""):
                number += 1
                yield piece
        else:
            number += 1
            yield text
