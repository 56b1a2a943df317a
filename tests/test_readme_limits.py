"""README's "Limits" section quotes the values of core/limits.py: a changed limit must change the README."""

from __future__ import annotations

from pathlib import Path

from backprop_studio.core import limits

ROOT = Path(__file__).resolve().parents[1]


def limits_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Limits\n")[1].split("\n## ")[0]


def test_the_limits_section_comes_right_before_benchmarks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index("## Limits\n") < text.index("## Benchmarks\n")
    assert "\n## " not in text[text.index("## Limits\n") + 3 : text.index("## Benchmarks\n")]


def test_every_limit_is_quoted_with_its_value():
    section = limits_section()
    mib = 2**20
    quoted = [
        f"{limits.MAX_PARAMETERS:,} parameters",
        f"{limits.PARAMETER_COPIES} copies",
        f"× 8 bytes × {limits.ACTIVATION_COPIES}",
        f"{limits.FALLBACK_MEMORY // 2**30} GiB",
        f"batch size above {limits.MAX_BATCH_SIZE:,}",
        f"{limits.MAX_EPOCHS:,} epochs",
        f"{limits.MAX_CSV_BYTES // mib} MiB",
        f"longer than {limits.MAX_CSV_LINE_BYTES // mib} MiB",
        f"{limits.MAX_ROWS:,} rows",
        f"{limits.MAX_CSV_CLASSES:,} classes",
        f"× {limits.DATA_COPIES} copies",
        f"{limits.MAX_PROJECT_BYTES // mib} MiB",
    ]
    for text in quoted:
        assert text in section, text
    assert limits.MEMORY_SHARE == 0.5 and "half" in section
    assert limits.MAX_OPTIMIZER_STEPS == 2**53 and "2⁵³" in section
