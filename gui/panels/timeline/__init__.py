"""The timeline panel: a scrub bar over the session's recorded history (widget.py; its slider and epoch
ruler in bar.py).

`Timeline` and `readout_text` are the panel's public entry point: the window imports them from
`backprop_studio.gui.panels.timeline`.
"""

from backprop_studio.gui.panels.timeline.widget import Timeline, readout_text

__all__ = ["Timeline", "readout_text"]
