"""The loss plot's words: the key above the plots and the readout below them (values under the mouse,
or the latest ones), as rich text in the theme's colors. Numbers read as `.4g`; missing values as "—"."""

from __future__ import annotations

import math

from backprop_studio.gui.panels.loss_series import Track
from backprop_studio.gui.style.colors import TEST_COLOR, TRAIN_COLOR, mix, palette

# The batch curve is background noise next to the epoch curves: a faint gray, blended opaquely (an
# alpha pen would cost a blend per pixel of a line that can cover the whole plot).
BATCH_STRENGTH = 0.5


def hex_color(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


# The key with every entry, as plain text (what its rich text shows): the width the header keeps for it.
KEY_TEXT_FULL = "━━ train \u00a0 ╍╍ test \u00a0 ── per batch \u00a0 │ now"


def key_html(dark: bool, has_test: bool, batches: bool) -> str:
    """ "━━ train  ╍╍ test  ── per batch  │ now" in the curves' colors."""
    p = palette(dark)
    parts = [f"<span style='color:{hex_color(TRAIN_COLOR[dark])}'>━━</span> train"]
    if has_test:
        parts.append(f"<span style='color:{hex_color(TEST_COLOR[dark])}'>╍╍</span> test")
    if batches:
        batch = mix(p.background, p.muted, BATCH_STRENGTH)
        parts.append(f"<span style='color:{hex_color(batch)}'>──</span> per batch")
    parts.append(f"<span style='color:{hex_color(p.update)}'><b>│</b></span> now")
    return " &nbsp; ".join(parts)


def readout_html(
    tracks: dict[str, Track], classification: bool, batches: bool, dark: bool, at: float | None
) -> str:
    """Values at epoch position `at`, or the latest values when None. `tracks` holds "train", "test",
    "train_accuracy", "test_accuracy" and "batch"."""
    p = palette(dark)
    train_c, test_c, muted = hex_color(TRAIN_COLOR[dark]), hex_color(TEST_COLOR[dark]), hex_color(p.muted)
    train_t, test_t, batch_t = tracks["train"], tracks["test"], tracks["batch"]
    train_acc, test_acc = tracks["train_accuracy"], tracks["test_accuracy"]
    n_epochs = train_t.entries
    if n_epochs == 0 and batch_t.n == 0:
        return f"<span style='color:{muted}'>No training yet: step or run to see the loss.</span>"
    if at is None:
        epoch = n_epochs
        point = batch_t.n - 1
    else:
        epoch = min(max(round(at), 1), n_epochs) if n_epochs else 0
        point = batch_t.nearest(at) if batch_t.n else -1
    parts = []
    if epoch:
        i = epoch - 1
        parts.append(_group(None, f"after epoch {epoch}", bold=True))
        train = f"train: loss {_format(train_t.value_at(i))}"
        if classification and i < train_acc.entries:
            train += f", accuracy {_percent(train_acc.value_at(i))}"
        parts.append(_group(train_c, train))
        if i < test_t.entries and math.isfinite(test_t.value_at(i)):
            test = f"test: loss {_format(test_t.value_at(i))}"
            if classification and i < test_acc.entries:
                test += f", accuracy {_percent(test_acc.value_at(i))}"
            parts.append(_group(test_c, test))
    if point >= 0 and batches:
        batch = int(batch_t.at[point]) + 1
        parts.append(_group(muted, f"batch {batch:,}: loss {_format(batch_t.y_at(point))}"))
    return " · ".join(parts)


def _format(value: float) -> str:
    if not math.isfinite(value):
        return "—"
    return f"{value:.4g}"


def _group(color: str | None, text: str, bold: bool = False) -> str:
    """Rich text that wraps only between groups, never inside one ("batch 300: loss 0.38")."""
    body = text.replace(" ", "&nbsp;")
    if bold:
        body = f"<b>{body}</b>"
    return body if color is None else f"<span style='color:{color}'>{body}</span>"


def _percent(percent: float) -> str:
    return "—" if not math.isfinite(percent) else f"{percent:.1f}%"
