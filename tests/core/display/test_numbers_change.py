"""format_change: an update is shown with enough digits to be seen, checked on Mazur's w1 (0.15 → 0.149780716)."""

from backprop_studio.core.display.numbers import format_change


def test_a_small_update_gets_the_digits_that_show_it():
    # Mazur's first hidden weight: w1 = 0.15, w1⁺ = 0.149780716 (his published figure).
    assert format_change(0.15, 0.149780716) == ("0.15", "0.1498")


def test_a_visible_change_keeps_the_compact_format():
    assert format_change(0.4, 0.35891648) == ("0.4", "0.359")


def test_no_change_stays_equal_and_compact():
    assert format_change(0.35, 0.35) == ("0.35", "0.35")


def test_the_smallest_float_step_is_still_told_apart():
    before = 0.1
    after = 0.1 + 2**-56  # the next float after 0.1
    old, new = format_change(before, after)
    assert old != new and float(old) == before and float(new) == after


def test_negative_values_use_the_true_minus():
    assert format_change(-0.2, -0.2001) == ("\u22120.2", "\u22120.2001")
