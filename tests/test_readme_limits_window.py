"""README's "Limits" section quotes the window's memory budget range and the large-step threshold."""

from __future__ import annotations

from backprop_studio.gui.controller.memory import MAX_BUDGET_MB, MIN_BUDGET_MB
from backprop_studio.gui.controller.playback import LARGE_STEP_WORK

from tests.test_readme_limits import limits_section


def test_the_window_settings_of_the_limits_are_quoted_with_their_values():
    section = limits_section()
    assert "Train → Memory for stepping back…" in section
    assert f"{MIN_BUDGET_MB} to {MAX_BUDGET_MB:,}" in section
    assert f"reach\n{LARGE_STEP_WORK:,}" in section or f"reach {LARGE_STEP_WORK:,}" in section
