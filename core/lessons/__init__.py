"""Lessons: narrated walk-throughs of a project, step by step (docs/LESSON_FORMAT.md).

`model` holds what a lesson is, `reader` reads and validates lesson files (strict JSON, JSON paths,
nothing executed), `placeholders` fills narration with live numbers from a snapshot, `runner` plays a
lesson on a headless TrainingSession (tests, the command line, recordings) and `catalog` lists the
built-in lessons in `builtin/`.
"""
