"""
Benchmarks of the competency assessment against xblock-poll and the workbench's own floor.

``python -m benchmarks`` (``make bench``) runs them, prints a table and writes RESULTS.md;
README.md says how each figure is made.
"""
