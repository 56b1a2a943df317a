"""Track: the loss plot's points and their min/max pyramid follow a series through growth, step back
and merged old points, always handing out the true envelope of the visible range."""

from __future__ import annotations

import math

import numpy as np
from backprop_studio.core.training.series import Series
from backprop_studio.gui.panels.loss_series import Track


def envelope_ok(track: Track, values: np.ndarray, x0: float, x1: float) -> None:
    x, y = track.drawn(x0, x1, log=False)
    assert len(x) <= 1536
    xs = np.arange(1, len(values) + 1, dtype=float)
    visible = values[(xs >= x0) & (xs <= x1)]
    assert np.nanmin(y) <= np.nanmin(visible) and np.nanmax(y) >= np.nanmax(visible)
    assert set(y[np.isfinite(y)]) <= set(values[np.isfinite(values)])  # only real values


def test_the_envelope_stays_true_through_growth_step_back_and_a_new_branch():
    rng = np.random.default_rng(2)
    values = rng.random(100_000)
    values[5_000:5_100] = math.nan  # a stretch never measured
    track = Track()
    track.sync(Series(values[:60_000]), 1.0, 0.0)
    envelope_ok(track, values[:60_000], 0.0, 60_000.0)
    track.sync(Series(values), 1.0, 0.0)  # grown
    envelope_ok(track, values, 0.0, 100_000.0)
    envelope_ok(track, values, 20_000.0, 70_000.0)
    branch = np.concatenate([values[:30_000], rng.random(40_000) + 5.0])  # stepped back, then new values
    track.sync(Series(branch), 1.0, 0.0)
    envelope_ok(track, branch, 0.0, 70_000.0)
    assert track.drawn(0.0, 70_000.0, log=False)[1].max() > 5.0


def test_log_values_leave_a_gap_where_the_loss_is_not_positive():
    track = Track()
    track.sync(Series([10.0, 0.0, 100.0]), 1.0, 0.0)
    y = track.values(log=True)
    assert y[0] == 1.0 and math.isnan(y[1]) and y[2] == 2.0
