"""Inline rows are converted in chunks (so a worker lets the window's thread run between them); the array
must be exactly the one a single conversion gives, at and around the chunk boundaries."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.data import build
from backprop_studio.core.errors import DataError


@pytest.mark.parametrize("n", [1, 7, 50_000, 50_001, 100_000, 123_457])
def test_chunked_conversion_equals_one_conversion(n: int) -> None:
    rng = np.random.default_rng(n)
    reference = rng.normal(size=(n, 3)) * 10.0 ** rng.integers(-300, 300, size=(n, 3))
    rows = reference.tolist()  # as json gives them: lists of Python floats
    out = build._matrix(rows, "data.x")
    assert out.dtype == np.float64 and out.shape == (n, 3)
    assert np.array_equal(out, reference)  # bit for bit, every row in its place


def test_a_bad_cell_past_the_first_chunk_is_named_by_its_row_and_column() -> None:
    rows = [[0.0, 1.0]] * 60_000
    rows[55_000] = [0.0, "x"]
    with pytest.raises(DataError, match="row 55001 column 2"):
        build._matrix(rows, "data.x")
