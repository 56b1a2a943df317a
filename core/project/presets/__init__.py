"""Ready-made project files (JSON), one per preset; `backprop_studio.core.project.presets_catalog` lists and loads them."""
