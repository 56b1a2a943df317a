"""The contrast helper against the values WCAG's own examples and the definition give."""

import pytest

from tests.gui.style.wcag import luminance, over, ratio


def test_black_on_white_is_21_and_a_color_on_itself_is_1():
    assert ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert ratio((118, 118, 118), (118, 118, 118)) == pytest.approx(1.0)


def test_grey_767676_on_white_is_the_aa_limit():
    # #767676 on white is the lightest gray that passes AA: 4.54:1 (a well-known reference value).
    assert ratio((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert ratio((0x77, 0x77, 0x77), (255, 255, 255)) < 4.5


def test_luminance_weights_green_most():
    assert luminance((0, 255, 0)) == pytest.approx(0.7152)
    assert luminance((255, 0, 0)) == pytest.approx(0.2126)


def test_half_transparent_black_over_white_is_mid_grey():
    assert over((0, 0, 0), 128, (255, 255, 255)) == (127, 127, 127)
