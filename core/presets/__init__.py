"""Ready-made project files (JSON), one per preset; `core.presets_catalog` lists and loads them."""
