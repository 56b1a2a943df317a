"""Work the window asks for again and again (maps of the newest snapshot, the projection of the newest
data set) made on one worker thread, newest request first.

`submit(request)`: the worker runs `make(request)` when it is free, skipping requests that were replaced
meanwhile; `delivered(request, result)` follows on the GUI thread, only when `request` is still the
newest (a result for an older snapshot or a replaced data set is dropped). `make` must be pure: it runs
on another thread and never touches a widget. A MemoryError drops that one result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from backprop_studio.gui.jobs import gil
from PySide6.QtCore import QObject, Signal


class NewestOnWorker(QObject):
    """See the module docstring."""

    delivered = Signal(object, object)  # request, result
    _made = Signal(object, object)  # from the worker thread, queued to the GUI thread

    def __init__(self, make: Callable[[object], object], name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._make = make
        self._name = name
        self._lock = threading.Lock()
        self._pending: object = None
        self.newest: object = None  # the request whose result the caller wants
        self._worker: threading.Thread | None = None
        self._made.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def submit(self, request: object) -> None:
        self.newest = request
        with self._lock:
            self._pending = request
            if self._worker is not None and self._worker.is_alive():
                return  # the worker takes the newest request when it finished the one in hand
            self._worker = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._worker.start()

    def _run(self) -> None:
        gil.worker_started()
        try:
            self._work_through()
        finally:
            gil.worker_ended()

    def _work_through(self) -> None:
        while True:
            with self._lock:
                request, self._pending = self._pending, None
                if request is None:
                    return
            try:
                result = self._make(request)
            except MemoryError:
                continue  # the views keep what they have
            try:
                self._made.emit(request, result)
            except RuntimeError:  # the window (and this object) closed meanwhile
                return

    def _deliver(self, request: object, result: object) -> None:
        if request is self.newest:
            self.delivered.emit(request, result)
