"""The controller's refusal sentences: one plain line naming the file once, the change said as not applied."""

from __future__ import annotations

from backprop_studio.core.errors import DataError, FormatError
from backprop_studio.gui.controller.messages import not_applied, open_error_text


def test_invalid_json_gives_the_position_not_the_parser_phrase():
    exc = FormatError("invalid JSON at line 3, column 7: Expecting ',' delimiter", file="/p/a.json")
    assert (
        open_error_text("/p/a.json", exc)
        == "Could not open /p/a.json: it is not valid JSON (line 3, column 7)."
    )


def test_a_json_document_that_is_not_a_project_says_so_in_plain_words():
    exc = FormatError("required key is missing", path="format", file="/p/b.json")
    assert (
        open_error_text("/p/b.json", exc)
        == "Could not open /p/b.json: this file is not a Backprop Studio project."
    )


def test_other_problems_keep_their_detail_without_repeating_the_file():
    exc = FormatError("must be at least 1", path="network.layers[0].units", file="/p/c.json")
    text = open_error_text("/p/c.json", exc)
    assert text.count("/p/c.json") == 1 and "network.layers[0].units" in text
    data = DataError("not a number", file="/p/c.json", line=4, column="x")
    assert open_error_text("/p/c.json", data).count("/p/c.json") == 1
    assert open_error_text("/p/gone.json", FileNotFoundError(2, "No such file or directory")) == (
        "Could not open /p/gone.json: No such file or directory."
    )


def test_a_refused_edit_says_not_applied_and_why():
    assert not_applied(ValueError("too big"), None) == "The change was not applied: too big"
    text = not_applied(ValueError("x"), "forward through layer 2: z (weighted sum) contains inf")
    assert text.startswith("The change was not applied: training diverged") and "Reset" in text
