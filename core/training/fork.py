"""A private copy of a training session that another thread may advance while this one is read.

A large step runs on a worker (gui/controller/background.py) on a fork: the window keeps showing, and
reading, the session it had; the fork replaces it only once the step is complete, and a Cancel simply
drops the fork, so the session is exactly as before, bit for bit.

A fork copies what training changes (parameters, optimizer state, the shuffle generator, the batch's
quantities, the position) and shares what it never changes in place: the data set, the stored
checkpoints (immutable; the store's index is copied) and the history's arrays (copy on write, see
`series.SeriesBuffer`). So forking costs about one copy of the parameters, optimizer buffers and batch
activations, not of the history kept within the memory budget.
"""

from __future__ import annotations

import copy

from backprop_studio.core.training.session import TrainingSession


def fork(session: TrainingSession) -> TrainingSession:
    """A session in the same state as `session` that shares none of its mutable state; advancing either
    never changes what the other holds or shows."""
    dataset = session.dataset
    shared = (dataset, session.network, *vars(dataset).values())
    memo = {id(item): item for item in shared}
    return copy.deepcopy(session, memo)
