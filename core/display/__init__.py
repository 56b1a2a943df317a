"""How numbers, names and positions read, for every view, the recorder and the command line (plain text)."""
