"""What differs between two runs' settings, in the words a loss-plot legend uses: "lr 0.3 vs 0.03",
"batch 10 vs 50", "tanh vs relu in layer 1".

A run's settings are flattened by `settings_summary` into an ordered mapping of short keys to plain JSON
scalars (str, int, float, bool), so a pinned run keeps them in its project file and can be compared with
whatever the current run becomes later. `differences(pinned, current)` names each key whose value differs,
pinned value first; keys one side lacks are skipped (Adam's betas mean nothing to SGD, and the optimizer's
own name already says they differ).
"""

from __future__ import annotations

from collections.abc import Mapping

from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.spec import DataSpec, NetworkSpec, TrainingSpec

Scalar = str | int | float | bool
Summary = dict[str, Scalar]

ACTIVATION_KEY = "activation "  # + the 1-based layer number


def settings_summary(network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> Summary:
    """The settings that shape a run's loss curve, as short keys (`lr`, `batch`, `activation 1`…)."""
    opt, reg = training.optimizer, training.regularization
    summary: Summary = {"layers": "-".join(str(n) for n in network.sizes)}
    for number, layer in enumerate(network.layers, start=1):
        summary[f"{ACTIVATION_KEY}{number}"] = layer.activation
    summary["init"] = network.init.weights
    summary["loss"] = training.loss
    summary["optimizer"] = opt.name
    summary["lr"] = opt.learning_rate
    if opt.name == "momentum":
        summary["momentum"] = opt.momentum
    if opt.name == "adam":
        summary.update({"β1": opt.beta1, "β2": opt.beta2, "ε": opt.epsilon})
    summary["batch"] = training.batch_size
    summary["shuffle"] = training.shuffle
    summary["seed"] = training.seed
    summary["regularization"] = "none" if reg.kind == "none" else f"{reg.kind} {format_number(reg.rate)}"
    summary["data"] = data.kind
    if data.kind not in ("inline", "csv"):
        summary.update({"samples": data.samples, "noise": data.noise, "data seed": data.seed})
        summary["features"] = ", ".join(data.features)
    if data.kind != "inline":
        summary["train split"] = data.train_fraction
    return summary


def _text(key: str, value: Scalar) -> str:
    if isinstance(value, bool):
        return "shuffled" if value else "in order"
    if key in ("noise", "train split") and isinstance(value, float):
        return f"{format_number(100 * value)}%"
    if isinstance(value, (int, float)):
        return format_number(value)
    return value


def _phrase(key: str, pinned: Scalar, current: Scalar) -> str:
    a, b = _text(key, pinned), _text(key, current)
    if key.startswith(ACTIVATION_KEY):
        return f"{a} vs {b} in layer {key[len(ACTIVATION_KEY) :]}"
    if key in ("optimizer", "shuffle"):
        return f"{a} vs {b}"
    return f"{key} {a} vs {b}"


def differences(pinned: Mapping[str, Scalar], current: Mapping[str, Scalar]) -> list[str]:
    """A phrase per setting both runs have and that differs, pinned value first, in `pinned`'s order."""
    return [
        _phrase(key, value, current[key])
        for key, value in pinned.items()
        if key in current and value != current[key]
    ]


def legend(pinned: Mapping[str, Scalar], current: Mapping[str, Scalar], limit: int = 3) -> str:
    """The differences as one legend line: at most `limit` phrases, then "+N more"; "same settings"."""
    found = differences(pinned, current)
    if not found:
        return "same settings"
    shown = ", ".join(found[:limit])
    return shown if len(found) <= limit else f"{shown}, +{len(found) - limit} more"
