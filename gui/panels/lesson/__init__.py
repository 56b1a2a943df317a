"""The Lesson panel (title, "step 3 of 14", narration, Back and Next) and the lesson gallery."""
