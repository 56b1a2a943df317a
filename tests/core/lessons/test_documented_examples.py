"""The lesson examples in docs/LESSON_FORMAT.md and README.md are valid lessons that play to their end."""

from __future__ import annotations

import re

import pytest
from backprop_studio.core.lessons.placeholders import NOT_YET
from backprop_studio.core.lessons.reader import loads_lesson
from backprop_studio.core.lessons.runner import LessonRunner

from tests.paths import REPO


def _lesson_blocks(path: str) -> list[str]:
    text = (REPO / path).read_text(encoding="utf-8")
    return [b for b in re.findall(r"```json\n(.*?)\n```", text, re.DOTALL) if "backprop-studio-lesson" in b]


@pytest.mark.parametrize("path", ["docs/LESSON_FORMAT.md", "README.md"])
def test_the_documented_lesson_example_reads_and_plays(path) -> None:
    (block,) = _lesson_blocks(path)
    scenes = list(LessonRunner(loads_lesson(block, source=path)).play())
    assert scenes and all(NOT_YET not in scene.narration for scene in scenes)
