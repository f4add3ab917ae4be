"""Loosen's figures, measured and printed: `python -m loosen.bench [WHAT]`.

Each figure is printed beside its target. These are reports, not tests: run them on
an idle machine and read them; the test suite never asserts a time.
"""
