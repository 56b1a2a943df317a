"""backprop_studio.core.display.position: where training stands, as a number of epochs."""

from dataclasses import replace

import pytest
from backprop_studio.core.display.position import epochs_done
from backprop_studio.core.training.snapshot import Phase

from tests.snapshot_factory import make_snapshot


@pytest.mark.parametrize(
    ("phase", "expected"),
    [
        # A 2-layer net has 6 phases a batch: forward 1, forward 2, loss, backward 2, backward 1, update.
        (None, 2 + 3 / 5),  # batch 4 of epoch 3 not started: 3 of 5 batches done
        (Phase("forward", 1), 2 + (3 + 1 / 6) / 5),
        (Phase("loss"), 2 + (3 + 3 / 6) / 5),
        (Phase("update"), 2 + 4 / 5),  # the batch is done: where the loss plot puts its batch loss
    ],
)
def test_epochs_done_counts_batches_and_phases_as_fractions_of_an_epoch(phase, expected):
    snapshot = replace(make_snapshot((2, 3, 1), 1, phase), epoch=2, batch=3, batches_per_epoch=5)
    assert epochs_done(snapshot) == pytest.approx(expected)
