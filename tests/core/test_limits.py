"""core/limits.py: networks too large for the parameter cap or for the memory this machine has are refused
before anything is allocated, in one line naming the limit and the value."""

from __future__ import annotations

import pytest
from backprop_studio.core import limits
from backprop_studio.core.errors import StudioError
from backprop_studio.core.limits import LimitError
from backprop_studio.core.spec import LayerSpec, NetworkSpec, TrainingSpec, check_architecture

GIB = 2**30


def network(*units: int, inputs: int = 2) -> NetworkSpec:
    return NetworkSpec(inputs, tuple(LayerSpec(n, "tanh") for n in units))


@pytest.mark.parametrize("units", [10**9, 2**62, 10**29])
def test_a_huge_layer_is_refused_by_its_parameter_count(units):
    with pytest.raises(LimitError) as caught:
        check_architecture(network(units, 1), TrainingSpec())
    message = str(caught.value)
    assert isinstance(caught.value, StudioError)
    assert "parameters" in message and f"{limits.MAX_PARAMETERS:,}" in message
    assert "\n" not in message


def test_the_parameter_count_is_exact():
    # 2 inputs → 3 → 1: 2·3 + 3 weights and biases into layer 1, 3·1 + 1 into layer 2.
    assert limits.parameters((2, 3, 1)) == 6 + 3 + 3 + 1


def test_activation_memory_is_refused_against_the_available_memory(monkeypatch):
    # 1 → 1,000,000 → 1 has 3,000,001 parameters (under the cap) but 100,000 samples at once need
    # 100,000 × 1,000,001 units × 8 bytes × 4 ≈ 3.2 TB.
    monkeypatch.setattr(limits, "available_memory", lambda: 8 * GIB)
    spec = network(1_000_000, 1, inputs=1)
    check_architecture(spec, TrainingSpec())  # one sample at a time fits
    with pytest.raises(LimitError) as caught:
        limits.check_network_size(spec.sizes, rows=100_000)
    message = str(caught.value)
    assert "activations" in message and "100,000 samples" in message
    assert "TB" in message and "4.3 GB" in message  # half of 8 GiB


def test_parameter_memory_is_refused_against_the_available_memory(monkeypatch):
    monkeypatch.setattr(limits, "available_memory", lambda: 64 * 2**20)
    with pytest.raises(LimitError, match="parameters"):
        check_architecture(network(2_000, 2_000, 1), TrainingSpec())


def test_available_memory_is_a_positive_number_of_bytes():
    assert limits.available_memory() > 0
    assert limits.memory_limit() == int(limits.available_memory() * limits.MEMORY_SHARE)


def test_the_fallback_when_the_system_does_not_say(monkeypatch):
    def no_file(*args, **kwargs):
        raise OSError("no /proc")

    def no_sysconf(name):
        raise ValueError(name)

    monkeypatch.setattr("builtins.open", no_file)
    monkeypatch.setattr(limits.os, "sysconf", no_sysconf)
    assert limits.available_memory() == limits.FALLBACK_MEMORY


@pytest.mark.parametrize("batch", [0, limits.MAX_BATCH_SIZE + 1, 10**400])
def test_a_batch_size_out_of_range_is_refused(batch):
    from backprop_studio.core.errors import ArchitectureError

    with pytest.raises(ArchitectureError, match="batch size") as caught:
        check_architecture(network(3, 1), TrainingSpec(batch_size=batch))
    assert len(str(caught.value)) < 200


def test_big_numbers_read_in_messages():
    assert limits.big(1_234_567) == "1,234,567"
    assert limits.big(10**400) == "about 10^400"
    assert limits.size_text(1536) == "1.5 KB"
    assert limits.size_text(10**40).endswith("PB")
