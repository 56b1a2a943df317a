"""Measure and explain event-loop stalls: how long the window's thread went without turning its loop.

`StallMeter`: a 10 ms QTimer records the gap between its ticks; every gap over `RECORD_MS` is kept with
its start, so the longest one (the longest stall) can be named afterwards. `Explainer` (the benchmarks'
`--explain`) says what filled each stall: a thread samples the window thread's Python stack every
millisecond, and `ProbeApp` (a QApplication whose `notify` is timed) records every event that took over
`EVENT_MS` to handle, with its type and receiver. Both cost time themselves: figures measured with
`--explain` are not the ones to report.
"""

from __future__ import annotations

import collections
import functools
import os
import sys
import threading
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

TICK_MS = 10
RECORD_MS = 30  # gaps longer than this are kept, to be explained
EVENT_MS = 10  # events that took longer than this to handle are kept
SAMPLE_S = 0.001


@dataclass
class Gap:
    start: float  # perf_counter seconds
    ms: float


class StallMeter:
    """Longest gap between the ticks of a 10 ms timer while it runs, and every gap over RECORD_MS."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self.gaps: list[Gap] = []
        self._last = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last
        self.longest = max(self.longest, gap)
        if gap * 1000 > RECORD_MS:
            self.gaps.append(Gap(self._last, gap * 1000))
        self._last = now

    def start(self) -> None:
        self.longest, self._last, self.gaps = 0.0, time.perf_counter(), []
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest * 1000


@dataclass
class Event:
    start: float
    ms: float
    what: str


class ProbeApp(QApplication):
    """A QApplication that times the handling of every outermost event (only with --explain)."""

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self.events: list[Event] = []
        self.recording = False
        self._depth = 0

    def notify(self, receiver: QObject, event: object) -> bool:  # type: ignore[override]
        if not self.recording or self._depth:
            return super().notify(receiver, event)
        self._depth += 1
        start = time.perf_counter()
        try:
            return super().notify(receiver, event)
        finally:
            self._depth -= 1
            ms = (time.perf_counter() - start) * 1000
            if ms > EVENT_MS:
                name = receiver.objectName() if isinstance(receiver, QObject) else ""
                kind = event.type().name if hasattr(event, "type") else type(event).__name__  # type: ignore[attr-defined]
                self.events.append(Event(start, ms, f"{kind} → {type(receiver).__name__}({name})"))


@dataclass
class Explainer:
    """Samples the GUI thread's stack while running; `report(gaps)` names what filled each gap."""

    samples: list[tuple[float, tuple[str, ...]]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        target = threading.get_ident()
        app = QApplication.instance()
        if isinstance(app, ProbeApp):
            app.events, app.recording = [], True

        me = threading.get_ident()

        def sample() -> None:
            while not self._stop.wait(SAMPLE_S):
                frames = sys._current_frames()
                frame = frames.get(target)
                if frame is None:
                    continue
                stack = _stack(frame)
                if len(stack) == 1 and stack[0].startswith("bench_"):  # in the loop, not in a handler
                    others = [_stack(f)[0] for t, f in frames.items() if t not in (target, me)]
                    stack = ("idle in the event loop; other threads in: " + ", ".join(sorted(others)),)
                self.samples.append((time.perf_counter(), stack))

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        app = QApplication.instance()
        if isinstance(app, ProbeApp):
            app.recording = False

    def report(self, gaps: list[Gap], count: int = 5) -> str:
        app = QApplication.instance()
        events = app.events if isinstance(app, ProbeApp) else []
        lines = []
        for gap in sorted(gaps, key=lambda g: -g.ms)[:count]:
            end = gap.start + gap.ms / 1000
            lines.append(f"  stall {gap.ms:7.1f} ms")
            for e in events:
                if e.start < end and e.start + e.ms / 1000 > gap.start:
                    lines.append(f"      event {e.ms:6.1f} ms  {e.what}")
            inside = [s for t, s in self.samples if gap.start <= t <= end]
            for stack, n in collections.Counter(inside).most_common(4):
                lines.append(f"      {n * 100 // max(len(inside), 1):3d}% of samples  {' ← '.join(stack)}")
        return "\n".join(lines)


@functools.cache
def _root() -> tuple[str, ...]:
    """Where the code measured lives (this checkout, or the one given for "before")."""
    from backprop_studio.core import limits

    folder = os.path.dirname(os.path.dirname(limits.__file__))
    return (folder, os.path.realpath(folder))


def _stack(frame: object) -> tuple[str, ...]:
    """The innermost frame and the innermost three of this package: where the time went, and why."""
    names: list[str] = []
    inner = None
    f = frame
    while f is not None and len(names) < 3:
        code = f.f_code  # type: ignore[attr-defined]
        where = f"{code.co_filename.rsplit('/', 1)[-1]}:{code.co_name}"
        if inner is None and not code.co_filename.endswith("stall_probe.py"):
            inner = where
        if code.co_filename.startswith(_root()) and "/benchmarks/" not in code.co_filename:
            names.append(where)
        f = f.f_back  # type: ignore[attr-defined]
    if inner is not None and (not names or names[0] != inner):
        names.insert(0, inner)
    return tuple(names)
