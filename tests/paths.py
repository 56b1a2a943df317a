"""Where the repository's files are, for tests that read the README, the docs or run main.py."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
