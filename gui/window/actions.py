"""The window's commands as QActions with their shortcuts, built once and shared by menus and toolbars."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Spec:
    name: str
    text: str
    shortcuts: tuple[str, ...]
    tip: str
    checkable: bool = False


SPECS = (
    Spec(
        "step",
        "Step",
        ("Right", "F10"),
        "Run one phase: forward through one layer, the loss, backward through one layer, or the update",
    ),
    Spec("forward", "Forward pass", ("F",), "Run to the end of the forward pass (through the loss)"),
    Spec("backward", "Backward pass", ("B",), "Run to the end of the backward pass (back to layer 1)"),
    Spec("update", "Update", ("U",), "Run to the end of the weight update"),
    Spec("batch", "Step batch", ("Ctrl+Right",), "Finish this batch (or run a whole one)"),
    Spec("epoch", "Step epoch", ("Ctrl+Shift+Right",), "Finish this epoch (or run a whole one)"),
    Spec(
        "play",
        "Play",
        ("Space",),
        "Play or pause training at the chosen speed and granularity",
        checkable=True,
    ),
    Spec(
        "record",
        "Record",
        ("F9",),
        "Record what the window shows as MP4, GIF or PNG frames; press again to stop and save",
        checkable=True,
    ),
    Spec("back", "Step back", ("Left", "Shift+F10"), "Undo the last phase, exactly"),
    Spec(
        "back_batch",
        "Step back a batch",
        ("Ctrl+Left",),
        "Return to the start of this batch (or the previous one)",
    ),
    Spec(
        "back_epoch",
        "Step back an epoch",
        ("Ctrl+Shift+Left",),
        "Return to the start of this epoch (or the previous one)",
    ),
    Spec("reset", "Reset", ("Ctrl+R",), "Re-initialize from the seed, to watch the same run again"),
    Spec("randomize", "Randomize", ("Ctrl+Shift+R",), "Draw a new seed and fresh weights"),
    Spec("memory", "Memory for stepping back…", (), "How much memory history and step-back may keep"),
    Spec(
        "new", "New from preset…", (QKeySequence.StandardKey.New,), "Start from one of the built-in presets"
    ),
    Spec("lessons", "Lessons…", ("Ctrl+L",), "Start a built-in lesson: a narrated walk through training"),
    Spec("open", "Open…", (QKeySequence.StandardKey.Open,), "Open a project or lesson file"),
    Spec("save", "Save", (QKeySequence.StandardKey.Save,), "Save the project with its weights and history"),
    Spec("save_as", "Save as…", (QKeySequence.StandardKey.SaveAs,), "Save under a new name"),
    Spec(
        "import_weights", "Import weights…", (), "Make a network from weights in .npz, .safetensors or .onnx"
    ),
    Spec("export", "Export…", (), "Write the network as a PyTorch script, npz, safetensors or ONNX"),
    Spec(
        "export_picture",
        "Export picture…",
        (),
        "Write the canvas, the Neuron zoom or the Matrix view as SVG or PDF (text as text) or PNG",
    ),
    Spec(
        "record_lesson",
        "Record lesson…",
        (),
        "Record a lesson as MP4, GIF or PNG frames: one scene per step, its narration as the caption",
    ),
    Spec("quit", "Quit", (QKeySequence.StandardKey.Quit,), "Close Backprop Studio"),
    Spec(
        "gradients",
        "Show gradients",
        ("G",),
        "Show dL/dw on edges and dL/dz on nodes instead of weights and activations",
        checkable=True,
    ),
    Spec(
        "heatmaps",
        "Neuron heatmaps",
        ("H",),
        "Show each neuron's output over the input plane inside its node",
        checkable=True,
    ),
    Spec(
        "batch_mean",
        "Batch mean",
        ("M",),
        "Show the mean over the batch instead of one focused sample",
        checkable=True,
    ),
    Spec("lesson_back", "Previous lesson step", ("PgUp",), "Back to the lesson's previous step, exactly"),
    Spec("lesson_next", "Next lesson step", ("PgDown",), "On to the lesson's next step"),
    Spec(
        "quiz",
        "Quiz mode",
        (),
        "Predict, then reveal: before a phase runs, type the value it will give the selected neuron or edge",
        checkable=True,
    ),
    Spec(
        "presentation",
        "Presentation mode",
        ("F5",),
        "Full screen for a lecture: canvas and large narration; PageDown/→ step, PageUp/← back, B blank, Esc leave",
        checkable=True,
    ),
    Spec(
        "pixel_grid",
        "Inputs as image",
        ("I",),
        "Draw the input column as the image's grid of pixels (when the inputs form an image)",
        checkable=True,
    ),
    Spec("reset_view", "Reset zoom", ("Ctrl+0",), "Fit the whole network in the canvas"),
    Spec(
        "pin_run",
        "Pin this run",
        ("P",),
        "Keep this run's loss curves on the loss plot to compare later runs with (up to 5, saved with the project)",
    ),
    Spec(
        "compare_with",
        "Compare with project…",
        (),
        "Overlay the loss curves another saved project recorded on the loss plot",
    ),
    Spec("shortcuts", "Keyboard shortcuts", ("F1",), "List every shortcut"),
)


USUAL_TIP = "usual_tip"  # the tooltip an action shows when nothing (e.g. a divergence) disables it


def usual_tip(action: QAction) -> str:
    return str(action.property(USUAL_TIP) or "")


def build(parent: QWidget) -> dict[str, QAction]:
    actions = {}
    for spec in SPECS:
        action = QAction(spec.text, parent)
        action.setObjectName(spec.name)
        keys = [QKeySequence(k) for k in spec.shortcuts]
        action.setShortcuts(keys)
        shown = f" ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})" if keys else ""
        action.setToolTip(f"{spec.tip}{shown}")
        action.setProperty(USUAL_TIP, action.toolTip())
        action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        actions[spec.name] = action
    return actions


def shortcut_table() -> list[tuple[str, str]]:
    rows = []
    for spec in SPECS:
        keys = ", ".join(
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in spec.shortcuts
        )
        rows.append((spec.text, keys))
    return rows
