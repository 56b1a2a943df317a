"""Regression guard: PySide6 6.12.0 under CPython 3.10/3.11 drops a reference to None on every call of a
Qt method that returns nothing, and the interpreter aborts ("none_dealloc") after a few thousand.
pyproject.toml pins around it; this test fails loudly if a leaking build is ever installed."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_void_qt_calls_do_not_leak_references_to_none():
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(100_000):
        obj.setObjectName("probe")
        obj.blockSignals(False)
    after = sys.getrefcount(None)
    # None is immortal on 3.12+ (a constant count); on 3.10/3.11 a leaking build drops ~200,000.
    assert after >= before - 100
