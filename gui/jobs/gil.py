"""A short GIL switch interval while work runs on a worker thread, so the window's thread gets the
interpreter back quickly.

Python hands the interpreter lock to a waiting thread only after the running one held it for the switch
interval (5 ms by default). The window's thread takes it back at every call between Qt and Python (a
slot, a style's paint routine, a timer), so while a worker parsed a CSV each of those waited up to 5 ms,
and a repaint of a few dozen such calls stalled the window for 100 ms and more. While any worker runs,
the interval is `WORKER_SWITCH_S`; it goes back to what it was when the last one ended.

A heavy job (`heavy_work`: opening a file, importing a CSV, a rebuild, a large Step) also defers the
garbage collector's full passes while it runs. Parsing 10⁶ inline rows keeps 10⁶ row lists alive for
seconds; every full pass walked all of them while holding the lock (0.4–0.7 s each, several per open).
Young passes still run (they free most garbage and untrack the tuples of plain numbers a data set is made
of), so what the full passes would have walked is mostly gone or untracked when they resume.
"""

from __future__ import annotations

import gc
import sys
import threading

WORKER_SWITCH_S = 0.0005

_lock = threading.Lock()
_running = 0
_saved = 0.005


def worker_started() -> None:
    global _running, _saved
    with _lock:
        if _running == 0:
            _saved = sys.getswitchinterval()
            sys.setswitchinterval(min(_saved, WORKER_SWITCH_S))
        _running += 1


def worker_ended() -> None:
    global _running
    with _lock:
        _running = max(0, _running - 1)
        if _running == 0:
            sys.setswitchinterval(_saved)


_FULL_PASS_DEFERRED = 2**30  # gen-1 passes before a full one: never, while heavy work runs
_heavy = 0
_thresholds = gc.get_threshold()


def heavy_work_started() -> None:
    """A heavy job starts on a worker: defer full garbage-collector passes until the last one ends."""
    global _heavy, _thresholds
    with _lock:
        if _heavy == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(_thresholds[0], _thresholds[1], _FULL_PASS_DEFERRED)
        _heavy += 1


def heavy_work_ended() -> None:
    global _heavy
    with _lock:
        _heavy = max(0, _heavy - 1)
        if _heavy == 0:
            gc.set_threshold(*_thresholds)
