"""Long work off the GUI thread: a job runner and the progress dialog that shows it."""
