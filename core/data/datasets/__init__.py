"""Real data sets shipped with the package (Iris, Wine, Breast cancer Wisconsin, handwritten digits).

The tables are gzip-compressed CSV files beside this module (see README.md here for their sources and
licenses); `catalog` says what each holds without reading it, `loader` reads one (once, then cached).
"""
