"""What the Gradient check panel says: the verdict line and how a checked parameter is named."""

from __future__ import annotations

from backprop_studio.core.analysis.gradcheck import GradCheckReport
from backprop_studio.core.display.names import bias_label, weight_label
from backprop_studio.core.display.numbers import count, format_number


def parameter_label(layer: int, name: str, index: tuple[int, ...]) -> str:
    """A checked parameter named as every view names it (1-based): "weight from neuron 3 of layer 1 to
    neuron 2 of layer 2", "bias of neuron 1 of layer 2"."""
    return weight_label(layer, index[0], index[1]) if name == "W" else bias_label(layer, index[0])


def verdict(report: GradCheckReport, worst: tuple[float, int, str, tuple[int, ...]] | None) -> str:
    """The verdict line (rich text): agreement with the worst error, or where the worst disagreement is
    (`worst` = the report's first `worst_entries`)."""
    error, tolerance = format_number(report.worst, 2), format_number(report.tolerance)
    kinks = (
        f" {count(report.kinks, 'entry', 'entries')} at a kink, not comparable (listed below)."
        if report.kinks
        else ""
    )
    if report.passed or worst is None:
        return f"<b>✓ Gradients agree.</b> Worst relative error {error} ≤ tolerance {tolerance}.{kinks}"
    _, layer, name, index = worst
    return (
        f"<b>✗ Gradients disagree.</b> Worst relative error {error} at the {parameter_label(layer, name, index)} "
        f"(tolerance {tolerance}): backpropagation computes this gradient wrongly.{kinks}"
    )
