"""A history series: views without copies that behave like the tuples they replace, copy on write,
and compaction that keeps real points and each group's minimum and maximum."""

from __future__ import annotations

import math

import numpy as np
from backprop_studio.core.training.series import Series, SeriesBuffer


def test_a_series_behaves_like_a_tuple_of_floats():
    s = Series([1.0, math.nan, 3.0])
    assert len(s) == 3 and s.entries == 3 and not s.compacted
    assert s[0] == 1.0 and isinstance(s[-1], float) and s[-1] == 3.0
    assert s == (1.0, math.nan, 3.0) and s == [1.0, math.nan, 3.0] and s != (1.0, 2.0, 3.0)
    assert Series() == () and not Series()
    tail = s[1:]
    assert isinstance(tail, Series) and tail == (math.nan, 3.0) and tail.at.tolist() == [1, 2]
    assert not s.values.flags.writeable and not s.at.flags.writeable


def test_views_share_memory_and_never_change_afterwards():
    buf = SeriesBuffer()
    for i in range(5):
        buf.put(i, float(i))
    early = buf.view(3)
    assert np.shares_memory(early.values, buf.view(5).values)  # no copy per snapshot
    for i in range(5, 100):  # growing moves to new arrays: the old view keeps its own
        buf.put(i, float(i))
    buf.truncate(2)  # a new branch overwrites entries 2…: copy on write
    buf.put(2, -1.0)
    assert early == (0.0, 1.0, 2.0)
    assert buf.view(3) == (0.0, 1.0, -1.0)


def test_a_replay_rewrites_in_place_and_appends_past_the_end():
    buf = SeriesBuffer([0.5, 0.25])
    buf.put(1, 0.25)
    buf.put(2, 0.125)
    assert buf.view(10) == (0.5, 0.25, 0.125)
    assert buf.view(1) == (0.5,)


def test_compaction_keeps_each_groups_min_and_max_at_their_own_entries():
    values = [5.0, 1.0, 3.0, 9.0, 2.0, 2.0, 2.0, 2.0, 4.0, 0.0, 8.0, 6.0, 7.0, 7.5]
    buf = SeriesBuffer(values)
    assert buf.compact(before=12) >= 0
    s = buf.view(len(values))
    # Groups [5 1 3 9] [2 2 2 2] [4 0 8 6] → (1 @1, 9 @3), (2 @4), (0 @9, 8 @10); 12, 13 stay exact.
    assert s.at.tolist() == [1, 3, 4, 9, 10, 12, 13]
    assert s == (1.0, 9.0, 2.0, 0.0, 8.0, 7.0, 7.5)
    assert s.entries == 14 and s.compacted
    # Entries past the compacted part are still found, rewritten and appended one by one.
    buf.put(13, 7.5)
    buf.put(14, 1.5)
    assert buf.value_at(14) == 1.5 and buf.view(13)[-1] == 7.0
    buf.truncate(10)
    assert buf.view(100).at.tolist() == [1, 3, 4, 9]
