"""A short GIL switch interval while work runs on a worker thread, so the window's thread gets the
interpreter back quickly.

Python hands the interpreter lock to a waiting thread only after the running one held it for the switch
interval (5 ms by default). The window's thread takes it back at every call between Qt and Python (a
slot, a style's paint routine, a timer), so while a worker parsed a CSV each of those waited up to 5 ms,
and a repaint of a few dozen such calls stalled the window for 100 ms and more. While any worker runs,
the interval is `WORKER_SWITCH_S`; it goes back to what it was when the last one ended.
"""

from __future__ import annotations

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
