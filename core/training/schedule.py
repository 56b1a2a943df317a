"""The batch's phase layout: the one place that knows which phases make a pass, a batch and an epoch.

One batch of a network with L layers is 2L + 2 phases, always in this order (0-based index in brackets):
  forward through layer 1 … L [0 … L−1], loss [L], backward through layer L … 1 [L+1 … 2L], update [2L+1].
A *position* is a step: the number of phases completed since the session started. Step s ≥ 1 completed
the phase at index (s − 1) mod (2L + 2) of batch (s − 1) // (2L + 2) of the run.

Units of training, each defined by the steps at which it ends:
  phase     every step;
  forward   the loss phase (the forward pass ends with the loss);
  backward  backward through layer 1;
  update    the update phase, which is also where a batch ends ("batch" is the same unit);
  pass      the end of any of the three passes: loss, backward through layer 1, update (3 per batch);
  epoch     the update of the epoch's last batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backprop_studio.core.training.snapshot import Snapshot

UNITS = ("phase", "forward", "backward", "update", "pass", "batch", "epoch")
STEP_BACK_UNITS = ("phase", "pass", "batch", "epoch")  # what `TrainingSession.step_back` accepts


@dataclass(frozen=True)
class Phase:
    """One step of training. `layer` is 1-based for forward/backward and None for loss/update."""

    kind: str
    layer: int | None = None

    @property
    def label(self) -> str:
        if self.kind == "forward":
            return f"forward through layer {self.layer}"
        if self.kind == "backward":
            return f"backward through layer {self.layer}"
        if self.kind == "loss":
            return "loss"
        return "weight update"


def phases_of_batch(n_layers: int) -> tuple[Phase, ...]:
    """The fixed order of one batch: forward 1…L, loss, backward L…1, update (2L + 2 phases)."""
    forward = tuple(Phase("forward", k) for k in range(1, n_layers + 1))
    backward = tuple(Phase("backward", k) for k in range(n_layers, 0, -1))
    return (*forward, Phase("loss"), *backward, Phase("update"))


def phase_index(phase: Phase, n_layers: int) -> int:
    """Position of `phase` within its batch (0-based): forward 1…L, loss, backward L…1, update."""
    if phase.kind == "forward":
        return (phase.layer or 1) - 1
    if phase.kind == "loss":
        return n_layers
    if phase.kind == "backward":
        return 2 * n_layers + 1 - (phase.layer or 1)
    return 2 * n_layers + 1


def is_pass_end(phase: Phase) -> bool:
    """Whether `phase` ends a pass: the loss (forward pass), backward through layer 1, or the update."""
    return phase.kind in ("loss", "update") or (phase.kind == "backward" and phase.layer == 1)


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; choose one of {', '.join(UNITS)}")


@dataclass(frozen=True)
class Schedule:
    """Position arithmetic for a run of `batches_per_epoch` batches of a network with `n_layers` layers.

    `first_epoch` is the number of epochs trained before step 0 (a session opened from a file).
    """

    n_layers: int
    batches_per_epoch: int
    first_epoch: int = 0
    phases: tuple[Phase, ...] = field(init=False, repr=False, compare=False)
    # Derived once: the fast path asks for these several times per batch.
    per_batch: int = field(init=False, repr=False, compare=False)  # phases in one batch: 2L + 2
    per_epoch: int = field(init=False, repr=False, compare=False)  # phases in one epoch

    def __post_init__(self) -> None:
        object.__setattr__(self, "phases", phases_of_batch(self.n_layers))
        object.__setattr__(self, "per_batch", 2 * self.n_layers + 2)
        object.__setattr__(self, "per_epoch", self.per_batch * self.batches_per_epoch)

    def units_per_epoch(self, unit: str) -> int:
        """How many `unit`s one epoch holds: 2L + 2 phases and 3 passes per batch, one of the others."""
        _check_unit(unit)
        if unit == "epoch":
            return 1
        if unit == "phase":
            return self.per_epoch
        return (3 if unit == "pass" else 1) * self.batches_per_epoch

    def boundary_steps(self, unit: str) -> int:
        """How many phases one "phase", "batch" or "epoch" spans."""
        return {"phase": 1, "batch": self.per_batch, "epoch": self.per_epoch}[unit]

    def phase_at(self, step: int) -> Phase:
        """The phase completed at `step` (≥ 1)."""
        return self.phases[(step - 1) % self.per_batch]

    def next_phase(self, step: int) -> Phase:
        """The phase that runs after `step`."""
        return self.phases[step % self.per_batch]

    def locate(self, step: int) -> tuple[int, int, Phase | None]:
        """(epoch, batch within epoch, phase) of the phase completed at `step`; phase None at step 0."""
        if step == 0:
            return self.first_epoch, 0, None
        n = (step - 1) // self.per_batch
        return self.first_epoch + n // self.batches_per_epoch, n % self.batches_per_epoch, self.phase_at(step)

    def batch_start(self, step: int) -> int:
        """The step at which the batch holding the next phase after `step` starts (`step` itself at a boundary)."""
        return step - step % self.per_batch

    def epoch_start(self, step: int) -> int:
        """The step at which the epoch holding the next phase after `step` starts."""
        return step - step % self.per_epoch

    def epochs_done(self, step: int) -> int:
        """Epochs completed at `step`, counting those before the session started."""
        return self.first_epoch + step // self.per_epoch

    def is_end(self, step: int, unit: str) -> bool:
        """Whether `step` (≥ 1) is the end of a `unit` (see the module docstring)."""
        _check_unit(unit)
        if unit == "phase":
            return True
        if unit == "epoch":
            return step % self.per_epoch == 0
        phase = self.phase_at(step)
        if unit == "forward":
            return phase.kind == "loss"
        if unit == "backward":
            return phase.kind == "backward" and phase.layer == 1
        if unit == "pass":
            return is_pass_end(phase)
        return phase.kind == "update"  # "update" and "batch"

    def unit_end(self, step: int, unit: str) -> int:
        """The first step after `step` that ends a `unit`: where one `advance(unit)` from `step` stops.

        From any step before that end, the answer is the same end, so a run interrupted part way and
        started again from where it stopped finishes the same unit.
        """
        _check_unit(unit)
        if unit == "phase":
            return step + 1
        if unit == "epoch":
            return step + self.per_epoch - step % self.per_epoch
        n, p = self.n_layers, self.per_batch
        targets = {
            "forward": (n,),
            "backward": (2 * n,),
            "update": (p - 1,),
            "batch": (p - 1,),
            "pass": (n, 2 * n, p - 1),
        }[unit]
        index = step % p  # the next phase's index within its batch
        return step + min((t - index) % p + 1 for t in targets)

    def phases_in(self, unit: str, step: int) -> int:
        """How many phases one `unit` runs from `step` when nothing stops it early."""
        return self.unit_end(step, unit) - step

    def previous_end(self, step: int, unit: str) -> int:
        """The last step before `step` that ends a `unit`, or 0 (the start): where stepping back goes."""
        _check_unit(unit)
        if unit == "phase":
            return max(step - 1, 0)
        if unit in ("batch", "update", "epoch"):
            span = self.per_epoch if unit == "epoch" else self.per_batch
            return ((step - 1) // span) * span if step > 0 else 0
        for s in range(step - 1, 0, -1):
            if self.is_end(s, unit):
                return s
        return 0


def epoch_position(snapshot: Snapshot) -> float:
    """How far training is at `snapshot`, in epochs, with the fraction of the epoch counted by batch and
    phase: epoch + (batch + (phase index + 1) / phases per batch) / batches per epoch. At step 0 it is
    the epoch the run starts from; after the update ending epoch e's last batch it is e + 1."""
    per_epoch = max(snapshot.batches_per_epoch, 1)
    within = 0.0
    if snapshot.phase is not None:
        within = (phase_index(snapshot.phase, snapshot.n_layers) + 1) / (2 * snapshot.n_layers + 2)
    return snapshot.epoch + (snapshot.batch + within) / per_epoch
