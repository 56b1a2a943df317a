"""A project: everything one file holds — specs, and optionally trained parameters, optimiser state and history."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .optimizers import OptimizerState
from .snapshot import History
from .spec import DataSpec, NetworkSpec, TrainingSpec


@dataclass(eq=False)
class Project:
    """`weights[k]` (n_in, n_out) and `biases[k]` (n_out,) are None until a network has been initialised or
    trained; `epochs_completed` says how far training got. `source` is the file it was read from (CSV
    paths are resolved against its folder). `breakpoints` are the debugger's watch conditions as plain dicts.
    """

    network: NetworkSpec
    training: TrainingSpec = field(default_factory=TrainingSpec)
    data: DataSpec = field(default_factory=DataSpec)
    name: str = ""
    description: str = ""
    weights: list[np.ndarray] | None = None
    biases: list[np.ndarray] | None = None
    optimizer_state: OptimizerState | None = None
    history: History = field(default_factory=History)
    epochs_completed: int = 0
    breakpoints: tuple[dict, ...] = ()
    source: str | None = None
