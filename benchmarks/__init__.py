"""Benchmarks that print a comparison table (ours vs. the alternative, one run each).

Run each from the checkout's root as a module, e.g. ``.venv/bin/python -m benchmarks.capture
--help``; the module docstrings say what each measures and how.
"""
