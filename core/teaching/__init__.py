"""Teaching with the numbers: narration of each phase, the matrix form of a layer, and quiz questions.

Plain NumPy and text, read from a `Snapshot`: the window, recordings, lessons and scripts share them.
"""
