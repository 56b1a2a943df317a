"""Run a call that might hang (opening a FIFO) in a thread, so a hang fails the test instead of the run."""

from __future__ import annotations

import threading
from collections.abc import Callable


def error_within(call: Callable[[], object], seconds: float) -> BaseException | None:
    """The exception `call()` raises (None if it returns); the test fails if it takes over `seconds`."""
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            call()
        except BaseException as error:
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"{getattr(call, '__name__', 'the call')} did not return within {seconds} s: it hangs"
    return outcome[0]
